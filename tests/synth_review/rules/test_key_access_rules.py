"""The review asks each key's policy the requests AWS will make, and shows who can use each key.

Each key is held to the requests of its uses (synth_review/rules/key_requests.py): the sound tree allows every one AWS
makes and refuses every stranger's; the mistakes no statement shape describes fail the review naming the request and the
statement that decided it.
"""

from __future__ import annotations

import pytest

from cdktf_out.tree import SynthesizedApp, load
from synth_review.access.binding import OTHER_ACCOUNT, THIS_ACCOUNT, Binding
from synth_review.access.request import Decision
from synth_review.change.change_report import ChangeReview, render_text
from synth_review.change.change_set import diff_apps
from synth_review.change.findings_delta import compare
from synth_review.report.table import WIDTH
from synth_review.report.text import render
from synth_review.rules import findings
from synth_review.rules.key_access_rules import KeyAccess, key_accesses
from synth_review.rules.key_rules import provider_region
from tests.synth_review.breakages import BREAKAGES, Breakage
from tests.synth_review.conftest import edit_policy, statement

LOGS_STATEMENT = "CloudWatchLogsEncryptsWorkflowLogGroups"


@pytest.fixture(scope="module")
def accesses(synthesized) -> dict[str, KeyAccess]:
    """The sound tree's keys, by the construct id in their address (logs_key, data_key, alerts_key)."""
    return {access.address.split(".")[1].rsplit("_", 1)[0]: access for access in key_accesses(load(synthesized.outdir))}


def breakage(name: str) -> Breakage:
    (found,) = [b for b in BREAKAGES if b.name == name]
    return found


def broken(app: SynthesizedApp, name: str) -> SynthesizedApp:
    breakage(name).change({stack.name: stack.document for stack in app.stacks})
    return app


def test_each_of_the_three_keys_allows_every_request_aws_makes_and_refuses_every_other(accesses):
    assert sorted(accesses) == ["alerts_key", "data_key", "logs_key"]
    for access in accesses.values():
        assert access.error is None and access.checked
        assert [c.proof() for c in access.wrong] == []


def test_each_key_is_asked_for_the_uses_the_stacks_make_of_it(accesses):
    required = {name: {c.expected.topic for c in access.checked if c.expected.allowed}
                for name, access in accesses.items()}
    assert required == {"logs_key": {"logs", "admin"}, "alerts_key": {"alerts", "admin"}, "data_key": {"data", "admin"}}


