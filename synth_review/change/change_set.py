"""What a change does to what will be deployed: two synthesized apps compared stack by stack, offline.

The counterpart of `cdktf diff` without credentials or state: resources added, removed, replaced and changed (with
the attributes that changed, policies statement by statement, state machines state by state), outputs and
cross-stack values, and each stack's backend. Whether an attribute change replaces a resource comes from
synth_review/change/replacement.py; a change that replaces or removes a resource holding state, or moves a stack's
state, is DESTRUCTIVE and fails the review until acknowledged by name (see `Change.name`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from cdktf_out.cross_stack import CrossStackValue, cross_stack_values
from cdktf_out.expressions import referenced_paths
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.change.definition_diff import diff_definitions, parse_definition
from synth_review.change.dependents import dependents, headline, replaces
from synth_review.change.json_diff import changed_keys, describe, diff_values
from synth_review.change.policy_diff import diff_policies, policy_statements
from synth_review.change.replacement import knows, replacing_attributes, stateful_loss

POLICY_ATTRIBUTES = ("policy", "assume_role_policy")
DEFINITION_ATTRIBUTE = "definition"
IDENTITY_ATTRIBUTES = ("name", "function_name", "name_prefix")  # how a reviewer recognises a resource
# Switches that protect data or evidence; turning one off is a weakening even where no review rule forbids it (a dev
# ledger may go without deletion protection, but a change that removes it elsewhere must say so).
PROTECTIONS = (
    ("aws_dynamodb_table", ("deletion_protection_enabled",), "deletion protection"),
    ("aws_dynamodb_table", ("point_in_time_recovery", "enabled"), "point-in-time recovery"),
    ("aws_dynamodb_table", ("server_side_encryption", "enabled"), "encryption at rest with the data key"),
    ("aws_kms_key", ("enable_key_rotation",), "key rotation"),
    ("aws_sfn_state_machine", ("tracing_configuration", "enabled"), "X-Ray tracing"),
    ("aws_lambda_function", ("tracing_config", "mode"), "X-Ray tracing"),
)


class Severity(IntEnum):
    """Listed in this order: the first is what a reviewer must see before anything else."""

    DESTRUCTIVE = 0  # a stateful resource replaced or removed, a state moved or abandoned: fails unless acknowledged
    WIDENED = 1  # a policy now grants more, or a protection (deletion protection, PITR, rotation, tracing) is off
    REPLACED = 2  # a resource without state replaced (brief interruption, new ARN)
    CHANGED = 3  # added, removed (stateless), updated in place, outputs


@dataclass(frozen=True)
class Change:
    severity: Severity
    stack: str
    subject: str  # the Terraform address, "backend", "stack", "output.<name>" or "<address>.<attribute>"
    headline: str
    details: tuple[str, ...] = ()
    kind: str = "changed"  # added, removed, replaced, changed, dependent (the picture's marks), or backend, output, ...
    cause: str | None = None  # for a change that only follows from another: that change's name

    @property
    def name(self) -> str:
        """How an acknowledgement names it: `<stack>/<subject>`."""
        return f"{self.stack}/{self.subject}"


@dataclass(frozen=True)
class Roots:
    """Where each tree's project sits, so a local state path inside one reads the same as inside the other."""

    base: Path
    head: Path


def diff_apps(base: SynthesizedApp, head: SynthesizedApp, roots: Roots | None = None) -> list[Change]:
    roots = roots or Roots(base.outdir.resolve().parent, head.outdir.resolve().parent)
    base_stacks = {s.name: s for s in base.stacks}
    head_stacks = {s.name: s for s in head.stacks}
    changes: list[Change] = []
    for stack in head.stacks:
        if stack.name not in base_stacks:
            changes.append(Change(Severity.CHANGED, stack.name, "stack",
                                  f"stack added with {len(stack.resources())} resources", kind="stack"))
        else:
            changes += _stack_changes(base_stacks[stack.name], stack, roots)
    for stack in base.stacks:
        if stack.name not in head_stacks:
            changes.append(Change(
                Severity.DESTRUCTIVE, stack.name, "stack",
                f"stack removed from the app: its {len(stack.resources())} resources stay deployed in its state with "
                f"nothing to manage them; run `cdktf destroy {stack.name}` before removing it, or keep it",
                kind="stack"))
    changes += _cross_stack_changes(base, head)
    changes += _dependent_changes(base, head, changes)
    return sorted(changes, key=lambda c: c.severity)  # stable: within a severity, deploy order and address order


