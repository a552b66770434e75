"""Reading synthesized stacks the way Terraform will: by resource type and name, following references."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_REFERENCE = re.compile(r"^\$\{([^{}]+)\}$")


@dataclass(frozen=True)
class Stack:
    name: str
    document: dict[str, Any]
    working_dir: Path

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return self.document.get("resource", {}).get(resource_type, {})

    def data_sources(self, data_type: str) -> dict[str, dict[str, Any]]:
        return self.document.get("data", {}).get(data_type, {})

    def only(self, resource_type: str) -> tuple[str, dict[str, Any]]:
        """The single resource of a type, with its Terraform name; fails if there are none or several."""
        found = self.resources(resource_type)
        assert len(found) == 1, f"expected one {resource_type} in {self.name}, found {sorted(found)}"
        return next(iter(found.items()))

    def key_by_alias(self, alias: str) -> tuple[str, dict[str, Any]]:
        """The aws_kms_key an alias points at, with its Terraform name."""
        (target,) = [a["target_key_id"] for a in self.resources("aws_kms_alias").values() if a["name"] == alias]
        key_name = reference(target).split(".")[1]
        return key_name, self.resources("aws_kms_key")[key_name]

    def sleep_for_key(self, key_name: str) -> tuple[str, dict[str, Any]]:
        """The time_sleep whose triggers carry this key's ARN."""
        (found,) = [
            (name, sleep) for name, sleep in self.resources("time_sleep").items()
            if sleep["triggers"]["key_arn"] == f"${{aws_kms_key.{key_name}.arn}}"
        ]
        return found

    def role_policy(self, role_arn: str) -> tuple[str, dict[str, Any]]:
        """The inline policy of the role a `${aws_iam_role.<name>.arn}` reference names: its Terraform name and the
        parsed policy document."""
        role_name = reference(role_arn).split(".")[1]
        (found,) = [
            (name, json.loads(policy["policy"])) for name, policy in self.resources("aws_iam_role_policy").items()
            if reference(policy["role"]) == f"aws_iam_role.{role_name}.id"
        ]
        return found

    def output(self, name: str) -> dict[str, Any]:
        return self.document["output"][name]

    @property
    def backend(self) -> tuple[str, dict[str, Any]]:
        ((kind, config),) = self.document["terraform"]["backend"].items()
        return kind, config


@dataclass(frozen=True)
class SynthesizedApp:
    outdir: Path

    def stack(self, name: str) -> Stack:
        working_dir = self.outdir / "stacks" / name
        return Stack(name, json.loads((working_dir / "cdk.tf.json").read_text()), working_dir)


def reference(expression: str) -> str:
    """The address inside a whole-string interpolation: "${aws_kms_key.k.arn}" -> "aws_kms_key.k.arn"."""
    match = _REFERENCE.match(expression)
    assert match, f"{expression!r} is not a single Terraform reference"
    return match.group(1)


_ANY_REFERENCE = re.compile(r"\$\{([^{}]+)\}")


def with_stand_ins(text: str) -> str:
    """Replace every interpolation with a plausible literal, for tools (validators) that read plain JSON.

    A data-source partition becomes "aws", a resource ARN a fake ARN naming the resource, anything else a token
    naming the address, so a validator's message still says which reference it was about.
    """

    def stand_in(match: re.Match[str]) -> str:
        address = match.group(1)
        if address.startswith("data.aws_partition."):
            return "aws"
        if address.startswith("aws_lambda_function.") and address.endswith(".arn"):
            name = address.split(".")[1]
            return f"arn:aws:lambda:eu-west-1:111122223333:function:{name}"
        return f"<{address}>"

    return _ANY_REFERENCE.sub(stand_in, text)