def test_cloudwatch_logs_is_asked_for_every_log_group_and_every_call_that_carries_its_context(accesses):
    asked = {(c.expected.request.action, c.expected.request.values("kms:EncryptionContext:aws:logs:arn"))
             for c in accesses["logs_key"].checked if c.expected.allowed and c.expected.topic == "logs"}
    groups = {arn for _, (arn,) in asked}
    assert len(groups) == 3 and all(":log-group:/aws/" in arn for arn in groups)
    assert {action for action, _ in asked} == {"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                                                "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"}


def test_every_alarm_is_asked_with_its_own_source_and_the_topic_as_context(accesses, synthesized):
    alarms = {a.body["alarm_name"] for a in synthesized.stack("app").resources("aws_cloudwatch_metric_alarm")}
    sources = {c.expected.request.values("aws:SourceArn")[0].rsplit(":alarm:", 1)[1]
               for c in accesses["alerts_key"].checked if c.expected.allowed
               and c.expected.request.principal.name == "cloudwatch.amazonaws.com"}
    assert sources == alarms
    topics = {c.expected.request.values("kms:EncryptionContext:aws:sns:topicArn")
              for c in accesses["alerts_key"].checked if c.expected.allowed and c.expected.topic == "alerts"}
    assert len(topics) == 1


def test_the_placeholders_are_bound_to_this_account_and_region_and_strangers_to_others(accesses, synthesized):
    region = provider_region(synthesized.stack("encryption"))
    logs = [c.expected for c in accesses["logs_key"].checked if c.expected.topic == "logs"]
    ours = {e.request.values("kms:EncryptionContext:aws:logs:arn")[0] for e in logs if e.allowed}
    assert all(arn.startswith(f"arn:aws:logs:{region}:{THIS_ACCOUNT}:log-group:") for arn in ours)
    assert {e.request.principal.name for e in logs if e.allowed} == {f"logs.{region}.amazonaws.com"}
    strangers = {e.label: e.request.values("kms:EncryptionContext:aws:logs:arn") for e in logs if not e.allowed}
    other_region = accesses["logs_key"].binding.other_region.region
    (another_account,) = [arns for label, arns in strangers.items() if label.endswith("of another account")]
    (another_region,) = [arns for label, arns in strangers.items() if label.endswith(f" in {other_region}")]
    assert f":{OTHER_ACCOUNT}:" in another_account[0] and f":{other_region}:{THIS_ACCOUNT}:" in another_region[0]


@pytest.mark.parametrize(("region", "partition", "suffix"), [
    ("us-east-1", "aws", "amazonaws.com"), ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com")])
def test_a_region_binds_the_partition_it_belongs_to_and_another_region_stays_in_it(region, partition, suffix):
    binding = Binding.for_region(region)
    assert (binding.partition, binding.dns_suffix) == (partition, suffix)
    assert binding.other_region.region != region and binding.other_region.partition == partition
    bound = binding.text("arn:<partition>:logs:<region>:<account>:x")
    assert bound == f"arn:{partition}:logs:{region}:{THIS_ACCOUNT}:x"


def test_a_deny_of_everything_but_the_root_with_not_principal_fails_naming_cloudwatch_logs(review_app):
    """A mistake only the evaluation finds: it passes every shape rule; the evaluation shows CloudWatch Logs denied."""
    found = findings(broken(review_app, "a Deny of kms:* to everyone but the account root, with NotPrincipal"),
                     None, None)
    logs = [f for f in found if "CloudWatch Logs kms:Encrypt for log group" in f.message]
    assert [(f.rule, f.statement) for f in logs] == [("key-required-access", "OnlyRootUsesKey")]
    assert "is explicitly denied by OnlyRootUsesKey" in logs[0].message
    assert "so creating it with the key fails" in logs[0].message


def test_an_asymmetric_logs_key_fails_citing_the_page_that_requires_a_symmetric_one(review_app):
    """A key property no statement shows: customer_master_key_spec RSA_2048 on the logs key."""
    (finding,) = findings(broken(review_app, "the logs key made asymmetric (RSA_2048)"), None, None)
    assert (finding.rule, finding.subject.split(".")[1].rsplit("_", 1)[0]) == ("key-spec", "logs_key")
    assert "RSA_2048" in finding.message and "Encrypt log data in CloudWatch Logs using AWS KMS" in finding.message


def test_a_service_guard_is_what_keeps_a_deny_of_other_accounts_off_cloudwatch_logs(review_app):
    """A service principal's request has no aws:PrincipalAccount, and StringNotEquals holds for a missing key
    ("IAM JSON policy elements: Condition operators"): the guard aws:PrincipalIsAWSService decides."""
    found = findings(broken(review_app, "a Deny of kms:* to other accounts through aws:PrincipalAccount, without a "
                                        "service guard"), None, None)
    assert {(f.rule, f.statement) for f in found} == {("key-required-access", "NoOtherAccounts")}


def test_a_grant_that_admits_other_topics_fails_naming_the_request_it_allows(review_app):
    (finding,) = findings(broken(review_app, "a second CloudWatch grant for every topic but a legacy one "
                                             "(StringNotEquals)"), None, None)
    assert (finding.rule, finding.statement) == ("key-forbidden-access", "AlarmsEverywhereButLegacy")
    assert "for another topic of this account is allowed by AlarmsEverywhereButLegacy" in finding.message


def test_a_policy_kms_refuses_to_store_fails_as_unreadable_saying_why(review_app):
    found = findings(broken(review_app, "a CloudWatch grant with ForAllValues on the topic's context (KMS refuses the "
                                        "policy)"), None, None)
    assert [f.rule for f in found] == ["key-policy-unreadable"]
    assert "OverlyPermissiveCondition" in found[0].message


def test_a_key_policy_naming_a_value_only_terraform_knows_cannot_pass(review_app):
    def refer_to_a_resource(statements):
        statement(statements, LOGS_STATEMENT)["Condition"]["ArnEquals"][
            "kms:EncryptionContext:aws:logs:arn"] = "${aws_cloudwatch_log_group.audit.arn}"

    logs_key = next(k for k in review_app.stack("encryption").resources("aws_kms_key") if "logs_key" in k.name)
    edit_policy(logs_key, refer_to_a_resource)
    unreadable = [f for f in findings(review_app, None, None) if f.rule == "key-policy-unreadable"]
    assert len(unreadable) == 1 and "${aws_cloudwatch_log_group.audit.arn}" in unreadable[0].message


def test_a_policy_variable_escaped_for_terraform_is_read_as_a_policy_variable(review_app):
    """Terraform writes an IAM policy variable as $${...}; the review reads it as the variable AWS will see."""
    def per_user_grant(statements):
        statements.append({"Sid": "OwnPrefix", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt",
                           "Resource": "*", "Condition": {"StringEquals": {"aws:username": "$${aws:username}"}}})

    data_key = next(k for k in review_app.stack("encryption").resources("aws_kms_key") if "data_key" in k.name)
    edit_policy(data_key, per_user_grant)
    (access,) = [a for a in key_accesses(review_app) if a.address == data_key.address]
    assert access.error is None  # read as a variable, not as an interpolation Terraform fills in


def test_the_post_mortem_policy_reads_as_widened_in_the_change_review_never_as_a_failure(synthesized):
    """What AWS documents: the condition narrows who may use the key; dropping it widens access (any log group of
    any account). The change review says so, computed, and no longer that CreateLogGroup fails."""
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    logs_key = next(k for k in head.stack("encryption").resources("aws_kms_key") if "logs_key" in k.name)
    edit_policy(logs_key, lambda statements: statement(statements, LOGS_STATEMENT).pop("Condition"))
    review = ChangeReview("base", "head", ("encryption", "app"), tuple(diff_apps(base, head)),
                          compare(findings(base, None, None), findings(head, None, None)), frozenset())
    text = render_text(review)
    assert f"condition `kms:EncryptionContext:aws:logs:arn` removed from {LOGS_STATEMENT}" in text
    assert "NEW FAIL [logs-key-condition]" in text
    assert "of another account is allowed by" in " ".join(text.split())
    assert "is not allowed to be used with Arn" not in text


def test_the_review_shows_who_can_use_each_of_the_three_keys_within_the_width(review_app):
    text = render(review_app, [], None, "not run")
    section = text.split("Who can use each key", 1)[1].split("\nLog groups", 1)[0]
    tallies = [line for line in section.splitlines() if line.startswith("  aws_kms_key.")]
    assert len(tallies) == 3 and all("required requests:" in line and "refused" in line for line in tallies)
    assert "logs." in section and "/aws/lambda/lambda-payment-validation" in section
    assert "cloudwatch.amazonaws.com" in section and "events.amazonaws.com" in section
    assert "delivery.logs.amazonaws.com" in section
    assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_every_request_allowed_names_the_statement_that_allowed_it(accesses):
    allowed = [c for access in accesses.values() for c in access.checked if c.expected.allowed]
    assert all(c.evaluation.decision is Decision.ALLOWED for c in allowed)
    assert all(c.evaluation.explanation() == f"allowed by {', '.join(c.evaluation.statements)}" and
               c.evaluation.statements for c in allowed)
