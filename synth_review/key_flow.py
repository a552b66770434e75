"""Where every KMS key value a resource uses really comes from, followed through the synthesized JSON.

A key ARN may reach a resource through another stack's output (read by terraform_remote_state, maybe as a whole map
picked apart with lookup), a time_sleep's triggers (one trigger or the whole map), a `data aws_kms_key` or an alias.
Each hop is followed to the `aws_kms_key` at the end, so a value is judged by where it comes from, not by its name.

The rule (hashicorp/time, time_sleep: pass values through `triggers` so dependents wait): a key's ARN reaches any
other resource only through the key's own time_sleep, the one that carries the key's ARN and a digest of its policy,
so nothing can use the key before its policy has had time to propagate, and a policy change re-runs the wait.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cdktf_out.cross_stack import producer_of
from cdktf_out.expressions import strings_in
from cdktf_out.tree import Block, Stack, SynthesizedApp

KMS_KEY = "aws_kms_key"
SLEEP = "time_sleep"
# Resources that are the key's own wiring, not users of it: the wait itself, the alias, grants and policies.
KEY_WIRING = frozenset({SLEEP, KMS_KEY, "aws_kms_alias", "aws_kms_key_policy", "aws_kms_grant"})
KEY_IDENTITY = frozenset({"arn", "id", "key_id", "target_key_arn"})
_INTERPOLATION = re.compile(r"\$\{(.*?)\}(?!\})", re.DOTALL)
_REFERENCE = re.compile(r"(?<![\w.\"])(?P<address>(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)"
                        r"(?P<path>(?:\.[\w-]+|\[\s*\"[^\"]+\"\s*\])*)")
_LOOKUP_KEY = re.compile(r"^\s*,\s*\"(?P<key>[^\"]+)\"")
_PATH_PART = re.compile(r"\.([\w-]+)|\[\s*\"([^\"]+)\"\s*\]")
_KMS_ARN = re.compile(r"arn:[\w<>-]*:kms:[\w<>-]*:[\w<>]*:(?:key|alias)/[\w/.+=@-]+")
_KEY_ATTRIBUTE = re.compile(r"kms|key_id|key_arn")
_ZERO_DURATION = re.compile(r"[0.]+(?:ns|us|µs|ms|s|m|h)?")
MAX_HOPS = 12  # a reference cycle is a broken tree, not a reason to recurse forever


@dataclass(frozen=True)
class Route:
    """One way a key value reaches a user: the hops in order, and the key (stack, address) at the end, if any."""

    hops: tuple[str, ...]
    sleeps: tuple[tuple[str, str], ...]  # (stack, time_sleep address) passed on the way
    key: tuple[str, str] | None = None
    dead_end: str | None = None  # why the route could not be followed to a key

    def description(self) -> str:
        return " <- ".join(self.hops)


@dataclass(frozen=True)
class KeyUse:
    stack: str
    resource: str
    attribute: str
    route: Route
    problem: str | None = field(default=None)


def key_uses(app: SynthesizedApp) -> list[KeyUse]:
    """Every key value every resource of every stack uses, judged; the keys' own wiring is left out."""
    uses = []
    for stack in app.stacks:
        for block in stack.resources():
            if block.type in KEY_WIRING:
                continue
            for attribute, value in block.body.items():
                if attribute in ("//", "depends_on", "lifecycle"):
                    continue
                for route in routes_of_value(app, stack, value, _KEY_ATTRIBUTE.search(attribute) is not None):
                    uses.append(KeyUse(stack.name, block.address, attribute, route, judge(app, route)))
    return uses


def routes_of_value(app: SynthesizedApp, stack: Stack, value: Any, literal_aliases: bool = False) -> list[Route]:
    """The routes of every key value inside a synthesized value (a string, or the lists and maps around one).

    A literal alias counts as a key value where the attribute holding it names a key (kms_key_id, kms_master_key_id,
    key_id, ...), at any depth: elsewhere "alias/..." may be ordinary text.
    """
    routes: list[Route] = []
    for text, under_key_attribute in _strings_with_context(value, literal_aliases):
        found = _routes_of_text(app, stack, text, None, (), (), under_key_attribute)
        if under_key_attribute and text and not found:  # a key the review cannot follow must not pass unseen
            found = [Route((text,), (), dead_end=f"{text} leads to no aws_kms_key the review can follow")]
        routes += found
    return _unique(routes)


def _strings_with_context(value: Any, under_key_attribute: bool) -> Iterator[tuple[str, bool]]:
    if isinstance(value, str):
        yield value, under_key_attribute
    elif isinstance(value, dict):
        for name, item in value.items():
            if name != "//":
                yield from _strings_with_context(item, under_key_attribute or bool(_KEY_ATTRIBUTE.search(name)))
    elif isinstance(value, list):
        for item in value:
            yield from _strings_with_context(item, under_key_attribute)


