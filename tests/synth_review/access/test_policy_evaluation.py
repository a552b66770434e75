"""The policy evaluator against AWS's own worked examples, one behaviour per test, each citing the page it reproduces.

Pages (IAM user guide unless said otherwise):
- Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
- Condition operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- Multiple keys or values: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
- NotPrincipal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
- Policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
- KMS condition keys: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
- KMS troubleshooting key access: https://docs.aws.amazon.com/kms/latest/developerguide/policy-evaluation.html
- CloudWatch Logs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
- SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
"""

from __future__ import annotations

from typing import Any

import pytest

from synth_review.access.conditions import PolicyError
from synth_review.access.evaluate import evaluate
from synth_review.access.request import ANONYMOUS, Decision, Principal, Request

ALLOWED, IMPLICIT, EXPLICIT = Decision.ALLOWED, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY
KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CARLOS = Principal("AWS", "arn:aws:iam::123456789012:user/carlossalazar")


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def decide(document: dict[str, Any], action: str, resource: str = KEY, principal: Principal = CARLOS,
           identity_allows: bool = False, context: dict[str, Any] | None = None) -> Decision:
    values = {key: (v if isinstance(v, tuple) else (v,)) for key, v in (context or {}).items()}
    return evaluate(document, Request(principal, action, resource, values, identity_allows)).decision


def request(action: str, resource: str = KEY, principal: Principal = CARLOS, **context: tuple[str, ...]) -> Request:
    return Request(principal, action, resource, context)


CARLOS_POLICY = policy(
    {"Sid": "AllowS3ListRead", "Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListAllMyBuckets"],
     "Resource": "arn:aws:s3:::*"},
    {"Sid": "AllowS3Self", "Effect": "Allow", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]},
    {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"},
)


def test_carlos_cannot_save_to_the_logs_bucket_because_a_deny_overrides_his_allows():
    """Policy evaluation logic, "Example identity-based and resource-based policy evaluation": DenyS3Logs decides."""
    result = evaluate(CARLOS_POLICY, request("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/file.txt"))
    assert (result.decision, result.statements) == (EXPLICIT, ("DenyS3Logs",))


def test_carlos_may_save_to_his_own_bucket():
    """Policy evaluation logic, same example: "AWS checks for a Deny statement and does not find one"."""
    result = evaluate(CARLOS_POLICY, request("s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt"))
    assert (result.decision, result.statements) == (ALLOWED, ("AllowS3Self",))


REPORTS_POLICY = policy(
    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"},
)


@pytest.mark.parametrize(("action", "expected"), [
    ("iam:GetUser", ALLOWED), ("iam:CreatePolicy", IMPLICIT), ("iam:GetOrganizationsAccessReport", EXPLICIT)])
def test_allowed_implicitly_denied_and_explicitly_denied_actions(action, expected):
    """Policy evaluation logic, "The difference between explicit and implicit denies" (AllowGetList, DenyReports)."""
    assert decide(REPORTS_POLICY, action, "*") is expected


def test_action_names_are_case_insensitive():
    """Policy evaluation logic: actions are matched as IAM names them, whatever the case the policy writes."""
    assert decide(REPORTS_POLICY, "IAM:getuser", "*") is ALLOWED


def test_arn_like_matches_segment_by_segment_where_string_like_does_not():
    """Condition operators, ARN operators: the someservice example; StringLike matches, ArnLike fails."""
    pattern, value = "arn:aws:someservice:*:111122223333:finance/*", (
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")
    for operator, expected in (("StringLike", ALLOWED), ("ArnLike", IMPLICIT)):
        document = policy({"Effect": "Allow", "Action": "x:Y", "Resource": "*",
                           "Condition": {operator: {"aws:SourceArn": pattern}}})
        assert decide(document, "x:Y", context={"aws:SourceArn": value}) is expected, operator


def test_arn_equals_expands_a_wildcard_exactly_as_arn_like_does():
    """Condition operators: "The ArnEquals and ArnLike condition operators behave identically"."""
    document = policy({"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"ArnEquals": {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-west-2:111122223333:log-group:*"}}})
    assert decide(document, "kms:Encrypt", context={"kms:EncryptionContext:aws:logs:arn": (
        "arn:aws:logs:us-west-2:111122223333:log-group:anything")}) is ALLOWED


