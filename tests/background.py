"""Slow child processes, started once when the session starts so they run beside the tests.

A stock synth (optimizations off), a real `cdktf deploy` or the change review's fixture repository costs seconds of a
subprocess; started before the first test and collected by the tests that need them, they cost little wall time.

One process starts and owns them: pytest itself, or with pytest-xdist the controller, which sees what every worker
collected (tests/conftest.py). A job writes what it printed and its exit status into files of its own record folder,
so any worker reads its result, and waits for it, without owning the process.

The stock synths that prove the fast path byte-identical only change when the synth inputs do: a finished one is kept
under .tools/test-cache/, keyed by tools/synth_inputs.py's fingerprint (every source, lock and setting the app reads,
the interpreter) and the Node version, and a later session on the same inputs reuses it instead of synthesizing again.
The state probe's deploys are kept the same way, their key adding the probe's own two files and Terraform's version:
they read nothing else (Terraform's built-in terraform_data, a local state), so they too only change with those.
The session's synths of the app (tests/session_synths.py) and the change review's fixture repository are kept the same
way; each session works on a copy of those, since tests write into them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import synth_inputs  # noqa: E402  (a script in tools/, not a package)

CDKTF_CLI = ROOT / "node_modules" / ".bin" / "cdktf"
PROBE_ENVIRONMENT = "dev"  # the one environment that needs no environments/<name>.env
CACHE = ROOT / ".tools" / "test-cache"
STATUS, OUTPUT = "status", "output"


@dataclass(frozen=True)
class BackgroundJob:
    label: str
    folder: Path
    """What the job makes, once it has succeeded."""
    record: Path
    """Where the job's output and exit status are written."""

    def outcome(self, timeout: float = 600) -> Path:
        """The job's folder once it has finished; AssertionError with its output if it failed."""
        status = self.record / STATUS
        deadline = time.monotonic() + timeout
        while not status.exists():
            assert time.monotonic() < deadline, f"{self.label} did not finish within {timeout:.0f} s"
            time.sleep(0.05)
        code = status.read_text().strip()
        assert code == "0", f"{self.label} failed (exit status {code}):\n{self.output[-4000:]}"
        return self.folder

    @property
    def output(self) -> str:
        """What the job printed (stdout and stderr together)."""
        path = self.record / OUTPUT
        return path.read_text(errors="replace") if path.exists() else ""


class Jobs:
    """Starts jobs and owns their processes; the session's one owner (see the module's docstring)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._processes: list[subprocess.Popen[bytes]] = []
        self._watchers: list[threading.Thread] = []

    def start(self, name: str, label: str, folder: Path, command: Sequence[str], cwd: Path, env: Mapping[str, str],
              cache_key: str | None = None, beside: Sequence[str] = (), copy_cached: bool = False) -> BackgroundJob:
        """Run `command`, which makes `folder` (and the folders named `beside` it). With a cache key: reuse the
        folders a finished run with that key kept, or keep this run's once it succeeds. `copy_cached`: hand out a
        copy of a kept `folder`, in `folder` itself, for tests that may write into what they are given."""
        record = self.base / "jobs" / name
        record.mkdir(parents=True)
        cached = CACHE / name / cache_key if cache_key else None
        if cached is not None and cached.is_dir():
            (record / OUTPUT).write_text("")
            _write_status(record, 0)
            if copy_cached:
                shutil.copytree(cached / folder.name, folder, symlinks=True, dirs_exist_ok=True)
                return BackgroundJob(f"{label} (cached)", folder, record)
            return BackgroundJob(f"{label} (cached)", cached / folder.name, record)
        with (record / OUTPUT).open("wb") as output:
            process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=output, stderr=subprocess.STDOUT)
        self._processes.append(process)

        def watch() -> None:
            code = process.wait()
            if code == 0 and cached is not None:
                keep([folder, *(folder.parent / name for name in beside)], cached)
            _write_status(record, code)

        watcher = threading.Thread(target=watch, name=f"watch {name}", daemon=True)
        watcher.start()
        self._watchers.append(watcher)
        return BackgroundJob(label, folder, record)

    def stop(self) -> None:
        """Kill what is still running (the session ended early, or no test needed it after all)."""
        for process in self._processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        for watcher in self._watchers:
            watcher.join(timeout=10)


def _write_status(record: Path, code: int) -> None:
    partial = record / f".{STATUS}"
    partial.write_text(f"{code}\n")
    partial.rename(record / STATUS)  # whoever reads the status finds it whole


def keep(folders: Sequence[Path], cached: Path) -> None:
    """Copy `folders` into the cache as `cached` (all at once), and drop what the cache held for other inputs."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=cached.parent))
    for folder in folders:
        shutil.copytree(folder, partial / folder.name, symlinks=True)
    try:
        partial.rename(cached)
    except OSError:  # another session kept the same inputs first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
        return
    for other in cached.parent.iterdir():
        if other != cached and not other.name.startswith(".partial-"):
            shutil.rmtree(other, ignore_errors=True)


