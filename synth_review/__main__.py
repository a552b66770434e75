"""Entry point of `python -m synth_review`."""

from __future__ import annotations

from synth_review.cli import main

raise SystemExit(main())