def test_a_missing_tag_fails_a_string_condition():
    """Condition operators, String: without the aws:PrincipalTag/job-category tag "the condition returns false"."""
    document = policy({"Effect": "Allow", "Action": "iam:*AccessKey*", "Resource": "arn:aws:iam::account-id:user/*",
                       "Condition": {"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}}})
    resource = "arn:aws:iam::account-id:user/bob"
    assert decide(document, "iam:CreateAccessKey", resource) is IMPLICIT
    assert decide(document, "iam:CreateAccessKey", resource,
                  context={"aws:PrincipalTag/job-category": "iamuser-admin"}) is ALLOWED


def test_numeric_less_than_equals_lets_up_to_ten_keys_be_listed():
    """Condition operators, Numeric: s3:max-keys NumericLessThanEquals 10."""
    document = policy({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket",
                       "Condition": {"NumericLessThanEquals": {"s3:max-keys": "10"}}})
    bucket = "arn:aws:s3:::example_bucket"
    decisions = [decide(document, "s3:ListBucket", bucket, context={"s3:max-keys": n}) for n in ("10", "11")]
    assert decisions == [ALLOWED, IMPLICIT]


def test_date_greater_than_needs_the_token_issue_time_it_compares():
    """Condition operators, Date: aws:TokenIssueTime after 2020-01-01T00:00:01Z; access keys have no such key."""
    document = policy({"Effect": "Allow", "Action": "iam:*AccessKey*", "Resource": "*",
                       "Condition": {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}})
    issued = [decide(document, "iam:ListAccessKeys", "*", context={"aws:TokenIssueTime": t} if t else None)
              for t in ("", "2020-06-01T12:00:00Z", "1577836800")]  # none (access keys), mid-2020, 2020-01-01 epoch
    assert issued == [IMPLICIT, ALLOWED, IMPLICIT]


def test_bool_denies_requests_without_tls():
    """Condition operators, Boolean: the BooleanExample Deny on aws:SecureTransport false."""
    document = policy({"Sid": "BooleanExample", "Action": "s3:*", "Effect": "Deny", "Resource": "*",
                       "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                      {"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    assert decide(document, "s3:GetObject", "*", context={"aws:SecureTransport": "false"}) is EXPLICIT
    assert decide(document, "s3:GetObject", "*", context={"aws:SecureTransport": "true"}) is ALLOWED


def test_ip_address_takes_ipv4_and_ipv6_ranges():
    """Condition operators, IP address: 203.0.113.0/24 and 2001:DB8:1234:5678::/64 in one condition."""
    document = policy({"Effect": "Allow", "Action": "someservice:*", "Resource": "*", "Condition": {
        "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}})
    decisions = [decide(document, "someservice:Do", "*", context={"aws:SourceIp": ip})
                 for ip in ("203.0.113.7", "2001:db8:1234:5678::1", "198.51.100.1")]
    assert decisions == [ALLOWED, ALLOWED, IMPLICIT]


def test_a_missing_key_makes_a_positive_operator_false_and_a_negated_one_true():
    """Condition operators, the Important note: a key not in the request does not match, so StringNotLike holds."""
    positive = policy({"Effect": "Allow", "Action": "x:Y", "Resource": "*",
                       "Condition": {"StringLike": {"aws:PrincipalTag/team": "pay*"}}})
    negated = policy({"Effect": "Allow", "Action": "x:Y", "Resource": "*",
                      "Condition": {"StringNotLike": {"aws:PrincipalTag/team": "pay*"}}})
    assert (decide(positive, "x:Y", "*"), decide(negated, "x:Y", "*")) == (IMPLICIT, ALLOWED)


INSTANCE_TYPES = ["t1.*", "t2.*", "m3.*"]


@pytest.mark.parametrize(("operator", "expected"), [("StringLike", IMPLICIT), ("StringLikeIfExists", ALLOWED)])
def test_if_exists_lets_resources_without_the_key_through(operator, expected):
    """Condition operators, ...IfExists: THISPOLICYDOESNOTWORK fails on resources without ec2:InstanceType."""
    document = policy({"Sid": "RunInstance", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
                       "Condition": {operator: {"ec2:InstanceType": INSTANCE_TYPES}}})
    image = "arn:aws:ec2:us-east-1::image/ami-12345678"
    assert decide(document, "ec2:RunInstances", image) is expected
    assert decide(document, "ec2:RunInstances", "*", context={"ec2:InstanceType": "c5.large"}) is IMPLICIT


def test_null_true_requires_the_key_to_be_absent():
    """Condition operators, Null: aws:TokenIssueTime must not exist (no temporary credentials)."""
    document = policy({"Action": "ec2:*", "Effect": "Allow", "Resource": "*",
                       "Condition": {"Null": {"aws:TokenIssueTime": "true"}}})
    assert decide(document, "ec2:DescribeInstances", "*") is ALLOWED
    temporary = {"aws:TokenIssueTime": "2020-06-01T00:00:00Z"}
    assert decide(document, "ec2:DescribeInstances", "*", context=temporary) is IMPLICIT


def test_keys_are_anded_and_values_ored():
    """Multiple keys or values, "Evaluation logic for conditions with multiple keys or values": the example block."""
    document = policy({"Effect": "Allow", "Action": "x:Y", "Resource": "*", "Condition": {
        "StringEqualsIgnoreCase": {"aws:PrincipalTag/department": ["finance", "hr", "legal"],
                                   "aws:PrincipalTag/role": ["audit", "security"]},
        "StringEquals": {"aws:PrincipalAccount": "123456789012"}}})
    base = {"aws:PrincipalTag/department": ("HR",), "aws:PrincipalTag/role": ("audit",),
            "aws:PrincipalAccount": ("123456789012",)}
    assert evaluate(document, Request(CARLOS, "x:Y", "*", base)).decision is ALLOWED
    for key in base:
        assert evaluate(document, Request(CARLOS, "x:Y", "*", {k: v for k, v in base.items() if k != key})).decision \
            is IMPLICIT, key


def test_a_negated_operator_with_several_values_must_match_none_of_them():
    """Multiple keys or values, the note: StringNotEquals with several values works like a logical AND."""
    document = policy({"Effect": "Deny", "Principal": "*", "Action": "x:Y", "Resource": "*",
                       "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222"]}}})
    decisions = [decide(document, "x:Y", "*", context={"aws:PrincipalAccount": account})
                 for account in ("222222222222", "333333333333")]
    assert decisions == [IMPLICIT, EXPLICIT]


THREAD = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread"


def test_for_all_values_needs_every_requested_attribute_listed():
    """Multiple keys or values, ForAllValues: PostDateTime and UserName against PostDateTime, Message, Tags."""
    document = policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/Thread",
                       "Condition": {"ForAllValues:StringEquals": {
                           "dynamodb:Attributes": ["PostDateTime", "Message", "Tags"]}}})
    asked = [decide(document, "dynamodb:GetItem", THREAD, context={"dynamodb:Attributes": attributes})
             for attributes in (("PostDateTime", "UserName"), ("Message", "Tags"))]
    assert asked == [IMPLICIT, ALLOWED]
    assert decide(document, "dynamodb:GetItem", THREAD) is ALLOWED  # the warning: no keys at all is "true"


def test_for_any_value_denies_when_one_requested_attribute_is_listed():
    """Multiple keys or values, ForAnyValue: the Deny of PutItem touching ID or PostDateTime."""
    document = policy({"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:*:*:table/Thread",
                       "Condition": {"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["ID", "PostDateTime"]}}})
    attributes = ("UserName", "Message", "PostDateTime")
    assert decide(document, "dynamodb:PutItem", THREAD, context={"dynamodb:Attributes": attributes}) is EXPLICIT
    assert decide(document, "dynamodb:PutItem", THREAD, context={"dynamodb:Attributes": ("UserName",)}) is IMPLICIT


BOB = Principal("AWS", "arn:aws:iam::444455556666:user/Bob")
BUCKET = "arn:aws:s3:::BUCKETNAME/object"


def test_not_principal_with_deny_spares_only_the_listed_user_and_account():
    """NotPrincipal, "IAM user in the same or a different account": everyone but Bob is denied; Bob is not allowed
    by it either ("This example by itself does not grant access to Bob")."""
    document = policy({"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob",
                                                                  "arn:aws:iam::444455556666:root"]},
                       "Action": "s3:*", "Resource": ["arn:aws:s3:::BUCKETNAME", "arn:aws:s3:::BUCKETNAME/*"]})
    alice = Principal("AWS", "arn:aws:iam::444455556666:user/Alice")
    assert [decide(document, "s3:GetObject", BUCKET, who) for who in (BOB, alice, ANONYMOUS)] == [
        IMPLICIT, EXPLICIT, EXPLICIT]


def test_not_principal_without_the_account_denies_the_user_too():
    """NotPrincipal: "If the NotPrincipal element contained only Bob's ARN, the effect of the policy might be to
    explicitly deny access to the AWS account that contains the user Bob" (the review takes "might" as "does")."""
    document = policy({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:user/Bob"},
                       "Action": "s3:*", "Resource": "arn:aws:s3:::BUCKETNAME/*"})
    assert decide(document, "s3:GetObject", BUCKET, BOB) is EXPLICIT


def test_not_principal_with_deny_also_denies_service_principals():
    """NotPrincipal with Deny: "explicitly denied to all principals except for the ones specified" - services too."""
    document = policy({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "kms:*", "Resource": "*"},
                      {"Effect": "Allow", "Principal": {"Service": "logs.us-west-2.amazonaws.com"},
                       "Action": "kms:*", "Resource": "*"})
    assert decide(document, "kms:Encrypt", principal=Principal("Service", "logs.us-west-2.amazonaws.com")) is EXPLICIT


def test_a_policy_variable_resolves_to_the_callers_value_and_matches_nothing_without_one():
    """Policy variables, Introduction: "arn:aws:s3:::mybucket/${aws:username}/*" for each user's own prefix."""
    document = policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                       "Resource": ["arn:aws:s3:::mybucket/${aws:username}/*"]})
    david = {"aws:username": "David"}
    assert decide(document, "s3:GetObject", "arn:aws:s3:::mybucket/David/a.txt", context=david) is ALLOWED
    assert decide(document, "s3:GetObject", "arn:aws:s3:::mybucket/Maria/a.txt", context=david) is IMPLICIT
    assert decide(document, "s3:GetObject", "arn:aws:s3:::mybucket/David/a.txt") is IMPLICIT


def test_a_policy_variable_default_applies_when_the_key_is_missing():
    """Policy variables, "Specifying default values": DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}."""
    document = policy({"Effect": "Allow", "Action": "s3:*",
                       "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}"})
    tagged = Request(CARLOS, "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow",
                     {"aws:PrincipalTag/team": ("yellow",)})
    assert evaluate(document, tagged).decision is ALLOWED
    assert decide(document, "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide") is ALLOWED
    assert decide(document, "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow") is IMPLICIT


def test_the_asterisk_variable_is_a_literal_asterisk_not_a_wildcard():
    """Policy variables, "Special characters": ${*} "use where you need an * (asterisk) character"."""
    document = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/${*}"})
    assert decide(document, "s3:GetObject", "arn:aws:s3:::bucket/*") is ALLOWED
    assert decide(document, "s3:GetObject", "arn:aws:s3:::bucket/a") is IMPLICIT


def test_variables_are_not_read_in_a_policy_of_the_old_version():
    """Policy variables are a 2012-10-17 feature: an older policy compares `${aws:username}` literally."""
    document = {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                         "Resource": "arn:aws:s3:::mybucket/${aws:username}/*"}]}
    assert decide(document, "s3:GetObject", "arn:aws:s3:::mybucket/David/a", context={"aws:username": "David"}) \
        is IMPLICIT


