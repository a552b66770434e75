"""Is cdktf.out up to date? A fingerprint of everything that can change the synthesized output.

`make synth` asks `fresh` first and does nothing when the answer is yes, so an unchanged tree costs one Python start
(tens of milliseconds) instead of a synth. Sound by construction: the fingerprint covers every source the app
imports, the configuration and lock files, every PAYMENT_* setting and the interpreter; anything else that could
change the output (a new input) must be added to INPUT_FILES/INPUT_DIRS, and tests/test_synth_inputs.py holds the
list against the modules the app really imports.

    python tools/synth_inputs.py fresh OUTDIR    exit 0 when OUTDIR matches the inputs; else 1, noting them as pending
    python tools/synth_inputs.py record OUTDIR   after a successful synth, the pending inputs become the stamp
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT_FILES = ("main.py", "cdktf.json", "Pipfile.lock", "package-lock.json", "Makefile", "tools/synth_inputs.py")
INPUT_DIRS = ("payment_constructs", "handlers", "synth_speed")
SETTING_PREFIXES = ("PAYMENT_", "CDKTF_")
# Read by other tools, never by the app: CDKTF_OUTDIR is where the output goes, not what it says (it may differ
# between callers); PAYMENT_REVIEW_ALLOW_REPLACE is the change review's acknowledgement (synth_review).
NOT_INPUTS = ("CDKTF_OUTDIR", "PAYMENT_REVIEW_ALLOW_REPLACE")
STAMP = ".synth-inputs.sha256"
PENDING = ".synth-inputs.pending"


def input_files(root: Path = ROOT) -> Iterator[Path]:
    for name in INPUT_FILES:
        yield root / name
    for directory in INPUT_DIRS:
        yield from sorted(p for p in (root / directory).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(root: Path = ROOT, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    for name in sorted(env):
        if name.startswith(SETTING_PREFIXES) and name not in NOT_INPUTS:
            digest.update(f"{name}={env[name]}\0".encode())
    return digest.hexdigest()


def output_digest(outdir: Path) -> str:
    """The synthesized documents as they are now: a synth by anything else (`cdktf synth`, a test) changes it."""
    digest = hashlib.sha256()
    for path in [outdir / "manifest.json", *sorted(outdir.glob("stacks/*/cdk.tf.json"))]:
        digest.update(str(path.relative_to(outdir)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def is_fresh(outdir: Path, root: Path = ROOT, environ: Mapping[str, str] | None = None) -> bool:
    """True when OUTDIR holds, untouched, a complete synth of exactly these inputs; otherwise note them as pending."""
    current = fingerprint(root, environ)
    stamp = outdir / STAMP
    stamped = f"{current}\n{output_digest(outdir)}\n"
    if (outdir / "manifest.json").is_file() and stamp.is_file() and stamp.read_text() == stamped:
        return True
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / PENDING).write_text(current)
    (outdir / STAMP).unlink(missing_ok=True)
    return False


def record(outdir: Path) -> None:
    """The inputs noted before the synth started (an edit made during it leaves the output stale, as it is), and
    the output the synth wrote."""
    inputs = (outdir / PENDING).read_text()
    (outdir / STAMP).write_text(f"{inputs}\n{output_digest(outdir)}\n")
    (outdir / PENDING).unlink()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("fresh", "record"):
        print("usage: synth_inputs.py fresh|record OUTDIR", file=sys.stderr)
        return 2
    outdir = Path(argv[2])
    if argv[1] == "fresh":
        return 0 if is_fresh(outdir) else 1
    record(outdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
