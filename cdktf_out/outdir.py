"""Where a synthesized tree is when no one says: $CDKTF_OUTDIR if set (cdktf itself honours it), else cdktf.out.

The app, `make synth`, the review, the local run and deploy all ask here (the Makefile says the same in OUTDIR).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT = "cdktf.out"  # cdktf's own default


def default_outdir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("CDKTF_OUTDIR", "").strip() or DEFAULT)