def _dependent_changes(base: SynthesizedApp, head: SynthesizedApp, changes: list[Change]) -> list[Change]:
    """Everything updated only because something it reads changes (change_dependents.py), named after its cause."""
    replaced = {f"{c.stack}/{c.subject}": c.cause or c.name for c in changes if c.kind == "replaced"}
    found = []
    for dependent in dependents(base, head, replaced):
        block = dependent.block
        forcing = replaces(dependent)
        loss = stateful_loss(block.type) if block is not None and forcing else None
        if loss:
            severity = Severity.DESTRUCTIVE
        elif forcing or (block is not None and not block.is_data and not knows(block.type)):
            severity = Severity.REPLACED
        else:
            severity = Severity.CHANGED
        details = tuple(f"{attribute} reads {what}" for attribute, what in dependent.reads)
        found.append(Change(severity, dependent.stack, dependent.subject,
                            headline(dependent, _identity(block) if block is not None else ""), details,
                            "replaced" if forcing else "dependent", dependent.changing.cause))
    return found


def _stack_changes(base: Stack, head: Stack, roots: Roots) -> list[Change]:
    changes = _backend_changes(base, head, roots) + _provider_changes(base, head)
    old_blocks = {b.address: b for b in base.blocks()}
    new_blocks = {b.address: b for b in head.blocks()}
    moved = _moved(head)
    changed_attributes = {
        address: changed_keys(old_blocks[address].body, block.body)
        for address, block in new_blocks.items() if address in old_blocks
    }
    replaced = {address: reasons for address, block in new_blocks.items() if address in old_blocks and not block.is_data
                if (reasons := _replacement_reasons(old_blocks[address], block, changed_attributes[address]))}
    consequences = _add_consequences(new_blocks, old_blocks, changed_attributes, replaced)

    for address, block in new_blocks.items():
        if address in old_blocks and (changed_attributes[address] or address in replaced):
            cause = f"{head.name}/{consequences[address]}" if address in consequences else None
            changes += _changed_block(head.name, old_blocks[address], block, changed_attributes[address],
                                      replaced.get(address, []), cause)
    added = [b for a, b in new_blocks.items() if a not in old_blocks and a not in moved.values()]
    removed = [b for a, b in old_blocks.items() if a not in new_blocks and a not in moved]
    for address, target in moved.items():
        if address in old_blocks and target in new_blocks:
            changes.append(Change(Severity.CHANGED, head.name, target, f"moved from {address} (a `moved` block)",
                                  tuple(_attribute_lines(old_blocks[address], new_blocks[target]))))
    changes += [_removed_block(head.name, block, added) for block in removed]
    changes += [Change(Severity.CHANGED, head.name, block.address, f"added{_identity(block)}", kind="added")
                for block in added]
    changes += _output_changes(base, head)
    return changes


def _replacement_reasons(old: Block, new: Block, changed: set[str]) -> list[str]:
    return [f"{entry.attribute} {describe(old.body.get(entry.attribute))} -> {describe(new.body.get(entry.attribute))}"
            f" forces replacement ({entry.source})" for entry in replacing_attributes(new.type, changed)]


def _add_consequences(new_blocks: dict[str, Block], old_blocks: dict[str, Block],
                      changed_attributes: dict[str, set[str]], replaced: dict[str, list[str]]) -> dict[str, str]:
    """A resource whose replacing attribute reads a value that changes is replaced too, even though its own JSON did
    not change: a time_sleep triggered by sha256(key.policy) re-runs when the policy changes, anything naming a
    replaced resource's ARN sees a new one. Followed until nothing new is found; returns address -> the address of
    the change it follows from (the first one, when a chain)."""
    roots: dict[str, str] = {}
    found = True
    while found:
        found = False
        for address, block in new_blocks.items():
            if address in replaced or address not in old_blocks or block.is_data:
                continue
            for entry in replacing_attributes(block.type, set(block.body)):
                for source, path in referenced_paths(block.body.get(entry.attribute)):
                    attribute = path.split(".")[0]
                    if source in replaced or attribute in changed_attributes.get(source, set()):
                        what = f"{source} is replaced" if source in replaced else f"{source}.{attribute} changes"
                        replaced[address] = [f"{entry.attribute} reads {source}.{path or '*'}, and {what} "
                                             f"({entry.source})"]
                        roots[address] = roots.get(source, source)
                        found = True
                        break
                if address in replaced:
                    break
    return roots


