"""Synthesize another git revision of this project, the way `make synth` does, in a throw-away worktree.

The worktree is detached, in a temporary folder, and shares this checkout's set-up through symlinks: the venv
(.venv), the cdktf CLI (node_modules) and .tools, which holds the provider tarball with the lazy index
(.tools/lazy-jsii), so the base synthesizes on the fast path without installing or building anything. It runs the
base's own main.py with this process's environment (the same PAYMENT_* settings), writing <worktree>/cdktf.out,
the same depth below its project as the head's, so relative state paths mean the same in both.

The worktree is removed on every way out: success, a failed synth, an exception, Ctrl-C (SIGINT) or SIGTERM/SIGHUP
(turned into SystemExit while it exists, so `finally` runs).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from cdktf_out.outdir import DEFAULT as OUTDIR
from synth_review.report.table import truncate

ROOT = Path(__file__).resolve().parents[2]
SHARED_SET_UP = (".venv", "node_modules", ".tools")
SYNTH_TIMEOUT_SECONDS = 600


class BaseRevisionError(Exception):
    """The base cannot be reviewed (not a revision, or it does not synthesize); the message is one line."""


@dataclass(frozen=True)
class SynthesizedBase:
    revision: str
    commit: str
    outdir: Path
    seconds: float  # worktree, synth and all, until the outdir was ready

    @property
    def label(self) -> str:
        return f"BASE={self.revision} ({self.commit[:12]})"


@contextmanager
def synthesized_revision(revision: str, root: Path = ROOT) -> Iterator[SynthesizedBase]:
    started = time.monotonic()
    commit = resolve(revision, root)
    folder = Path(tempfile.mkdtemp(prefix="review-base-"))
    worktree = folder / "tree"
    previous = _exit_on_termination()
    try:
        _git(root, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
        for name in SHARED_SET_UP:
            if (root / name).exists():
                (worktree / name).symlink_to((root / name).resolve(), target_is_directory=True)
        outdir = worktree / OUTDIR
        _synthesize(revision, commit, worktree, outdir)
        yield SynthesizedBase(revision, commit, outdir, time.monotonic() - started)
    finally:
        for name in SHARED_SET_UP:  # unlinked first, so nothing below can ever reach into the shared set-up
            if (worktree / name).is_symlink():
                (worktree / name).unlink()
        removed = subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(worktree)],
                                 capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        if removed.returncode != 0:  # e.g. interrupted before `worktree add` finished: drop what git recorded
            subprocess.run(["git", "-C", str(root), "worktree", "prune"], capture_output=True, check=False)
        _restore(previous)


def resolve(revision: str, root: Path = ROOT) -> str:
    if not revision or revision.startswith("-"):
        raise BaseRevisionError(f"BASE={revision!r} is not a git revision; name a commit, branch or tag (HEAD~1)")
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BaseRevisionError(f"BASE={truncate(revision, 80)!r} is not a commit of {root}; "
                                "name a commit, branch or tag (HEAD~1, main)")
    return done.stdout.strip()


def _synthesize(revision: str, commit: str, worktree: Path, outdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CDKTF_OUTDIR")}
    env["CDKTF_OUTDIR"] = str(outdir)
    python = worktree / ".venv" / "bin" / "python"
    try:
        done = subprocess.run([str(python if python.exists() else Path(sys.executable)), "main.py"], cwd=worktree,
                              env=env, capture_output=True, text=True, timeout=SYNTH_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise BaseRevisionError(f"BASE={revision} ({commit[:12]}) did not synthesize within "
                                f"{SYNTH_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0 or not (outdir / "manifest.json").is_file():
        said = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()[-1]
        raise BaseRevisionError(f"BASE={revision} ({commit[:12]}) does not synthesize: {truncate(said, 160)}")


def _git(root: Path, *args: str) -> None:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr.strip() or f"exit status {done.returncode}").splitlines()[-1]
        raise BaseRevisionError(f"git {args[0]} {args[1]} failed: {truncate(said, 160)}")


Handlers = dict[signal.Signals, object]


def _exit_on_termination() -> Handlers:
    """SIGTERM and SIGHUP end Python without running `finally`; while a worktree exists they raise SystemExit."""

    def leave(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous: Handlers = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
            previous[sig] = signal.signal(sig, leave)
    return previous


def _restore(previous: Handlers) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
