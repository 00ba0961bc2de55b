"""`python generate.py ARGS` does exactly what `vanthu generate ARGS` does."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from vanthu.cli import main

if __name__ == "__main__":
    sys.exit(main(["generate", *sys.argv[1:]]))