def _changed_block(stack: str, old: Block, new: Block, changed: set[str], reasons: list[str],
                   cause: str | None = None) -> list[Change]:
    forcing = {entry.attribute for entry in replacing_attributes(new.type, changed)}
    details = reasons + [line for line in _attribute_lines(old, new) if line.split(":")[0] not in forcing]
    widened: list[Change] = []
    for attribute in sorted(changed & set(POLICY_ATTRIBUTES)):
        before, after = policy_statements(old.body.get(attribute)), policy_statements(new.body.get(attribute))
        if before is not None and after is not None:
            widened += [Change(Severity.WIDENED, stack, f"{new.address}.{attribute}", change.text, kind="widened")
                        for change in diff_policies(before, after) if change.widens]
    widened += [Change(Severity.WIDENED, stack, f"{new.address}.{'.'.join(path)}",
                       f"{what} turned off: {describe(_at(old.body, path))} -> {describe(_at(new.body, path))}",
                       kind="widened")
                for resource_type, path, what in PROTECTIONS
                if new.type == resource_type and _on(_at(old.body, path)) and not _on(_at(new.body, path))]
    if reasons:
        loss = stateful_loss(new.type)
        severity = Severity.DESTRUCTIVE if loss else Severity.REPLACED
        headline = f"REPLACED{_identity(new)}" + (f": {loss}" if loss else "")
    elif not new.is_data and not knows(new.type):
        severity = Severity.REPLACED
        headline = (f"updated, perhaps REPLACED{_identity(new)}: synth_review/change/replacement.py does not list "
                    f"which {new.type} attributes force a replacement")
    else:
        severity, headline = Severity.CHANGED, f"updated in place{_identity(new)}"
    if not reasons and not any(line for line in details):
        return widened
    kind = "replaced" if reasons else "changed"
    return [Change(severity, stack, new.address, headline, tuple(details), kind, cause), *widened]


