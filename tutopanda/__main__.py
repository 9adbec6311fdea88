"""`python -m tutopanda` runs the command line."""

import sys

from tutopanda.cli import main

sys.exit(main())
