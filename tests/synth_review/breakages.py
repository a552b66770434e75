"""Realistic ways to break a key rule, each a change to the synthesized stack documents as a construct might write it.

A breakage takes {"encryption": <cdk.tf.json>, "app": <cdk.tf.json>} and changes it in place, so the same breakage
runs against the session's synthesized app in memory and against a copy of cdktf.out on disk (through the CLI and
`make review`). Each names the rule that must fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Documents = dict[str, dict[str, Any]]
LOGS_SID = "CloudWatchLogsEncryptsWorkflowLogGroups"
ACCOUNT_SID = "AccountAdministersKey"
CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"
TOPIC_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn"
FOREIGN_ROOT = "arn:aws:iam::111122223333:root"
LITERAL_KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@dataclass(frozen=True)
class Breakage:
    name: str
    rule: str
    change: Callable[[Documents], None]


def resources(documents: Documents, stack: str, kind: str) -> dict[str, dict[str, Any]]:
    return documents[stack]["resource"][kind]


def named(documents: Documents, stack: str, kind: str, part: str) -> tuple[str, dict[str, Any]]:
    """The one resource of a kind whose Terraform name contains `part` (the construct id: logs_key, data_key)."""
    (found,) = [(name, body) for name, body in resources(documents, stack, kind).items() if part in name]
    return found


def key(documents: Documents, part: str) -> tuple[str, dict[str, Any]]:
    return named(documents, "encryption", "aws_kms_key", part)


def sleep(documents: Documents, part: str) -> tuple[str, dict[str, Any]]:
    return named(documents, "encryption", "time_sleep", part)


def edit_statements(documents: Documents, part: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    _, body = key(documents, part)
    policy = json.loads(body["policy"])
    change(policy["Statement"])
    body["policy"] = json.dumps(policy)


def edit_statement(documents: Documents, part: str, sid: str, change: Callable[[dict[str, Any]], None]) -> None:
    def one(statements: list[dict[str, Any]]) -> None:
        (found,) = [s for s in statements if s.get("Sid") == sid]
        change(found)

    edit_statements(documents, part, one)


def logs_statement(change: Callable[[dict[str, Any]], None]) -> Callable[[Documents], None]:
    return lambda documents: edit_statement(documents, "logs_key", LOGS_SID, change)


def add_statement(part: str, statement: dict[str, Any]) -> Callable[[Documents], None]:
    return lambda documents: edit_statements(documents, part, lambda statements: statements.append(statement))


def _arns(statement: dict[str, Any]) -> list[str]:
    return statement["Condition"]["ArnEquals"][CONTEXT_KEY]


def _operator(operator: str) -> Callable[[dict[str, Any]], None]:
    def change(statement: dict[str, Any]) -> None:
        statement["Condition"] = {operator: {CONTEXT_KEY: _arns(statement)}}

    return change


def _post_mortem_arn_like(statement: dict[str, Any]) -> None:
    """The post-mortem's attempted fix: ArnLike on every log group of the account."""
    first = _arns(statement)[0]
    statement["Condition"] = {"ArnLike": {CONTEXT_KEY: first[: first.index(":log-group:")] + ":log-group:*"}}


def _wildcard_beside_exact(statement: dict[str, Any]) -> None:
    first = _arns(statement)[0]
    _arns(statement).append(first[: first.index(":log-group:")] + ":log-group:*")


def _trailing_colon_star(statement: dict[str, Any]) -> None:
    _arns(statement)[0] += ":*"


def _extra_group(statement: dict[str, Any]) -> None:
    _arns(statement).append(_arns(statement)[0].replace("validation", "refunds"))


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda statement: statement.update({field: value})


def _drop_action(action: str) -> Callable[[dict[str, Any]], None]:
    return lambda statement: statement["Action"].remove(action)


def _remove_logs_statement(documents: Documents) -> None:
    edit_statements(documents, "logs_key", lambda statements: statements.remove(
        next(s for s in statements if s.get("Sid") == LOGS_SID)))


