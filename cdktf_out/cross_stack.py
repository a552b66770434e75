"""Values one stack reads from another's state, and the time_sleep each passes through on the way.

The app stack must see a key's ARN only after the key's policy has had time to propagate: in the JSON, the producer's
output is `${time_sleep.<x>.triggers.<k>}` (or the whole `triggers` map, looked up by the reader). Which sleep a value
passes is traced by cdktf_out/routes.py, the same tracer the wait rule asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_out.expressions import interpolations, references_in, strings_in
from cdktf_out.routes import REMOTE_STATE, SLEEP, output_routes
from cdktf_out.tree import Stack, SynthesizedApp


@dataclass(frozen=True)
class Sleep:
    address: str
    create_duration: str


@dataclass(frozen=True)
class CrossStackValue:
    consumer: str
    reader: str  # the terraform_remote_state block that reads it
    producer: str | None  # None: no stack in cdktf.out writes the state the reader reads
    output: str
    value: str | None  # the producer's output expression
    sleep: Sleep | None  # the producer's time_sleep it comes through; None when it bypasses every sleep
    used_by: tuple[str, ...]


def cross_stack_values(app: SynthesizedApp) -> list[CrossStackValue]:
    values: list[CrossStackValue] = []
    for consumer in app.stacks:
        readers = {b.name: b for b in consumer.data_sources(REMOTE_STATE)}
        uses: dict[tuple[str, str], set[str]] = {}
        keys: dict[tuple[str, str], str] = {}
        for using, body in _consumers(consumer):
            for text in strings_in(body):
                for expression in interpolations(text):
                    for reference in references_in(expression):
                        reader = reference.address.removeprefix(f"data.{REMOTE_STATE}.")
                        if reader in readers and reference.path[:1] == ("outputs",) and len(reference.path) > 1:
                            uses.setdefault((reader, reference.path[1]), set()).add(using)
                            if reference.looked_up and len(reference.path) == 2:
                                keys.setdefault((reader, reference.path[1]), reference.looked_up)
        for (reader, output), used_by in sorted(uses.items()):
            producer = app.producer_of(consumer, readers[reader])
            values.append(CrossStackValue(
                consumer=consumer.name,
                reader=readers[reader].address,
                producer=producer.name if producer else None,
                output=output,
                value=producer.outputs().get(output, {}).get("value") if producer else None,
                sleep=_sleep(app, consumer, producer, reader, output, keys.get((reader, output))) if producer else None,
                used_by=tuple(sorted(used_by)),
            ))
    return values


def _sleep(app: SynthesizedApp, consumer: Stack, producer: Stack, reader: str, output: str,
           key: str | None) -> Sleep | None:
    """The first time_sleep of the producer that every route of the value passes, if any."""
    routes = output_routes(app, consumer, reader, output, key)
    passed = [[address for stack, address in route.sleeps if stack == producer.name] for route in routes]
    if not routes or not all(passed):
        return None
    sleeps = {b.address: b for b in producer.resources(SLEEP)}
    first = passed[0][0]
    return Sleep(first, str(sleeps[first].body.get("create_duration", ""))) if first in sleeps else None


def _consumers(stack: Stack) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [(b.address, b.body) for b in stack.blocks()]
    found += [(f"output.{name}", body) for name, body in stack.outputs().items()]
    return found
