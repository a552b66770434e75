"""`make deploy`, `make destroy`, `make bootstrap-state`: apply exactly the tree a passing review judged, with
Terraform's saved plans (`plan -out`, then `apply` of that plan), the way `cdk deploy --app cdk.out` deploys a cloud
assembly without synthesizing again.

    python tools/deploy.py deploy  [--outdir DIR] [--app SCRIPT] [--auto-approve]
    python tools/deploy.py destroy [--outdir DIR] [--app SCRIPT]
    python tools/deploy.py bootstrap [--outdir DIR] [--auto-approve]    synth, review, deploy the state bucket

It never synthesizes (bootstrap aside). Before any Terraform command it refuses, with one line and exit 2, a tree
that is not up to date with the inputs (tools/synth_inputs.py: the sources, the environment's file, every PAYMENT_*
variable of this shell), that no passing `make review` judged (synth_review/verdict.py), or whose AWS providers could
act in another account than the settings name (`allowed_account_ids`); `destroy` also refuses while the ledger has
deletion protection. Then per stack, in deploy order (destroy: the reverse): `terraform init`, `plan -out`, the
plan's summary, a confirmation ("yes"; AUTO_APPROVE=1 or --auto-approve skips it; destroy asks for the environment's
name once, or takes it from CONFIRM_ENVIRONMENT), `apply` of the saved plan.

Exit status: 0 applied (or nothing to change); 1 Terraform failed, or a plan was not confirmed (the stacks before it
stay applied, and the line says which); 2 refused before any Terraform command ran; 130 interrupted (Terraform is
let finish its own clean stop first).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import synth
import synth_inputs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_out.outdir import default_outdir  # noqa: E402
from cdktf_out.settings_record import SettingsRecord, SettingsRecordError  # noqa: E402
from cdktf_out.settings_record import read as read_settings  # noqa: E402
from cdktf_out.tree import Stack, SynthesizedApp, SynthesizedTreeError, load  # noqa: E402
from payment_constructs.stack_contract import STATE_BUCKET_STACK  # noqa: E402
from payment_settings.settings import ENVIRONMENT_SETTING, TOOL_SWITCHES  # noqa: E402
from synth_review import verdict  # noqa: E402

EXIT_FAILED = 1
EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130
PLAN_FILE = ".terraform/deploy.tfplan"  # inside Terraform's working folder, which the stamp does not cover
STATE_BUCKET_OUTDIR = "state-bucket.out"
STATE_BUCKET_APP = "bootstrap_state.py"
# What each of Terraform's planned actions reads as in the summary.
ACTION_MARKS = {("create",): "+", ("update",): "~", ("delete",): "-", ("delete", "create"): "-/+",
                ("create", "delete"): "+/-", ("read",): "<="}


class Refused(Exception):
    """The tree may not be deployed; the message is the one line that says why and what to do."""


class Stopped(Exception):
    """Terraform failed, or a plan was not confirmed: exit 1 with this line."""


@dataclass(frozen=True)
class Target:
    """A synthesized tree as the deploy sees it."""

    app: SynthesizedApp
    settings: SettingsRecord
    script: str

    @property
    def environment(self) -> str:
        return self.settings.environment

    def command(self, goal: str) -> str:
        """The make command a person types for this tree: the state bucket's tree is made by one goal."""
        goal = "bootstrap-state" if self.script == STATE_BUCKET_APP else goal
        return f"make {goal} ENV={self.environment}"