def _a_fourth_log_group(documents: Documents) -> None:
    """A new log group in the app stack, with the logs key, that the key policy was not taught about."""
    groups = resources(documents, "app", "aws_cloudwatch_log_group")
    name, body = next(iter(groups.items()))
    groups[f"{name}_audit"] = {**body, "name": body["name"].replace("processing", "audit")}


def _log_group_on_the_data_key(documents: Documents) -> None:
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
    group["kms_key_id"] = group["kms_key_id"].replace("logs_key_arn", "data_key_arn")


def _rotation(value: Any) -> Callable[[Documents], None]:
    def change(documents: Documents) -> None:
        _, body = key(documents, "data_key")
        if value is None:
            body.pop("enable_key_rotation")
        else:
            body["enable_key_rotation"] = value

    return change


def _output_straight_from_key(part: str, output: str) -> Callable[[Documents], None]:
    def change(documents: Documents) -> None:
        name, _ = key(documents, part)
        documents["encryption"]["output"][output]["value"] = f"${{aws_kms_key.{name}.arn}}"

    return change


def _data_key_through_the_logs_sleep_map(documents: Documents) -> None:
    """The data key's ARN added to the logs key's wait, and the whole map of that wait published and looked up."""
    data_name, _ = key(documents, "data_key")
    logs_sleep, body = sleep(documents, "logs_key")
    body["triggers"]["data_key_arn"] = f"${{aws_kms_key.{data_name}.arn}}"
    documents["encryption"]["output"]["data_key_arn"]["value"] = f"${{time_sleep.{logs_sleep}.triggers}}"
    check = documents["app"]["data"]["aws_kms_key"]["data_key_check"]
    check["key_id"] = ('${lookup(data.terraform_remote_state.encryption.outputs.data_key_arn, "data_key_arn")}')


def _whole_map_of_the_right_sleep(documents: Documents) -> None:
    """cdktf's own shape for Fn.lookup(sleep.triggers, "key_arn") across stacks: sound, the review must agree."""
    data_sleep, _ = sleep(documents, "data_key")
    documents["encryption"]["output"]["data_key_arn"]["value"] = f"${{time_sleep.{data_sleep}.triggers}}"
    check = documents["app"]["data"]["aws_kms_key"]["data_key_check"]
    check["key_id"] = '${lookup(data.terraform_remote_state.encryption.outputs.data_key_arn, "key_arn")}'


def _whole_map_used_as_it_is(extra_trigger: bool) -> Callable[[Documents], None]:
    """The data key's wait published as a whole map and used as it is, no lookup: every value in it reaches the user.
    With `extra_trigger`, the map also carries a literal key ARN (a "fallback"), after the sound values."""

    def change(documents: Documents) -> None:
        data_sleep, body = sleep(documents, "data_key")
        if extra_trigger:
            body["triggers"]["fallback_key_arn"] = LITERAL_KEY_ARN
        documents["encryption"]["output"]["data_key_arn"]["value"] = f"${{time_sleep.{data_sleep}.triggers}}"

    return change


def _index_syntax(documents: Documents) -> None:
    """outputs["..."] and a whole triggers map read by attribute: other spellings of the same sound wiring."""
    data_sleep, _ = sleep(documents, "data_key")
    documents["encryption"]["output"]["data_key_arn"]["value"] = f"${{time_sleep.{data_sleep}.triggers}}"
    check = documents["app"]["data"]["aws_kms_key"]["data_key_check"]
    check["key_id"] = '${data.terraform_remote_state.encryption.outputs["data_key_arn"].key_arn}'
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
    group["kms_key_id"] = '${data.terraform_remote_state.encryption.outputs["logs_key_arn"]}'


def _data_check_on_a_literal_alias(documents: Documents) -> None:
    documents["app"]["data"]["aws_kms_key"]["data_key_check"]["key_id"] = "alias/payment-workflow-data-dev"


def _sleep_without_policy_digest(documents: Documents) -> None:
    _, body = sleep(documents, "data_key")
    body["triggers"].pop("policy_sha256")