def _at(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = body
    for key in path:
        value = value[0] if isinstance(value, list) and value else value  # cdktf may write a block as a list of one
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _on(value: Any) -> bool:
    return value not in (None, False, "false", "PassThrough", "")


def _attribute_lines(old: Block, new: Block) -> list[str]:
    lines: list[str] = []
    for attribute in sorted(changed_keys(old.body, new.body)):
        before, after = old.body.get(attribute), new.body.get(attribute)
        if attribute in POLICY_ATTRIBUTES:
            old_statements, new_statements = policy_statements(before), policy_statements(after)
            if old_statements is not None and new_statements is not None:
                lines += [f"{attribute}: {c.text}{' [widens]' if c.widens else ''}"
                          for c in diff_policies(old_statements, new_statements)]
                continue
        if attribute == DEFINITION_ATTRIBUTE and new.type == "aws_sfn_state_machine":
            old_definition, new_definition = parse_definition(before), parse_definition(after)
            if old_definition is not None and new_definition is not None:
                lines += [f"definition: {line}" for line in diff_definitions(old_definition, new_definition)]
                continue
        lines += diff_values(before, after, attribute)
    return lines


def _removed_block(stack: str, block: Block, added: list[Block]) -> Change:
    loss = stateful_loss(block.type) if not block.is_data else None
    successor = next((b for b in added if b.type == block.type and _identity(b) == _identity(block)), None)
    details = ()
    if successor is not None:
        details = (f"the same{_identity(block)} is added as {successor.address}: Terraform destroys this one and "
                   f"creates that one; to keep it, add a `moved` block from {block.address} to {successor.address}",)
    if loss:
        return Change(Severity.DESTRUCTIVE, stack, block.address, f"REMOVED{_identity(block)}: {loss}", details,
                      "removed")
    return Change(Severity.CHANGED, stack, block.address, f"removed{_identity(block)}", details, "removed")


def _identity(block: Block) -> str:
    for attribute in IDENTITY_ATTRIBUTES:
        if isinstance(block.body.get(attribute), str):
            return f" ({describe(block.body[attribute])})"
    return ""


def _moved(stack: Stack) -> dict[str, str]:
    """cdktf writes `resource.move_to(...)` as Terraform `moved` blocks: from-address -> to-address."""
    moved = stack.document.get("moved", [])
    return {str(m.get("from")): str(m.get("to")) for m in (moved if isinstance(moved, list) else [moved])
            if isinstance(m, dict)}


def _backend_changes(base: Stack, head: Stack, roots: Roots) -> list[Change]:
    (old_kind, old_config), (new_kind, new_config) = base.backend, head.backend
    old_where, new_where = _state_location(base, roots.base, roots), _state_location(head, roots.head, roots)
    if old_where != new_where:
        return [Change(
            Severity.DESTRUCTIVE, head.name, "backend",
            f"state moved: {old_kind} {old_where} -> {new_kind} {new_where}; Terraform would start from an empty "
            "state and create every resource again (a moved state is a lost state): migrate it first "
            "(`terraform init -migrate-state` in the stack's folder)", kind="backend")]
    lines = diff_values(old_config, new_config, f"backend.{new_kind}")
    if not lines:
        return []
    return [Change(Severity.CHANGED, head.name, "backend", "backend settings changed", tuple(lines), "backend")]


def _provider_changes(base: Stack, head: Stack) -> list[Change]:
    """A provider's region decides where every resource of the stack lives: changing it recreates them all there and
    leaves the old ones behind, unmanaged. Other provider and `terraform` settings (default tags, versions) change
    in place, but touch every resource or the provider itself, so they are listed."""
    changes: list[Change] = []
    old_providers, new_providers = base.document.get("provider", {}), head.document.get("provider", {})
    for name in sorted(set(old_providers) | set(new_providers)):
        old, new = old_providers.get(name), new_providers.get(name)
        lines = diff_values(old, new, f"provider.{name}")
        if not lines:
            continue
        regions = {_regions(old), _regions(new)}
        if len(regions) > 1:
            changes.append(Change(
                Severity.DESTRUCTIVE, head.name, f"provider.{name}",
                f"region changed ({' -> '.join(describe(', '.join(r)) for r in (_regions(old), _regions(new)))}): "
                "every resource "
                "of the stack would be created anew there, and the deployed ones left behind with nothing to manage "
                "them", tuple(lines), "provider"))
        else:
            changes.append(Change(Severity.CHANGED, head.name, f"provider.{name}", "provider settings changed",
                                  tuple(lines), "provider"))
    old_settings = {k: v for k, v in base.document.get("terraform", {}).items() if k != "backend"}
    new_settings = {k: v for k, v in head.document.get("terraform", {}).items() if k != "backend"}
    if lines := diff_values(old_settings, new_settings, "terraform"):
        changes.append(Change(Severity.CHANGED, head.name, "terraform", "terraform settings changed", tuple(lines),
                              "provider"))
    return changes


def _regions(provider: Any) -> tuple[str, ...]:
    blocks = provider if isinstance(provider, list) else [provider] if provider else []
    return tuple(str(b.get("region")) for b in blocks if isinstance(b, dict))


def _state_location(stack: Stack, root: Path, roots: Roots) -> str:
    """Where a stack's state lives; a local path is resolved, then written relative to its tree's project, so the
    base (synthesized in another folder) and the head compare equal when they reach the same file."""
    kind, config = stack.backend
    if kind != "local":
        return ", ".join(f"{k}={config[k]}" for k in sorted(config) if k in {"bucket", "key", "region", "prefix"})
    resolved = Path(os.path.normpath(os.path.join(os.path.abspath(stack.working_dir), config.get("path", ""))))
    for candidate in (root, roots.base, roots.head):
        if resolved.is_relative_to(candidate):
            return f"<project>/{resolved.relative_to(candidate)}"
    return str(resolved)


def _output_changes(base: Stack, head: Stack) -> list[Change]:
    old, new = base.outputs(), head.outputs()
    changes = [Change(Severity.CHANGED, head.name, f"output.{name}",
                      f"output added: {describe(new[name].get('value'))}", kind="added")
               for name in new if name not in old]
    changes += [Change(Severity.CHANGED, head.name, f"output.{name}",
                       f"output removed (was {describe(old[name].get('value'))})") for name in old if name not in new]
    for name in new:
        if name in old:
            lines = diff_values(old[name], new[name])
            if lines:
                changes.append(Change(Severity.CHANGED, head.name, f"output.{name}", "output changed", tuple(lines)))
    return changes


def _cross_stack_changes(base: SynthesizedApp, head: SynthesizedApp) -> list[Change]:
    def keyed(app: SynthesizedApp) -> dict[tuple[str, str], CrossStackValue]:
        return {(v.consumer, f"{v.producer}.output.{v.output}"): v for v in cross_stack_values(app)}

    old, new = keyed(base), keyed(head)
    changes: list[Change] = []
    for key, value in new.items():
        consumer, source = key
        if key not in old:
            changes.append(Change(Severity.CHANGED, consumer, f"reads {source}",
                                  f"cross-stack value now read: {source} = {describe(value.value)}"))
            continue
        lines = [line for field in ("value", "sleep", "used_by", "reader")
                 for line in diff_values(_plain(getattr(old[key], field)), _plain(getattr(value, field)), field)]
        if lines:
            changes.append(Change(Severity.CHANGED, consumer, f"reads {source}", "cross-stack value changed",
                                  tuple(lines)))
    changes += [Change(Severity.CHANGED, key[0], f"reads {key[1]}", f"cross-stack value no longer read: {key[1]}")
                for key in old if key not in new]
    return changes


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    return list(value) if isinstance(value, tuple) else value


def node_marks(changes: list[Change]) -> dict[str, str]:
    """The dependency picture's mark of each block this change adds, removes, replaces or changes, or updates
    because it reads something that changes."""
    marks = ("added", "removed", "replaced", "changed", "dependent")
    return {f"{c.stack}/{c.subject}": c.kind for c in changes if c.kind in marks}
