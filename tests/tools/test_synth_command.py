"""`make synth` (tools/synth.py) under faults, with real processes and real signals: overlapping runs, Ctrl-C, kills,
tampering, a missing node, odd output folders. Each ends in one line and the documented exit status, and `fresh`
holds only for the last completed synth of the current inputs.

What the tool does around an app does not depend on the app, so most tests run it on a stand-in
(tests/tools/stand_in_app.py: a synth's shape in milliseconds, paused where a test says, so overlaps and interrupts
happen exactly there rather than after a guessed delay); the real app where it is the point: one real `make synth`,
its freshness, a missing node, the lazy index's fallback, and main.py's own refusal of a read-only folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import synth_inputs  # noqa: E402  (a script in tools/, not a package)

from tests.tools import stand_in_app  # noqa: E402

SYNTH = [sys.executable, str(ROOT / "tools" / "synth.py")]
STAND_IN = synth_inputs.app_name(stand_in_app.__file__)
SYNTH_STAND_IN = [*SYNTH, "--app", STAND_IN]
SYNTHESIZED_BOTH = "Synthesized the stacks encryption and app into {}"
MAKE_SYNTH = ["make", "--no-print-directory", "-C", str(ROOT), "synth"]
MAKE_TRAILER = re.compile(r"make: \*\*\* \[.*\] Error \d+")
STATE_ENVIRONMENT = re.compile(r"terraform-state/([a-z0-9-]+)/")


def environment(outdir: Path | None = None, **settings: str) -> dict[str, str]:
    """This process's environment without PAYMENT_/CDKTF_ settings or an enclosing make's flags, plus `settings`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PAYMENT_", "CDKTF_")) and k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    if outdir is not None:
        env["CDKTF_OUTDIR"] = str(outdir)
    return {**env, **settings}


def variant(name: str) -> dict[str, str]:
    """Settings of a synth told apart by its state paths (terraform-state/<name>/...), "dev" being the default. All
    are dev synths: outside dev, a synth takes its settings from environments/<name>.env alone."""
    return {} if name == "dev" else {"PAYMENT_STATE_DIR": f"terraform-state/{name}"}


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """In a session of its own, as a terminal's foreground job is in a process group of its own."""
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[str]) -> tuple[int, list[str], list[str]]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out.splitlines(), err.splitlines()


def run(command: list[str], env: dict[str, str]) -> tuple[int, list[str], list[str]]:
    return finish(start(command, env))


def without_make_trailer(lines: list[str]) -> list[str]:
    """make ends every failed recipe with its own `make: *** [target] Error N`; what the tool said is the rest."""
    return [line for line in lines if not MAKE_TRAILER.fullmatch(line)]


def temp_folders(outdir: Path) -> list[Path]:
    return sorted(outdir.parent.glob(f".{outdir.name}.tmp-*"))


