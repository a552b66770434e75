"""Settings: defaults, and every bad value refused with one line naming the setting, the value and what is allowed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from payment_settings.settings import (
    AWS_REGIONS,
    REMOVED_BY_MAKE_CLEAN,
    SHOWN_VALUE_CHARACTERS,
    LocalBackendSettings,
    S3BackendSettings,
    Settings,
    SettingsError,
    go_duration_seconds,
)
from tests.hypothesis_profile import examples

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "111122223333"
PROD = {"PAYMENT_ENVIRONMENT": "prod", "PAYMENT_AWS_ACCOUNT_ID": ACCOUNT}  # outside dev the account is required


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


def test_an_alert_email_longer_than_254_characters_is_refused():
    (problem,) = problems_of({"PAYMENT_ALERT_EMAIL": "a" * 250 + "@example.com"})
    assert problem.startswith("PAYMENT_ALERT_EMAIL=")
    assert "at most 254 characters" in problem


def test_an_alert_email_is_read_as_given_and_unset_means_no_one():
    assert Settings.from_environment({"PAYMENT_ALERT_EMAIL": "on-call+pay@ops.example.com"}).alert_email == (
        "on-call+pay@ops.example.com"
    )
    assert Settings.from_environment({}).alert_email is None


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
        ("PAYMENT_CONFIG_RECORDER", "yes", "use true or false"),
        ("PAYMENT_ALERT_EMAIL", "oncall", "not an e-mail address"),
        ("PAYMENT_ALERT_EMAIL", "oncall@localhost", "not an e-mail address"),
        ("PAYMENT_ALERT_EMAIL", "on call@example.com", "not an e-mail address"),
        ("PAYMENT_ALERT_EMAIL", "oncall@example.com,boss@example.com", "not an e-mail address"),
        ("PAYMENT_ALERT_EMAIL", "oncall@exämple.com", "ASCII"),
        ("PAYMENT_ALERT_EMAIL", "oncall@example.com\n", "not an e-mail address"),
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
    settings = Settings.from_environment(PROD)
    assert settings.log_retention_days == 365
    assert settings.reserved_concurrency == 20
    assert settings.ledger_deletion_protection is True


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_never_expiring_logs_are_refused_in_every_environment_because_checkov_wants_a_retention(environment):
    (problem,) = problems_of(
        {"PAYMENT_ENVIRONMENT": environment, "PAYMENT_AWS_ACCOUNT_ID": ACCOUNT, "PAYMENT_LOG_RETENTION_DAYS": "0"})
    assert problem.startswith("PAYMENT_LOG_RETENTION_DAYS='0' (never expire) is refused")
    assert "3653" in problem and "\n" not in problem


def test_outside_dev_a_reserved_concurrency_of_0_is_refused_naming_the_environment():
    (problem,) = problems_of({**PROD, "PAYMENT_RESERVED_CONCURRENCY": "0"})
    assert problem.startswith("PAYMENT_RESERVED_CONCURRENCY='0' reserves no concurrency")
    assert "'prod'" in problem and "from 1 to 1000" in problem


def test_outside_dev_any_reserved_concurrency_from_1_up_is_accepted():
    settings = Settings.from_environment({**PROD, "PAYMENT_RESERVED_CONCURRENCY": "1"})
    assert settings.reserved_concurrency == 1


def test_dev_reserves_no_concurrency_so_a_new_account_can_deploy_it():
    assert Settings.from_environment({}).reserved_concurrency == 0


def test_outside_dev_a_retention_under_a_year_is_refused():
    (problem,) = problems_of({**PROD, "PAYMENT_LOG_RETENTION_DAYS": "30"})
    assert problem.startswith("PAYMENT_LOG_RETENTION_DAYS='30' is too short for environment 'prod'")
    assert "365, 400, 545" in problem


def test_outside_dev_logs_may_be_kept_ten_years():
    settings = Settings.from_environment({**PROD, "PAYMENT_LOG_RETENTION_DAYS": "3653"})
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


@pytest.mark.slow
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


# --- ASCII only -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAYMENT_MAX_AMOUNT", "１０００"),  # passed \d, then every payment failed against it
        ("PAYMENT_MAX_AMOUNT", "١٠٠٠.٠٠"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "３０s"),  # was written into the JSON as is
        ("PAYMENT_KMS_PROPAGATION_WAIT", "30\u200bs"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "1000000µs"),
        ("PAYMENT_LOG_RETENTION_DAYS", "²"),  # isdigit() is True, int() raised its own message
        ("PAYMENT_LOG_RETENTION_DAYS", "３０"),
        ("PAYMENT_KEY_DELETION_WINDOW_DAYS", "७"),
        ("PAYMENT_RESERVED_CONCURRENCY", "５"),
        ("PAYMENT_ENVIRONMENT", "ｄｅｖ"),
        ("PAYMENT_AWS_REGION", "us-east-１"),
        ("PAYMENT_LEDGER_DELETION_PROTECTION", "ｔｒｕｅ"),
        ("PAYMENT_STATE_DIR", "état"),
    ],
)
def test_a_value_with_non_ascii_characters_is_refused_in_one_line(name, value):
    (problem,) = problems_of({name: value})
    assert problem == f"{name}={value!r} has non-ASCII characters; settings are ASCII only (digits 0-9)"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAYMENT_STATE_BUCKET", "ａcme-state"),
        ("PAYMENT_STATE_KEY_PREFIX", "état"),
        ("PAYMENT_STATE_REGION", "eu-west-２"),
    ],
)
def test_a_non_ascii_s3_backend_value_is_refused(name, value):
    base = {"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": "acme-state"}
    (problem,) = problems_of({**base, name: value})
    assert problem.startswith(f"{name}={value!r} has non-ASCII characters")


@pytest.mark.parametrize("text", ["３０s", "٣٠s", "30\u200bs", "１m", "1.５s"])
def test_a_go_duration_has_ascii_digits_only(text):
    with pytest.raises(ValueError):
        go_duration_seconds(text)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("PAYMENT_LOG_RETENTION_DAYS", "not a CloudWatch Logs retention"),
        ("PAYMENT_KEY_DELETION_WINDOW_DAYS", "from 7 to 30"),
        ("PAYMENT_RESERVED_CONCURRENCY", "reserved concurrency"),
        ("PAYMENT_MAX_AMOUNT", "positive decimal"),
        ("PAYMENT_KMS_PROPAGATION_WAIT", "Go duration"),
    ],
)
def test_a_5000_digit_number_is_refused_with_the_settings_own_rule(name, allowed):
    (problem,) = problems_of({name: "9" * 5000})
    assert allowed in problem
    assert "Exceeds the limit" not in problem


# --- long values are cut in the message ---------------------------------------------------------------------------

def test_a_long_value_is_cut_in_the_error_and_its_length_said():
    (problem,) = problems_of({"PAYMENT_ENVIRONMENT": "a" * 100_000})
    assert problem.startswith(f"PAYMENT_ENVIRONMENT={'a' * 100!r}… (100000 characters) is not an environment name")
    assert len(problem) < 500


def test_a_value_of_a_hundred_characters_is_shown_whole():
    value = "x" * 100
    (problem,) = problems_of({"PAYMENT_ENVIRONMENT": value.upper()})
    assert problem.startswith(f"PAYMENT_ENVIRONMENT={value.upper()!r} is not")


# --- S3 bucket names, as S3 names them ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("bucket", "why"),
    [
        ("192.168.5.4", "IP address"),
        ("10.0.0.1", "IP address"),
        ("xn--bcher-kva", "prefixes and suffixes"),
        ("sthree-state", "prefixes and suffixes"),
        ("sthree-configurator", "prefixes and suffixes"),
        ("amzn-s3-demo-bucket", "prefixes and suffixes"),
        ("state-s3alias", "prefixes and suffixes"),
        ("state--ol-s3", "prefixes and suffixes"),
        ("state.mrap", "prefixes and suffixes"),
        ("state--x-s3", "prefixes and suffixes"),
        ("state--table-s3", "prefixes and suffixes"),
        ("acme..state", "'..'"),
        ("acme.-state", "'.-'"),
        ("acme-.state", "'-.'"),
        ("-acme", "beginning and ending with a letter or digit"),
        ("acme-", "beginning and ending with a letter or digit"),
        (".acme", "beginning and ending with a letter or digit"),
        ("acme.", "beginning and ending with a letter or digit"),
        ("ab", "3-63"),
        ("a" * 64, "3-63"),
        ("acme_state", "S3 bucket name"),
        ("acme state", "S3 bucket name"),
    ],
)
def test_a_bucket_name_s3_refuses_is_refused_here_first(bucket, why):
    (problem,) = problems_of({"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": bucket})
    assert problem.startswith("PAYMENT_STATE_BUCKET=")
    assert "is not an S3 bucket name" in problem
    assert why in problem


@pytest.mark.parametrize("bucket", ["acme-state", "a.b.c", "1.2.3", "192.168.5.4.example", "abc", "a" * 63, "xn-a"])
def test_a_bucket_name_s3_accepts_is_accepted(bucket):
    settings = Settings.from_environment({"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": bucket})
    assert settings.backend.bucket == bucket


# --- the state folder survives make clean and synth ---------------------------------------------------------------

def make_clean_removes() -> set[str]:
    """The paths the Makefile's clean target hands to rm, read from the Makefile itself."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index("clean:")
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    removed = set()
    for command in recipe:
        words = command.split()
        assert words[0] == "rm", f"clean runs {command!r}: teach settings.REMOVED_BY_MAKE_CLEAN what it deletes"
        removed |= {word for word in words[1:] if not word.startswith("-")}
    return removed


