"""`make synth`: synthesize into an output folder safely when runs overlap, are interrupted, or the folder was touched.

    python tools/synth.py [--outdir DIR] [--app SCRIPT] [-- COMMAND ...]

DIR is --outdir, else $CDKTF_OUTDIR, else cdktf.out; missing parent folders are created. SCRIPT is the app, a Python
script run with this interpreter: main.py by default, bootstrap_state.py for the state bucket, or any other app that
writes a synth into $CDKTF_OUTDIR (a relative path is the project's). The tool knows nothing of what the app builds:
its one line names the stacks the app's manifest.json lists. What it guarantees:

- **One synth of a folder at a time.** It holds an exclusive `flock` on `.<name>.lock` beside the folder for the
  whole run; a second run waits (saying so once). The kernel drops the lock when the process dies, however it dies,
  so a killed run never leaves the folder locked.
- **A reader never sees a mix.** The app writes into a fresh sibling `.<name>.tmp-*`; the finished folder is stamped
  (tools/synth_inputs.py) and then swapped into place with one `rename` (RENAME_EXCHANGE, so the folder never
  disappears; two renames where the file system lacks it). Leftovers of killed runs are removed by the next run,
  under the lock, so never while another run writes them.
- **"Up to date" tells the truth.** The stamp travels inside the swap and covers the inputs and every file of the
  output, so the folder is fresh only if it holds, untouched, the last completed synth of the current inputs.
- **One line on every failure**, and these exit statuses: 0 done (or already up to date); 1 the synth failed; 2 bad
  input or environment (a setting, no node, an output folder that cannot be written), nothing changed; 128+N
  stopped by signal N (130 for Ctrl-C), the folder left exactly as it was.

With `-- COMMAND`, the command then replaces this process still holding the lock, so what it reads (`make review`,
`make run-local`) is the synth just checked, not one another run swaps in meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import synth_inputs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cdktf_out.outdir import default_outdir  # noqa: E402

APPS = (synth_inputs.MAIN_APP, "bootstrap_state.py")  # the project's apps: the workflow, and its state bucket
EXIT_SYNTH_FAILED = 1
EXIT_BAD_INPUT = 2
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Kept from the folder being replaced: terraform's working files beside each stack (providers, backend settings).
TERRAFORM_WORKING_FILES = (".terraform", ".terraform.lock.hcl")
_RENAME_EXCHANGE = 2  # linux/fs.h
# Any of these in a folder means a synth wrote it (a run of an older version may have left no manifest).
SYNTH_MARKERS = ("manifest.json", "stacks", synth_inputs.STAMP)


class SynthError(Exception):
    """One line for the user, and the exit status."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


