"""`make deploy` / `make destroy` (tools/deploy.py) on the probe app, with a stand-in terraform that records its calls:
every refusal is one line and exit 2 before any terraform command; then init, plan -out, the summary, the question and
apply of the saved plan, stack by stack, encryption first (destroy: app first)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdktf_out.settings_record import RecordedSetting, SettingsRecord
from payment_settings.settings import DEPLOYMENT_SETTINGS
from tests.hypothesis_profile import examples
from tests.tools.deploy_trees import (
    call_arguments,
    calls,
    deployable,
    edit_settings_record,
    edit_stack,
    fake_terraform,
    probe_environment,
    synthesize_probe,
)
from tests.tools.deploy_trees import deploy_tool as deploy

pytestmark = pytest.mark.slow  # real processes: terraform, make, cdktf

PLAN = deploy.PLAN_FILE
ACCOUNT = "111122223333"


@pytest.fixture(scope="module")
def probe_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One synth of the probe app: (its tree, its state folder)."""
    base = tmp_path_factory.mktemp("probe")
    state = base / "state"
    return synthesize_probe(base / "cdktf.out", probe_environment(state)), state


@pytest.fixture
def tree(probe_tree, tmp_path, monkeypatch) -> Path:
    """A copy of the probe tree that passes every check, with this process's environment set as the synth's."""
    source, state = probe_tree
    outdir = Path(shutil.copytree(source, tmp_path / "cdktf.out"))
    env = probe_environment(state)
    for name in [n for n in sys.modules["os"].environ if n.startswith(("PAYMENT_", "CDKTF_", "AUTO_APPROVE"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return deployable(outdir, env)


@pytest.fixture
def terraform_log(tmp_path, monkeypatch) -> Path:
    script, log = fake_terraform(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{script.parent}:{sys.modules['os'].environ['PATH']}")
    monkeypatch.setenv("FAKE_TERRAFORM_LOG", str(log))
    return log


def run(capsys, *arguments: str, answer: str | None = None, monkeypatch=None) -> tuple[int, list[str], list[str]]:
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(answer or ""))
    status = deploy.main(list(arguments))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def refused(capsys, tree: Path, log: Path, command: str = "deploy") -> str:
    """The one line of a refusal, after checking it is exit 2 and that terraform never ran."""
    status, _, err = run(capsys, command, "--outdir", str(tree))
    assert (status, len(err), calls(log)) == (2, 1, []), err
    assert err[0].startswith("error: ")
    return err[0]


def redeployable(tree: Path) -> None:
    """After editing the tree: synthesized and reviewed again, as make synth and make review would."""
    deployable(tree, dict(sys.modules["os"].environ))


# Refusals, each before any terraform command.

def test_a_tree_no_review_judged_is_refused(tree, terraform_log, capsys):
    (tree / "review" / "verdict.json").unlink()
    assert "no review of" in refused(capsys, tree, terraform_log) and "make review ENV=dev" in refused(
        capsys, tree, terraform_log)


def test_a_tree_whose_review_failed_is_refused(tree, terraform_log, capsys):
    deployable(tree, dict(sys.modules["os"].environ), passed=False)
    assert "the review of" in refused(capsys, tree, terraform_log) and "failed (3 finding(s)" in refused(
        capsys, tree, terraform_log)


def test_a_review_of_another_tree_does_not_count(tree, terraform_log, capsys):
    judged = (tree / "review" / "verdict.json").read_text()
    edit_stack(tree, "app", lambda d: d["output"]["seen_key_arn"].update(description="changed after the review"))
    redeployable(tree)
    (tree / "review" / "verdict.json").write_text(judged)
    assert "judged another tree" in refused(capsys, tree, terraform_log)


def test_a_tree_changed_after_its_synth_is_refused_as_not_up_to_date(tree, terraform_log, capsys):
    edit_stack(tree, "app", lambda d: d["output"]["seen_key_arn"].update(description="edited by hand"))
    line = refused(capsys, tree, terraform_log)
    assert "is not up to date with the inputs" in line and "a deploy never synthesizes" in line


def test_a_setting_of_the_shell_that_differs_from_the_synths_is_refused_naming_both(tree, terraform_log, capsys,
                                                                                     monkeypatch):
    monkeypatch.setenv("PAYMENT_LOG_RETENTION_DAYS", "400")
    line = refused(capsys, tree, terraform_log)
    assert line.startswith("error: PAYMENT_LOG_RETENTION_DAYS='400' in this shell is not what the synth of ")
    assert "('1' from default)" in line


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(DEPLOYMENT_SETTINGS), value=st.text(min_size=1, max_size=30))
def test_any_deployment_setting_changed_in_the_shell_is_refused_before_terraform(tree, name, value):
    recorded = {s.name: s.value for s in deploy.read_settings(tree).settings}
    if recorded.get(name) == value:
        return  # the same value: not a change
    with pytest.raises(deploy.Refused, match=f"^{name}="):
        deploy.checked_target(tree, "main.py", {**sys.modules["os"].environ, name: value})


def test_a_tree_of_another_environment_is_refused(tree, terraform_log, capsys, monkeypatch):
    monkeypatch.setenv("PAYMENT_ENVIRONMENT", "prod")
    line = refused(capsys, tree, terraform_log)
    assert line == f"error: {tree} holds environment 'dev', but this shell selects 'prod': run make deploy ENV=dev " \
                   "(or synth and review 'prod' first)"


def test_a_provider_without_allowed_account_ids_is_refused_when_the_settings_name_an_account(
        tree, terraform_log, capsys):
    edit_settings_record(tree, "PAYMENT_AWS_ACCOUNT_ID", ACCOUNT)
    edit_stack(tree, "app", lambda d: d.setdefault("provider", {}).update(aws=[{"region": "eu-west-1"}]))
    redeployable(tree)
    assert refused(capsys, tree, terraform_log) == (
        f"error: the AWS provider of stack app has no allowed_account_ids, but the settings name account {ACCOUNT}: "
        "it could act in another account; synthesize again")


def test_a_provider_allowing_another_account_is_refused(tree, terraform_log, capsys):
    edit_settings_record(tree, "PAYMENT_AWS_ACCOUNT_ID", ACCOUNT)
    edit_stack(tree, "encryption", lambda d: d.setdefault("provider", {}).update(
        aws=[{"region": "eu-west-1", "allowed_account_ids": ["999988887777"]}]))
    redeployable(tree)
    assert "stack encryption names 999988887777, but the settings name account" in refused(
        capsys, tree, terraform_log)


def test_without_terraform_on_path_nothing_runs(tree, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    status, _, err = run(capsys, "deploy", "--outdir", str(tree))
    assert (status, err) == (2, ["error: terraform is not on PATH; install Terraform 1.11 or later"])


def test_destroy_refuses_while_the_ledger_has_deletion_protection(tree, terraform_log, capsys):
    edit_stack(tree, "app", lambda d: d.setdefault("resource", {}).update(aws_dynamodb_table={"ledger": {
        "name": "payment-ledger-dev", "deletion_protection_enabled": True}}))
    redeployable(tree)
    line = refused(capsys, tree, terraform_log, "destroy")
    assert line.startswith("error: payment-ledger-dev in stack app has deletion protection")
    assert "make destroy never turns it off" in line


# The saved-plan flow.

def test_deploy_plans_shows_and_applies_the_saved_plan_stack_by_stack_encryption_first(
        tree, terraform_log, capsys, monkeypatch):
    monkeypatch.setenv("AUTO_APPROVE", "1")
    status, out, err = run(capsys, "deploy", "--outdir", str(tree))
    assert (status, err) == (0, [])
    assert calls(terraform_log) == [(stack, step) for stack in ("encryption", "app")
                                    for step in ("init", "plan", "show", "apply")]
    for arguments in call_arguments(terraform_log):
        if arguments[0] == "plan":
            assert f"-out={PLAN}" in arguments and "-destroy" not in arguments
        if arguments[0] == "apply":
            assert arguments[-1] == PLAN, "apply takes the saved plan, nothing else"
    assert "    + terraform_data.in_app" in out and "1 to add, 0 to change, 0 to destroy" in out
    assert not list(tree.glob(f"stacks/*/{PLAN}")), "a saved plan holds secrets: removed once applied"


def test_without_auto_approve_yes_applies_after_the_summary(tree, terraform_log, capsys, monkeypatch):
    status, out, _ = run(capsys, "deploy", "--outdir", str(tree), answer="yes\nyes\n", monkeypatch=monkeypatch)
    assert status == 0
    assert [c for c in calls(terraform_log) if c[1] == "apply"] == [("encryption", "apply"), ("app", "apply")]
    summary = out.index("    + terraform_data.in_encryption")
    assert "Apply this plan to stack encryption of dev?" in out[summary + 2]


@pytest.mark.parametrize("answer", ["no\n", "y\n", "YES\n", ""], ids=["no", "y", "upper-case", "closed stdin"])
def test_anything_but_yes_applies_nothing_and_exits_1_in_one_line(tree, terraform_log, capsys, monkeypatch, answer):
    status, _, err = run(capsys, "deploy", "--outdir", str(tree), answer=answer, monkeypatch=monkeypatch)
    assert (status, err) == (1, ["error: not applied: the plan of stack encryption was not confirmed (nothing was "
                                 "applied)"])
    assert ("encryption", "apply") not in calls(terraform_log) and not list(tree.glob(f"stacks/*/{PLAN}"))


def test_declining_the_second_stack_says_the_first_was_applied(tree, terraform_log, capsys, monkeypatch):
    status, _, err = run(capsys, "deploy", "--outdir", str(tree), answer="yes\nno\n", monkeypatch=monkeypatch)
    assert (status, err) == (1, ["error: not applied: the plan of stack app was not confirmed (applied before it: "
                                 "encryption)"])


def test_a_plan_without_changes_is_neither_asked_about_nor_applied(tree, terraform_log, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM_PLAN_STATUS", "0")
    status, out, _ = run(capsys, "deploy", "--outdir", str(tree), answer="", monkeypatch=monkeypatch)
    assert status == 0
    assert calls(terraform_log) == [("encryption", "init"), ("encryption", "plan"), ("app", "init"), ("app", "plan")]
    assert "stack app: no changes" in out


def test_a_failed_apply_stops_before_the_next_stack(tree, terraform_log, capsys, monkeypatch):
    monkeypatch.setenv("AUTO_APPROVE", "1")
    monkeypatch.setenv("FAKE_TERRAFORM_FAIL", "encryption:apply")
    status, _, err = run(capsys, "deploy", "--outdir", str(tree))
    assert (status, err) == (1, ["error: terraform apply failed in stack encryption (nothing was applied)"])
    assert all(stack == "encryption" for stack, _ in calls(terraform_log))


def test_destroy_asks_for_the_environment_name_then_destroys_app_first_with_saved_plans(
        tree, terraform_log, capsys, monkeypatch):
    status, out, err = run(capsys, "destroy", "--outdir", str(tree), answer="dev\n", monkeypatch=monkeypatch)
    assert (status, err) == (0, [])
    assert "Type its name to go on" in out[0]
    assert calls(terraform_log) == [(stack, step) for stack in ("app", "encryption")
                                    for step in ("init", "plan", "show", "apply")]
    assert all("-destroy" in arguments for arguments in call_arguments(terraform_log) if arguments[0] == "plan")


@pytest.mark.parametrize("typed", ["prod\n", "\n", ""], ids=["another name", "empty", "closed stdin"])
def test_destroy_without_the_name_typed_back_runs_no_terraform(tree, terraform_log, capsys, monkeypatch, typed):
    monkeypatch.setenv("AUTO_APPROVE", "1")  # approves plans, never a destroy
    status, _, err = run(capsys, "destroy", "--outdir", str(tree), answer=typed, monkeypatch=monkeypatch)
    assert (status, err, calls(terraform_log)) == (1, ["error: not destroyed: the name typed is not 'dev'"], [])


def test_plan_summary_counts_replacements_as_an_add_and_a_destroy():
    plan = {"resource_changes": [
        {"address": "a.new", "change": {"actions": ["create"]}},
        {"address": "b.moved", "change": {"actions": ["delete", "create"]}},
        {"address": "c.edit", "change": {"actions": ["update"]}},
        {"address": "d.same", "change": {"actions": ["no-op"]}},
    ], "output_changes": {"arn": {"actions": ["update"]}, "same": {"actions": ["no-op"]}}}
    assert deploy.plan_summary(plan) == ["    + a.new", "  -/+ b.moved", "    ~ c.edit", "  outputs changing: arn",
                                         "2 to add, 1 to change, 1 to destroy"]


def test_the_state_bucket_tree_prints_the_lines_for_the_environment_file(tmp_path):
    outdir = tmp_path / "state-bucket.out"
    (outdir / "stacks" / "state-bucket").mkdir(parents=True)
    (outdir / "manifest.json").write_text(json.dumps({"stacks": {"state-bucket": {}}}))
    (outdir / "stacks" / "state-bucket" / "cdk.tf.json").write_text(json.dumps({
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {"aws_s3_bucket": {"bucket": {"bucket": "payment-state-prod-111122223333-eu-west-1"}}}}))
    assert deploy.backend_settings(outdir) == [
        "PAYMENT_STATE_BACKEND=s3", "PAYMENT_STATE_BUCKET=payment-state-prod-111122223333-eu-west-1",
        "PAYMENT_STATE_REGION=eu-west-1"]


# Through make, and through `cdktf deploy`.

@pytest.fixture(scope="module")
def made(probe_tree, tmp_path_factory) -> dict[str, tuple[int, str, str, list[tuple[str, str]]]]:
    """`make deploy` on an unreviewed tree, with a plan left unconfirmed, and with AUTO_APPROVE=1, run at once:
    {case: (status, stdout, stderr, terraform calls)}."""
    source, state = probe_tree
    base = tmp_path_factory.mktemp("make-deploy")
    runs = {}
    for case, extra in {"unreviewed": [], "unconfirmed": [], "approved": ["AUTO_APPROVE=1"]}.items():
        outdir = Path(shutil.copytree(source, base / case / "cdktf.out"))
        env = probe_environment(state)
        deployable(outdir, env)
        if case == "unreviewed":
            (outdir / "review" / "verdict.json").unlink()
        script, log = fake_terraform(base / case / "bin")
        env.update(PATH=f"{script.parent}:{env['PATH']}", FAKE_TERRAFORM_LOG=str(log), CDKTF_OUTDIR=str(outdir))
        env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        runs[case] = (subprocess.Popen(["make", "--no-print-directory", "deploy", *extra], cwd=deploy.ROOT, env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True), log)
    return {case: (run.wait(timeout=300), *run.communicate(), calls(log)) for case, (run, log) in runs.items()}


def test_make_deploy_exits_2_on_an_unreviewed_tree_before_terraform(made):
    status, _, err, ran = made["unreviewed"]
    assert (status, ran) == (2, [])
    assert err.splitlines()[0].startswith("error: no review of ") and len(err.splitlines()) <= 2  # + make's own


def test_make_deploy_exits_1_when_a_plan_is_not_confirmed(made):
    status, _, err, ran = made["unconfirmed"]
    assert (status, ran[-1]) == (1, ("encryption", "show"))
    assert "not applied: the plan of stack encryption was not confirmed" in err


def test_make_deploy_with_auto_approve_applies_both_stacks(made):
    status, out, err, ran = made["approved"]
    assert status == 0, out + err
    assert [c for c in ran if c[1] == "apply"] == [("encryption", "apply"), ("app", "apply")]


@pytest.mark.skipif(not (deploy.ROOT / "node_modules" / ".bin" / "cdktf").exists(), reason="needs `make deps`")
def test_cdktf_deploy_refuses_a_shell_that_disagrees_with_the_environment_file(tmp_path):
    """`cdktf deploy` synthesizes through main.py, which reads environments/prod.env: a shell value that says
    otherwise stops it with our one line, and terraform plans and applies nothing."""
    script, log = fake_terraform(tmp_path / "bin")
    env = probe_environment(tmp_path / "state", PAYMENT_ENVIRONMENT="prod", PAYMENT_LOG_RETENTION_DAYS="400",
                            PATH=f"{script.parent}:{sys.modules['os'].environ['PATH']}", FAKE_TERRAFORM_LOG=str(log))
    env.pop("PAYMENT_STATE_DIR")
    done = subprocess.run([str(deploy.ROOT / "node_modules" / ".bin" / "cdktf"), "deploy", "encryption", "app",
                           "--auto-approve", "--output", str(tmp_path / "out")], cwd=deploy.ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode != 0
    assert ("error: PAYMENT_LOG_RETENTION_DAYS='400' in the shell disagrees with environments/prod.env:9 ('365')"
            in done.stdout + done.stderr)
    assert not [c for c in calls(log) if c[1] in ("init", "plan", "apply")]


def test_after_bootstrap_the_file_is_told_which_lines_it_needs_unless_it_has_them():
    lines = ["PAYMENT_STATE_BACKEND=s3", "PAYMENT_STATE_BUCKET=b-1", "PAYMENT_STATE_REGION=eu-west-1"]
    fresh = SettingsRecord("staging", "environments/staging.env", ())
    assert deploy.what_to_put_in_the_file(fresh, lines) == [
        "Put these lines in environments/staging.env, and commit it:", *lines]
    done = SettingsRecord("staging", "environments/staging.env", tuple(
        RecordedSetting(*line.split("="), "environments/staging.env:4") for line in lines))
    assert deploy.what_to_put_in_the_file(done, lines) == [
        "environments/staging.env already points the stacks at this bucket."]
