"""`python -m interview.eval`: see interview/eval/cli.py and docs/EVAL.md."""

import sys

from interview.eval.cli import main

sys.exit(main())