def judge(app: SynthesizedApp, route: Route) -> str | None:
    """Why this route lets a user see the key before its policy has propagated, or None when it cannot."""
    path = route.description()
    if route.dead_end:
        via = " <- ".join(route.hops[:-1])
        return f"{route.dead_end}{f' (via {via})' if via else ''}: a key value must come from the key's own time_sleep"
    assert route.key is not None
    key_stack, key = route.key
    owner = own_sleep(app.stack(key_stack), key)
    passed = [sleep for (stack, sleep) in route.sleeps if stack == key_stack]
    if owner is None:
        return f"{key} has no time_sleep of its own (triggers carrying its ARN and a digest of its policy): {path}"
    duration = str(owner.body.get("create_duration", ""))
    if not duration or _ZERO_DURATION.fullmatch(duration):
        return f"{owner.address}, {key}'s wait, waits {duration or 'no create_duration'}: {path}"
    if owner.address not in passed:
        others = f"; it passes {', '.join(passed)}, the wait of another key" if passed else ""
        return (f"{key} reaches it around {owner.address}{others}: {path}; it can use the key before the key's "
                "policy has propagated (KMS is eventually consistent: up to five minutes for a log group)")
    return None


def _routes_of_text(app: SynthesizedApp, stack: Stack, text: str, picked: str | None, hops: tuple[str, ...],
                    sleeps: tuple[tuple[str, str], ...], literal_aliases: bool) -> list[Route]:
    if len(hops) > MAX_HOPS:
        return [Route(hops, sleeps, dead_end="a reference cycle")]
    expressions = _INTERPOLATION.findall(text)
    literal = _INTERPOLATION.sub("", text)
    # A literal ARN counts inside an expression too: ${coalesce("arn:aws:kms:...", ...)} uses it all the same.
    routes = [Route((*hops, m), sleeps, dead_end=f"the literal key {m}")
              for m in _KMS_ARN.findall(text)]
    if literal_aliases and not expressions and literal.startswith("alias/"):
        routes.append(Route((*hops, literal), sleeps, dead_end=f"the literal alias {literal}"))
    for expression in expressions:
        for match in _REFERENCE.finditer(expression):
            parts = [a or b for a, b in _PATH_PART.findall(match.group("path"))]
            before = expression[:match.start()].rstrip()
            after = _LOOKUP_KEY.match(expression[match.end():])
            looked_up = after.group("key") if before.endswith("lookup(") and after else None
            routes += _follow(app, stack, match.group("address"), parts, looked_up or picked, hops, sleeps)
    return routes


def _follow(app: SynthesizedApp, stack: Stack, address: str, parts: list[str], picked: str | None,
            hops: tuple[str, ...], sleeps: tuple[tuple[str, str], ...]) -> list[Route]:
    kind, _, name = address.removeprefix("data.").partition(".")
    is_data = address.startswith("data.")
    if not is_data and kind == KMS_KEY:
        if parts[:1] and parts[0] in KEY_IDENTITY:
            hop = f"{stack.name}.{address}.{parts[0]}"
            if _block(stack.resources(KMS_KEY), name) is None:
                return [Route((*hops, hop), sleeps, dead_end=f"{address} is not a key of stack {stack.name}")]
            return [Route((*hops, hop), sleeps, key=(stack.name, address))]
        return []  # the policy, the rotation flag: about the key, not the key itself
    if is_data and kind == "terraform_remote_state":
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
    return []


def _follow_remote(app: SynthesizedApp, stack: Stack, reader_name: str, parts: list[str], picked: str | None,
                   hops: tuple[str, ...], sleeps: tuple[tuple[str, str], ...]) -> list[Route]:
    if parts[:1] != ["outputs"]:
        return []
    address = f"data.terraform_remote_state.{reader_name}"
    reader = _block(stack.data_sources("terraform_remote_state"), reader_name)
    producer = producer_of(app, stack, reader) if reader else None
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


def own_sleep(stack: Stack, key: str) -> Block | None:
    """The key's own wait: a time_sleep whose triggers carry this key's identity and a digest of its policy, and
    no other key's identity (a policy change to another key would not re-run it)."""
    for sleep in stack.resources(SLEEP):
        texts = list(strings_in(sleep.body.get("triggers") or {}))
        identities = {m.group("address") for text in texts for expression in _INTERPOLATION.findall(text)
                      for m in _REFERENCE.finditer(expression)
                      if m.group("address").startswith(f"{KMS_KEY}.") and m.group("path").lstrip(".") in KEY_IDENTITY}
        policies = [f"{key}.policy"] + [f"{p.address}.policy" for p in policy_resources(stack, key)]
        digest = any(policy in text for text in texts for policy in policies)
        if identities == {key} and digest:
            return sleep
    return None


def policy_resources(stack: Stack, key: str) -> list[Block]:
    """The aws_kms_key_policy resources that set this key's policy (they replace the key's own policy argument)."""
    return [p for p in stack.resources("aws_kms_key_policy") if re.search(rf"\b{re.escape(key)}\.(?:id|key_id|arn)\b",
                                                                         str(p.body.get("key_id", "")))]


def _block(blocks: list[Block], name: str) -> Block | None:
    return next((b for b in blocks if b.name == name), None)


def _unique(routes: list[Route]) -> list[Route]:
    return list(dict.fromkeys(routes))
