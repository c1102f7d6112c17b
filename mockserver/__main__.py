"""``python -m mockserver``: see `mockserver.cli`."""

from __future__ import annotations

import sys

from mockserver.cli import main

if __name__ == "__main__":
    sys.exit(main())
