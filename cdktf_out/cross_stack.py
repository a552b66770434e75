"""Values one stack reads from another's state, and whether each passes through a time_sleep on the way.

The app stack must see the key ARN only after the key policy has had time to propagate; in the JSON that means the
producer's output is `${time_sleep.<x>.triggers.<k>}` (or the whole `triggers` map, looked up by the reader).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from cdktf_out.expressions import referenced_paths, strings_in, whole_reference
from cdktf_out.tree import Block, Stack, SynthesizedApp

REMOTE_STATE = "terraform_remote_state"
_SLEEP_VALUE = re.compile(r"^time_sleep\.(?P<sleep>[\w-]+)\.triggers(?:\.(?P<key>[\w-]+)|\[\"(?P<quoted>[\w-]+)\"\])?$")
_REMOTE_OUTPUT = re.compile(
    r"^data\.terraform_remote_state\.(?P<reader>[\w-]+)\.outputs\.(?P<output>[\w-]+)$"
    r"|^lookup\(data\.terraform_remote_state\.(?P<lreader>[\w-]+)\.outputs\.(?P<loutput>[\w-]+),\s*\"(?P<key>[\w-]+)\"\)$"
)


@dataclass(frozen=True)
class Sleep:
    address: str
    create_duration: str
    trigger: str | None  # None: the whole triggers map is published


@dataclass(frozen=True)
class CrossStackValue:
    consumer: str
    reader: str  # the terraform_remote_state block that reads it
    producer: str | None  # None: no stack in cdktf.out writes the state the reader reads
    output: str
    value: str | None  # the producer's output expression
    sleep: Sleep | None
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class RemoteOutput:
    """A consumer expression that is exactly one remote-state output (optionally one key of a published map)."""

    reader: str
    output: str
    key: str | None


def parse_remote_output(expression: str) -> RemoteOutput | None:
    match = _REMOTE_OUTPUT.match(expression)
    if not match:
        return None
    if match.group("reader"):
        return RemoteOutput(match.group("reader"), match.group("output"), None)
    return RemoteOutput(match.group("lreader"), match.group("loutput"), match.group("key"))


def producer_of(app: SynthesizedApp, consumer: Stack, reader: Block) -> Stack | None:
    """The stack whose backend writes the state this terraform_remote_state reads."""
    wanted = _location(reader.body.get("backend", "local"), reader.body.get("config", {}), consumer)
    for stack in app.stacks:
        kind, config = stack.backend
        if stack is not consumer and _location(kind, config, stack) == wanted:
            return stack
    return None


def sleep_behind(producer: Stack, output: str, key: str | None) -> Sleep | None:
    """The time_sleep an output's value comes through, or None when it bypasses every sleep."""
    expression = whole_reference(producer.outputs().get(output, {}).get("value"))
    match = _SLEEP_VALUE.match(expression or "")
    if not match:
        return None
    trigger = match.group("key") or match.group("quoted")
    if trigger is None and key is None:
        return None  # the whole map is handed over and nothing picks a value out of it
    sleeps = {b.name: b for b in producer.resources("time_sleep")}
    sleep = sleeps.get(match.group("sleep"))
    if sleep is None:
        return None
    chosen = trigger or key
    if chosen not in sleep.body.get("triggers", {}):
        return None
    return Sleep(sleep.address, str(sleep.body.get("create_duration", "")), chosen)


def cross_stack_values(app: SynthesizedApp) -> list[CrossStackValue]:
    values: list[CrossStackValue] = []
    for consumer in app.stacks:
        readers = {b.name: b for b in consumer.data_sources(REMOTE_STATE)}
        uses: dict[tuple[str, str], set[str]] = {}
        for using, body in _consumers(consumer):
            for address, path in referenced_paths(body):
                reader = address.removeprefix(f"data.{REMOTE_STATE}.")
                if reader in readers and path.startswith("outputs."):
                    uses.setdefault((reader, path.split(".")[1]), set()).add(using)
        for (reader, output), used_by in sorted(uses.items()):
            producer = producer_of(app, consumer, readers[reader])
            key = _looked_up_key(consumer, reader, output)
            values.append(CrossStackValue(
                consumer=consumer.name,
                reader=readers[reader].address,
                producer=producer.name if producer else None,
                output=output,
                value=producer.outputs().get(output, {}).get("value") if producer else None,
                sleep=sleep_behind(producer, output, key) if producer else None,
                used_by=tuple(sorted(used_by)),
            ))
    return values


def _consumers(stack: Stack) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [(b.address, b.body) for b in stack.blocks()]
    found += [(f"output.{name}", body) for name, body in stack.outputs().items()]
    return found


def _looked_up_key(consumer: Stack, reader: str, output: str) -> str | None:
    """The key a consumer picks out of a published map, when the map is looked up rather than one value published."""
    for block in consumer.blocks():
        for text in strings_in(block.body):
            parsed = parse_remote_output(whole_reference(text) or "")
            if parsed and parsed.reader == reader and parsed.output == output and parsed.key:
                return parsed.key
    return None


def _location(kind: str, config: dict, stack: Stack) -> tuple[str, ...]:
    """Where a backend keeps state, comparable across stacks: a local path is resolved from the stack's folder."""
    if kind == "local":
        return ("local", os.path.normpath(os.path.join(os.path.abspath(stack.working_dir), config.get("path", ""))))
    return (kind, *(f"{k}={config[k]}" for k in sorted(config) if k in {"bucket", "key", "region", "prefix"}))