def test_the_settings_know_everything_make_clean_deletes():
    assert make_clean_removes() == set(REMOVED_BY_MAKE_CLEAN)


def state_dir_problem(value, **extra):
    (problem,) = problems_of({"PAYMENT_STATE_DIR": value, **extra})
    assert problem.startswith(f"PAYMENT_STATE_DIR={value!r} ")
    return problem


@pytest.mark.parametrize("removed", REMOVED_BY_MAKE_CLEAN)
@pytest.mark.parametrize("spelling", ["{}", "{}/", "./{}", "{}/state", "{}/a/b/../c", "terraform-state/../{}/x"])
def test_a_state_folder_make_clean_would_delete_is_refused(removed, spelling):
    problem = state_dir_problem(spelling.format(removed))
    assert f"is inside {removed}, which make clean or the next synth deletes" in problem


def test_an_absolute_path_into_the_synth_output_is_refused():
    state_dir_problem(str(ROOT / "cdktf.out" / "state"))


def test_a_symlink_into_the_synth_output_is_refused(tmp_path):
    link = tmp_path / "state"
    link.symlink_to(ROOT / "cdktf.out" / "state")
    assert "is inside cdktf.out" in state_dir_problem(str(link))


def test_a_state_folder_reached_through_a_symlinked_synth_output_is_refused(tmp_path):
    # cdktf.out itself a symlink (as an atomic swap may leave it): its real folder is just as doomed.
    real = tmp_path / "real-out"
    real.mkdir()
    fake_root = tmp_path / "repo"
    fake_root.mkdir()
    (fake_root / "out").symlink_to(real)
    problem = state_dir_problem(str(real / "state"), CDKTF_OUTDIR=str(fake_root / "out"))
    assert "is inside CDKTF_OUTDIR" in problem


