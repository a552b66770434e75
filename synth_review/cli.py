"""`python -m synth_review`: review cdktf.out, write cdktf.out/review/, exit 1 when a rule fails.

With --base REV (`make review BASE=REV`) or --base-outdir DIR, review the change instead: what deploying this tree
over the base would do (synth_review/change/change_set.py), destructive changes first.

Exit status: 0 every rule passed (and, reviewing a change, nothing destructive is left unacknowledged); 1 a rule
failed or a destructive change is not acknowledged (the verdict lists which); 2 the input is missing or unreadable,
the base is not a revision or does not synthesize, or an acknowledgement names nothing destructive: one line goes
to stderr, nothing is written, and a review left by an earlier run is removed.
Every run rewrites or removes each file of cdktf.out/review/, so nothing there is older than the tree it describes.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from cdktf_out.outdir import default_outdir
from cdktf_out.tree import SynthesizedApp, SynthesizedTreeError, load
from synth_review import verdict
from synth_review.change import acknowledgement
from synth_review.change.base_revision import BaseRevisionError, SynthesizedBase, synthesized_revision
from synth_review.change.change_report import ChangeReview, render_markdown, render_text
from synth_review.change.change_set import Severity, diff_apps, node_marks
from synth_review.change.findings_delta import compare
from synth_review.findings import Finding
from synth_review.report.graph import dot_source, write_graph
from synth_review.report.text import render
from synth_review.rules import findings
from synth_review.rules.checkov_rules import CHECKOV, CONFIG, CheckovError, CheckovResult, run_checkov

EXIT_RULE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
REVIEW_FOLDER = verdict.REVIEW_FOLDER
# Everything either review writes; each run removes them all first, so the folder never mixes two runs or two kinds.
ARTEFACTS = ("review.txt", "graph.dot", "graph.svg", "graph.png",
             "review-diff.txt", "review-diff.md", "graph-diff.dot", "graph-diff.svg", "graph-diff.png", verdict.VERDICT)


def main(argv: list[str] | None = None) -> int:
    try:
        return _review(argv)
    except KeyboardInterrupt:  # a base's worktree is already gone (synthesized_revision's `finally`)
        print("interrupted: the review was stopped; cdktf.out/review/ may hold part of it, run it again",
              file=sys.stderr)
        return EXIT_INTERRUPTED


def _review(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth_review", description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=default_outdir(), help="the synthesized app (cdktf.out)")
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help="checkov from its own tool venv")
    parser.add_argument("--checkov-config", type=Path, default=CONFIG, help="checkov config with the skips")
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--base", metavar="REV", help="review the change from this git revision (synthesized here)")
    base.add_argument("--base-outdir", type=Path, metavar="DIR", help="review the change from this synthesized app")
    parser.add_argument("--allow-replace", metavar="NAMES", default=os.environ.get(acknowledgement.SETTING),
                        help=f"destructive changes accepted, comma-separated (default: ${acknowledgement.SETTING})")
    args = parser.parse_args(argv)

    try:
        app = load(args.outdir)
        if args.base is None and args.base_outdir is None:
            return _review_tree(app, args.checkov, args.checkov_config)
        return _review_change(app, args)
    except (SynthesizedTreeError, BaseRevisionError, acknowledgement.AcknowledgementError) as error:
        _remove_stale(args.outdir / REVIEW_FOLDER)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _review_tree(app: SynthesizedApp, checkov_path: Path, checkov_config: Path) -> int:
    judged = verdict.tree_digest(app.outdir)
    failed, checkov, checkov_error = _findings(app, checkov_path, checkov_config)
    text = render(app, failed, checkov, checkov_error or "")
    folder = _new_review_folder(app)
    (folder / "review.txt").write_text(text)
    written, notes = write_graph(app, folder)
    recorded = verdict.record(app.outdir, verdict.Verdict(verdict.FAIL if failed else verdict.PASS, judged,
                                                          "whole tree", len(failed)))
    print(text, end="")
    _print_written(folder, ["review.txt", *written, recorded], notes)
    return EXIT_RULE_FAILED if failed else 0


def _review_change(head: SynthesizedApp, args: argparse.Namespace) -> int:
    judged = verdict.tree_digest(head.outdir)
    names = acknowledgement.parse(args.allow_replace)
    source: AbstractContextManager[SynthesizedBase | None] = (
        synthesized_revision(args.base) if args.base is not None else nullcontext(None))
    # checkov of the head runs beside the base's synth and checkov: each is mostly one busy core.
    with ThreadPoolExecutor(max_workers=1) as beside:
        head_review = beside.submit(_findings, head, args.checkov, args.checkov_config)
        with source as synthesized:
            base = load(synthesized.outdir if synthesized else args.base_outdir)
            base_findings, _, _ = _findings(base, args.checkov, args.checkov_config)  # before the worktree goes
        head_findings, checkov, checkov_error = head_review.result()
    changes = diff_apps(base, head)
    accepted = acknowledgement.acknowledged(names, [c for c in changes if c.severity is Severity.DESTRUCTIVE])
    notes = (f"base synthesized in a throw-away worktree in {synthesized.seconds:.1f} s",) if synthesized else ()
    review = ChangeReview(
        base_label=synthesized.label if synthesized else str(args.base_outdir),
        head_label=str(head.outdir),
        stacks=tuple(dict.fromkeys([s.name for s in head.stacks] + [s.name for s in base.stacks])),
        changes=tuple(changes),
        findings=compare(base_findings, head_findings),
        acknowledged=frozenset(accepted),
        notes=notes,
    )
    text = render_text(review)
    folder = _new_review_folder(head)
    (folder / "review.txt").write_text(render(head, head_findings, checkov, checkov_error or ""))
    (folder / "review-diff.txt").write_text(text)
    (folder / "review-diff.md").write_text(render_markdown(review))
    written, graph_notes = write_graph(head, folder)
    written_diff, diff_notes = write_graph(head, folder, "graph-diff", dot_source(head, node_marks(changes), base))
    recorded = verdict.record(head.outdir, verdict.Verdict(
        verdict.PASS if review.passed else verdict.FAIL, judged, f"change from {review.base_label}",
        len(review.unacknowledged) + len(review.findings.failing)))
    print(text, end="")
    _print_written(folder, ["review.txt", "review-diff.txt", "review-diff.md", *written, *written_diff, recorded],
                   graph_notes + diff_notes)
    return 0 if review.passed else EXIT_RULE_FAILED


def _findings(app: SynthesizedApp, checkov_path: Path, config: Path) -> tuple[list[Finding], CheckovResult | None,
                                                                            str | None]:
    checkov: CheckovResult | None = None
    checkov_error: str | None = None
    try:
        checkov = run_checkov(app.outdir, checkov_path, config)
    except CheckovError as error:
        checkov_error = str(error)
    return findings(app, checkov, checkov_error), checkov, checkov_error


def _new_review_folder(app: SynthesizedApp) -> Path:
    folder = app.outdir / REVIEW_FOLDER
    _remove_stale(folder)
    folder.mkdir(exist_ok=True)
    return folder


def _print_written(folder: Path, written: list[str], notes: list[str]) -> None:
    print(f"\nwritten to {folder}/: {', '.join(written)}")
    for note in notes:
        print(f"note: {note}")


def _remove_stale(folder: Path) -> None:
    """What an earlier run wrote; this run writes its own or leaves none."""
    if folder.is_dir():
        for name in ARTEFACTS:
            (folder / name).unlink(missing_ok=True)