def _data_sleep_carries_the_logs_key(documents: Documents) -> None:
    logs_name, _ = key(documents, "logs_key")
    _, body = sleep(documents, "data_key")
    body["triggers"]["key_arn"] = f"${{aws_kms_key.{logs_name}.arn}}"
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
    group["kms_key_id"] = group["kms_key_id"].replace("logs_key_arn", "data_key_arn")


def _lambda_on_a_literal_key(documents: Documents) -> None:
    _, function = named(documents, "app", "aws_lambda_function", "validation")
    function["kms_key_arn"] = LITERAL_KEY_ARN


def _log_group_on_a_literal_alias(documents: Documents) -> None:
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "processing")
    group["kms_key_id"] = "alias/payment-workflow-logs-dev"


def _log_group_without_the_key_check(documents: Documents) -> None:
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "processing")
    group.pop("depends_on")


def _logs_key_check_without_its_postcondition(documents: Documents) -> None:
    documents["app"]["data"]["aws_kms_key"]["logs_key_check"].pop("lifecycle")


def _alerts_topic_on_the_unchecked_output(documents: Documents) -> None:
    _, topic = named(documents, "app", "aws_sns_topic", "alerts")
    topic["kms_master_key_id"] = documents["app"]["data"]["aws_kms_key"]["alerts_key_check"]["key_id"]


def _missing_trigger(documents: Documents) -> None:
    output = documents["encryption"]["output"]["logs_key_arn"]
    output["value"] = output["value"].replace(".triggers.key_arn", ".triggers.no_such_trigger")


def _policy_from_a_document(documents: Documents) -> None:
    _, body = key(documents, "data_key")
    body["policy"] = "${data.aws_iam_policy_document.data_key.json}"


def _policy_moved_to_a_policy_resource(mistake: Callable[[dict[str, Any]], None] | None = None):
    """The logs key's policy set by an aws_kms_key_policy resource instead of the key's argument (maybe broken)."""

    def change(documents: Documents) -> None:
        name, body = key(documents, "logs_key")
        policy = json.loads(body.pop("policy"))
        if mistake:
            mistake(next(s for s in policy["Statement"] if s.get("Sid") == LOGS_SID))
        documents["encryption"]["resource"]["aws_kms_key_policy"] = {
            "logs_key_policy": {"key_id": f"${{aws_kms_key.{name}.id}}", "policy": json.dumps(policy)}}

    return change


def _deny_everyone_decrypt(documents: Documents) -> None:
    add_statement("logs_key", {"Sid": "NoDecrypt", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt*",
                               "Resource": "*"})(documents)


def _remove_account_statement(documents: Documents) -> None:
    edit_statements(documents, "data_key", lambda statements: statements.remove(
        next(s for s in statements if s.get("Sid") == ACCOUNT_SID)))


def _lookup_in_the_whole_outputs_map(straight_from_key: bool) -> Callable[[Documents], None]:
    def change(documents: Documents) -> None:
        if straight_from_key:
            _output_straight_from_key("logs_key", "logs_key_arn")(documents)
        _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
        group["kms_key_id"] = '${lookup(data.terraform_remote_state.encryption.outputs, "logs_key_arn")}'

    return change


def _literal_key_inside_coalesce(documents: Documents) -> None:
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
    group["kms_key_id"] = f'${{coalesce("{LITERAL_KEY_ARN}", data.terraform_remote_state.encryption.outputs.x)}}'


def _state_machine_on_a_literal_alias(documents: Documents) -> None:
    _, machine = next(iter(resources(documents, "app", "aws_sfn_state_machine").items()))
    machine["encryption_configuration"]["kms_key_id"] = "alias/payment-workflow-data-dev"


def _log_group_through_an_alias_data_source(documents: Documents) -> None:
    documents["app"]["data"]["aws_kms_alias"] = {"logs": {"name": "alias/payment-workflow-logs-dev"}}
    _, group = named(documents, "app", "aws_cloudwatch_log_group", "validation")
    group["kms_key_id"] = "${data.aws_kms_alias.logs.target_key_arn}"


