"""The review a platform engineer reads before approving a deploy, assembled from the synthesized JSON.

Each section answers one question a reviewer asks about a stack; the verdict at the end lists every rule that
failed. The text goes to the terminal and, unchanged, to cdktf.out/review/review.txt.
"""

from __future__ import annotations

import os

from cdktf_out.cross_stack import cross_stack_values
from cdktf_out.routes import KMS_KEY
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding
from synth_review.report.aws_names import aws_name
from synth_review.report.effective_access import effective_access_lines
from synth_review.report.settings_section import settings_section
from synth_review.report.table import WIDTH, Cell, fit, table, wrap
from synth_review.rules.checkov_rules import CheckovResult, Failure
from synth_review.rules.iam_rules import statement_rows
from synth_review.rules.key_access_rules import KeyAccess, key_accesses
from synth_review.rules.log_group_rules import log_group_rows
from synth_review.rules.state_machine_rules import machines
from synth_review.rules.wait_rules import key_uses, own_sleep

# The marks of the STATUS columns and the statements, explained once before their first use.
LEGEND = ("Marks: ok = passes every rule; allowed = a wildcard (*action, *resource) the rules accept; "
          "FAIL = see the verdict")


def render(app: SynthesizedApp, findings: list[Finding], checkov: CheckovResult | None, checkov_note: str) -> str:
    order = " -> ".join(s.name for s in app.stacks)
    lines = [f"Deployment review of {app.outdir} ({len(app.stacks)} stacks, deploy order: {order})", LEGEND, ""]
    lines += settings_section(app.outdir)
    accesses = key_accesses(app)
    for stack in app.stacks:
        lines += _stack_section(app, stack, checkov, findings, accesses)
    lines += _checkov_section(app, checkov, checkov_note)
    lines += _verdict(findings)
    return "\n".join(fit(lines)) + "\n"


def _stack_section(app: SynthesizedApp, stack: Stack, checkov: CheckovResult | None,
                   findings: list[Finding], accesses: list[KeyAccess]) -> list[str]:
    lines = [f"=== stack {stack.name} ===", ""]
    lines += _backend(stack)
    lines += ["", "Resources by type", *_inventory(stack)]
    lines += ["", "Cross-stack values read (each with the time_sleep it passes through and what uses it)",
              *_cross_stack(app, stack)]
    lines += ["", "KMS keys", *_keys(app, stack, findings)]
    if stack.resources(KMS_KEY):
        lines += ["", "Who can use each key (a row per policy statement; the tally: requests AWS makes allowed, "
                  "everyone else's refused)", *effective_access_lines(accesses, stack.name)]
    lines += ["", "Log groups", *_log_groups(app, stack)]
    lines += ["", "IAM and key-policy statements (flags: *action = wildcard action, *resource = \"Resource\": \"*\")"]
    lines += _iam(app, stack, findings)
    lines += _state_machines(app, stack)
    if checkov is not None:
        prefix = f"stacks/{stack.name}/"
        passed = sum(1 for f in checkov.passed_files if f.startswith(prefix))
        failed = sum(1 for f in checkov.failed if f.file.startswith(prefix))
        lines += ["", f"checkov: {passed} passed, {failed} failed"]
    return [*lines, "", ""]


def _backend(stack: Stack) -> list[str]:
    kind, config = stack.backend
    if kind == "local":
        resolved = os.path.normpath(os.path.join(os.path.abspath(stack.working_dir), config.get("path", "")))
        where = _relative(resolved)
        detail = f"path {config.get('path')!r} resolved from {_relative(str(stack.working_dir))}"
    elif kind == "s3":
        where = f"s3://{config.get('bucket')}/{config.get('key')} ({config.get('region', '?')})"
        detail = f"encrypt={config.get('encrypt', False)}, use_lockfile={config.get('use_lockfile', False)}"
    else:
        where, detail = kind, ", ".join(f"{k}={v}" for k, v in sorted(config.items()))
    deps = ", ".join(stack.dependencies) or "(none)"
    return [f"Backend: {kind}; state lives at {where}", f"  {detail}", f"Deployed after: {deps}"]


def _inventory(stack: Stack) -> list[str]:
    """A line per type with its count, then a line per resource: its logical id and the name AWS shows for it."""
    by_type: dict[str, list[Block]] = {}
    for block in stack.blocks():
        by_type.setdefault(f"{'data ' if block.is_data else ''}{block.type}", []).append(block)
    rows: list[list[Cell]] = []
    for kind, blocks in by_type.items():
        rows.append([f"{kind} ({len(blocks)})", ""])
        rows += [[f"  {block.name}", aws_name(stack, block) or "-"] for block in blocks]
    return table(["TYPE (COUNT) / LOGICAL ID", "NAME IN AWS"], rows, width=WIDTH)


def _cross_stack(app: SynthesizedApp, stack: Stack) -> list[str]:
    """Each value as the producer writes it, then the time_sleep it passes through and what reads it: a block per
    value, as the names are too long for columns side by side."""
    lines: list[str] = []
    for value in cross_stack_values(app):
        if value.consumer != stack.name:
            continue
        source = f"{value.producer}.output.{value.output}" if value.producer else f"(no stack writes it) {value.output}"
        lines.append(f"  {source} = {value.value or '?'}")
        sleep = f"{value.sleep.address} ({value.sleep.create_duration})" if value.sleep else "NONE"
        lines += _detail("through", (sleep,), indent="    ")
        lines += _detail("used by", value.used_by or ("-",), indent="    ", one_per_line=True)
    return lines or ["  (none)"]


