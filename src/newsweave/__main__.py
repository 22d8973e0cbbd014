"""``python -m newsweave``: the same command line as ``newsweave``."""

import sys

from newsweave.cli import main

sys.exit(main())
