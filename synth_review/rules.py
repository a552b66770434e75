"""Every rule the review enforces, in one place, so the verdict and the exit status cannot disagree."""

from __future__ import annotations

from synth_review.alerts import alert_findings
from synth_review.checkov_gate import CheckovResult
from synth_review.findings import Finding
from synth_review.iam import iam_findings
from synth_review.log_groups import log_group_findings
from synth_review.state_machine import state_machine_findings
from synth_review.synthesized import SynthesizedApp


def findings(app: SynthesizedApp, checkov: CheckovResult | None, checkov_error: str | None) -> list[Finding]:
    found = log_group_findings(app) + iam_findings(app) + state_machine_findings(app) + alert_findings(app)
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