ROLE = Principal("AWS", "arn:aws:iam::111122223333:role/RoleForExampleApp")


def test_an_encryption_context_pair_is_required_and_other_pairs_are_permitted():
    """KMS condition keys, kms:EncryptionContext:context-key: AppName=ExampleApp, "Other encryption context pairs
    are permitted"."""
    document = policy({"Effect": "Allow", "Principal": {"AWS": ROLE.name}, "Action": "kms:GenerateDataKey",
                       "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:AppName": "ExampleApp"}}})
    with_pair = {"kms:EncryptionContext:AppName": ("ExampleApp",), "kms:EncryptionContext:Stage": ("Test",)}
    assert evaluate(document, Request(ROLE, "kms:GenerateDataKey", KEY, with_pair)).decision is ALLOWED
    assert decide(document, "kms:GenerateDataKey", principal=ROLE) is IMPLICIT


def test_the_encryption_context_key_ignores_case_and_its_value_does_not():
    """KMS condition keys, "Case sensitivity of the encryption context condition": kms:EncryptionContext:Appname
    matches an AppName pair; StringEquals keeps ExampleApp's case."""
    document = policy({"Effect": "Allow", "Principal": {"AWS": ROLE.name}, "Action": "kms:Decrypt", "Resource": "*",
                       "Condition": {"StringEquals": {"kms:EncryptionContext:Appname": "ExampleApp"}}})
    decisions = [decide(document, "kms:Decrypt", principal=ROLE, context={"kms:EncryptionContext:AppName": value})
                 for value in ("ExampleApp", "exampleapp")]
    assert decisions == [ALLOWED, IMPLICIT]