def wait_for(condition: Callable[[], object], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def wait_until_synthesizing(process: subprocess.Popen[str], outdir: Path) -> None:
    """The real app is running: its folder beside the output exists (and a moment more, for jsii to be busy)."""
    wait_for(lambda: temp_folders(outdir) or process.poll() is not None, "the synth to start")
    assert process.poll() is None, f"the synth ended before it could be interrupted: {process.communicate()}"
    time.sleep(0.3)


def paused(go: Path, **settings: str) -> dict[str, str]:
    """Settings of a stand-in run that stops after its first stack document until `go` exists."""
    return {**settings, stand_in_app.PAUSE_UNTIL: str(go)}


def wait_until_paused(process: subprocess.Popen[str], outdir: Path) -> None:
    """The stand-in has written its first document into its folder beside the output, and waits there."""
    wait_for(lambda: any((folder / stand_in_app.FIRST_DOCUMENT).exists() for folder in temp_folders(outdir))
             or process.poll() is not None, "the stand-in to pause")
    assert process.poll() is None, f"the synth ended before it could be interrupted: {process.communicate()}"


def snapshot(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


def environments_in(outdir: Path) -> dict[str, set[str]]:
    """Which variant each stack document was synthesized for (its state path names it)."""
    return {path.parent.name: set(STATE_ENVIRONMENT.findall(path.read_text()))
            for path in sorted(outdir.glob("stacks/*/cdk.tf.json"))}


def fresh_for(outdir: Path, **settings: str) -> bool:
    """Whether `outdir` holds a fresh synth of the stand-in."""
    return synth_inputs.is_fresh(outdir, environ=environment(**settings), app=STAND_IN)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[int, list[str], list[str]]]:
    """`make synth` of the real app, with CDKTF_OUTDIR naming a folder two levels below anything that exists."""
    outdir = tmp_path_factory.mktemp("made") / "nested" / "deeper" / "cdktf.out"
    return outdir, run(MAKE_SYNTH, environment(outdir))


@pytest.fixture(scope="module")
def stand_in_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("stand-in") / "cdktf.out"
    assert run(SYNTH_STAND_IN, environment(outdir)) == (0, [SYNTHESIZED_BOTH.format(outdir)], [])
    return outdir


@pytest.fixture
def outdir(stand_in_synth) -> Path:
    """A dev synth of the stand-in, fresh; tests that change it leave it fresh again."""
    assert fresh_for(stand_in_synth)
    return stand_in_synth


@pytest.mark.slow
def test_make_synth_honours_cdktf_outdir_and_creates_missing_parent_folders(made):
    outdir, (status, out, err) = made
    assert (status, out, err) == (0, [SYNTHESIZED_BOTH.format(outdir)], [])
    assert environments_in(outdir) == {"app": {"dev"}, "encryption": {"dev"}}
    assert synth_inputs.is_fresh(outdir, environ=environment())
    assert temp_folders(outdir) == []


@pytest.mark.slow
def test_a_second_run_with_nothing_changed_is_up_to_date(made):
    outdir, _ = made
    assert run(SYNTH, environment(outdir)) == (0, [f"{outdir} is up to date"], [])


@pytest.mark.slow
def test_overlapping_synths_with_different_settings_leave_exactly_the_last_completed_one_fresh(tmp_path):
    outdir, go = tmp_path / "cdktf.out", tmp_path / "go"
    first = start(SYNTH_STAND_IN, environment(outdir, **paused(go, **variant("dev"))))
    wait_until_paused(first, outdir)
    second = start(SYNTH_STAND_IN, environment(outdir, **variant("qa")))
    assert second.stderr is not None
    waiting = second.stderr.readline().rstrip("\n")  # it waits for the first, which holds the folder
    go.touch()

    assert finish(first) == (0, [SYNTHESIZED_BOTH.format(outdir)], [])
    status, out, err = finish(second)
    assert (status, out, err) == (0, [SYNTHESIZED_BOTH.format(outdir)], []), err
    assert waiting.startswith(f"waiting for {outdir}: locked by pid {first.pid} ")
    assert environments_in(outdir) == {"app": {"qa"}, "encryption": {"qa"}}, "never a mix of two synths"
    assert {name: fresh_for(outdir, **variant(name)) for name in ("dev", "qa")} == {"dev": False, "qa": True}
    assert temp_folders(outdir) == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_synth_stopped_by_a_signal_says_so_in_one_line_and_leaves_the_previous_synth_fresh(outdir, signum, tmp_path):
    before = snapshot(outdir)
    process = start(SYNTH_STAND_IN, environment(outdir, **paused(tmp_path / "never", **variant("qa"))))
    wait_until_paused(process, outdir)
    os.killpg(process.pid, signum)  # what the terminal does on Ctrl-C: the whole foreground process group

    status, out, err = finish(process)
    name = signal.Signals(signum).name
    assert (status, out, err) == (128 + signum, [], [
        f"interrupted ({name}): the synth was stopped; {outdir} is left as it was"])
    assert snapshot(outdir) == before
    assert fresh_for(outdir) and not fresh_for(outdir, **variant("qa"))
    assert temp_folders(outdir) == []


@pytest.mark.slow
def test_ctrl_c_during_make_synth_prints_one_line_and_make_exits_as_interrupted(made):
    outdir, _ = made
    before = snapshot(outdir)
    process = start(MAKE_SYNTH, environment(outdir, **variant("qa")))
    wait_until_synthesizing(process, outdir)
    os.killpg(process.pid, signal.SIGINT)

    status, _, err = finish(process)
    assert status == -signal.SIGINT, "make ends by the interrupt: a shell reports 130"
    assert err == [f"interrupted (SIGINT): the synth was stopped; {outdir} is left as it was"]
    assert snapshot(outdir) == before and temp_folders(outdir) == []


@pytest.mark.slow
def test_a_killed_synth_leaves_the_folder_locked_until_its_app_exits_and_the_next_run_removes_its_leftovers(
        outdir, tmp_path):
    go = tmp_path / "go"
    process = start(SYNTH_STAND_IN, environment(outdir, **paused(go, **variant("qa"))))
    wait_until_paused(process, outdir)
    os.kill(process.pid, signal.SIGKILL)  # no chance to clean up; its app goes on beside the output
    process.wait()
    assert temp_folders(outdir), "the killed run left its unfinished folder"

    following = start(SYNTH_STAND_IN, environment(outdir))
    assert following.stderr is not None
    waiting = following.stderr.readline()  # the app of the killed run still holds the lock
    assert following.poll() is None, "it waits for that app"
    go.touch()  # the app goes on, finishes beside the output and exits: the lock is free
    status, out, err = finish(following)
    assert (status, out, err) == (0, [f"{outdir} is up to date"], [])
    assert waiting.startswith(f"waiting for {outdir}: locked by pid {process.pid}")
    assert temp_folders(outdir) == []
    assert fresh_for(outdir)


@pytest.mark.slow
def test_a_replaced_lambda_zip_is_not_up_to_date_and_the_next_synth_restores_it(outdir):
    package = next(outdir.glob("stacks/app/assets/**/handlers.zip"))
    original = package.read_bytes()
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: other code, same name
    assert not fresh_for(outdir)

    assert run(SYNTH_STAND_IN, environment(outdir)) == (0, [SYNTHESIZED_BOTH.format(outdir)], [])
    assert package.read_bytes() == original
    assert fresh_for(outdir)


@pytest.mark.slow
def test_terraform_working_files_beside_a_stack_are_kept_across_a_synth(outdir):
    working = outdir / "stacks" / "app" / ".terraform"
    working.mkdir()
    (working / "terraform.tfstate").write_text('{"backend": "kept"}')
    (outdir / "stacks" / "app" / ".terraform.lock.hcl").write_text("# providers\n")
    (outdir / "manifest.json").write_bytes((outdir / "manifest.json").read_bytes() + b" ")  # forces a synth

    assert run(SYNTH_STAND_IN, environment(outdir))[0] == 0
    assert (working / "terraform.tfstate").read_text() == '{"backend": "kept"}'
    assert (outdir / "stacks" / "app" / ".terraform.lock.hcl").read_text() == "# providers\n"
    assert fresh_for(outdir)
    shutil.rmtree(working)
    (outdir / "stacks" / "app" / ".terraform.lock.hcl").unlink()


@pytest.mark.slow
def test_without_node_make_synth_says_so_in_one_line_and_exits_2(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    make = shutil.which("make")
    assert make
    outdir = tmp_path / "cdktf.out"
    status, _, err = run([make, *MAKE_SYNTH[1:]], environment(outdir, PATH=str(empty)))
    assert status == 2
    assert without_make_trailer(err) == [
        "error: cannot find node ('node'): install Node.js 20 on PATH, or set JSII_NODE to its path"]
    assert not outdir.exists() and temp_folders(outdir) == []


@pytest.mark.slow
def test_an_output_path_that_is_a_file_is_refused_in_one_line(tmp_path):
    outdir = tmp_path / "cdktf.out"
    outdir.write_text("not a folder")
    status, out, err = run(SYNTH, environment(outdir))
    assert (status, out) == (2, [])
    assert err == [f"error: the output folder {str(outdir)!r} is not a folder; name a folder (it is created if "
                   "missing) with --outdir or CDKTF_OUTDIR"]


@pytest.mark.slow
def test_an_app_that_fails_leaves_the_previous_synth_as_it_was_and_its_status_is_the_tools(outdir):
    before = snapshot(outdir)
    status, out, err = run(SYNTH_STAND_IN, environment(outdir, **variant("qa"), **{stand_in_app.EXIT: "1"}))
    assert (status, out, err) == (1, [], []), "the app says why itself; the tool adds nothing"
    assert snapshot(outdir) == before and fresh_for(outdir) and temp_folders(outdir) == []


def test_an_app_that_is_not_a_file_is_one_line_and_exit_2(tmp_path):
    status, out, err = run([*SYNTH, "--app", "no_such_app.py"], environment(tmp_path / "cdktf.out"))
    assert (status, out) == (2, [])
    assert err == ["error: the app 'no_such_app.py' is not a file; name a Python script that synthesizes into "
                   "$CDKTF_OUTDIR (main.py by default)"]
    assert not (tmp_path / "cdktf.out").exists()


def read_only(folder: Path, command: list[str]) -> list[str]:
    """`command` in a mount namespace where `folder` is a read-only bind mount of itself (EROFS, even for root)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ["unshare", "--map-root-user", "--mount", "sh", "-c", script, "sh", str(folder), *command]


needs_mount_namespaces = pytest.mark.skipif(
    shutil.which("unshare") is None
    or subprocess.run(["unshare", "--map-root-user", "--mount", "true"], capture_output=True).returncode != 0,
    reason="needs unshare(1) with user and mount namespaces, to mount a folder read-only",
)


@pytest.mark.slow
@needs_mount_namespaces
def test_a_read_only_folder_around_the_output_is_one_line_and_exit_2(tmp_path):
    parent = tmp_path / "read-only"
    parent.mkdir()
    outdir = parent / "cdktf.out"
    status, out, err = run(read_only(parent, SYNTH), environment(outdir))
    assert (status, out) == (2, [])
    assert err == [f"error: cannot write in {parent} (Read-only file system): the synth writes cdktf.out through a "
                   "folder beside it; make that folder writable, or set CDKTF_OUTDIR to a writable place"]


@pytest.mark.slow
@needs_mount_namespaces
def test_a_read_only_output_folder_is_one_line_and_exit_2_and_stays_as_it_was(outdir):
    before = snapshot(outdir)
    status, out, err = run(read_only(outdir, SYNTH_STAND_IN), environment(outdir, **variant("qa")))
    assert (status, out) == (2, [])
    assert len(err) == 1 and err[0].startswith(f"error: cannot replace {outdir} (")
    assert snapshot(outdir) == before and fresh_for(outdir) and temp_folders(outdir) == []


@pytest.mark.slow
@needs_mount_namespaces
def test_running_the_app_directly_into_a_read_only_folder_is_one_line_and_exit_2(tmp_path):
    outdir = tmp_path / "cdktf.out"
    outdir.mkdir()
    status, out, err = run(read_only(outdir, [sys.executable, str(ROOT / "main.py")]), environment(outdir))
    assert (status, out) == (2, [])
    assert err == [f"error: cannot write the output folder CDKTF_OUTDIR={str(outdir)!r} (Read-only file system); "
                   "name a folder in a writable place"]


@pytest.mark.slow
def test_an_unusable_lazy_index_cache_falls_back_to_one_note_and_the_same_output(made, tmp_path):
    outdir, _ = made
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache folder would go")
    other = tmp_path / "nested" / "deeper" / "cdktf.out"  # as deep as `outdir`: the same relative state paths
    status, out, err = run(SYNTH, environment(other, PAYMENT_LAZY_JSII_CACHE=str(blocker / "cache")))
    assert (status, out) == (0, [SYNTHESIZED_BOTH.format(other)])
    assert len(err) == 1 and err[0].startswith("note: loading @cdktf/provider-aws without its lazy index (slower): "
                                               f"cannot use the cache {blocker}"), err
    documents = {"manifest.json", "stacks/app/cdk.tf.json", "stacks/encryption/cdk.tf.json"}
    assert {k: v for k, v in snapshot(other).items() if k in documents} == {
        k: v for k, v in snapshot(outdir).items() if k in documents}


def state_machine_arn(outdir: Path, terraform: str | None = None) -> tuple[int, list[str], list[str]]:
    """`make -s state-machine-arn`, with the real terraform or a stand-in that prints `terraform` and exits 0."""
    env = environment(outdir)
    if terraform is not None:
        stand_in = outdir.parent / "bin" / "terraform"
        stand_in.parent.mkdir(exist_ok=True)
        stand_in.write_text(f"#!/bin/sh\nprintf '%s' '{terraform}'\n")
        stand_in.chmod(0o755)
        env["PATH"] = f"{stand_in.parent}:{env['PATH']}"
    return run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "state-machine-arn"], env)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="needs terraform")
def test_the_arn_of_a_stack_never_deployed_is_an_error_with_terraforms_reason_not_an_empty_line(outdir):
    status, out, err = state_machine_arn(outdir)
    assert status != 0 and out == []
    assert without_make_trailer(err) == [
        "error: no state_machine_arn in the app stack's state: deploy it first (make deploy); "
        'terraform: Error: Backend initialization required, please run "terraform init"']


@pytest.mark.slow
def test_an_empty_arn_is_an_error(outdir):
    status, out, err = state_machine_arn(outdir, terraform="")
    assert status != 0 and out == []
    assert without_make_trailer(err) == [
        "error: no state_machine_arn in the app stack's state: deploy it first (make deploy)"]


@pytest.mark.slow
def test_a_deployed_arn_is_printed_alone(outdir):
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:sfn-payment-workflow-dev"
    assert state_machine_arn(outdir, terraform=arn) == (0, [arn], [])


@pytest.mark.slow
def test_the_arn_without_terraform_says_so(outdir, tmp_path):
    tools = tmp_path / "bin"  # what the recipe uses, without terraform
    tools.mkdir()
    for name in ("mktemp", "grep", "sed", "rm"):
        (tools / name).symlink_to(shutil.which(name) or name)
    make = shutil.which("make")
    assert make
    status, out, err = run([make, "-s", "--no-print-directory", "-C", str(ROOT), "state-machine-arn"],
                           environment(outdir, PATH=str(tools)))
    assert status != 0 and out == []
    assert without_make_trailer(err) == ["error: terraform is not on PATH; install it"]


def test_the_readme_starts_an_execution_only_with_an_arn():
    readme = (ROOT / "README.md").read_text()
    assert 'arn=$(make -s state-machine-arn) && aws stepfunctions start-execution --state-machine-arn "$arn"' in readme
    assert "terraform output -raw state_machine_arn)" not in readme


@pytest.mark.parametrize("atomic", [True, False], ids=["rename-exchange", "two-renames"])
def test_the_swap_puts_the_new_folder_in_place_and_the_old_one_aside(tmp_path, monkeypatch, atomic):
    import synth

    if not atomic:
        monkeypatch.setattr(synth, "exchange", lambda a, b: False)  # a file system without RENAME_EXCHANGE
    outdir, new = tmp_path / "cdktf.out", tmp_path / ".cdktf.out.tmp-new"
    for folder, text in ((outdir, "old"), (new, "new")):
        (folder / "stacks" / "app").mkdir(parents=True)
        (folder / "stacks" / "app" / "cdk.tf.json").write_text(text)

    synth.swap_into_place(new, outdir)

    assert (outdir / "stacks" / "app" / "cdk.tf.json").read_text() == "new"
    assert [p.read_text() for p in new.rglob("cdk.tf.json")] == ["old"]


@pytest.mark.slow
def test_ctrl_c_while_waiting_for_another_synth_is_one_line_and_130(tmp_path):
    outdir = tmp_path / "cdktf.out"
    holder = subprocess.Popen(["flock", str(tmp_path / ".cdktf.out.lock"), "sleep", "60"], start_new_session=True)
    try:
        wait_for(lambda: subprocess.run(["flock", "--nonblock", str(tmp_path / ".cdktf.out.lock"), "true"]).returncode,
                 "the other synth to hold the lock")
        process = start(SYNTH, environment(outdir))
        assert process.stderr is not None
        waiting = process.stderr.readline().rstrip("\n")
        os.killpg(process.pid, signal.SIGINT)
        status, out, err = finish(process)
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    assert waiting.startswith(f"waiting for {outdir}: locked by pid ")
    assert (status, out, err) == (130, [], [f"interrupted (SIGINT): the synth was stopped; {outdir} is left as it was"])
    assert not outdir.exists() and temp_folders(outdir) == []


@pytest.mark.slow
def test_a_command_run_after_the_synth_holds_the_lock_so_no_synth_swaps_the_folder_while_it_reads(outdir, tmp_path):
    document, go = outdir / "stacks" / "app" / "cdk.tf.json", tmp_path / "go"
    script = f'sha256sum "{document}"; while [ ! -e "{go}" ]; do sleep 0.02; done; sha256sum "{document}"'
    reader = start([*SYNTH_STAND_IN, "--", "sh", "-c", script], environment(outdir))
    assert reader.stdout is not None
    assert reader.stdout.readline() == f"{outdir} is up to date\n"  # the reader's command runs from here on
    before = reader.stdout.readline()  # read line by line: communicate() would skip what readline has buffered
    with (outdir / "manifest.json").open("a") as manifest:
        manifest.write(" ")  # the next synth has something to replace
    synth = start(SYNTH_STAND_IN, environment(outdir))
    assert synth.stderr is not None
    waiting = synth.stderr.readline()
    go.touch()  # the reader ends only once the synth is waiting for it

    after = reader.stdout.readline()
    assert (reader.wait(timeout=300), before) == (0, after), (before, after)
    assert before.split()[1] == str(document)
    assert waiting.startswith(f"waiting for {outdir}: locked by pid {reader.pid} ")
    assert finish(synth) == (0, [SYNTHESIZED_BOTH.format(outdir)], [])
    assert fresh_for(outdir)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["the project", "a folder of other files", "the current folder"])
def test_a_folder_that_is_not_a_synth_is_never_replaced(tmp_path, where):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a synth")
    outdir = {"the project": ROOT, "a folder of other files": mine, "the current folder": Path(".")}[where]
    status, out, err = run(SYNTH, environment(outdir))
    assert (status, out) == (2, [])
    assert len(err) == 1 and err[0].startswith("error: the output folder ") and "name a new or empty folder" in err[0]
    assert (mine / "notes.txt").read_text() == "not a synth" and (ROOT / "Makefile").is_file()


@pytest.mark.slow
def test_an_output_folder_that_is_a_link_is_refused_in_one_line_before_any_synth(tmp_path):
    target = tmp_path / "real"
    target.mkdir()
    (tmp_path / "cdktf.out").symlink_to(target)
    status, out, err = run(SYNTH, environment(tmp_path / "cdktf.out"))
    assert (status, out) == (2, [])
    assert err == [f"error: the output folder {str(tmp_path / 'cdktf.out')!r} is a symbolic link, and a synth replaces "
                   "the folder itself; name the folder it points to with --outdir or CDKTF_OUTDIR"]
    assert temp_folders(tmp_path / "cdktf.out") == [] and list(target.iterdir()) == []
