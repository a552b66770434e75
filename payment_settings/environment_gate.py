"""What main.py checks before cdktf loads, besides settings: what jsii and cdktf need but would only report as a long
Node or Python traceback. One line and exit 2 instead."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from cdktf_out.outdir import default_outdir

EXIT_BAD_ENVIRONMENT = 2


def environment_or_exit() -> None:
    """node on PATH (or JSII_NODE), and an output folder that can be written (cdktf creates only its last level)."""
    node = os.environ.get("JSII_NODE", "node")  # what jsii starts
    if shutil.which(node) is None:
        print(f"error: cannot find node ({node!r}): install Node.js 20 on PATH, or set JSII_NODE to its path",
              file=sys.stderr)
        raise SystemExit(EXIT_BAD_ENVIRONMENT)
    outdir = str(default_outdir())
    try:
        os.makedirs(outdir, exist_ok=True)
        tempfile.TemporaryFile(dir=outdir).close()  # the error a write would meet, e.g. a read-only file system
    except OSError as error:
        print(f"error: cannot write the output folder CDKTF_OUTDIR={outdir[:200]!r} ({error.strerror}); name a "
              "folder in a writable place", file=sys.stderr)
        raise SystemExit(EXIT_BAD_ENVIRONMENT) from None
