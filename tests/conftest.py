"""Session fixtures: the whole app synthesized once per configuration, the way `cdktf synth` does
(tests/session_synths.py); and the slow child processes the selected tests need, started before the first test
(tests/background.py), by the one process that owns them (pytest, or pytest-xdist's controller). The session synths
are such a process too: every worker reads the same synths, and an unchanged tree reuses those of the last session.

cdktf is imported inside the fixtures, not at module level, so a worker that runs no construct in its own process never
pays for loading it. Hypothesis explores new examples on every run, CI included (docs/testing.md).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cdk_engine
from cdktf_out.tree import SynthesizedApp, load
from payment_constructs.naming import Names
from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK
from payment_settings.settings import Settings
from synth_review.rules.checkov_rules import CHECKOV
from tests import background, hypothesis_profile
from tests import session_synths as session_synths_module
from tests.encrypted_logs import jobs as library_jobs
from tests.kept_checkov import write_kept_checkov
from tests.session_synths import TEST_ENVIRONMENT, settings_from, synthesize

__all__ = ["TEST_ENVIRONMENT", "settings_from", "synthesize"]  # what other test modules import from here

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# A runner started in the background (a CI job, nohup, `cmd &` in a script) inherits SIGINT ignored, and every make,
# synth and review the tests start would inherit it too: none would see the Ctrl-C that the interruption tests send
# as a terminal sends it to its foreground job. A handler here, unlike SIG_IGN, is reset to the default in a child.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# The suite's own synth runs on the engine PAYMENT_CDK_ENGINE names (cdktf by default), as main.py does;
# tests/cdk_engine/test_engines.py compares the two engines in child processes.
cdk_engine.use(cdk_engine.chosen())


BACKGROUND = pytest.StashKey[background.Jobs]()
BACKGROUND_BASE = "background_base"
JOB_LIST = "jobs.json"
WANTED = "wanted-{}.json"  # the jobs a process's collected tests need, by whoever collected them
# Which background jobs each test module needs; they start only if one of its tests is selected.
JOBS_OF_MODULE = {
    "tests/synth_speed/test_synth_identity.py": ("stock_synth", "fast_synth", "cdktn_stock_synth", "cdktn_fast_synth"),
    "tests/cdk_engine/test_engines.py": ("fast_synth", "cdktn_fast_synth"),
    "tests/synth_review/test_review_cdktn.py": ("cdktn_fast_synth",),
    "tests/payment_constructs/test_state_deploy.py": ("probe_deploy", "probe_synth"),
    "tests/cdk_engine/test_engine_switch.py": ("probe_deploy",),
    "tests/synth_review/test_review_revisions.py": ("review_fixture",),
    "tests/tools/test_saved_plan_deploy.py": ("saved_plan_deploy",),
    "tests/encrypted_logs/test_log_groups_key.py": ("library_synth",),
    "tests/examples/test_audit_trail.py": ("wheel_synth",),
}
# Which background jobs a test needs through one of its fixtures.
SESSION_SYNTH_FIXTURES = {"synthesized": "test", "recorder_synthesized": "recorder", "dev_synthesized": "dev",
                          "s3_backend_synthesized": "s3_backend"}
JOBS_OF_FIXTURE = {name: ("session_synths",) for name in (*SESSION_SYNTH_FIXTURES, "session_synth_folder")}
STARTERS = {
    "session_synths": background.start_session_synths,
    "stock_synth": lambda jobs: background.start_app_synth(jobs, "stock_synth", optimizations=False),
    "fast_synth": lambda jobs: background.start_app_synth(jobs, "fast_synth", optimizations=True),
    "cdktn_stock_synth": lambda jobs: background.start_app_synth(jobs, "cdktn_stock_synth", optimizations=False,
                                                                 engine="cdktn"),
    "cdktn_fast_synth": lambda jobs: background.start_app_synth(jobs, "cdktn_fast_synth", optimizations=True,
                                                                engine="cdktn"),
    "probe_deploy": background.start_probe_deploy,
    "probe_synth": background.start_probe_synth,
    "review_fixture": background.start_review_fixture,
    "saved_plan_deploy": background.start_saved_plan_deploy,
    "library_synth": library_jobs.start_readme_synth,
    "wheel_synth": library_jobs.start_wheel_synth,
}


# Tests that CI relies on: it installs what they need, so there a skip means a broken set-up, not a missing tool.
# With CI set (CI=true, as CI services and .ci/run set it), a skip of any of these fails the run. Test id prefix ->
# what CI provides.
REQUIRED_IN_CI = {
    "tests/payment_constructs/test_state_deploy.py::": "terraform and the cdktf CLI",
    "tests/cdk_engine/test_engine_switch.py::": "terraform and the cdktf CLI",
    "tests/tools/test_saved_plan_deploy.py::": "terraform",
    "tests/tools/test_deploy_command.py::test_cdktf_deploy_refuses": "the cdktf CLI",
    "tests/tools/test_synth_command.py::test_the_arn_of_a_stack_never_deployed": "terraform",
    "tests/synth_speed/test_lazy_jsii_index.py::test_derived_tarball_is_the_original": "the time provider",
    "tests/synth_speed/test_lazy_jsii_index.py::test_a_build_killed_midway": "the time provider",
    "tests/synth_speed/test_lazy_jsii_index.py::test_files_of_a_build_in_progress": "the time provider",
}
# Fixtures whose value comes from a synth of the app, or that load the constructs in this process: a test that uses one
# depends on the engine, and is marked `engine` (CI runs those on CDK Terrain too: `make test-cdktn`).
SYNTH_FIXTURES = frozenset({*SESSION_SYNTH_FIXTURES, "fast_path", "steps", "log_group_names"})


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def required_in_ci(nodeid: str) -> str | None:
    return next((needs for prefix, needs in REQUIRED_IN_CI.items() if nodeid.startswith(prefix)), None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    needs = required_in_ci(item.nodeid)
    if report.skipped and needs and running_in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which provides {needs} and relies on this test: {reason}"


def pytest_itemcollected(item: pytest.Item) -> None:
    if SYNTH_FIXTURES & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.engine)


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis's profile (tests/hypothesis_profile.py), in every process; the process that owns the background
    jobs (pytest, or xdist's controller) makes their folder."""
    try:
        hypothesis_profile.load()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if not is_xdist_worker(config):
        config.stash[BACKGROUND] = background.Jobs(Path(tempfile.mkdtemp(prefix="background-")))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # pytest-xdist: tell each worker where the jobs write
    node.workerinput[BACKGROUND_BASE] = str(node.config.stash[BACKGROUND].base)