def checked_target(outdir: Path, script: str, environ: dict[str, str]) -> Target:
    """The tree, once every check that needs no Terraform has passed; Refused otherwise."""
    try:
        app = load(outdir)
        settings = read_settings(outdir)
    except (SynthesizedTreeError, SettingsRecordError) as error:
        raise Refused(str(error)) from None
    target = Target(app, settings, script)
    synth_goal, review_goal = target.command("synth"), target.command("review")
    selected = environ.get(ENVIRONMENT_SETTING, "dev")
    if selected != target.environment:
        raise Refused(f"{outdir} holds environment {target.environment!r}, but this shell selects {selected!r}: run "
                      f"{target.command('deploy')} (or synth and review {selected!r} first)")
    _check_shell(target, environ)
    if not synth_inputs.is_fresh(outdir, environ=environ, app=script):
        raise Refused(f"{outdir} is not up to date with the inputs (the sources, {settings.file or 'the settings'} "
                      "or a PAYMENT_* variable of this shell changed since the synth): run "
                      f"{_both(synth_goal, review_goal)}; a deploy never synthesizes")
    judged = verdict.read(outdir)
    if judged is None:
        raise Refused(f"no review of {outdir} is recorded: run {review_goal} first; only a tree a passing review "
                      "judged is deployed")
    if judged.tree != verdict.tree_digest(outdir):
        raise Refused(f"the review recorded in {outdir}/review/ judged another tree: run {review_goal} again")
    if not judged.passed:
        raise Refused(f"the review of {outdir} failed ({judged.findings} finding(s), {outdir}/review/review.txt): "
                      f"fix them, then run {_both(synth_goal, review_goal)}")
    _check_account(target)
    return target


def _check_shell(target: Target, environ: dict[str, str]) -> None:
    """A PAYMENT_* setting of this shell that is not what the synth used: the commonest stale tree, said precisely."""
    recorded = {s.name: s for s in target.settings.settings}
    for name in sorted(environ):
        if not name.startswith("PAYMENT_") or name in TOOL_SWITCHES or name == ENVIRONMENT_SETTING:
            continue
        used = recorded.get(name)
        if used is None or used.value != environ[name]:
            was = f"{used.value!r} from {used.origin}" if used else "not used"
            raise Refused(f"{name}={environ[name]!r} in this shell is not what the synth of {target.app.outdir} used "
                          f"({was}): unset it, or change {target.settings.file or 'the settings'} and run "
                          f"{_both(target.command('synth'), target.command('review'))}")


def _both(first: str, then: str) -> str:
    return first if first == then else f"{first}, then {then}"


def _check_account(target: Target) -> None:
    """Every AWS provider must refuse other accounts than the one the settings name: Terraform then checks the
    credentials' account itself, before it changes anything."""
    account = target.settings.value("PAYMENT_AWS_ACCOUNT_ID") or ""
    for stack in target.app.stacks:
        for provider in _aws_providers(stack):
            allowed = provider.get("allowed_account_ids")
            if account and allowed != [account]:
                where = f"names {', '.join(map(str, allowed))}" if allowed else "has no allowed_account_ids"
                raise Refused(f"the AWS provider of stack {stack.name} {where}, but the settings name account "
                              f"{account}: it could act in another account; synthesize again")
            if not account and allowed:
                raise Refused(f"the AWS provider of stack {stack.name} allows {', '.join(map(str, allowed))}, but "
                              "the settings name no account: synthesize again")


def _aws_providers(stack: Stack) -> list[dict[str, Any]]:
    blocks = stack.document.get("provider", {}).get("aws", [])
    return [b for b in (blocks if isinstance(blocks, list) else [blocks]) if isinstance(b, dict)]


def refuse_protected_ledger(target: Target) -> None:
    for stack in target.app.stacks:
        for table in stack.resources("aws_dynamodb_table"):
            if table.body.get("deletion_protection_enabled") in (True, "true"):
                setting = next((s for s in target.settings.settings
                                if s.name == "PAYMENT_LEDGER_DELETION_PROTECTION"), None)
                origin = f" ({setting.origin})" if setting else ""
                raise Refused(f"{table.body.get('name', table.address)} in stack {stack.name} has deletion "
                              f"protection{origin}: set PAYMENT_LEDGER_DELETION_PROTECTION=false for "
                              f"{target.environment}, then synth, review and deploy that first; make destroy never "
                              "turns it off")


