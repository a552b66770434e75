"""`python -m synth_review`: review cdktf.out, write cdktf.out/review/, exit 1 when a rule fails.

Exit status: 0 every rule passed; 1 a rule failed (the verdict lists which); 2 the input is missing or unreadable,
in which case one line goes to stderr, nothing is written, and a review left by an earlier run is removed.
Every run rewrites or removes each file of cdktf.out/review/, so nothing there is older than the tree it describes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synth_review.checkov_gate import CHECKOV, CONFIG, CheckovError, CheckovResult, run_checkov
from synth_review.graph import write_graph
from synth_review.report import render
from synth_review.rules import findings
from synth_review.synthesized import ReviewInputError, load

EXIT_RULE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
REVIEW_FOLDER = "review"
ARTEFACTS = ("review.txt", "graph.dot", "graph.svg", "graph.png")


def main(argv: list[str] | None = None) -> int:
    try:
        return _review(argv)
    except KeyboardInterrupt:
        print("interrupted: the review was stopped; cdktf.out/review/ may hold part of it, run it again",
              file=sys.stderr)
        return EXIT_INTERRUPTED


def _review(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth_review", description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="the synthesized app (cdktf.out)")
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help="checkov from its own tool venv")
    parser.add_argument("--checkov-config", type=Path, default=CONFIG, help="checkov config with the skips")
    args = parser.parse_args(argv)

    try:
        app = load(args.outdir)
    except ReviewInputError as error:
        _remove_stale(args.outdir / REVIEW_FOLDER)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT

    checkov: CheckovResult | None = None
    checkov_error: str | None = None
    try:
        checkov = run_checkov(app.outdir, args.checkov, args.checkov_config)
    except CheckovError as error:
        checkov_error = str(error)

    failed = findings(app, checkov, checkov_error)
    text = render(app, failed, checkov, checkov_error or "")
    folder = app.outdir / REVIEW_FOLDER
    _remove_stale(folder)
    folder.mkdir(exist_ok=True)
    (folder / "review.txt").write_text(text)
    written, notes = write_graph(app, folder)
    print(text, end="")
    print(f"\nwritten to {folder}/: {', '.join(['review.txt', *written])}")
    for note in notes:
        print(f"note: {note}")
    return EXIT_RULE_FAILED if failed else 0


def _remove_stale(folder: Path) -> None:
    """What an earlier run wrote; this run writes its own or leaves none."""
    if folder.is_dir():
        for name in ARTEFACTS:
            (folder / name).unlink(missing_ok=True)
