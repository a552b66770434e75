"""Is cdktf.out up to date? A stamp of everything that went into the output, and of every file that came out.

`make synth` (tools/synth.py) asks first and does nothing when the answer is yes, so an unchanged tree costs one
Python start (tens of milliseconds) instead of a synth. The stamp is written inside the finished output before it is
swapped into place, and holds two digests:

- **inputs**: every source the app imports, the configuration and lock files, every PAYMENT_*/CDKTF_* setting, the
  interpreter, and where the output lives (its relative state paths depend on it). Anything else that could change
  the output (a new input) must be added to INPUT_FILES/INPUT_DIRS; tests/tools/test_synth_inputs.py holds the list
  against the modules the app really imports.
- **output**: every file in the folder (the Lambda zips included), by path and content, except the stamp itself and
  what other tools keep there on purpose (NOT_SYNTH_OUTPUT). A file replaced, added or removed by anything else
  makes the folder stale.

So "fresh" means: the folder holds, untouched, the output of a synth of exactly the current inputs. (A stamp is a
record, not a signature: whoever rewrites the stamp too can fool it.)

    python tools/synth_inputs.py fresh OUTDIR    exit 0 when OUTDIR is fresh, 1 when it is not (changes nothing)
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT_FILES = ("main.py", "bootstrap_state.py", "cdktf.json", "Pipfile.lock", "package-lock.json", "Makefile",
               "tools/synth_inputs.py", "tools/synth.py")
# environments/: each environment's settings file (payment_settings/environment_file.py) is read by the synth.
INPUT_DIRS = ("encrypted_logs", "payment_constructs", "payment_settings", "cdktf_out", "handlers", "synth_speed",
              "cdk_engine", "environments")
MAIN_APP = "main.py"
SETTING_PREFIXES = ("PAYMENT_", "CDKTF_")
# Read by other tools, never by the app: where the output goes (its place is an input of its own, below), a
# switch of the cdktf CLI that the Makefile exports (a direct run must agree with `make synth`), and the change
# review's acknowledgement (synth_review: it names what a review may accept, not what is synthesized).
NOT_INPUTS = ("CDKTF_OUTDIR", "CDKTF_DISABLE_PLUGIN_CACHE_ENV", "PAYMENT_REVIEW_ALLOW_REPLACE")
STAMP = ".synth-inputs.sha256"
# Written into the folder after a synth, by tools that own them: `make review`'s report, and the working files
# `terraform init` (run by `cdktf deploy`) keeps beside each stack, which tools/synth.py carries over to each new synth
# as `cdktf synth` leaves them in place. Patterns on the path relative to the output folder.
NOT_SYNTH_OUTPUT = ("review/*", "stacks/*/.terraform/*", "stacks/*/.terraform.lock.hcl")


def input_files(root: Path = ROOT) -> Iterator[Path]:
    for name in INPUT_FILES:
        yield root / name
    for directory in INPUT_DIRS:
        yield from sorted(p for p in (root / directory).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def app_name(app: str, root: Path = ROOT) -> str:
    """One name per script, however it was given: relative to the project when it is inside it, else absolute."""
    script = (root / app).resolve()
    return script.relative_to(root.resolve()).as_posix() if script.is_relative_to(root.resolve()) else str(script)


def app_script(app: str, root: Path = ROOT) -> Path:
    return root / app  # an absolute `app` stays as it is


def fingerprint(outdir: Path, root: Path = ROOT, environ: Mapping[str, str] | None = None,
                app: str = MAIN_APP) -> str:
    """The inputs of a synth of `app` (a Python script, named as app_name names it) into `outdir`."""
    env = os.environ if environ is None else environ
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    if app != MAIN_APP:  # another tree (the main app's stamps stay as they were), from the script's own text too
        script = app_script(app, root)
        digest.update(f"app={app}\0".encode() + (script.read_bytes() if script.is_file() else b"<missing>") + b"\0")
    # The local backend's state paths are written relative to the output folder: its place is an input.
    digest.update(f"outdir={os.path.abspath(outdir)}\0".encode())
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    for name in sorted(env):
        if name.startswith(SETTING_PREFIXES) and name not in NOT_INPUTS:
            digest.update(f"{name}={env[name]}\0".encode())
    return digest.hexdigest()


def is_synth_output(relative: str) -> bool:
    return relative != STAMP and not any(fnmatch.fnmatch(relative, pattern) for pattern in NOT_SYNTH_OUTPUT)


def output_digest(outdir: Path) -> str:
    """Every file of the synth's output as it is now, by path and content (symbolic links by their target)."""
    digest = hashlib.sha256()
    for directory, subdirectories, files in os.walk(outdir):
        subdirectories.sort()
        for name in sorted(files + [d for d in subdirectories if os.path.islink(os.path.join(directory, d))]):
            path = Path(directory, name)
            relative = path.relative_to(outdir).as_posix()
            if not is_synth_output(relative):
                continue
            digest.update(relative.encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            else:
                with path.open("rb") as file:
                    digest.update(hashlib.file_digest(file, "sha256").digest())
            digest.update(b"\0")
    return digest.hexdigest()


def stamp_text(inputs: str, outdir: Path) -> str:
    return f"inputs {inputs}\noutput {output_digest(outdir)}\n"


def write_stamp(outdir: Path, inputs: str) -> None:
    """Stamp a finished synth in `outdir` (before it is swapped into place, so the stamp travels with it)."""
    (outdir / STAMP).write_text(stamp_text(inputs, outdir))


def is_fresh(outdir: Path, root: Path = ROOT, environ: Mapping[str, str] | None = None, app: str = MAIN_APP) -> bool:
    """True when `outdir` holds, untouched, a complete synth of `app` of exactly the current inputs. Reads only."""
    try:
        stamp = (outdir / STAMP).read_text()
        return (outdir / "manifest.json").is_file() and stamp == stamp_text(
            fingerprint(outdir, root, environ, app), outdir)
    except (OSError, UnicodeDecodeError):  # no stamp, or a file that cannot be read: not known to be fresh
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "fresh":
        print("usage: synth_inputs.py fresh OUTDIR", file=sys.stderr)
        return 2
    return 0 if is_fresh(Path(argv[2])) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
