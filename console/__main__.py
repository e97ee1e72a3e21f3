"""``python -m console``: the same as ``python -m app``."""

import sys

from console import main

sys.exit(main())
