"""The library's props: every bad value refused when the props are made, in one line; every default documented."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from encrypted_logs import limits, props
from encrypted_logs.errors import PropsError
from encrypted_logs.props import (
    EncryptedLogGroupsProps,
    KeyProps,
    LogGroupsKeyProps,
    TopicKeyProps,
    TopicPublisher,
)

GROUPS = ("/aws/lambda/orders-api",)
ALARMS = (TopicPublisher.alarms("orders-*"),)
ACCOUNT = {"Sid": "AccountAdministersKey"}
BAD = [
    (lambda: LogGroupsKeyProps(alias="orders-logs", log_group_names=GROUPS), "LogGroupsKeyProps.alias='orders-logs'"),
    (lambda: LogGroupsKeyProps(alias="alias/aws/logs", log_group_names=GROUPS), "LogGroupsKeyProps.alias="),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=()), "LogGroupsKeyProps.log_group_names=()"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names="/aws/lambda/a"), "LogGroupsKeyProps.log_group_names"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=("/aws/lambda/*",)),
     "LogGroupsKeyProps.log_group_names='/aws/lambda/*'"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS * 2), "LogGroupsKeyProps.log_group_names"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, deletion_window_days=6),
     "LogGroupsKeyProps.deletion_window_days=6"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, propagation_wait="0s"),
     "LogGroupsKeyProps.propagation_wait='0s'"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, propagation_wait="30"),
     "LogGroupsKeyProps.propagation_wait='30'"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, statement_id="Logs-Key"),
     "LogGroupsKeyProps.statement_id='Logs-Key'"),
    (lambda: LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, output_name="1arn"),
     "LogGroupsKeyProps.output_name='1arn'"),
    (lambda: TopicKeyProps(alias="alias/x", topic_name="alarms!", publishers=ALARMS), "TopicKeyProps.topic_name="),
    (lambda: TopicKeyProps(alias="alias/x", topic_name="alarms", publishers=()), "TopicKeyProps.publishers=()"),
    (lambda: TopicKeyProps(alias="alias/x", topic_name="alarms", publishers=ALARMS * 2), "TopicKeyProps.publishers="),
    (lambda: TopicPublisher.event_rule("rules-*"), "TopicPublisher.event_rule.rule_name='rules-*'"),
    (lambda: EncryptedLogGroupsProps(retention_days=10), "EncryptedLogGroupsProps.retention_days=10"),
    (lambda: KeyProps(alias="alias/x", statements=[]), "KeyProps.statements=[]"),
    (lambda: KeyProps(alias="alias/x", statements=[ACCOUNT], deletion_window_days=31),
     "KeyProps.deletion_window_days=31"),
]


@pytest.mark.parametrize(("make", "starts"), BAD, ids=[starts for _, starts in BAD])
def test_a_bad_prop_is_refused_in_one_line_naming_the_prop_the_value_and_what_is_allowed(make, starts: str):
    with pytest.raises(PropsError) as refused:
        make()
    message = str(refused.value)
    assert message.startswith(starts) and "is not allowed; " in message and "\n" not in message


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_only_the_retentions_cloudwatch_logs_accepts_are_allowed(days: int):
    if days in limits.LOG_RETENTION_DAYS:
        assert EncryptedLogGroupsProps(retention_days=days).retention_days == days
    else:
        with pytest.raises(PropsError, match=r"^EncryptedLogGroupsProps\.retention_days="):
            EncryptedLogGroupsProps(retention_days=days)


@given(st.text(max_size=12))
def test_a_wait_is_a_go_duration_from_one_second_to_an_hour_or_refused(wait: str):
    try:
        seconds = limits.go_duration_seconds(wait)
    except ValueError:
        seconds = -1.0
    if 1 <= seconds <= 3600:
        assert LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, propagation_wait=wait).propagation_wait
    else:
        with pytest.raises(PropsError, match=r"^LogGroupsKeyProps\.propagation_wait="):
            LogGroupsKeyProps(alias="alias/x", log_group_names=GROUPS, propagation_wait=wait)


def test_props_are_frozen():
    made = EncryptedLogGroupsProps()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.retention_days = 1  # type: ignore[misc]


def field_docs(source: Path) -> dict[tuple[str, str], tuple[bool, str]]:
    """(class, field) -> (has a default, the docstring under it), read from the source as AWS CDK documents props."""
    found = {}
    for node in ast.parse(source.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        body = node.body
        for index, statement in enumerate(body):
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                after = body[index + 1] if index + 1 < len(body) else None
                doc = (after.value.value if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                       else "")
                found[(node.name, statement.target.id)] = (statement.value is not None, str(doc))
    return found


def test_every_prop_is_documented_and_every_default_with_at_default():
    docs = field_docs(Path(props.__file__))
    assert docs, "no props found"
    assert [name for name, (_, doc) in docs.items() if not doc] == []
    assert [name for name, (default, doc) in docs.items() if default and "@default" not in doc] == []