class Terraform:
    """Runs terraform in a stack's folder, its output going to the user; an interrupt lets terraform stop itself."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
        self.interrupted = False

    def run(self, stack: Stack, *arguments: str, capture: bool = False) -> tuple[int, str]:
        process = subprocess.Popen([self.executable, *arguments], cwd=stack.working_dir, env=self.env,
                                   stdout=subprocess.PIPE if capture else None, text=True)
        while True:
            try:
                out, _ = process.communicate()
                break
            except KeyboardInterrupt:
                # terraform received the same Ctrl-C and stops cleanly (state written, lock released): wait for it.
                self.interrupted = True
        if self.interrupted:
            raise KeyboardInterrupt
        return process.returncode, out or ""


def plan_summary(plan: dict[str, Any]) -> list[str]:
    """What a saved plan would do, a line per changed resource and a count, from `terraform show -json`."""
    counts = {"add": 0, "change": 0, "destroy": 0}
    lines = []
    for change in plan.get("resource_changes", []):
        actions = tuple(change.get("change", {}).get("actions", []))
        if actions in (("no-op",), ("read",)):
            continue
        counts["add"] += "create" in actions
        counts["change"] += actions == ("update",)
        counts["destroy"] += "delete" in actions
        lines.append(f"  {ACTION_MARKS.get(actions, '?'):>3} {change.get('address')}")
    outputs = [name for name, change in plan.get("output_changes", {}).items()
               if change.get("actions") not in (["no-op"], None)]
    summary = f"{counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy"
    return [*lines, f"  outputs changing: {', '.join(sorted(outputs))}" if outputs else "", summary]


def apply_stacks(target: Target, stacks: Sequence[Stack], terraform: Terraform, *, destroy: bool,
                 auto_approve: bool) -> None:
    applied: list[str] = []
    for stack in stacks:
        verb = "destroy" if destroy else "deploy"
        print(f"=== {verb} stack {stack.name} (environment {target.environment}) ===", flush=True)
        if terraform.run(stack, "init", "-input=false")[0]:
            raise Stopped(f"terraform init failed in stack {stack.name}{_done(applied)}")
        plan_file = stack.working_dir / PLAN_FILE
        status = terraform.run(stack, "plan", "-input=false", "-detailed-exitcode", f"-out={PLAN_FILE}",
                               *(["-destroy"] if destroy else []))[0]
        if status not in (0, 2):
            raise Stopped(f"terraform plan failed in stack {stack.name}{_done(applied)}")
        if status == 0:
            print(f"stack {stack.name}: no changes", flush=True)
            plan_file.unlink(missing_ok=True)
            continue
        shown, out = terraform.run(stack, "show", "-json", PLAN_FILE, capture=True)
        try:
            summary = plan_summary(json.loads(out)) if shown == 0 else None
        except json.JSONDecodeError:
            summary = None
        if summary is None:
            raise Stopped(f"terraform show could not read the saved plan of stack {stack.name}{_done(applied)}")
        print(f"Plan of stack {stack.name}:", *[line for line in summary if line], sep="\n", flush=True)
        if not auto_approve and not _confirmed(f"Apply this plan to stack {stack.name} of {target.environment}? "
                                               "Only 'yes' applies it: "):
            plan_file.unlink(missing_ok=True)
            raise Stopped(f"not applied: the plan of stack {stack.name} was not confirmed{_done(applied)}")
        try:
            if terraform.run(stack, "apply", "-input=false", PLAN_FILE)[0]:
                raise Stopped(f"terraform apply failed in stack {stack.name}{_done(applied)}")
        finally:
            plan_file.unlink(missing_ok=True)  # a saved plan holds the values it sets, sensitive ones included
        applied.append(stack.name)


def _done(applied: list[str]) -> str:
    return f" (applied before it: {', '.join(applied)})" if applied else " (nothing was applied)"


def _confirmed(question: str) -> bool:
    print(question, end="", flush=True)
    try:
        answer = input()
    except EOFError:
        print("\nno answer (stdin is closed): set AUTO_APPROVE=1 to apply without asking", flush=True)
        return False
    return answer.strip() == "yes"


def confirm_destroy(target: Target, environ: dict[str, str]) -> bool:
    name = environ.get("CONFIRM_ENVIRONMENT")
    if name is None:
        print(f"This destroys environment {target.environment} ({', '.join(s.name for s in target.app.stacks)}). "
              "Type its name to go on: ", end="", flush=True)
        try:
            name = input().strip()
        except EOFError:
            name = ""
    return name == target.environment


def backend_settings(outdir: Path) -> list[str]:
    """The lines that point an environment's stacks at the bucket this state-bucket tree creates."""
    stack = load(outdir).stack(STATE_BUCKET_STACK)
    _, bucket = stack.only("aws_s3_bucket")
    region = _aws_providers(stack)[0].get("region")
    return ["PAYMENT_STATE_BACKEND=s3", f"PAYMENT_STATE_BUCKET={bucket['bucket']}", f"PAYMENT_STATE_REGION={region}"]


