"""checkov over the synthesized Terraform JSON, from its own tool venv, with the skips a reviewer can read.

checkov runs from `.tools/checkov` (Makefile), not the project venv: its dependency pins conflict with the project's.
Skips that hold for every environment live in `.checkov.yaml`, one check per line with its reason as a comment;
DEV_ONLY_SKIPS below hold for a dev synth alone, STATE_BUCKET_SKIPS for the state bucket's tree alone. checkov does
not run a skipped check at all, so the review lists the skips from here rather than from checkov's output.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth_review.findings import Finding

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "checkov": "checkov ran, parsed every stack and failed no check",
    "checkov-skip": "every checkov skip gives its reason",
}

ROOT = Path(__file__).resolve().parents[2]
CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
CONFIG = ROOT / ".checkov.yaml"
TIMEOUT_SECONDS = 300
# Named here, not imported: the review judges a tree and imports nothing of the app that made it. The app's dev
# environment (payment_settings' DEV_ENVIRONMENT) and `make bootstrap-state`'s stack (stack_contract); a test holds
# each equal to the app's.
DEV_ENVIRONMENT = "dev"
STATE_BUCKET_STACK = "state-bucket"

_SKIP_LINE = re.compile(r"^\s*-\s*(?P<check>CKV2?_[A-Z0-9_]+)\s*(?:#\s*(?P<reason>.*\S))?\s*$")


class CheckovError(Exception):
    """checkov could not give a verdict (missing, crashed, unreadable output); never mistaken for a pass."""


@dataclass(frozen=True)
class Skip:
    check: str
    reason: str


@dataclass(frozen=True)
class Failure:
    check: str
    name: str
    resource: str  # checkov's id for the block; cdktf JSON makes it "resource.<name>"
    file: str
    lines: tuple[int, int]

    def line(self) -> str:
        return f"{self.check} {self.resource} ({self.file}:{self.lines[0]}-{self.lines[1]}): {self.name}"


@dataclass(frozen=True)
class CheckovResult:
    passed_files: tuple[str, ...]  # one entry per passed check result, so passes can be counted per stack
    failed: tuple[Failure, ...]
    parsing_errors: tuple[str, ...]
    skips: tuple[Skip, ...]
    version: str

    @property
    def passed(self) -> int:
        return len(self.passed_files)


# What a dev environment does differently on purpose; outside dev these checks run, and settings make them pass
# (payment_settings/settings.py refuses a retention under 365 days and a reserved concurrency of 0 there).
DEV_ONLY_SKIPS = (
    Skip("CKV_AWS_115", "dev reserves no concurrency: a new account (limit 10) cannot reserve any"),
    Skip("CKV_AWS_338", "dev keeps logs 1 day on purpose; outside dev settings refuse less than 365 days"),
)


# The state bucket's tree (`make bootstrap-state`) alone: SSE-S3 there is a choice (payment_constructs/state_bucket.py),
# while every other bucket of the project must keep its KMS default.
STATE_BUCKET_SKIPS = (
    Skip("CKV_AWS_145", "Terraform's S3 backend writes each state object with SSE-S3 unless it names a KMS key, so a "
                        "KMS default on the state bucket would never reach the state; SSE-S3 is the bucket default"),
)


def synthesized_environments(outdir: Path) -> set[str]:
    """The environment tag every stack's AWS provider puts on its resources."""
    environments = set()
    for stack_file in outdir.glob("stacks/*/cdk.tf.json"):
        for provider in json.loads(stack_file.read_text()).get("provider", {}).get("aws", []):
            for tags in provider.get("default_tags", []):
                environments.add(tags.get("tags", {}).get("environment", ""))
    return environments


def skips_for(outdir: Path, config: Path = CONFIG) -> list[Skip]:
    """The skips in force for this synth: the config's, plus the dev-only ones when it is a dev synth."""
    skips = configured_skips(config)
    if DEV_ENVIRONMENT in synthesized_environments(outdir):
        skips += DEV_ONLY_SKIPS
    if {stack.parent.name for stack in outdir.glob("stacks/*/cdk.tf.json")} == {STATE_BUCKET_STACK}:
        skips += STATE_BUCKET_SKIPS
    return skips


def configured_skips(config: Path = CONFIG) -> list[Skip]:
    """The `skip-check` entries of the config, each with the reason written beside it."""
    skips, inside = [], False
    for line in config.read_text().splitlines():
        if re.match(r"^[\w-]+:", line):
            inside = line.startswith("skip-check:")
            continue
        match = _SKIP_LINE.match(line) if inside else None
        if match:
            skips.append(Skip(match.group("check"), match.group("reason") or ""))
    return skips


def run_checkov(outdir: Path, checkov: Path = CHECKOV, config: Path = CONFIG) -> CheckovResult:
    if not checkov.exists():
        raise CheckovError(f"{checkov} is missing; `make review` and `make test` install it")
    skips = skips_for(outdir, config)
    try:
        done = subprocess.run(
            # --skip-check on the command line replaces the config file's list, so it carries all of them.
            [str(checkov), "--directory", str(outdir), "--config-file", str(config), "--output", "json",
             "--skip-check", ",".join(skip.check for skip in skips)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        raise CheckovError(f"checkov took longer than {TIMEOUT_SECONDS} s") from None
    reports = _reports(done.stdout, done.stderr)
    failed = tuple(_failure(check) for report in reports for check in report["results"].get("failed_checks", []))
    return CheckovResult(
        passed_files=tuple(
            check.get("file_path", "?").lstrip("/")
            for report in reports
            for check in report["results"].get("passed_checks", [])
        ),
        failed=failed,
        parsing_errors=tuple(e for report in reports for e in report["results"].get("parsing_errors", [])),
        skips=tuple(skips),
        version=reports[0]["summary"].get("checkov_version", "?") if reports else "?",
    )


def _reports(stdout: str, stderr: str) -> list[dict[str, Any]]:
    """checkov prints one report per framework (a list when several ran) and an empty-summary object for none."""
    try:
        parsed = json.loads(stdout)
    except json.JSONDecodeError:
        tail = (stderr.strip() or stdout.strip()).splitlines()[-1:] or ["no output"]
        raise CheckovError(f"checkov gave no JSON report: {tail[0]}") from None
    reports = parsed if isinstance(parsed, list) else [parsed]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def _failure(check: dict[str, Any]) -> Failure:
    first, last = (check.get("file_line_range") or [0, 0])[:2]
    return Failure(
        check=check["check_id"],
        name=check.get("check_name", ""),
        resource=check.get("resource", "?"),
        file=check.get("file_path", "?").lstrip("/"),
        lines=(first, last),
    )


def checkov_findings(checkov: CheckovResult | None, checkov_error: str | None) -> list[Finding]:
    found = []
    if checkov_error:
        found.append(Finding("checkov", "-", "checkov", f"not run: {checkov_error}"))
    if checkov is not None:
        found += [Finding("checkov", _stack_of(f.file), f.check, f"{f.resource}: {f.name}") for f in checkov.failed]
        found += [Finding("checkov", "-", "checkov", f"could not parse {e}") for e in checkov.parsing_errors]
        found += [Finding("checkov-skip", "-", s.check, "skipped without a reason in .checkov.yaml")
                  for s in checkov.skips if not s.reason]
    return found


def _stack_of(file: str) -> str:
    parts = file.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "stacks" else file
