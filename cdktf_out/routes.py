"""Where a synthesized value comes from: the one tracer of values through outputs, remote state and time_sleeps.

A key ARN may reach a resource through another stack's output (read by terraform_remote_state, maybe as a whole map
picked apart with lookup), a time_sleep's triggers (one trigger or the whole map), a `data aws_kms_key` or an alias.
Each hop is followed to what is at the end, so a value is judged by where it comes from, not by its name; the
time_sleeps it passes on the way are recorded, which is what a wait rule and the review's cross-stack table ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cdktf_out.expressions import interpolations, references_in
from cdktf_out.tree import Block, Stack, SynthesizedApp

KMS_KEY = "aws_kms_key"
SLEEP = "time_sleep"
REMOTE_STATE = "terraform_remote_state"
KEY_IDENTITY = frozenset({"arn", "id", "key_id", "target_key_arn"})
_KMS_ARN = re.compile(r"arn:[\w<>-]*:kms:[\w<>-]*:[\w<>]*:(?:key|alias)/[\w/.+=@-]+")
_KEY_ATTRIBUTE = re.compile(r"kms|key_id|key_arn")
MAX_HOPS = 12  # a reference cycle is a broken tree, not a reason to recurse forever


@dataclass(frozen=True)
class Route:
    """One way a value reaches a user: the hops in order, and the key (stack, address) at the end, if any.

    A route with neither a key nor a dead end ends at an attribute of some other resource."""

    hops: tuple[str, ...]
    sleeps: tuple[tuple[str, str], ...]  # (stack, time_sleep address) passed on the way
    key: tuple[str, str] | None = None
    dead_end: str | None = None  # why the route could not be followed to its source

    def description(self) -> str:
        return " <- ".join(self.hops)


def key_routes(app: SynthesizedApp, stack: Stack, value: Any, literal_aliases: bool = False) -> list[Route]:
    """The routes of every key value inside a synthesized value (a string, or the lists and maps around one).

    A literal alias counts as a key value where the attribute holding it names a key (kms_key_id, kms_master_key_id,
    key_id, ...), at any depth: elsewhere "alias/..." may be ordinary text.
    """
    routes: list[Route] = []
    for text, under_key_attribute in _strings_with_context(value, literal_aliases):
        found = [r for r in _routes_of_text(app, stack, text, None, (), (), under_key_attribute) if r.key or r.dead_end]
        if under_key_attribute and text and not found:  # a key the review cannot follow must not pass unseen
            found = [Route((text,), (), dead_end=f"{text} leads to no aws_kms_key the review can follow")]
        routes += found
    return _unique(routes)


def is_key_attribute(name: str) -> bool:
    """Whether an argument's name says it holds a key (kms_key_id, kms_master_key_id, key_id, ...)."""
    return _KEY_ATTRIBUTE.search(name) is not None


def output_routes(app: SynthesizedApp, consumer: Stack, reader: str, output: str, key: str | None) -> list[Route]:
    """Every route of one output another stack's terraform_remote_state `reader` reads (one key of it, if looked up)."""
    return _unique(_follow_remote(app, consumer, reader, ["outputs", output, *([key] if key else [])], None, (), ()))