def _zero_wait(documents: Documents) -> None:
    _, body = sleep(documents, "logs_key")
    body["create_duration"] = "0s"


def _literal_regional_logs_principal(documents: Documents) -> None:
    region = documents["encryption"]["provider"]["aws"][0]["region"]
    logs_statement(_set("Principal", {"Service": f"logs.{region}.amazonaws.com"}))(documents)


def _account_root(documents: Documents, part: str) -> str:
    """This account's root as the synthesized policy spells it (`arn:${data.aws_partition...}:iam::${...}:root`)."""
    _, body = key(documents, part)
    (root,) = [s["Principal"]["AWS"] for s in json.loads(body["policy"])["Statement"] if s.get("Sid") == ACCOUNT_SID]
    return root


def _deny_all_but_root(documents: Documents) -> None:
    """A Deny of kms:* to everyone but the account root, written with NotPrincipal: it denies CloudWatch Logs too."""
    add_statement("logs_key", {"Sid": "OnlyRootUsesKey", "Effect": "Deny",
                               "NotPrincipal": {"AWS": _account_root(documents, "logs_key")}, "Action": "kms:*",
                               "Resource": "*"})(documents)


def _deny_other_accounts(with_service_guard: bool) -> Callable[[Documents], None]:
    """A Deny of kms:* to callers of other accounts through aws:PrincipalAccount. A service principal's request has
    no aws:PrincipalAccount, and a negated operator holds for a missing key: without the aws:PrincipalIsAWSService
    guard the Deny also reaches CloudWatch Logs."""

    def change(documents: Documents) -> None:
        account = _account_root(documents, "logs_key").split("iam::", 1)[1].removesuffix(":root")
        condition: dict[str, Any] = {"StringNotEquals": {"aws:PrincipalAccount": account}}
        if with_service_guard:
            condition["Bool"] = {"aws:PrincipalIsAWSService": "false"}
        add_statement("logs_key", {"Sid": "NoOtherAccounts", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
                                   "Resource": "*", "Condition": condition})(documents)

    return change


def _key_attribute(part: str, **attributes: Any) -> Callable[[Documents], None]:
    return lambda documents: key(documents, part)[1].update(attributes)


def _alarms_from_another_account(documents: Documents) -> None:
    edit_statement(documents, "alerts_key", "CloudWatchAlarmsPublishToAlertsTopic",
                   lambda s: s["Condition"]["StringEquals"].update({"aws:SourceAccount": "111122223333"}))


def _alarms_grant(sid: str, condition: dict[str, Any]) -> Callable[[Documents], None]:
    """A second grant to CloudWatch on the alerts key, conditioned otherwise than the real one."""
    return add_statement("alerts_key", _statement(sid, {"Service": "cloudwatch.amazonaws.com"},
                                                  ["kms:Decrypt", "kms:GenerateDataKey*"], Condition=condition))


def _topic_arn(documents: Documents) -> str:
    _, body = key(documents, "alerts_key")
    (statement,) = [s for s in json.loads(body["policy"])["Statement"]
                    if s.get("Sid") == "CloudWatchAlarmsPublishToAlertsTopic"]
    return statement["Condition"]["ArnEquals"][TOPIC_CONTEXT]


def _every_topic_but_a_legacy_one(documents: Documents) -> None:
    legacy = _topic_arn(documents) + "-legacy"
    _alarms_grant("AlarmsEverywhereButLegacy", {"StringNotEquals": {TOPIC_CONTEXT: legacy}})(documents)


def _for_all_values_on_the_topic(documents: Documents) -> None:
    _alarms_grant("AlarmsForAllValues", {"ForAllValues:StringEquals": {TOPIC_CONTEXT: _topic_arn(documents)}})(
        documents)


