"""``python -m local_run``: see local_run.cli."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C

# The handler covers the imports too: moto and boto3 take a second or two to load, and Ctrl-C then is as likely.
try:
    from local_run.cli import main

    status = main()
except KeyboardInterrupt:
    print("interrupted: the local run was stopped; it writes nothing, so there is nothing to clean up", file=sys.stderr)
    status = EXIT_INTERRUPTED
sys.exit(status)
