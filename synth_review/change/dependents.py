"""What else a change updates: every block and output whose JSON is the same in both trees but which reads a value
that changes, followed through references within a stack and across stacks (an output, then the remote state that
reads it), until nothing new is found.

Renaming the ledger changes one resource's JSON, but Terraform also updates everything that reads its name or ARN
(the processing function's environment and policy, the alarms, the dashboard, an output): each is listed under the
change that causes it, so a reviewer sees the whole consequence.

What changes is tracked per value, not per block: a replaced resource gets new computed attributes (its ARN, its id)
but keeps the inputs its configuration gives it, so a key policy change re-runs the propagation sleep that hashes
the policy, and the key ARN the sleep passes on stays the same; nothing downstream of that ARN is listed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cdktf_out.cross_stack import cross_stack_values
from cdktf_out.expressions import referenced_paths
from cdktf_out.tree import Block, SynthesizedApp
from synth_review.change.json_diff import changed_keys
from synth_review.change.replacement import knows, replacing_attributes, stateful_loss

NOT_VALUES = ("//", "depends_on", "lifecycle")  # cdktf's metadata and meta-arguments: nothing reads them as values


@dataclass(frozen=True)
class Changing:
    """What of a node ("<stack>/<address>" or "<stack>/output.<name>") takes a new value, and why."""

    changed: frozenset[str]  # input paths ("name", "triggers.policy_sha") whose values change
    inputs: frozenset[str]  # every input path the node's JSON sets
    computed: bool  # its computed attributes (arn, id, a data source's results) change too: replaced or re-read
    cause: str  # the change it follows from, as `Change.name` reads
    reads: str  # the first changing value it reads ("aws_dynamodb_table.ledger.name"); "" for a change of its own

    def hit(self, path: str) -> bool:
        """Does a reference to `path` of this node ("arn", "triggers.key_arn", "" for the whole) see a change?"""
        if not path:
            return True
        if any(_related(path, changed) for changed in self.changed):
            return True
        if any(_related(path, given) for given in self.inputs):
            return False  # an input whose value stays
        return self.computed


@dataclass(frozen=True)
class Dependent:
    node: str
    stack: str
    subject: str  # the address, or "output.<name>"
    block: Block | None  # None for an output
    reads: tuple[tuple[str, str], ...]  # (input path, the changing value it reads)
    changing: Changing

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(path.split(".")[0] for path, _ in self.reads))


def dependents(base: SynthesizedApp, head: SynthesizedApp, replaced: dict[str, str]) -> list[Dependent]:
    """The nodes of `head` updated only because what they read changes; `replaced` maps the nodes the change set
    already found replaced to the change each follows from."""
    changing = _own_changes(base, head, replaced)
    found: dict[str, Dependent] = {}
    readers = [(f"{v.producer}/output.{v.output}", f"{v.consumer}/{v.reader}", v.output)
               for v in cross_stack_values(head) if v.producer]
    progress = True
    while progress:
        progress = False
        for output, reader, name in readers:
            if output in changing and f"outputs.{name}" not in changing.get(reader, _NOTHING).changed:
                # The consumer's terraform_remote_state reads the producer's output anew: only that output changes.
                changing[reader] = _with(changing.get(reader), {f"outputs.{name}"}, frozenset(),
                                         changing[output].cause, f"output {name}")
                progress = True
        for stack in head.stacks:
            for node, subject, block, body in _nodes(stack.name, stack.blocks(), stack.outputs()):
                hits = [(path, f"{source}.{read}".rstrip("."), changing[f"{stack.name}/{source}"])
                        for path, value in _leaves(body)
                        for source, read in referenced_paths(value)
                        if f"{stack.name}/{source}" in changing and changing[f"{stack.name}/{source}"].hit(read)]
                current = changing.get(node)
                new = [hit for hit in hits if current is None or hit[0] not in current.changed]
                if not new:
                    continue
                reads = tuple({path: what for path, what, _ in reversed(hits)}.items())[::-1]
                _, what, source = new[0]
                changing[node] = _with(current, {path for path, _, _ in new},
                                       frozenset(path for path, _ in _leaves(body)), source.cause, what,
                                       computed=block is not None and block.is_data)
                if current is None:
                    found[node] = Dependent(node, stack.name, subject, block, reads, changing[node])
                elif node in found:  # a dependent that reads one more changing value
                    found[node] = dataclasses.replace(found[node], reads=reads, changing=changing[node])
                # else: a node with a change of its own, which lists it already
                progress = True
    return list(found.values())


def replaces(dependent: Dependent) -> tuple[str, ...]:
    """The attributes of a dependent whose change forces Terraform to replace it."""
    if dependent.block is None or dependent.block.is_data:
        return ()
    return tuple(e.attribute for e in replacing_attributes(dependent.block.type, set(dependent.attributes)))


def headline(dependent: Dependent, identity: str = "") -> str:
    """What Terraform does to it, and why, in the words of the change set (`identity`: " (its name)")."""
    block = dependent.block
    reads = f"reads {dependent.changing.reads}, which changes"
    if block is None:
        return f"output changes: it {reads}"
    if block.is_data:
        return f"read again{identity}: it {reads}"
    if forcing := replaces(dependent):
        loss = stateful_loss(block.type)
        return f"REPLACED{identity}: {', '.join(forcing)} {reads}" + (f"; {loss}" if loss else "")
    if not knows(block.type):
        return (f"updated, perhaps REPLACED{identity}: it {reads} (synth_review/change/replacement.py does not list "
                f"which {block.type} attributes force a replacement)")
    return f"updated in place{identity}: it {reads}"


_NOTHING = Changing(frozenset(), frozenset(), False, "", "")


def _with(current: Changing | None, changed: set[str], inputs: frozenset[str], cause: str, reads: str, *,
          computed: bool = False) -> Changing:
    if current is None:
        return Changing(frozenset(changed), inputs, computed, cause, reads)
    return dataclasses.replace(current, changed=current.changed | changed, computed=current.computed or computed)


def _own_changes(base: SynthesizedApp, head: SynthesizedApp, replaced: dict[str, str]) -> dict[str, Changing]:
    """The nodes whose own JSON changes (or which the change set found replaced), with what changes in them."""
    changing: dict[str, Changing] = {}
    base_stacks = {s.name: s for s in base.stacks}
    for stack in head.stacks:
        old = base_stacks.get(stack.name)
        if old is None:
            continue
        old_blocks = {b.address: b for b in old.blocks()}
        old_outputs = old.outputs()
        for node, subject, block, body in _nodes(stack.name, stack.blocks(), stack.outputs()):
            if block is None:
                before = old_outputs.get(subject.removeprefix("output."))
            else:
                before = old_blocks[subject].body if subject in old_blocks else None
            keys = changed_keys(before, body) if isinstance(before, dict) else set()
            inputs = frozenset(path for path, _ in _leaves(body))
            if node in replaced:
                changing[node] = Changing(frozenset(keys), inputs, True, replaced[node], "")
            elif keys:
                whole = block is None or block.is_data
                changing[node] = Changing(frozenset(keys), inputs, whole, f"{stack.name}/{subject}", "")
    return changing


def _nodes(stack: str, blocks: list[Block],
           outputs: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, Block | None, dict[str, Any]]]:
    for block in blocks:
        yield f"{stack}/{block.address}", block.address, block, block.body
    for name, output in outputs.items():
        yield f"{stack}/output.{name}", f"output.{name}", None, output


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every input value of a block by its dotted path ("triggers.policy_sha"); a list keeps its own path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in NOT_VALUES:
                continue
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for item in value:
            yield from _leaves(item, path)
    else:
        yield path, value


def _related(path: str, other: str) -> bool:
    """One path is the other, or inside it."""
    return path == other or path.startswith(other + ".") or other.startswith(path + ".")