def jobs_wanted(items: list[pytest.Item]) -> list[str]:
    """The background jobs these tests need, by their modules and their fixtures."""
    return sorted({job for item in items
                   for job in (*JOBS_OF_MODULE.get(item.nodeid.split("::")[0], ()),
                               *(job for name in getattr(item, "fixturenames", ()) for job in
                                 JOBS_OF_FIXTURE.get(name, ())))})


def start_background_jobs(config: pytest.Config, wanted: list[str]) -> None:
    """Start the slow child processes the selected tests need, before any test runs, and list them for the
    workers."""
    jobs = config.stash[BACKGROUND]
    if (jobs.base / JOB_LIST).exists():
        return  # every xdist worker reports the same collection; the first report starts them
    started = {name: STARTERS[name](jobs) for name in wanted}
    listing = {name: {"label": job.label, "folder": str(job.folder), "record": str(job.record)}
               for name, job in started.items()}
    (jobs.base / f".{JOB_LIST}").write_text(json.dumps(listing))
    (jobs.base / f".{JOB_LIST}").rename(jobs.base / JOB_LIST)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reports the collection to the controller
def pytest_collection_finish(session: pytest.Session) -> None:
    """The controller sees only test ids: a worker writes which jobs its tests need before it reports them."""
    wanted = jobs_wanted(session.items)
    if is_xdist_worker(session.config):
        worker = session.config.workerinput
        partial = Path(worker[BACKGROUND_BASE]) / f".{WANTED.format(worker['workerid'])}"
        partial.write_text(json.dumps(wanted))
        partial.rename(partial.with_name(partial.name[1:]))
    else:
        start_background_jobs(session.config, wanted)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids: list[str]) -> None:
    wanted = node.config.stash[BACKGROUND].base / WANTED.format(node.gateway.id)
    start_background_jobs(node.config, json.loads(wanted.read_text()))