def test_a_deny_on_one_pair_leaves_other_values_of_the_key_alone():
    """KMS condition keys: the Deny of Stage=Restricted "allows a request with ... Stage=Test"."""
    document = policy({"Effect": "Deny", "Principal": {"AWS": ROLE.name}, "Action": "kms:GenerateDataKey",
                       "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:Stage": "Restricted"}}},
                      {"Effect": "Allow", "Principal": {"AWS": ROLE.name}, "Action": "kms:*", "Resource": "*"})
    decisions = [decide(document, "kms:GenerateDataKey", principal=ROLE, context={"kms:EncryptionContext:Stage": stage})
                 for stage in ("Restricted", "Test")]
    assert decisions == [EXPLICIT, ALLOWED]


def test_for_all_values_on_a_single_valued_context_key_allows_requests_without_context():
    """KMS condition keys, the warning: an Allow with ForAllValues and kms:EncryptionContext:Department "allows
    requests with no encryption context and requests with unspecified encryption context pairs"."""
    document = policy({"Effect": "Allow", "Principal": {"AWS": ROLE.name}, "Action": "kms:Decrypt", "Resource": "*",
                       "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:Department": "IT"}}})
    assert decide(document, "kms:Decrypt", principal=ROLE) is ALLOWED


def test_two_required_pairs_are_both_required():
    """KMS condition keys, "Using multiple encryption context pairs": Department=IT and Project=Alpha."""
    document = policy({"Effect": "Allow", "Principal": {"AWS": ROLE.name}, "Action": "kms:Decrypt", "Resource": "*",
                       "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT",
                                                      "kms:EncryptionContext:Project": "Alpha"}}})
    assert decide(document, "kms:Decrypt", principal=ROLE, context={"kms:EncryptionContext:Department": "IT"}) \
        is IMPLICIT
    both = {"kms:EncryptionContext:Department": "IT", "kms:EncryptionContext:Project": "Alpha"}
    assert decide(document, "kms:Decrypt", principal=ROLE, context=both) is ALLOWED


