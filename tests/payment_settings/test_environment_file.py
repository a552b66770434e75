"""Environments are files: environments/<name>.env, read by the same rules as the shell, each bad line reported with
its file and line; outside dev the file decides and a shell that disagrees is refused; dev needs no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payment_settings.environment_file import ENVIRONMENTS_DIR, load
from payment_settings.settings import DEPLOYMENT_SETTINGS, TOOL_SWITCHES, SettingsError
from tests.hypothesis_profile import examples

ROOT = Path(__file__).resolve().parents[2]
STAGING = """# staging: reviewed like code
PAYMENT_AWS_REGION=eu-west-1
PAYMENT_AWS_ACCOUNT_ID=111122223333

PAYMENT_LOG_RETENTION_DAYS=400
"""


def folder_with(tmp_path: Path, text: str, name: str = "staging") -> Path:
    (tmp_path / f"{name}.env").write_text(text)
    return tmp_path


def problems(environ: dict[str, str], directory: Path) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        load(environ, directory)
    return refused.value.problems


def origins(environ: dict[str, str], directory: Path) -> dict[str, tuple[str, str]]:
    return {use.name: (use.value, use.origin) for use in load(environ, directory).used}


def test_dev_works_with_no_file_from_defaults_and_the_shell(tmp_path):
    loaded = load({"PAYMENT_LOG_RETENTION_DAYS": "3"}, tmp_path)
    assert (loaded.environment, loaded.file) == ("dev", None)
    assert origins({"PAYMENT_LOG_RETENTION_DAYS": "3"}, tmp_path)["PAYMENT_LOG_RETENTION_DAYS"] == ("3", "shell")
    assert origins({}, tmp_path)["PAYMENT_AWS_REGION"] == ("us-east-1", "default")


def test_outside_dev_an_environment_without_its_file_is_refused_in_one_line(tmp_path):
    assert problems({"PAYMENT_ENVIRONMENT": "qa"}, tmp_path) == [
        f"PAYMENT_ENVIRONMENT='qa' has no {tmp_path}/qa.env: outside dev an environment's settings live in its "
        "committed file; create it (docs/deploying.md says how)"]


def test_the_file_is_read_and_each_value_remembers_its_line(tmp_path):
    directory = folder_with(tmp_path, STAGING)
    loaded = load({"PAYMENT_ENVIRONMENT": "staging"}, directory)
    assert (loaded.settings.region, loaded.settings.log_retention_days, loaded.settings.aws_account_id) == (
        "eu-west-1", 400, "111122223333")
    seen = origins({"PAYMENT_ENVIRONMENT": "staging"}, directory)
    assert seen["PAYMENT_LOG_RETENTION_DAYS"] == ("400", f"{directory}/staging.env:5")
    assert seen["PAYMENT_RESERVED_CONCURRENCY"] == ("20", "default")
    assert seen["PAYMENT_ENVIRONMENT"] == ("staging", "shell")


def test_every_bad_line_is_reported_with_its_file_and_line_in_one_run(tmp_path):
    directory = folder_with(tmp_path, STAGING + "\n".join([
        "PAYMENT_LOG_RETENTION_DAYS=365",          # 6: twice
        "export PAYMENT_MAX_AMOUNT=5",             # 7: not NAME=value
        "PAYMENT_RETENTION=400",                   # 8: no such setting
        "PAYMENT_SYNTH_OPTIMIZATIONS=off",         # 9: a tool switch
        "PAYMENT_ENVIRONMENT=prod",                # 10: the file's name says it
        "PAYMENT_KEY_DELETION_WINDOW_DAYS=90",     # 11: the settings' own rule
        "PAYMENT_MAX_AMOUNT = 5",                  # 12: spaces around =
    ]) + "\n")
    file = f"{directory}/staging.env"
    found = problems({"PAYMENT_ENVIRONMENT": "staging"}, directory)
    assert [line.split(": ", 1)[0] for line in found] == [f"{file}:{n}" for n in (6, 7, 8, 9, 10, 12, 11)]
    assert found[0] == f"{file}:6: PAYMENT_LOG_RETENTION_DAYS is set again (first on line 5); keep one line"
    assert found[2] == f"{file}:8: PAYMENT_RETENTION is not a setting; the settings are listed in README.md, Settings"
    assert found[3].endswith("PAYMENT_SYNTH_OPTIMIZATIONS is a tool switch, not a setting of the environment; set it "
                             "in the shell when you need it")
    assert found[4] == f"{file}:10: PAYMENT_ENVIRONMENT is the file's name (staging.env); remove the line"
    assert found[6] == (f"{file}:11: PAYMENT_KEY_DELETION_WINDOW_DAYS='90' is not a KMS key deletion window; use a "
                        "whole number of days from 7 to 30")
    assert all("\n" not in line for line in found)


def test_outside_dev_a_shell_value_that_disagrees_with_the_file_is_refused_in_one_line(tmp_path):
    directory = folder_with(tmp_path, STAGING)
    assert problems({"PAYMENT_ENVIRONMENT": "staging", "PAYMENT_LOG_RETENTION_DAYS": "731"}, directory) == [
        f"PAYMENT_LOG_RETENTION_DAYS='731' in the shell disagrees with {directory}/staging.env:5 ('400'); outside dev "
        f"{directory}/staging.env decides: unset it in the shell, or change the file (and review that change)"]


def test_outside_dev_a_shell_value_that_disagrees_with_a_default_the_file_leaves_is_refused(tmp_path):
    directory = folder_with(tmp_path, STAGING)
    (problem,) = problems({"PAYMENT_ENVIRONMENT": "staging", "PAYMENT_RESERVED_CONCURRENCY": "7"}, directory)
    assert problem.startswith(f"PAYMENT_RESERVED_CONCURRENCY='7' in the shell disagrees with {directory}/staging.env, "
                              "which leaves the default '20'; ")


def test_outside_dev_a_shell_value_the_file_agrees_with_is_accepted(tmp_path):
    directory = folder_with(tmp_path, STAGING)
    shell = {"PAYMENT_ENVIRONMENT": "staging", "PAYMENT_LOG_RETENTION_DAYS": "400",
             "PAYMENT_RESERVED_CONCURRENCY": "20"}
    assert load(shell, directory).settings.log_retention_days == 400


def test_outside_dev_a_payment_variable_that_is_no_setting_is_refused(tmp_path):
    directory = folder_with(tmp_path, STAGING)
    (problem,) = problems({"PAYMENT_ENVIRONMENT": "staging", "PAYMENT_RETENTION": "400"}, directory)
    assert problem.startswith("PAYMENT_RETENTION='400' is set in the shell but is no setting; ")


@pytest.mark.parametrize("switch", TOOL_SWITCHES)
def test_the_tool_switches_are_the_documented_overrides_and_may_be_set_anywhere(tmp_path, switch):
    directory = folder_with(tmp_path, STAGING)
    assert load({"PAYMENT_ENVIRONMENT": "staging", switch: "anything"}, directory).environment == "staging"


def test_in_dev_the_shell_overrides_the_dev_file(tmp_path):
    directory = folder_with(tmp_path, "PAYMENT_LOG_RETENTION_DAYS=3\nPAYMENT_MAX_AMOUNT=10.00\n", "dev")
    seen = origins({"PAYMENT_LOG_RETENTION_DAYS": "5"}, directory)
    assert seen["PAYMENT_LOG_RETENTION_DAYS"] == ("5", "shell")
    assert seen["PAYMENT_MAX_AMOUNT"] == ("10.00", f"{directory}/dev.env:2")


@pytest.fixture(scope="module")
def staging(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return folder_with(tmp_path_factory.mktemp("environments"), STAGING)


@settings(max_examples=examples(40), deadline=None)
@given(name=st.sampled_from(DEPLOYMENT_SETTINGS), value=st.text(max_size=40))
def test_outside_dev_any_setting_the_shell_changes_is_refused_naming_it(staging, name, value):
    """Whatever the setting and the value, a shell that says otherwise than the file is refused, with one line
    naming the setting (other lines may say the value is bad too: all problems are reported at once)."""
    used = {u.name: u.value for u in load({"PAYMENT_ENVIRONMENT": "staging"}, staging).used}
    if value == used.get(name):
        return  # the same value: no disagreement
    found = problems({"PAYMENT_ENVIRONMENT": "staging", name: value}, staging)
    assert [p for p in found if p.startswith(f"{name}=") and "in the shell" in p and "\n" not in p]


def test_the_committed_environments_synthesize_valid_settings():
    files = sorted(ENVIRONMENTS_DIR.glob("*.env"))
    assert [f.name for f in files] == ["prod.env"]
    prod = load({"PAYMENT_ENVIRONMENT": "prod"})
    assert prod.file == "environments/prod.env"
    assert prod.settings.aws_account_id and prod.settings.backend.kind == "s3"
    assert prod.settings.ledger_deletion_protection


@pytest.mark.slow
def test_main_refuses_a_disagreeing_shell_in_one_line_before_cdktf_loads(tmp_path):
    """What `cdktf deploy` runs (cdktf.json's app): so it can only deploy the committed settings."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py")], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "PAYMENT_ENVIRONMENT": "prod", "PAYMENT_LOG_RETENTION_DAYS": "400",
             "CDKTF_OUTDIR": str(tmp_path / "out")},
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "error: PAYMENT_LOG_RETENTION_DAYS='400' in the shell disagrees with environments/prod.env:9 ('365'); outside "
        "dev environments/prod.env decides: unset it in the shell, or change the file (and review that change)"]
    assert not (tmp_path / "out").exists()

