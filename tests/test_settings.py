"""Settings: defaults, and every bad value refused with one line naming the setting, the value and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from payment_constructs.settings import (
    LocalBackendSettings,
    S3BackendSettings,
    Settings,
    SettingsError,
    go_duration_seconds,
)

ROOT = Path(__file__).resolve().parent.parent


def problems_of(environ: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment(environ)
    return refused.value.problems


def test_defaults_are_the_dev_deployment():
    settings = Settings.from_environment({})
    assert settings.environment == "dev"
    assert settings.region == "us-east-1"
    assert settings.log_retention_days == 1
    assert settings.kms_propagation_wait == "30s"
    assert settings.key_deletion_window_days == 7
    assert settings.ledger_deletion_protection is False
    assert settings.max_payment_amount == "1000000.00"
    assert settings.backend == LocalBackendSettings(state_dir=ROOT / "terraform-state")


def test_settings_cannot_be_changed_after_validation():
    settings = Settings.from_environment({})
    with pytest.raises(AttributeError):
        settings.environment = "prod"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("PAYMENT_ENVIRONMENT", "Prod", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "dev-", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "my--env", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "1dev", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "dev_1", "lower-case slug"),
        ("PAYMENT_ENVIRONMENT", "a" * 21, "at most 20 characters"),
        ("PAYMENT_AWS_REGION", "us-east-9", "us-east-1"),
        ("PAYMENT_AWS_REGION", "US-EAST-1", "not an AWS region code"),
        ("PAYMENT_LOG_RETENTION_DAYS", "10", "use one of 1, 3, 5, 7, 14, 30"),
        ("PAYMENT_LOG_RETENTION_DAYS", "0", "(never expire) is refused"),
        ("PAYMENT_LOG_RETENTION_DAYS", "-1", "not a CloudWatch Logs retention"),
        ("PAYMENT_LOG_RETENTION_DAYS", "one", "not a CloudWatch Logs retention"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "30", "not a Go duration"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "thirty seconds", "not a Go duration"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "500ms", "out of range"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "0s", "out of range"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "2h", "out of range"),
        ("PAYMENT_KEY_DELETION_WINDOW_DAYS", "6", "from 7 to 30"),
        ("PAYMENT_KEY_DELETION_WINDOW_DAYS", "31", "from 7 to 30"),
        ("PAYMENT_KEY_DELETION_WINDOW_DAYS", "7.5", "from 7 to 30"),
        ("PAYMENT_LEDGER_DELETION_PROTECTION", "yes", "use true or false"),
        ("PAYMENT_MAX_AMOUNT", "0", "positive decimal"),
        ("PAYMENT_MAX_AMOUNT", "1e6", "positive decimal"),
        ("PAYMENT_MAX_AMOUNT", "100.1234", "at most 12 digits before and 3 after"),
        ("PAYMENT_MAX_AMOUNT", "NaN", "positive decimal"),
        ("PAYMENT_RESERVED_CONCURRENCY", "-1", "reserved concurrency"),
        ("PAYMENT_RESERVED_CONCURRENCY", "1001", "up to 1000"),
        ("PAYMENT_STATE_BACKEND", "consul", "use local or s3"),
        ("PAYMENT_STATE_DIR", " ", "folder path"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting_the_value_and_what_is_allowed(name, value, allowed):
    (problem,) = problems_of({name: value})
    assert problem.startswith(f"{name}={value!r} ")
    assert allowed in problem
    assert "\n" not in problem


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("PAYMENT_STATE_BUCKET", "", "S3 bucket name"),
        ("PAYMENT_STATE_BUCKET", "Upper_Case", "S3 bucket name"),
        ("PAYMENT_STATE_BUCKET", "a..b", "S3 bucket name"),
        ("PAYMENT_STATE_REGION", "mars-1", "not an AWS region code"),
        ("PAYMENT_STATE_KEY_PREFIX", "/leading", "S3 key prefix"),
        ("PAYMENT_STATE_KEY_PREFIX", "has space", "S3 key prefix"),
    ],
)
def test_a_bad_s3_backend_value_is_refused(name, value, allowed):
    base = {"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": "acme-state"}
    (problem,) = problems_of({**base, name: value})
    assert problem.startswith(f"{name}={value!r} ")
    assert allowed in problem


def test_the_s3_backend_needs_a_bucket():
    (problem,) = problems_of({"PAYMENT_STATE_BACKEND": "s3"})
    assert problem.startswith("PAYMENT_STATE_BUCKET=''")


def test_the_s3_backend_defaults_to_the_deployment_region_and_a_project_prefix():
    settings = Settings.from_environment({
        "PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": "acme-state", "PAYMENT_AWS_REGION": "eu-west-2",
    })
    assert settings.backend == S3BackendSettings(bucket="acme-state", region="eu-west-2", key_prefix="payment-workflow")


def test_every_bad_setting_is_reported_in_one_run():
    problems = problems_of({"PAYMENT_ENVIRONMENT": "PROD", "PAYMENT_LOG_RETENTION_DAYS": "2"})
    assert [p.split("=")[0] for p in problems] == ["PAYMENT_ENVIRONMENT", "PAYMENT_LOG_RETENTION_DAYS"]


def test_outside_dev_logs_are_kept_a_year_by_default_and_functions_reserve_concurrency():
    settings = Settings.from_environment({"PAYMENT_ENVIRONMENT": "prod"})
    assert settings.log_retention_days == 365
    assert settings.reserved_concurrency == 20
    assert settings.ledger_deletion_protection is True


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_never_expiring_logs_are_refused_in_every_environment_because_checkov_wants_a_retention(environment):
    (problem,) = problems_of({"PAYMENT_ENVIRONMENT": environment, "PAYMENT_LOG_RETENTION_DAYS": "0"})
    assert problem.startswith("PAYMENT_LOG_RETENTION_DAYS='0' (never expire) is refused")
    assert "3653" in problem and "\n" not in problem


def test_outside_dev_a_reserved_concurrency_of_0_is_refused_naming_the_environment():
    (problem,) = problems_of({"PAYMENT_ENVIRONMENT": "prod", "PAYMENT_RESERVED_CONCURRENCY": "0"})
    assert problem.startswith("PAYMENT_RESERVED_CONCURRENCY='0' reserves no concurrency")
    assert "'prod'" in problem and "from 1 to 1000" in problem


def test_outside_dev_any_reserved_concurrency_from_1_up_is_accepted():
    settings = Settings.from_environment({"PAYMENT_ENVIRONMENT": "prod", "PAYMENT_RESERVED_CONCURRENCY": "1"})
    assert settings.reserved_concurrency == 1


def test_dev_reserves_no_concurrency_so_a_new_account_can_deploy_it():
    assert Settings.from_environment({}).reserved_concurrency == 0


def test_outside_dev_a_retention_under_a_year_is_refused():
    (problem,) = problems_of({"PAYMENT_ENVIRONMENT": "prod", "PAYMENT_LOG_RETENTION_DAYS": "30"})
    assert problem.startswith("PAYMENT_LOG_RETENTION_DAYS='30' is too short for environment 'prod'")
    assert "365, 400, 545" in problem


def test_outside_dev_logs_may_be_kept_ten_years():
    settings = Settings.from_environment({"PAYMENT_ENVIRONMENT": "prod", "PAYMENT_LOG_RETENTION_DAYS": "3653"})
    assert settings.log_retention_days == 3653


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [("30s", 30), ("1m30s", 90), ("1.5m", 90), ("2h", 7200), ("1500ms", 1.5), (".5s", 0.5), ("1h1m1s", 3661)],
)
def test_go_durations_are_read_as_terraform_time_reads_them(duration, seconds):
    assert go_duration_seconds(duration) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "s", "30", "30 s", "-30s", "30sec", "1m 30s", "30S"])
def test_what_is_not_a_go_duration_is_refused(text):
    with pytest.raises(ValueError):
        go_duration_seconds(text)


def test_main_exits_2_with_one_line_per_bad_setting_and_writes_nothing(tmp_path):
    outdir = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PAYMENT_LOG_RETENTION_DAYS": "10", "CDKTF_OUTDIR": str(outdir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: PAYMENT_LOG_RETENTION_DAYS='10' is not a CloudWatch Logs retention; use one of "
        "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, "
        "3653\n"
    )
    assert not outdir.exists()