def _lower_case(statement: dict[str, Any]) -> None:
    statement["Action"] = [action.lower() for action in statement["Action"]]
    statement["Condition"] = {"ArnEquals": {CONTEXT_KEY.lower(): _arns(statement)}}


def _statement(sid: str, principal: Any, action: Any = "kms:Decrypt", **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


BREAKAGES = [
    # The post-mortem's mistake and its neighbours: the logs statement's condition.
    Breakage("the post-mortem's logs statement without its condition", "logs-key-condition",
             logs_statement(lambda s: s.pop("Condition"))),
    Breakage("the condition as StringLike", "logs-key-condition", logs_statement(_operator("StringLike"))),
    Breakage("the condition as ArnLike", "logs-key-condition", logs_statement(_operator("ArnLike"))),
    Breakage("the condition as ArnEqualsIfExists", "logs-key-condition",
             logs_statement(_operator("ArnEqualsIfExists"))),
    Breakage("the condition on aws:SourceArn instead", "logs-key-condition",
             logs_statement(lambda s: s.update(Condition={"ArnEquals": {"aws:SourceArn": _arns(s)}}))),
    Breakage("the post-mortem's ArnLike on log-group:*", "logs-key-wildcard", logs_statement(_post_mortem_arn_like)),
    Breakage("a wildcard ARN inside ArnEquals beside the exact ones", "logs-key-wildcard",
             logs_statement(_wildcard_beside_exact)),
    Breakage("a log-group ARN with a trailing :*", "logs-key-wildcard", logs_statement(_trailing_colon_star)),
    Breakage("an extra log-group ARN", "logs-key-log-groups", logs_statement(_extra_group)),
    Breakage("a missing log-group ARN", "logs-key-log-groups", logs_statement(lambda s: _arns(s).pop())),
    Breakage("a fourth log group the policy does not list", "logs-key-log-groups", _a_fourth_log_group),
    Breakage("no kms:GenerateDataKey*", "logs-key-actions", logs_statement(_drop_action("kms:GenerateDataKey*"))),
    Breakage("kms:* instead of the five actions", "logs-key-actions", logs_statement(_set("Action", "kms:*"))),
    Breakage("an extra kms:CreateGrant", "logs-key-actions",
             logs_statement(lambda s: s["Action"].append("kms:CreateGrant"))),
    Breakage("a Resource other than *", "logs-key-actions", logs_statement(_set("Resource", LITERAL_KEY_ARN))),
    Breakage("the global logs.amazonaws.com principal", "logs-key-principal",
             logs_statement(_set("Principal", {"Service": "logs.amazonaws.com"}))),
    Breakage("another region's logs principal", "logs-key-principal",
             logs_statement(_set("Principal", {"Service": "logs.us-west-2.amazonaws.com"}))),
    Breakage("no logs statement at all", "logs-key-principal", _remove_logs_statement),
    Breakage("a log group on the data key", "logs-key-principal", _log_group_on_the_data_key),
    # Who the key is opened to.
    Breakage('a principal {"AWS": "*"}', "key-principal-wildcard",
             add_statement("data_key", _statement("Anyone", {"AWS": "*"}))),
    Breakage('a principal "*"', "key-principal-wildcard", add_statement("logs_key", _statement("Anyone", "*"))),
    Breakage("the account statement widened to *", "key-principal-wildcard",
             lambda d: edit_statement(d, "data_key", ACCOUNT_SID, _set("Principal", {"AWS": ["*"]}))),
    Breakage("an Allow with NotPrincipal", "key-principal-wildcard",
             add_statement("data_key", {"Sid": "AllBut", "Effect": "Allow", "NotPrincipal": {"AWS": FOREIGN_ROOT},
                                        "Action": "kms:Decrypt", "Resource": "*"})),
    Breakage("a foreign account root", "key-foreign-principal",
             add_statement("data_key", _statement("Partner", {"AWS": FOREIGN_ROOT}))),
    Breakage("a foreign account id", "key-foreign-principal",
             add_statement("logs_key", _statement("Partner", {"AWS": "111122223333"}))),
    Breakage("the account statement naming another account", "key-foreign-principal",
             lambda d: edit_statement(d, "logs_key", ACCOUNT_SID, _set("Principal", {"AWS": FOREIGN_ROOT}))),
    Breakage("a service principal with no row", "key-service-condition",
             add_statement("data_key", _statement("Alarms", {"Service": "cloudwatch.amazonaws.com"},
                                                  ["kms:Decrypt", "kms:GenerateDataKey*"]))),
    Breakage("the alarms' grant on the alerts key without its topic condition", "key-service-condition",
             lambda d: edit_statement(d, "alerts_key", "CloudWatchAlarmsPublishToAlertsTopic",
                                      lambda s: s["Condition"].pop("ArnEquals"))),
    Breakage("EventBridge's grant on the alerts key as ArnEqualsIfExists", "key-service-condition",
             lambda d: edit_statement(d, "alerts_key", "EventBridgeDeliversToAlertsTopic", lambda s: s.update(
                 Condition={"ArnEqualsIfExists": s["Condition"]["ArnEquals"]}))),
    Breakage("EventBridge granted kms:Encrypt on the alerts key", "key-service-actions",
             lambda d: edit_statement(d, "alerts_key", "EventBridgeDeliversToAlertsTopic",
                                      lambda s: s["Action"].append("kms:Encrypt"))),
    Breakage("log delivery granted kms:*", "key-service-actions",
             lambda d: edit_statement(d, "data_key", "LogDeliveryDecryptsStateMachineData", _set("Action", "kms:*"))),
    # Rotation.
    Breakage("rotation off", "key-rotation", _rotation(False)),
    Breakage("rotation absent", "key-rotation", _rotation(None)),
    Breakage("a key policy the review cannot read", "key-policy-unreadable", _policy_from_a_document),
    # Every key's ARN through its own wait.
    Breakage("the logs key output read from the key directly", "sleep-bypassed",
             _output_straight_from_key("logs_key", "logs_key_arn")),
    Breakage("the data key output read from the key directly", "sleep-bypassed",
             _output_straight_from_key("data_key", "data_key_arn")),
    Breakage("the data key through the whole triggers map of the logs key's wait", "sleep-bypassed",
             _data_key_through_the_logs_sleep_map),
    Breakage("the data key's whole wait map used as it is, carrying a literal key ARN after the sound values",
             "sleep-bypassed", _whole_map_used_as_it_is(extra_trigger=True)),
    Breakage("the data key check on a literal alias", "sleep-bypassed", _data_check_on_a_literal_alias),
    Breakage("the data key's wait without the policy digest", "sleep-bypassed", _sleep_without_policy_digest),
    Breakage("the data key's wait carrying the logs key", "sleep-bypassed", _data_sleep_carries_the_logs_key),
    Breakage("a function on a literal key ARN", "sleep-bypassed", _lambda_on_a_literal_key),
    Breakage("a log group on a literal alias", "sleep-bypassed", _log_group_on_a_literal_alias),
    Breakage("an output naming a trigger the wait does not have", "sleep-bypassed", _missing_trigger),
    Breakage("the logs key read straight from the key, looked up in the whole outputs map", "sleep-bypassed",
             _lookup_in_the_whole_outputs_map(straight_from_key=True)),
    Breakage("a literal key ARN inside coalesce()", "sleep-bypassed", _literal_key_inside_coalesce),
    Breakage("the state machine on a literal alias, nested in encryption_configuration", "sleep-bypassed",
             _state_machine_on_a_literal_alias),
    Breakage("a log group on a data aws_kms_alias", "sleep-bypassed", _log_group_through_an_alias_data_source),
    Breakage("the logs key's wait of 0s", "sleep-bypassed", _zero_wait),
    # Every user of a key read from the key stack's state waits for the key's check.
    Breakage("a log group no longer depends on the key check", "key-unchecked", _log_group_without_the_key_check),
    Breakage("the logs key check without its postcondition", "key-unchecked",
             _logs_key_check_without_its_postcondition),
    Breakage("the alerts topic on the key stack's output, not on the checked key", "key-unchecked",
             _alerts_topic_on_the_unchecked_output),
    # More ways around the policy rules.
    Breakage("the post-mortem's mistake in an aws_kms_key_policy resource", "logs-key-condition",
             _policy_moved_to_a_policy_resource(lambda s: s.pop("Condition"))),
    Breakage("an unconditional Deny of kms:Decrypt* to everyone", "logs-key-principal", _deny_everyone_decrypt),
    Breakage("no account statement", "key-account-statement", _remove_account_statement),
    Breakage("the account statement under a condition", "key-account-statement",
             lambda d: edit_statement(d, "data_key", ACCOUNT_SID, _set(
                 "Condition", {"StringEquals": {"aws:PrincipalTag/team": "payments"}}))),
    Breakage("a wildcard account in a root ARN", "key-principal-wildcard",
             add_statement("data_key", _statement("AnyRoot", {"AWS": "arn:aws:iam::*:root"}))),
    # Mistakes no statement shape describes: found only by evaluating the requests AWS makes.
    Breakage("a Deny of kms:* to everyone but the account root, with NotPrincipal", "key-required-access",
             _deny_all_but_root),
    Breakage("a Deny of kms:* to other accounts through aws:PrincipalAccount, without a service guard",
             "key-required-access", _deny_other_accounts(with_service_guard=False)),
    Breakage("a Deny of every action but kms:Decrypt* to everyone (NotAction)", "key-required-access",
             add_statement("logs_key", {"Sid": "DecryptOnly", "Effect": "Deny", "Principal": "*",
                                        "NotAction": "kms:Decrypt*", "Resource": "*"})),
    Breakage("the alarms' grant held to another account's aws:SourceAccount", "key-required-access",
             _alarms_from_another_account),
    Breakage("a second CloudWatch grant for every topic but a legacy one (StringNotEquals)", "key-forbidden-access",
             _every_topic_but_a_legacy_one),
    Breakage("a CloudWatch grant with ForAllValues on the topic's context (KMS refuses the policy)",
             "key-policy-unreadable", _for_all_values_on_the_topic),
    # What AWS requires of the key itself.
    Breakage("the logs key made asymmetric (RSA_2048)", "key-spec",
             _key_attribute("logs_key", customer_master_key_spec="RSA_2048")),
    Breakage("the logs key disabled", "key-spec", _key_attribute("logs_key", is_enabled=False)),
    Breakage("the alerts key made a signing key", "key-spec",
             _key_attribute("alerts_key", customer_master_key_spec="ECC_NIST_P256", key_usage="SIGN_VERIFY")),
    Breakage("the data key as an HMAC key (key_spec)", "key-spec",
             _key_attribute("data_key", key_spec="HMAC_256", key_usage="GENERATE_VERIFY_MAC")),
]

SOUND_CHANGES = [
    Breakage("the whole triggers map of the key's own wait, looked up", "", _whole_map_of_the_right_sleep),
    Breakage("the whole triggers map of the key's own wait, used as it is", "", _whole_map_used_as_it_is(False)),
    Breakage("the logs key looked up in the whole outputs map", "", _lookup_in_the_whole_outputs_map(False)),
    Breakage("the logs key's policy in an aws_kms_key_policy resource", "", _policy_moved_to_a_policy_resource()),
    Breakage("the logs statement's Resource as a list", "", logs_statement(_set("Resource", ["*"]))),
    Breakage("outputs read with index syntax and a map key by attribute", "", _index_syntax),
    Breakage("the regional logs principal with the provider's region written out", "",
             _literal_regional_logs_principal),
    Breakage("the logs statement's actions and condition key in lower case (IAM ignores their case)", "",
             logs_statement(_lower_case)),
    Breakage("a Deny of kms:* to other accounts through aws:PrincipalAccount, guarded for AWS services", "",
             _deny_other_accounts(with_service_guard=True)),
]