def cache_key(base: Path, outdir: Path, env: Mapping[str, str], *, also: Sequence[Path] = (),
              tools: Sequence[Sequence[str]] = (("node", "--version"),), root: Path = ROOT) -> str:
    """The synth-input fingerprint of a synth into `outdir` under `base`, with `base` itself left out (it is a new
    temporary folder every session; what is below it, and so every relative state path, is the same); and the
    contents of `also` and the versions `tools` print, for a job that reads more than the app does."""
    placeholder = Path("/background")
    settings = {name: value.replace(str(base), str(placeholder)) for name, value in env.items()
                if name.startswith(synth_inputs.SETTING_PREFIXES)}
    digest = hashlib.sha256(synth_inputs.fingerprint(placeholder / outdir.relative_to(base), root, settings).encode())
    for path in also:
        digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes() + b"\0")
    for command in tools:
        digest.update(_tool_version(command))
    return digest.hexdigest()[:40]


def files_key(files: Sequence[Path], *, tools: Sequence[Sequence[str]] = (), root: Path = ROOT) -> str:
    """The names and contents of `files` (relative to `root`), the interpreter, and the versions `tools` print."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(files):
        digest.update(f"{path.as_posix()}\0".encode() + (root / path).read_bytes() + b"\0")
    for command in tools:
        digest.update(_tool_version(command))
    return digest.hexdigest()[:40]


def _tool_version(command: Sequence[str]) -> bytes:
    try:
        version = subprocess.run(list(command), capture_output=True, text=True, check=False).stdout.strip()
    except OSError:  # not installed: the job will say so itself
        version = ""
    return f"{' '.join(command)}: {version or 'missing'}\0".encode()


def _environment(state_dir: Path | None, **extra: str) -> dict[str, str]:
    """The child's environment; `state_dir` None leaves PAYMENT_STATE_DIR at its default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_"))}
    if state_dir is not None:
        env["PAYMENT_STATE_DIR"] = str(state_dir)
    env.update({
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CHECKPOINT_DISABLE": "1",
        "CI": "true",
        "PYTHONPATH": str(ROOT),
        **extra,
    })
    if not os.path.exists(env.get("TF_CLI_CONFIG_FILE", "")):
        env.pop("TF_CLI_CONFIG_FILE", None)  # a missing CLI config file only makes Terraform print a warning
    return env


def start_app_synth(jobs: Jobs, name: str, *, optimizations: bool, engine: str = "cdktf") -> BackgroundJob:
    """main.py on `engine` into base/<name>/cdktf.out; every such outdir sits at the same depth, so relative state
    paths agree. A stock synth (optimizations off) is cached by its inputs. The state folder stays the default: a
    synth writes no state, and the settings record it keeps (settings.json) must not name this session's temporary
    folder, or a cached synth of another session would differ from this one's in that file alone."""
    outdir = jobs.base / name / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = _environment(None, PAYMENT_SYNTH_OPTIMIZATIONS="on" if optimizations else "off",
                       CDKTF_OUTDIR=str(outdir), PAYMENT_CDK_ENGINE=engine)
    key = None if optimizations else cache_key(jobs.base, outdir, env)
    return jobs.start(name, f"{name} synth", outdir, [sys.executable, str(ROOT / "main.py")], ROOT, env, key)


SESSION_SWITCHES = ("PAYMENT_CDK_ENGINE", "PAYMENT_SYNTH_OPTIMIZATIONS", "PAYMENT_LAZY_JSII_CACHE")