class Interrupted(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def not_writable(outdir: Path, error: OSError) -> SynthError:
    return SynthError(f"cannot write in {outdir.parent} ({error.strerror}): the synth writes {outdir.name} through a "
                      "folder beside it; make that folder writable, or set CDKTF_OUTDIR to a writable place")


def lock_path(outdir: Path) -> Path:
    return outdir.parent / f".{outdir.name}.lock"


def temp_prefix(outdir: Path) -> str:
    return f".{outdir.name}.tmp-"


@contextlib.contextmanager
def exclusive_lock(outdir: Path) -> Iterator[int]:
    """Hold the folder's lock; yields the descriptor (a child that inherits it holds the lock too)."""
    path = lock_path(outdir)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise not_writable(outdir, error) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            print(f"waiting for {outdir}: locked by pid {holder} (another synth, review or local run)", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Remove a tree this tool wrote, even where a read-only folder inside would stop rmtree."""

    def writable_then_retry(function, failed_path, _error):  # type: ignore[no-untyped-def]
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed_path), 0o700)
            os.chmod(failed_path, 0o700)
        with contextlib.suppress(FileNotFoundError):
            function(failed_path)

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=writable_then_retry)
    else:
        path.unlink(missing_ok=True)


def discard(path: Path) -> None:
    """Remove a folder of ours beside the output; one note if that is impossible (it is tried again next run)."""
    try:
        remove_tree(path)
    except OSError as error:
        print(f"note: could not remove {path} ({error.strerror}); the next synth tries again", file=sys.stderr)


def remove_leftovers(outdir: Path) -> None:
    """Folders of runs that were killed before they could clean up; called only while holding the lock."""
    for leftover in outdir.parent.glob(temp_prefix(outdir) + "*"):
        discard(leftover)


def run_app(app: str, tmp: Path, lock_fd: int) -> None:
    """The app (main.py) into `tmp`. In its own session, so a Ctrl-C reaches only this tool, which stops it quietly; it
    inherits the lock, so if this tool is killed outright the folder stays locked until the app has exited too."""
    child = subprocess.Popen([sys.executable, str(synth_inputs.app_script(app))],
                             env={**os.environ, "CDKTF_OUTDIR": str(tmp)},
                             start_new_session=True, pass_fds=(lock_fd,))
    try:
        status = child.wait()
    except Interrupted:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        raise
    if status < 0:
        raise SynthError(f"the synth was stopped by {signal.Signals(-status).name}; nothing was changed",
                         EXIT_SYNTH_FAILED)
    if status:
        # main.py has printed why (one line per bad setting, or no node); a traceback here is a bug in the app.
        raise SynthError("", status)


def carry_over_terraform_files(source: Path, target: Path) -> list[tuple[Path, Path]]:
    """Move terraform's working files of each stack from the folder being replaced into the new one, as `cdktf synth`
    leaves them in place; returns the moves, so that they can be undone."""
    moved: list[tuple[Path, Path]] = []
    for stack in sorted((target / "stacks").glob("*")):
        for name in TERRAFORM_WORKING_FILES:
            old, new = source / "stacks" / stack.name / name, stack / name
            if (old.exists() or old.is_symlink()) and not new.exists():
                os.rename(old, new)
                moved.append((new, old))
    return moved


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def swap_into_place(tmp: Path, outdir: Path) -> None:
    """Afterwards `outdir` holds the new synth and `tmp` the old folder (or nothing)."""
    if not outdir.exists() and not outdir.is_symlink():
        os.rename(tmp, outdir)
        return
    if not outdir.is_dir() or outdir.is_symlink():
        raise SynthError(f"{outdir} is not a folder; remove it, or set CDKTF_OUTDIR to a folder")
    if exchange(tmp, outdir):
        return
    # Without an atomic exchange the folder is briefly absent: a reader sees nothing, never a mix.
    old = Path(tempfile.mkdtemp(prefix=temp_prefix(outdir), dir=outdir.parent))
    os.rename(outdir, old / "old")
    os.rename(tmp, outdir)
    os.rename(old, tmp)


def publish(tmp: Path, outdir: Path, inputs: str) -> None:
    """Stamp the finished synth and swap it in with signals held back: short, and it must not stop halfway. A signal
    that arrives from here on is only noted (`late_signals`): the folder already holds the new synth."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED_SIGNALS)
    try:
        moved = carry_over_terraform_files(outdir, tmp) if outdir.is_dir() else []
        synth_inputs.write_stamp(tmp, inputs)
        try:
            swap_into_place(tmp, outdir)
        except BaseException:
            for new, old in moved:
                os.rename(new, old)
            raise
        for signum in HANDLED_SIGNALS:
            signal.signal(signum, lambda signum, _frame: late_signals.append(signum))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


late_signals: list[int] = []


def synthesize(outdir: Path, lock_fd: int, app: str = synth_inputs.MAIN_APP) -> str:
    """Make `outdir` fresh (the lock is held); the line to print."""
    remove_leftovers(outdir)
    # Before the synth: an edit made during it leaves the output stale.
    inputs = synth_inputs.fingerprint(outdir, app=app)
    if synth_inputs.is_fresh(outdir, app=app):
        return f"{outdir} is up to date"
    try:
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(outdir), dir=outdir.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's folder is private; the output is an ordinary folder
    except OSError as error:
        raise not_writable(outdir, error) from None
    try:
        run_app(app, tmp, lock_fd)
        try:
            publish(tmp, outdir, inputs)
        except OSError as error:
            raise SynthError(f"cannot replace {outdir} ({error.strerror}); it is left as it was: make it and the "
                             "folder holding it writable, or set CDKTF_OUTDIR to a writable folder") from error
    finally:
        discard(tmp)  # the old folder after a swap; the unfinished one after a failure or an interrupt
    return f"Synthesized {stacks_in(outdir)} into {outdir}"


def stacks_in(outdir: Path) -> str:
    """The stacks the synth's manifest lists, each after those it depends on (the order a deploy takes them):
    "the stacks encryption and app"."""
    try:
        stacks = json.loads((outdir / "manifest.json").read_text())["stacks"]
        pending = {name: set(stack.get("dependencies", ())) for name, stack in stacks.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "an app without a readable manifest.json"
    ordered: list[str] = []
    while pending:
        ready = [name for name, needs in pending.items() if needs <= set(ordered)] or list(pending)
        ordered.append(ready[0])
        del pending[ready[0]]
    if len(ordered) == 1:
        return f"the stack {ordered[0]}"
    return "the stacks " + (" and ".join(ordered) if len(ordered) == 2 else
                            ", ".join(ordered[:-1]) + " and " + ordered[-1])


def looks_synthesized(folder: Path) -> bool:
    """Empty, or holding what a synth writes: the swap deletes the folder it replaces, so never a folder of yours."""
    return not any(folder.iterdir()) or any((folder / name).exists() for name in SYNTH_MARKERS)


def prepare(outdir: Path) -> None:
    if outdir.is_symlink():
        raise SynthError(f"the output folder {str(outdir)[:200]!r} is a symbolic link, and a synth replaces the "
                         "folder itself; name the folder it points to with --outdir or CDKTF_OUTDIR")
    if outdir.exists() and not outdir.is_dir():
        raise SynthError(f"the output folder {str(outdir)[:200]!r} is not a folder; name a folder (it is "
                         "created if missing) with --outdir or CDKTF_OUTDIR")
    resolved = outdir.resolve()
    if resolved in (ROOT, *ROOT.parents, Path.cwd(), *Path.cwd().parents) or (
            outdir.is_dir() and not looks_synthesized(outdir)):
        raise SynthError(f"the output folder {str(outdir)[:200]!r} holds other files (no manifest.json or stacks/), "
                         "and a synth replaces the whole folder; name a new or empty folder with --outdir or "
                         "CDKTF_OUTDIR")
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SynthError(f"cannot create {outdir.parent} for the output folder ({error.strerror}); name a "
                         "folder in a writable place with --outdir or CDKTF_OUTDIR") from None


def parse(argv: list[str]) -> tuple[Path, str, list[str]]:
    command: list[str] = []
    if "--" in argv:
        argv, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    parser = argparse.ArgumentParser(prog="tools/synth.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", default=default_outdir())
    parser.add_argument("--app", default=synth_inputs.MAIN_APP, help="the app, a Python script (default: %(default)s)")
    args = parser.parse_args(argv)
    return Path(args.outdir), synth_inputs.app_name(args.app), command


def main(argv: list[str]) -> int:
    outdir, app, command = parse(argv)
    for signum in HANDLED_SIGNALS:
        signal.signal(signum, _raise_interrupted)
    try:
        if not synth_inputs.app_script(app).is_file():
            raise SynthError(f"the app {app!r} is not a file; name a Python script that synthesizes into "
                             "$CDKTF_OUTDIR (main.py by default)")
        prepare(outdir)
        with exclusive_lock(outdir) as lock_fd:
            print(synthesize(outdir, lock_fd, app), flush=True)
            if late_signals:
                print(f"interrupted ({signal.Signals(late_signals[0]).name}) after the synth had finished: {outdir} "
                      "holds it", file=sys.stderr)
                return 128 + late_signals[0]
            if command:
                for signum in HANDLED_SIGNALS:
                    signal.signal(signum, signal.SIG_DFL)
                os.set_inheritable(lock_fd, True)  # the command holds the lock until it exits
                try:
                    os.execvp(command[0], command)
                except OSError as error:
                    raise SynthError(f"cannot run {command[0]!r} ({error.strerror})") from error
    except SynthError as error:
        if str(error):
            print(f"error: {error}", file=sys.stderr)
        return error.status
    except Interrupted as interrupt:
        print(f"interrupted ({interrupt}): the synth was stopped; {outdir} is left as it was", file=sys.stderr)
        return 128 + interrupt.signum
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
