"""``python -m local_run``: see local_run.cli."""

from __future__ import annotations

import sys

from local_run.cli import main

sys.exit(main())