def start_session_synths(jobs: Jobs, root: Path = ROOT) -> BackgroundJob:
    """tests/session_synths.py into base/session/synths, on the engine and fast path this session runs on (the
    switches of SESSION_SWITCHES it was started with); kept by the synth inputs, those switches, Node and the
    configurations (that file), like a stock synth."""
    folder = jobs.base / "session" / "synths"
    folder.parent.mkdir(parents=True)
    env = _environment(None, **{name: os.environ[name] for name in SESSION_SWITCHES if name in os.environ})
    key = cache_key(jobs.base, folder / "test" / "cdktf.out", env, also=[root / "tests" / "session_synths.py"],
                    root=root)
    return jobs.start("session_synths", "the session's synths of the app", folder,
                      [sys.executable, "-m", "tests.session_synths", str(folder)], root, env, key, copy_cached=True)


def start_probe_deploy(jobs: Jobs) -> BackgroundJob:
    """`cdktf deploy encryption app` of tests/payment_constructs/state_probe_app.py in a scratch project under
    base/deploy, then the switch to CDK Terrain and back (tests/payment_constructs/state_probe_deploys.py); state in
    base/state."""
    project = jobs.base / "deploy" / "project"
    project.mkdir(parents=True)
    (project / "cdktf.json").write_text(json.dumps({
        "language": "python",
        "app": f"{sys.executable} -m tests.payment_constructs.state_probe_app",
        "terraformProviders": [],
        "sendCrashReports": "false",
    }))
    command = [sys.executable, "-m", "tests.payment_constructs.state_probe_deploys", str(jobs.base / "deploy")]
    env = _environment(jobs.base / "state", PAYMENT_ENVIRONMENT=PROBE_ENVIRONMENT)
    probe = ROOT / "tests" / "payment_constructs"
    key = cache_key(jobs.base, project / "cdktf.out", env, also=[probe / "state_probe_app.py",
                                                                 probe / "state_probe_deploys.py"],
                    tools=[("node", "--version"), ("terraform", "version")])
    return jobs.start("probe_deploy", "cdktf deploy of the state probe (then the engine switch)", jobs.base / "deploy",
                      command, project, env, key, beside=["state"])


def start_probe_synth(jobs: Jobs) -> BackgroundJob:
    """The same probe run directly, at the same depth as the deploy's project and with the same state folder."""
    outdir = jobs.base / "direct" / "project" / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = _environment(jobs.base / "state", PAYMENT_ENVIRONMENT=PROBE_ENVIRONMENT, CDKTF_OUTDIR=str(outdir))
    return jobs.start("probe_synth", "direct synth of the state probe", outdir,
                      [sys.executable, "-m", "tests.payment_constructs.state_probe_app"], outdir.parent, env)


def start_review_fixture(jobs: Jobs) -> BackgroundJob:
    """tests/synth_review/fixture_repo.py: a git repository of this project with reviewable commits, each
    synthesized. Kept by what it is made of: every project file it copies (the review runs from that copy, so not
    only the synth inputs count; tests, docs and benchmarks are not copied), the interpreter, git and Node; each
    session gets a copy to make worktrees in."""
    from tests.synth_review import fixture_repo

    folder = jobs.base / "review-fixture"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_")) and k != "PYTHONPATH"}
    key = files_key(fixture_repo.copied_files(ROOT), tools=(("git", "--version"), ("node", "--version")))
    return jobs.start("review_fixture", "review fixture repository", folder,
                      [sys.executable, "-m", "tests.synth_review.fixture_repo", str(folder)], ROOT, env, key,
                      copy_cached=True)


def start_saved_plan_deploy(jobs: Jobs) -> BackgroundJob:
    """tests/tools/saved_plan_runs.py: the probe deployed, deployed again and destroyed with tools/deploy.py."""
    folder = jobs.base / "saved-plan"
    folder.mkdir()
    command = [sys.executable, "-m", "tests.tools.saved_plan_runs", str(folder)]
    return jobs.start("saved_plan_deploy", "make deploy's saved plans on the state probe", folder, command, ROOT,
                      {**os.environ, "PYTHONPATH": str(ROOT)})