def pytest_unconfigure(config: pytest.Config) -> None:
    if BACKGROUND in config.stash:
        jobs = config.stash[BACKGROUND]
        jobs.stop()
        shutil.rmtree(jobs.base, ignore_errors=True)


@pytest.fixture(scope="session")
def background_jobs(pytestconfig: pytest.Config) -> dict[str, background.BackgroundJob]:
    base = (Path(pytestconfig.workerinput[BACKGROUND_BASE]) if is_xdist_worker(pytestconfig)
            else pytestconfig.stash[BACKGROUND].base)
    listing = base / JOB_LIST
    deadline = time.monotonic() + 60
    while not listing.exists():
        assert time.monotonic() < deadline, f"no {listing}: the background jobs were never started"
        time.sleep(0.05)
    return StartedJobs({name: background.BackgroundJob(entry["label"], Path(entry["folder"]), Path(entry["record"]))
                        for name, entry in json.loads(listing.read_text()).items()})


class StartedJobs(dict[str, background.BackgroundJob]):
    """The jobs started for this run; asking for one nobody started says where the tests' needs are declared."""

    def __missing__(self, name: str) -> background.BackgroundJob:
        raise LookupError(f"background job {name!r} was not started for these tests: tests/conftest.py starts a job "
                          "only for the modules in JOBS_OF_MODULE and the fixtures in JOBS_OF_FIXTURE")


@pytest.fixture(scope="session")
def checkov_tool() -> Path:
    """checkov from its tool venv; missing is a failure in CI, where `make test` must have installed it."""
    if not CHECKOV.exists():
        message = f"{CHECKOV} is missing; `make test` installs it (Makefile target .tools/checkov/.installed)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return CHECKOV


@pytest.fixture(scope="session")
def kept_checkov(checkov_tool: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real checkov, its verdict on each tree kept by everything it depends on (tests/kept_checkov.py)."""
    return write_kept_checkov(tmp_path_factory.mktemp("kept-checkov"), checkov_tool, background.CACHE / "checkov")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_from({})


@pytest.fixture(scope="session")
def names(settings: Settings) -> Names:
    return Names(settings.environment)


@pytest.fixture
def fast_path() -> Iterator[None]:
    """For a test that loads the constructs (and so cdktf and the providers) in this process: the fast path on first,
    as main.py has it (tests/synth_speed/ switches it off and on again, so each such test asks)."""
    with session_synths_module.fast_path():
        yield


@pytest.fixture(scope="session")
def steps() -> tuple[str, ...]:
    """The workflow's steps, as the step list names them."""
    with session_synths_module.fast_path():  # the step list imports the provider
        from payment_constructs.workflow_steps import WORKFLOW_STEPS

    return tuple(spec.step for spec in WORKFLOW_STEPS)


@pytest.fixture(scope="session")
def log_group_names(names: Names) -> tuple[str, ...]:
    """The workflow's encrypted log groups, from the step list and naming, as the stacks compute them."""
    with session_synths_module.fast_path():  # the step list imports the provider
        from payment_constructs.workflow_steps import workflow_log_groups

    return workflow_log_groups(names)


@pytest.fixture(scope="session")
def session_synth_folder(background_jobs: dict[str, background.BackgroundJob]) -> Path:
    return background_jobs["session_synths"].outcome()


def session_synth(fixture: str, configuration: str) -> object:
    """The fixture `fixture`: the session synth of `configuration` (tests/session_synths.py's CONFIGURATIONS)."""

    @pytest.fixture(scope="session", name=fixture)
    def read(session_synth_folder: Path) -> SynthesizedApp:
        return load(session_synths_module.outdir_of(session_synth_folder, configuration))

    return read


# synthesized: the test settings (TEST_ENVIRONMENT); recorder_synthesized: the opt-in AWS Config recorder;
# dev_synthesized: a dev synth without reserved concurrency; s3_backend_synthesized: the s3 state backend.
synthesized, recorder_synthesized, dev_synthesized, s3_backend_synthesized = (
    session_synth(fixture, configuration) for fixture, configuration in SESSION_SYNTH_FIXTURES.items())


@pytest.fixture(scope="session")
def encryption_stack(synthesized: SynthesizedApp):
    return synthesized.stack(ENCRYPTION_STACK)


@pytest.fixture(scope="session")
def app_stack(synthesized: SynthesizedApp):
    return synthesized.stack(APP_STACK)
