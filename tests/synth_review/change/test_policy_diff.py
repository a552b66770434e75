"""Policies compared statement by statement: matched by Sid, else by content, down to single values."""

from __future__ import annotations

from synth_review.change.policy_diff import diff_policies

ADMIN = {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "kms:*", "Resource": "*"}
LOGS = {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.eu-west-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*"], "Resource": "*",
        "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": ["arn:a", "arn:b"]}}}


def texts(before, after) -> list[tuple[str, bool]]:
    return [(c.text, c.widens) for c in diff_policies(before, after)]


def test_reordered_statements_and_values_are_no_change():
    reordered = {**LOGS, "Action": ["kms:Decrypt*", "kms:Encrypt*"]}
    assert texts([ADMIN, LOGS], [reordered, ADMIN]) == []


def test_a_string_and_a_list_of_one_are_the_same_action():
    assert texts([ADMIN], [{**ADMIN, "Action": ["kms:*"]}]) == []


def test_a_statement_added_is_summarized_and_widens_when_it_allows():
    (change,) = texts([ADMIN], [ADMIN, LOGS])
    assert change[0].startswith("statement Logs added: Allow kms:Decrypt*, kms:Encrypt* on * for Service:logs.")
    assert change[1] is True


def test_a_deny_removed_widens():
    deny = {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}
    ((text, widens),) = texts([ADMIN, deny], [ADMIN])
    assert text.startswith("statement DenyPlainHttp removed") and widens


def test_a_principal_added_widens():
    wider = {**LOGS, "Principal": {"Service": ["logs.eu-west-1.amazonaws.com", "logs.us-east-1.amazonaws.com"]}}
    assert texts([LOGS], [wider]) == [("principal `Service:logs.us-east-1.amazonaws.com` added to Logs", True)]


def test_a_resource_removed_narrows():
    assert texts([{**ADMIN, "Resource": ["a", "b"]}], [{**ADMIN, "Resource": "a"}]) == [
        ("resource `b` removed from Admin", False)]


def test_a_condition_value_added_widens_and_one_removed_does_not():
    key = "kms:EncryptionContext:aws:logs:arn"
    more = {**LOGS, "Condition": {"ArnEquals": {key: ["arn:a", "arn:b", "arn:c"]}}}
    fewer = {**LOGS, "Condition": {"ArnEquals": {key: ["arn:a"]}}}
    assert texts([LOGS], [more]) == [(f"condition `{key}` of Logs: value `arn:c` added", True)]
    assert texts([LOGS], [fewer]) == [(f"condition `{key}` of Logs: value `arn:b` removed", False)]


def test_a_condition_operator_change_is_named():
    key = "kms:EncryptionContext:aws:logs:arn"
    like = {**LOGS, "Condition": {"ArnLike": {key: ["arn:a", "arn:b"]}}}
    assert texts([LOGS], [like]) == [(f"condition `{key}` of Logs: operator ArnEquals -> ArnLike", True)]


def test_an_effect_flipped_to_allow_widens():
    assert texts([{**ADMIN, "Effect": "Deny"}], [ADMIN]) == [("effect of Admin changed: Deny -> Allow", True)]


def test_statements_without_sid_are_matched_by_content():
    plain = {k: v for k, v in LOGS.items() if k != "Sid"}
    widened = {**plain, "Action": [*plain["Action"], "kms:GenerateDataKey*"]}
    assert texts([ADMIN, plain], [widened, ADMIN]) == [("action `kms:GenerateDataKey*` added to #1 (no Sid)", True)]


def test_a_renamed_sid_with_the_same_content_reads_as_a_rename():
    renamed = {**LOGS, "Sid": "CloudWatchLogs"}
    assert texts([LOGS], [renamed]) == [("statement Logs renamed CloudWatchLogs, otherwise unchanged", False)]


def test_a_statement_removed_and_another_added_are_both_listed():
    other = {"Sid": "Other", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:x"}
    said = [t.split(":")[0] for t, _ in texts([ADMIN, LOGS], [ADMIN, other])]
    assert said == ["statement Logs removed (was", "statement Other added"]