def _strings_with_context(value: Any, under_key_attribute: bool) -> Iterator[tuple[str, bool]]:
    if isinstance(value, str):
        yield value, under_key_attribute
    elif isinstance(value, dict):
        for name, item in value.items():
            if name != "//":
                yield from _strings_with_context(item, under_key_attribute or is_key_attribute(name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings_with_context(item, under_key_attribute)


def _routes_of_text(app: SynthesizedApp, stack: Stack, text: str, picked: str | None, hops: tuple[str, ...],
                    sleeps: tuple[tuple[str, str], ...], literal_aliases: bool) -> list[Route]:
    if len(hops) > MAX_HOPS:
        return [Route(hops, sleeps, dead_end="a reference cycle")]
    expressions = interpolations(text)
    # A literal ARN counts inside an expression too: ${coalesce("arn:aws:kms:...", ...)} uses it all the same.
    routes = [Route((*hops, m), sleeps, dead_end=f"the literal key {m}") for m in _KMS_ARN.findall(text)]
    if literal_aliases and not expressions and text.startswith("alias/"):
        routes.append(Route((*hops, text), sleeps, dead_end=f"the literal alias {text}"))
    for expression in expressions:
        for reference in references_in(expression):
            routes += _follow(app, stack, reference.address, list(reference.path), reference.looked_up or picked,
                              hops, sleeps)
    return routes


def _follow(app: SynthesizedApp, stack: Stack, address: str, parts: list[str], picked: str | None,
            hops: tuple[str, ...], sleeps: tuple[tuple[str, str], ...]) -> list[Route]:
    kind, _, name = address.removeprefix("data.").partition(".")
    is_data = address.startswith("data.")
    if not is_data and kind == KMS_KEY and parts[:1] and parts[0] in KEY_IDENTITY:
        hop = f"{stack.name}.{address}.{parts[0]}"
        if _block(stack.resources(KMS_KEY), name) is None:
            return [Route((*hops, hop), sleeps, dead_end=f"{address} is not a key of stack {stack.name}")]
        return [Route((*hops, hop), sleeps, key=(stack.name, address))]
    if is_data and kind == REMOTE_STATE:
        return _follow_remote(app, stack, name, parts, picked, hops, sleeps)
    if is_data and kind == KMS_KEY:
        block = _block(stack.data_sources(KMS_KEY), name)
        if block is None:
            return [Route((*hops, address), sleeps, dead_end=f"{address} is not in stack {stack.name}")]
        return _routes_of_text(app, stack, str(block.body.get("key_id", "")), None, (*hops, f"{stack.name}.{address}"),
                               sleeps, literal_aliases=True)
    if is_data and kind == "aws_kms_alias":
        block = _block(stack.data_sources("aws_kms_alias"), name)
        alias = str(block.body.get("name", "")) if block else ""
        return _routes_of_text(app, stack, alias, None, (*hops, f"{stack.name}.{address}"), sleeps, True)
    if not is_data and kind == "aws_kms_alias":
        block = _block(stack.resources("aws_kms_alias"), name)
        target = str(block.body.get("target_key_id", "")) if block else ""
        return _routes_of_text(app, stack, target, None, (*hops, f"{stack.name}.{address}"), sleeps, False)
    if not is_data and kind == SLEEP and parts[:1] == ["triggers"]:
        return _follow_sleep(app, stack, address, parts[1] if len(parts) > 1 else picked, hops, sleeps)
    # Anything else is where the value comes from (a key's policy or rotation flag is about the key, not the key).
    return [Route((*hops, ".".join([f"{stack.name}.{address}", *parts])), sleeps)]


def _follow_remote(app: SynthesizedApp, stack: Stack, reader_name: str, parts: list[str], picked: str | None,
                   hops: tuple[str, ...], sleeps: tuple[tuple[str, str], ...]) -> list[Route]:
    if parts[:1] != ["outputs"]:
        return []
    address = f"data.{REMOTE_STATE}.{reader_name}"
    reader = _block(stack.data_sources(REMOTE_STATE), reader_name)
    producer = app.producer_of(stack, reader) if reader else None
    if producer is None:
        return [Route((*hops, address), sleeps, dead_end=f"{address} reads a state no stack in cdktf.out writes")]
    if len(parts) > 1:
        outputs, key = [parts[1]], parts[2] if len(parts) > 2 else picked
    else:  # the whole outputs map, one output looked up in it (or all of them used)
        outputs, key = ([picked] if picked else list(producer.outputs())), None
    routes = []
    for output in outputs:
        hop = f"{producer.name}.output.{output}"
        if output not in producer.outputs():
            routes.append(Route((*hops, hop), sleeps, dead_end=f"stack {producer.name} has no output {output}"))
            continue
        value = producer.outputs()[output].get("value")
        routes += _routes_of_text(app, producer, str(value), key, (*hops, hop), sleeps, False)
    return routes


def _follow_sleep(app: SynthesizedApp, stack: Stack, address: str, trigger: str | None, hops: tuple[str, ...],
                  sleeps: tuple[tuple[str, str], ...]) -> list[Route]:
    block = _block(stack.resources(SLEEP), address.split(".", 1)[1])
    if block is None:
        return [Route((*hops, address), sleeps, dead_end=f"{address} is not in stack {stack.name}")]
    triggers = block.body.get("triggers") or {}
    passed = (*sleeps, (stack.name, address))
    if trigger is None:  # the whole map is used as it is: every value in it reaches the user
        chosen = list(triggers.items())
    elif trigger in triggers:
        chosen = [(trigger, triggers[trigger])]
    else:
        return [Route((*hops, f"{stack.name}.{address}.triggers.{trigger}"), passed,
                      dead_end=f"{address} has no trigger {trigger}")]
    routes = []
    for name, value in chosen:
        routes += _routes_of_text(app, stack, str(value), None, (*hops, f"{stack.name}.{address}.triggers.{name}"),
                                  passed, False)
    return routes


def _block(blocks: list[Block], name: str) -> Block | None:
    return next((b for b in blocks if b.name == name), None)


def _unique(routes: list[Route]) -> list[Route]:
    return list(dict.fromkeys(routes))