@contextlib.contextmanager
def _held(outdir: Path) -> Iterator[None]:
    """The synth's own lock on the folder: no synth swaps the tree while it is being applied."""
    with synth.exclusive_lock(outdir):
        yield


def deploy(outdir: Path, script: str, *, destroy: bool, auto_approve: bool) -> int:
    environ = dict(os.environ)
    with _held(outdir):
        target = checked_target(outdir, script, environ)
        if destroy:
            refuse_protected_ledger(target)
        executable = shutil.which("terraform")
        if executable is None:
            raise Refused("terraform is not on PATH; install Terraform 1.11 or later")
        if destroy and not confirm_destroy(target, environ):
            raise Stopped(f"not destroyed: the name typed is not {target.environment!r}")
        stacks = list(reversed(target.app.stacks)) if destroy else list(target.app.stacks)
        apply_stacks(target, stacks, Terraform(executable), destroy=destroy, auto_approve=auto_approve or destroy)
    print(f"{'destroyed' if destroy else 'deployed'}: {', '.join(s.name for s in stacks)} "
          f"(environment {target.environment})")
    return 0


def bootstrap(outdir: Path, auto_approve: bool) -> int:
    """The state bucket: synthesize, review (it must pass), deploy, then say what the environment file needs."""
    python = sys.executable
    synthesized = subprocess.run([python, str(ROOT / "tools" / "synth.py"), "--outdir", str(outdir),
                                  "--app", STATE_BUCKET_APP], check=False)
    if synthesized.returncode:
        return synthesized.returncode
    reviewed = subprocess.run([python, "-m", "synth_review", "--outdir", str(outdir)], cwd=ROOT, check=False,
                              stdout=subprocess.DEVNULL)
    if reviewed.returncode:
        print(f"error: the review of the state bucket failed: see {outdir}/review/review.txt", file=sys.stderr)
        return reviewed.returncode
    status = deploy(outdir, STATE_BUCKET_APP, destroy=False, auto_approve=auto_approve)
    print(*what_to_put_in_the_file(read_settings(outdir), backend_settings(outdir)), sep="\n")
    return status


def what_to_put_in_the_file(recorded: SettingsRecord, lines: list[str]) -> list[str]:
    """The backend lines the environment's file needs, or that it has them already."""
    file = recorded.file or f"environments/{recorded.environment}.env"
    if all(recorded.value(line.split("=", 1)[0]) == line.split("=", 1)[1] for line in lines):
        return [f"{file} already points the stacks at this bucket."]
    return [f"Put these lines in {file}, and commit it:", *lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/deploy.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("deploy", "destroy", "bootstrap"))
    parser.add_argument("--outdir", type=Path)
    parser.add_argument("--app", default=synth_inputs.MAIN_APP, choices=synth.APPS)
    parser.add_argument("--auto-approve", action="store_true", default=os.environ.get("AUTO_APPROVE", "").lower()
                        in ("1", "true", "yes"))
    args = parser.parse_args(argv)
    try:
        if args.command == "bootstrap":
            return bootstrap(args.outdir or Path(STATE_BUCKET_OUTDIR), args.auto_approve)
        outdir = args.outdir or default_outdir()
        return deploy(outdir, args.app, destroy=args.command == "destroy", auto_approve=args.auto_approve)
    except Refused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    except Stopped as stop:
        print(f"error: {stop}", file=sys.stderr)
        return EXIT_FAILED
    except synth.SynthError as error:  # the folder's lock could not be taken
        print(f"error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("interrupted: Terraform stopped; run make deploy again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