DEFAULT_KEY_POLICY = policy({"Sid": "Delegate to IAM policies", "Effect": "Allow",
                             "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
                             "Resource": "*"})
ALICE = Principal("AWS", "arn:aws:iam::111122223333:user/alice")


def test_alice_is_denied_the_key_until_an_iam_policy_grants_it():
    """KMS troubleshooting key access, "Example 1": the default key policy delegates to IAM, and "no IAM policy gives
    Alice permission"."""
    assert decide(DEFAULT_KEY_POLICY, "kms:Decrypt", principal=ALICE) is IMPLICIT
    assert decide(DEFAULT_KEY_POLICY, "kms:Decrypt", principal=ALICE, identity_allows=True) is ALLOWED


def test_the_account_principal_grants_nothing_to_another_account():
    """KMS developer guide, Default key policy: the account principal is the key's own account."""
    stranger = Principal("AWS", "arn:aws:iam::444455556666:root")
    assert decide(DEFAULT_KEY_POLICY, "kms:Decrypt", principal=stranger, identity_allows=True) is IMPLICIT


LOGS = Principal("Service", "logs.us-west-2.amazonaws.com")
GROUP_ARN = "arn:aws:logs:us-west-2:111122223333:log-group:log-group-name"
CONTEXT = "kms:EncryptionContext:aws:logs:arn"
LOGS_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]


def logs_statement(condition: dict[str, Any]) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": {"Service": LOGS.name}, "Action": LOGS_ACTIONS, "Resource": "*",
            "Condition": condition}


