"""Deliberate mistakes, and which tests catch each: python bench/mutations.py [--root DIR] [--only NAME ...].

Each mutation is a realistic one-line mistake in the code (an exact text replaced in one file). For each, the whole
suite runs on the mutated tree (`pytest -q`, nothing stops at the first failure) and the failing test ids are
recorded; the file is put back whatever happens. A run with no mutation comes first, so a test that fails anyway
(a missing tool) is not counted as catching anything. Results go to stdout and, as JSON, to --json.

A long run (the suite once per mutation): it belongs here, not in `make test`. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str


MUTATIONS = (
    Mutation("key policy condition: ArnLike instead of ArnEquals", "encrypted_logs/policy.py",
             '"Condition": {"ArnEquals": {LOGS_ENCRYPTION_CONTEXT_KEY:',
             '"Condition": {"ArnLike": {LOGS_ENCRYPTION_CONTEXT_KEY:'),
    Mutation("time_sleep wiring: triggers without the policy digest", "encrypted_logs/propagation.py",
             'triggers={"key_arn": key.arn, "policy_sha256": Fn.sha256(key.policy)}', 'triggers={"key_arn": key.arn}'),
    Mutation("state machine Retry: MaxAttempts 0", "payment_constructs/workflow_definition.py",
             '"MaxAttempts": 3,', '"MaxAttempts": 0,'),
    Mutation("ledger: PutItem without its condition", "handlers/processing.py",
             'ConditionExpression=f"attribute_not_exists({LEDGER_KEY})",', ""),
    Mutation("Luhn: doubled digits not reduced", "handlers/card_values.py",
             "doubled = sum(_DOUBLED[int(d)] for d in digits[-2::-2])",
             "doubled = sum(2 * int(d) for d in digits[-2::-2])"),
    Mutation("review logs-key rule: ArnLike accepted", "synth_review/rules/key_policy_rules.py",
             "if operator != EXACT_ARN_OPERATOR:", 'if operator not in (EXACT_ARN_OPERATOR, "ArnLike"):'),
    Mutation("synth lock: shared instead of exclusive", "tools/synth.py",
             "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)", "fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)"),
    # Meaning, not shape: one-line mistakes in the newer constructs and review code.
    Mutation("alarm: GreaterThanThreshold (a threshold of 1 then needs 2)", "payment_constructs/alarms.py",
             'comparison_operator="GreaterThanOrEqualToThreshold",', 'comparison_operator="GreaterThanThreshold",'),
    Mutation("dashboard: the conflicts widget plots the rejections", "payment_constructs/dashboard.py",
             '[[alarms.conflicts.namespace, alarms.conflicts.metric_name]]',
             '[[alarms.rejections.namespace, alarms.rejections.metric_name]]'),
    Mutation("config recorder: delivery allowed outside AWSLogs/<account>/Config",
             "payment_constructs/config_recorder.py",
             'f"{bucket.arn}/{DELIVERY_PREFIX}/{ctx.account_id}/*"', 'f"{bucket.arn}/{DELIVERY_PREFIX}/*"'),
    Mutation("compliance rule: resourceType misspelt", "payment_constructs/log_encryption_monitor.py",
             'LOG_GROUP_RESOURCE_TYPE = "AWS::Logs::LogGroup"',
             'LOG_GROUP_RESOURCE_TYPE = "AWS::CloudWatch::LogGroup"'),
    Mutation("compliance rule: detail-type misspelt", "payment_constructs/log_encryption_monitor.py",
             '"detail-type": ["Config Rules Compliance Change"]', '"detail-type": ["Config Rule Compliance Change"]'),
    Mutation("acknowledgement: a name matches by prefix", "synth_review/change/acknowledgement.py",
             "matches = [c for c in destructive if name in (c.name, c.subject)]",
             "matches = [c for c in destructive if c.name.startswith(name) or c.subject.startswith(name)]"),
    Mutation("key flow: a whole triggers map followed to its first value only", "synth_review/rules/wait_rules.py",
             "chosen = list(triggers.items())", "chosen = list(triggers.items())[:1]"),
)

_FAILED = re.compile(r"^(?:FAILED|ERROR) (tests/.+?)(?: - .*)?$")  # not a captured log line "ERROR    moto..."


def run_suite(root: Path, env: dict[str, str], extra: list[str]) -> tuple[set[str], str, float]:
    started = time.monotonic()
    done = subprocess.run([str(root / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-rfE", *extra],
                          cwd=root, env=env, capture_output=True, text=True, check=False)
    failing = {m.group(1) for line in done.stdout.splitlines() if (m := _FAILED.match(line))}
    summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    return failing, summary, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to mutate (set up: .venv and the rest)")
    parser.add_argument("--only", nargs="*", help="run only the mutations whose name starts with one of these")
    parser.add_argument("--json", type=Path, default=Path("mutations.json"))
    parser.add_argument("--pytest-args", default="", help="more pytest arguments, e.g. '-n 2 --dist loadscope'")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_")) and k != "PYTEST_ADDOPTS"}
    chosen = [m for m in MUTATIONS if not args.only or any(m.name.startswith(o) for o in args.only)]
    for mutation in chosen:  # every anchor must be there before anything runs
        text = (args.root / mutation.path).read_text()
        if text.count(mutation.old) != 1:
            print(f"error: {mutation.path}: {mutation.old!r} found {text.count(mutation.old)} times", file=sys.stderr)
            return 2
    extra = args.pytest_args.split()
    baseline, summary, seconds = run_suite(args.root, env, extra)
    print(f"no mutation: {summary} ({seconds:.0f} s); failing anyway: {sorted(baseline) or 'none'}", flush=True)
    results = {"baseline": sorted(baseline)}
    for mutation in chosen:
        path = args.root / mutation.path
        original = path.read_text()
        try:
            path.write_text(original.replace(mutation.old, mutation.new))
            failing, summary, seconds = run_suite(args.root, env, extra)
        finally:
            path.write_text(original)
        caught = sorted(failing - baseline)
        results[mutation.name] = caught
        print(f"\n{mutation.name}: {len(caught)} test(s) fail ({summary}, {seconds:.0f} s)", flush=True)
        for test in caught:
            print(f"  {test}")
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