def test_a_state_folder_inside_a_custom_synth_output_is_refused(tmp_path):
    problem = state_dir_problem(str(tmp_path / "out" / "state"), CDKTF_OUTDIR=str(tmp_path / "out"))
    assert f"is inside CDKTF_OUTDIR={str(tmp_path / 'out')!r}" in problem


@pytest.mark.parametrize("value", [".", "./", "terraform-state/..", str(ROOT)])
def test_the_repository_folder_itself_is_refused_as_a_state_folder(value):
    assert "is the repository folder itself" in state_dir_problem(value)


@pytest.mark.parametrize("value", ["terraform-state", "cdktf.out-state", "state/cdktf.out.d", "../shared-state"])
def test_a_state_folder_outside_what_is_deleted_is_accepted(value):
    assert Settings.from_environment({"PAYMENT_STATE_DIR": value}).backend.state_dir == ROOT / value


def test_an_absolute_state_folder_elsewhere_is_accepted(tmp_path):
    settings = Settings.from_environment({"PAYMENT_STATE_DIR": str(tmp_path / "state")})
    assert settings.backend.state_dir == tmp_path / "state"


def test_a_mistyped_region_is_answered_with_the_closest_codes_and_where_the_list_is():
    (problem,) = problems_of({"PAYMENT_AWS_REGION": "us-east-9"})

    assert problem.startswith("PAYMENT_AWS_REGION='us-east-9' is not an AWS region code; the closest are ")
    assert {"us-east-1", "us-east-2"} <= set(problem.split("closest are ")[1].split(" (")[0].split(", "))
    assert f"(all {len(AWS_REGIONS)}: AWS_REGIONS in payment_settings/settings.py)" in problem
    assert "AWS_REGIONS = frozenset" in (ROOT / "payment_settings" / "settings.py").read_text()


def test_the_longest_answer_to_a_bad_region_stays_short():
    (problem,) = problems_of({"PAYMENT_AWS_REGION": "ap-southeast-9"})
    assert len(problem) <= 170 + len("'ap-southeast-9'")


def test_a_region_written_in_capitals_is_answered_with_the_code_in_lower_case_first():
    (problem,) = problems_of({"PAYMENT_AWS_REGION": "EU-WEST-1"})
    assert "the closest are eu-west-1, " in problem


def test_a_region_like_nothing_known_is_answered_with_examples():
    (problem,) = problems_of({"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": "acme-state",
                              "PAYMENT_STATE_REGION": "mars-1"})
    assert "PAYMENT_STATE_REGION='mars-1' is not an AWS region code; use one such as us-east-1 or eu-west-1" in problem


@given(value=st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=SHOWN_VALUE_CHARACTERS))
@hypothesis_settings(max_examples=examples(50), deadline=None)
def test_a_bad_region_is_one_short_line_suggesting_only_real_codes(value):
    assume(value not in AWS_REGIONS)
    (problem,) = problems_of({"PAYMENT_AWS_REGION": value})

    assert "\n" not in problem
    assert len(problem) - len(repr(value)) <= 170  # three of the longest codes at most: ap-southeast-9 reads 165
    suggested = problem.split("; ", 1)[1].split(" (all ")[0]
    assert all(code in AWS_REGIONS for code in re.findall(r"[a-z]{2}(?:-[a-z]+)+-[0-9]", suggested))
