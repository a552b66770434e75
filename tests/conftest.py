"""Session fixtures: the whole app is synthesized once per configuration, the way `cdktf synth` does, into a
temporary outdir; and the slow child processes the selected tests need, started before the first test
(tests/background.py), by the one process that owns them (pytest, or pytest-xdist's controller).

cdktf is imported inside the fixtures, not at module level, so the handler tests never pay for loading it. Hypothesis
runs with its defaults everywhere, CI included: it explores new examples on every run (docs/testing.md).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import cdk_engine
from cdktf_out.tree import SynthesizedApp, load
from payment_constructs.naming import Names
from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK
from payment_settings.settings import Settings
from synth_speed import fast_synth
from tests import background
from tests.encrypted_logs import jobs as library_jobs

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# A runner started in the background (a CI job, nohup, `cmd &` in a script) inherits SIGINT ignored, and every make,
# synth and review the tests start would inherit it too: none would see the Ctrl-C that the interruption tests send
# as a terminal sends it to its foreground job. A handler here, unlike SIG_IGN, is reset to the default in a child.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# The suite's own synth runs on the engine PAYMENT_CDK_ENGINE names (cdktf by default), as main.py does;
# tests/cdk_engine/test_engines.py compares the two engines in child processes.
cdk_engine.use(cdk_engine.chosen())

# Not the defaults, so a test can tell a value that came from settings from one that was hard-coded.
TEST_ENVIRONMENT = {
    "PAYMENT_ENVIRONMENT": "qa",
    "PAYMENT_AWS_REGION": "eu-west-1",
    "PAYMENT_LOG_RETENTION_DAYS": "400",
    "PAYMENT_RESERVED_CONCURRENCY": "7",
    "PAYMENT_KMS_PROPAGATION_WAIT": "45s",
    "PAYMENT_KEY_DELETION_WINDOW_DAYS": "10",
    "PAYMENT_AWS_ACCOUNT_ID": "444455556666",  # required outside dev: the provider's allowed_account_ids
    # Two operators (one with a path), so every review and JSON test also holds the grants' policies.
    "PAYMENT_OPERATOR_ROLE_ARNS": "arn:aws:iam::444455556666:role/payments-operator,"
                                  "arn:aws:iam::444455556666:role/audit/payments-auditor",
}


BACKGROUND = pytest.StashKey[background.Jobs]()
BACKGROUND_BASE = "background_base"
JOB_LIST = "jobs.json"
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
STARTERS = {
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
# Fixtures whose value comes from a synth of the app: a test that uses one depends on the engine that synthesized it,
# and is marked `engine` (CI runs those on CDK Terrain too: `make test-cdktn`).
SYNTH_FIXTURES = frozenset({"synthesized", "recorder_synthesized"})


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
    """The process that owns the background jobs (pytest, or xdist's controller) makes their folder."""
    if not is_xdist_worker(config):
        config.stash[BACKGROUND] = background.Jobs(Path(tempfile.mkdtemp(prefix="background-")))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # pytest-xdist: tell each worker where the jobs write
    node.workerinput[BACKGROUND_BASE] = str(node.config.stash[BACKGROUND].base)


def start_background_jobs(config: pytest.Config, nodeids: list[str]) -> None:
    """Start the slow child processes the selected tests need, before any test runs, and list them for the
    workers."""
    jobs = config.stash[BACKGROUND]
    if (jobs.base / JOB_LIST).exists():
        return  # every xdist worker reports the same collection; the first report starts them
    wanted = sorted({job for nodeid in nodeids for job in JOBS_OF_MODULE.get(nodeid.split("::")[0], ())})
    started = {name: STARTERS[name](jobs) for name in wanted}
    listing = {name: {"label": job.label, "folder": str(job.folder), "record": str(job.record)}
               for name, job in started.items()}
    (jobs.base / f".{JOB_LIST}").write_text(json.dumps(listing))
    (jobs.base / f".{JOB_LIST}").rename(jobs.base / JOB_LIST)


def pytest_collection_finish(session: pytest.Session) -> None:
    if not is_xdist_worker(session.config):
        start_background_jobs(session.config, [item.nodeid for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids: list[str]) -> None:
    start_background_jobs(node.config, ids)


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
    return {name: background.BackgroundJob(entry["label"], Path(entry["folder"]), Path(entry["record"]))
            for name, entry in json.loads(listing.read_text()).items()}


def synthesize(settings: Settings, outdir: Path, steps: Sequence[Any] | None = None) -> SynthesizedApp:
    """Synthesize as main.py does, fast path included (tests/synth_speed proves it changes nothing in the output;
    PAYMENT_SYNTH_OPTIMIZATIONS=off runs the suite on stock imports). `steps`: another step list than the app's."""
    gc_was_enabled = gc.isenabled()
    fast_synth.enable()
    try:
        from cdktf import App

        from payment_constructs.workflow_app import add_workflow_stacks
        from payment_constructs.workflow_steps import WORKFLOW_STEPS

        app = App(outdir=str(outdir))
        add_workflow_stacks(app, settings, steps=WORKFLOW_STEPS if steps is None else steps)
        app.synth()
    finally:
        fast_synth.after_synth()
        if gc_was_enabled:
            gc.enable()  # the rest of the suite (hypothesis above all) makes garbage a collector should see
    return load(outdir)


def settings_from(overrides: Mapping[str, str], base: Mapping[str, str] = TEST_ENVIRONMENT) -> Settings:
    return Settings.from_environment({**base, **overrides})


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_from({})


@pytest.fixture(scope="session")
def names(settings: Settings) -> Names:
    return Names(settings.environment)


@pytest.fixture(scope="session")
def steps(synthesized: SynthesizedApp) -> tuple[str, ...]:
    """The workflow's steps, as the step list names them (read after the session synth, as log_group_names is)."""
    from payment_constructs.workflow_steps import WORKFLOW_STEPS

    return tuple(spec.step for spec in WORKFLOW_STEPS)


@pytest.fixture(scope="session")
def log_group_names(names: Names, synthesized: SynthesizedApp) -> tuple[str, ...]:
    """The workflow's encrypted log groups, from the step list and naming, as the stacks compute them (after the
    session synth: the step list imports the provider, which must load through the fast path)."""
    from payment_constructs.workflow_steps import workflow_log_groups

    return workflow_log_groups(names)


@pytest.fixture(scope="session")
def synthesized(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    return synthesize(settings, tmp_path_factory.mktemp("cdktf.out"))


@pytest.fixture(scope="session")
def recorder_synthesized(tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    """The opt-in AWS Config recorder's configuration (PAYMENT_CONFIG_RECORDER=true), synthesized once."""
    return synthesize(settings_from({"PAYMENT_CONFIG_RECORDER": "true"}), tmp_path_factory.mktemp("recorder"))


@pytest.fixture(scope="session")
def encryption_stack(synthesized: SynthesizedApp):
    return synthesized.stack(ENCRYPTION_STACK)


@pytest.fixture(scope="session")
def app_stack(synthesized: SynthesizedApp):
    return synthesized.stack(APP_STACK)
