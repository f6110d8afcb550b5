"""Synthesize every built-in environment into cdktf.out/ (or $CDKTF_OUTDIR).

`cdktf synth` runs this file (see cdktf.json) with CDKTF_OUTDIR set; `make
synth` runs it directly. Invalid specs exit 1 and leave the output untouched.
"""

import os
import sys

import constructs_ai  # noqa: F401  (must come first: it points jsii at the bundled Node.js)
from constructs_ai.cli import main

if __name__ == "__main__":
    sys.exit(main(["synth", "--out", os.environ.get("CDKTF_OUTDIR", "cdktf.out")]))