def test_the_single_log_group_statement_serves_that_group_only():
    """CloudWatch Logs, step 2: "The Condition section in this example restricts the key to a single log group ARN"."""
    document = policy(logs_statement({"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP_ARN}}))
    assert decide(document, "kms:GenerateDataKey", principal=LOGS, context={CONTEXT: GROUP_ARN}) is ALLOWED
    assert decide(document, "kms:GenerateDataKey", principal=LOGS, context={CONTEXT: GROUP_ARN + "-other"}) is IMPLICIT
    assert decide(document, "kms:DescribeKey", principal=LOGS) is IMPLICIT  # DescribeKey carries no context


def test_the_account_wide_statement_serves_any_log_group_of_that_account():
    """CloudWatch Logs, step 2: the ArnLike example "limits the use of the AWS KMS key to the specified account, but it
    can be used for any log group"."""
    document = policy(logs_statement({"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                                  "arn:aws:logs:us-west-2:111122223333:*"}}))
    assert decide(document, "kms:Encrypt", principal=LOGS, context={CONTEXT: GROUP_ARN + "-other"}) is ALLOWED
    assert decide(document, "kms:Encrypt", principal=LOGS, context={CONTEXT: GROUP_ARN.replace("1111", "4444")}) \
        is IMPLICIT


def test_the_old_key_left_with_decrypt_only_refuses_new_encryption():
    """CloudWatch Logs, "AWS KMS keys and encryption context", step 8: "remove all values from the Action list,
    except for kms:Decrypt*"."""
    document = policy({"Effect": "Allow", "Principal": {"Service": LOGS.name}, "Action": ["kms:Decrypt*"],
                       "Resource": "*"})
    assert [decide(document, a, principal=LOGS) for a in ("kms:Decrypt", "kms:Encrypt")] == [ALLOWED, IMPLICIT]


def test_the_confused_deputy_guard_admits_only_the_customer_account():
    """SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted topics",
    step 3: aws:SourceAccount and aws:SourceArn on the service's grant."""
    document = policy({"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
                       "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*", "Condition": {
                           "StringEquals": {"aws:SourceAccount": "111122223333"},
                           "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-west-2:111122223333:alarm:*"}}})
    alarms = Principal("Service", "cloudwatch.amazonaws.com")
    ours = {"aws:SourceAccount": ("111122223333",),
            "aws:SourceArn": ("arn:aws:cloudwatch:us-west-2:111122223333:alarm:high-errors",)}
    theirs = {"aws:SourceAccount": ("444455556666",),
              "aws:SourceArn": ("arn:aws:cloudwatch:us-west-2:444455556666:alarm:high-errors",)}
    assert evaluate(document, Request(alarms, "kms:GenerateDataKey", KEY, ours)).decision is ALLOWED
    assert evaluate(document, Request(alarms, "kms:GenerateDataKey", KEY, theirs)).decision is IMPLICIT


def test_an_implicit_deny_names_the_nearest_statement_and_what_of_it_did_not_match():
    document = policy(logs_statement({"ArnEquals": {CONTEXT: GROUP_ARN}}) | {"Sid": "Logs"})
    result = evaluate(document, Request(LOGS, "kms:Encrypt", KEY))
    assert result.explanation() == f"implicitly denied (Logs: its condition ArnEquals {CONTEXT} does not match)"


@pytest.mark.parametrize("statement", [
    {"Effect": "Permit", "Action": "x:Y", "Resource": "*"},
    {"Effect": "Allow", "Action": "x:Y", "NotAction": "x:Z", "Resource": "*"},
    {"Effect": "Allow", "Action": "x:Y"},
    {"Effect": "Allow", "Action": "x:Y", "Resource": "*", "Condition": {"StringEqualz": {"k": "v"}}},
    {"Effect": "Allow", "Action": "x:Y", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"k": "v"}}},
    {"Effect": "Allow", "Principal": {"Group": "admins"}, "Action": "x:Y", "Resource": "*"},
    {"Effect": "Allow", "Principal": "*", "NotPrincipal": {"AWS": "*"}, "Action": "x:Y", "Resource": "*"},
], ids=["effect", "action and NotAction", "no resource", "operator", "set operator", "principal type", "both"])
def test_a_policy_aws_would_refuse_is_refused_rather_than_guessed(statement):
    with pytest.raises(PolicyError):
        evaluate(policy(statement), Request(CARLOS, "x:Y", "*"))
