"""A team's own app built on the published library: one environment from a JSON spec.

Run from the repository root: `python examples/custom_app.py` writes
`cdktf.out.example/stacks/sandbox/cdk.tf.json`.
"""

from pathlib import Path

import constructs_ai  # noqa: F401  (must come before cdktf: it selects the bundled Node.js)
from constructs_ai import EnvironmentSpec, synth_to

SPEC_FILE = Path(__file__).with_name("sandbox.json")


def main() -> None:
    spec = EnvironmentSpec.from_json_file(SPEC_FILE)
    out = synth_to([spec], "cdktf.out.example")
    print(f"wrote {out / 'stacks' / spec.name / 'cdk.tf.json'}")


if __name__ == "__main__":
    main()
