"""`python -m bot` is the `allodiscri` command."""

import sys

from bot.cli import main

sys.exit(main())