def _log_groups(app: SynthesizedApp, stack: Stack) -> list[str]:
    rows = []
    for row in log_group_rows(app):
        if row.stack != stack.name:
            continue
        if row.key is None:
            key, status = "NONE", "FAIL unencrypted"
        else:
            key, status = row.key.shown, "FAIL sleep bypassed" if row.key.problem else "ok"
        rows.append([row.name, key, row.retention, status])
    return table(["NAME", "KEY", "RETENTION", "STATUS"], rows, width=WIDTH)


def _keys(app: SynthesizedApp, stack: Stack, findings: list[Finding]) -> list[str]:
    around = [use for use in key_uses(app) if use.problem and use.route.key]
    rows = []
    for key in stack.resources(KMS_KEY):
        wait = own_sleep(stack, key.address)
        failed = sorted({f.rule for f in findings if f.stack == stack.name and f.subject == key.address})
        users = {use.resource for use in around if use.route.key == (stack.name, key.address)}
        failed += [f"sleep-bypassed by {len(users)} user(s)"] if users else []
        alias = aws_name(stack, key)
        rotation = "on" if key.body.get("enable_key_rotation") in (True, "true") else "OFF"
        rows.append([(key.address, alias) if alias else key.address, rotation,
                     f"{wait.address} ({wait.body.get('create_duration', '?')})" if wait else "NONE",
                     f"FAIL {', '.join(failed)}" if failed else "ok"])
    return table(["KEY", "ROTATION", "OWN WAIT", "STATUS"], rows, width=WIDTH) if rows else ["  (none)"]


def _iam(app: SynthesizedApp, stack: Stack, findings: list[Finding]) -> list[str]:
    """One block per statement: what it grants, to whom, on what, under which condition, and the verdict on it."""
    failed = {(f.stack, f.subject, f.statement) for f in findings}
    lines: list[str] = []
    owner = None
    for row in statement_rows(app):
        if row.stack != stack.name:
            continue
        if row.owner != owner:
            owner = row.owner
            lines.append(f"  {owner}")
        judged = {(row.stack, row.owner, row.sid), (row.stack, row.resource, row.sid)} & failed
        status = "FAIL" if row.problem() or judged else ("allowed" if row.flags else "ok")
        lines.append(f"    {row.sid or '(no Sid)'}: {row.effect}, {status}{f' ({row.flags})' if row.flags else ''}")
        for label, values in (("principal", (row.principal,) if row.principal else ()), ("actions", row.actions),
                              ("resources", row.resources), ("condition", row.conditions)):
            lines += _detail(label, values or ("-",), one_per_line=label == "condition")
    return lines or ["  (none)"]


def _detail(label: str, values: tuple[str, ...], indent: str = "      ", *, one_per_line: bool = False) -> list[str]:
    """`label  value`, further values (and the rest of a long one) under the first, within the report's width."""
    lead = f"{indent}{label:<10} "
    room = WIDTH - len(lead)
    joined = values if one_per_line else (", ".join(values),)
    pieces = [piece for value in joined for piece in wrap(value, room)]
    return [lead + pieces[0], *(" " * len(lead) + piece for piece in pieces[1:])]


def _state_machines(app: SynthesizedApp, stack: Stack) -> list[str]:
    lines: list[str] = []
    for machine in machines(app):
        if machine.stack != stack.name:
            continue
        lines += ["", f"State machine {machine.address} ({machine.kind})",
                  f"  logging: {machine.logging}; tracing: {machine.tracing}"]
        rows = [[r.state if " / " not in r.machine else f"{r.machine.split(' / ', 1)[1]} {r.state}", r.type, r.next,
                 r.retries or ("-",), r.catches or ("-",)] for r in machine.rows]
        lines += table(["STATE", "TYPE", "NEXT", "RETRY", "CATCH"], rows, width=WIDTH)
        lines += [f"  problem: {p}" for p in machine.problems]
    return lines


def _checkov_section(app: SynthesizedApp, checkov: CheckovResult | None, note: str) -> list[str]:
    lines = ["=== checkov (terraform_json over cdktf.out) ===", ""]
    if checkov is None:
        return [*lines, f"not run: {note}", "", ""]
    lines.append(f"checkov {checkov.version}: {checkov.passed} passed, {len(checkov.failed)} failed, "
                 f"{len(checkov.skips)} checks skipped, {len(checkov.parsing_errors)} parsing errors")
    failed = [[f.check, _address(app, f), f"{f.file}:{f.lines[0]}-{f.lines[1]}", f.name] for f in checkov.failed]
    lines += ["", "Failed", *table(["CHECK", "RESOURCE", "WHERE", "WHAT"], failed, width=WIDTH)]
    skipped = [[s.check, s.reason] for s in checkov.skips]
    lines += ["", "Skipped (.checkov.yaml; for a dev synth also DEV_ONLY_SKIPS, for the state bucket "
              "STATE_BUCKET_SKIPS, in synth_review/rules/checkov_rules.py)",
              *table(["CHECK", "REASON"], skipped, width=WIDTH)]
    return [*lines, "", ""]


def _address(app: SynthesizedApp, failure: Failure) -> str:
    """checkov names a cdktf block "resource.<name>"; the reviewer wants the Terraform address."""
    name = failure.resource.split(".")[-1]
    for stack in app.stacks:
        if failure.file.startswith(f"stacks/{stack.name}/"):
            return next((b.address for b in stack.blocks() if b.name == name), failure.resource)
    return failure.resource


def _verdict(findings: list[Finding]) -> list[str]:
    if not findings:
        return ["=== verdict ===", "", "PASS: no review rule failed"]
    rules = len({f.rule for f in findings})
    return ["=== verdict ===", "", f"FAIL: {len(findings)} finding(s) of {rules} review rule(s)",
            *(f.line() for f in findings)]


def _relative(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
