"""Which attribute changes make Terraform replace a resource, and which resources hold state a replacement loses.

One table, read by the change review (synth_review/change/change_set.py) and tested entry by entry
(tests/synth_review/change/test_replacement_table.py). Every entry names its source: the AWS provider's (or time
provider's) registry documentation, or, where the page is silent, the provider's resource schema (`ForceNew: true`),
which is what Terraform's plan obeys. Only the resource types this project deploys are listed; a type missing here is
reviewed attribute by attribute, never assumed safe to replace.
"""

from __future__ import annotations

from dataclasses import dataclass

# Short forms of the sources, printed beside each replacement:
#   "hashicorp/aws docs <page>"    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<page>
#   "hashicorp/aws schema <file>"  https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/<file>
#   "hashicorp/time docs"  https://registry.terraform.io/providers/hashicorp/time/latest/docs (+ /resources/sleep)
AWS_DOCS = "hashicorp/aws docs"
AWS_SCHEMA = "hashicorp/aws schema"
TIME_DOCS = "hashicorp/time docs"


@dataclass(frozen=True)
class ForcesReplacement:
    resource_type: str
    attribute: str  # a top-level argument of the resource block
    source: str


def _entries(resource_type: str, source: str, *attributes: str) -> tuple[ForcesReplacement, ...]:
    return tuple(ForcesReplacement(resource_type, attribute, source) for attribute in attributes)


FORCES_REPLACEMENT: tuple[ForcesReplacement, ...] = (
    # "(Required, Forces new resource)" / "(Optional, Forces new resource)" on the page; `name` is ForceNew in the
    # schema (the page does not say so): renaming the ledger deletes the table and its records.
    *_entries("aws_dynamodb_table", f"{AWS_DOCS} dynamodb_table: Forces new resource",
              "hash_key", "range_key", "local_secondary_index"),
    *_entries("aws_dynamodb_table", f"{AWS_SCHEMA} dynamodb/table.go: ForceNew",
              "name", "restore_source_name", "restore_to_latest_time", "restore_date_time"),
    # A key's spec, usage, region model and key store cannot change (AWS::KMS::Key "update request fails" too).
    *_entries("aws_kms_key", f"{AWS_SCHEMA} kms/key.go: ForceNew",
              "customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"),
    *_entries("aws_kms_alias", f"{AWS_SCHEMA} kms/alias.go: ForceNew", "name", "name_prefix"),
    *_entries("aws_cloudwatch_log_group", f"{AWS_DOCS} cloudwatch_log_group: Forces new resource",
              "name", "name_prefix"),
    # The page: "You cannot update the type of a state machine once it has been created."
    *_entries("aws_sfn_state_machine", f"{AWS_SCHEMA} sfn/state_machine.go: ForceNew",
              "name", "name_prefix", "type"),
    *_entries("aws_lambda_function", f"{AWS_SCHEMA} lambda/function.go: ForceNew",
              "function_name", "package_type", "tenancy_config"),
    *_entries("aws_iam_role", f"{AWS_DOCS} iam_role: Forces new resource", "name", "name_prefix"),
    *_entries("aws_iam_role_policy", f"{AWS_SCHEMA} iam/role_policy.go: ForceNew", "name", "name_prefix", "role"),
    # The alerting resources: topic, alarms, dashboard, metric filters, the Config rule and its event rule.
    *_entries("aws_sns_topic", f"{AWS_SCHEMA} sns/topic.go: ForceNew", "name", "name_prefix", "fifo_topic"),
    *_entries("aws_sns_topic_policy", f"{AWS_SCHEMA} sns/topic_policy.go: ForceNew", "arn"),
    *_entries("aws_cloudwatch_metric_alarm", f"{AWS_SCHEMA} cloudwatch/metric_alarm.go: ForceNew", "alarm_name"),
    *_entries("aws_cloudwatch_dashboard", f"{AWS_SCHEMA} cloudwatch/dashboard.go: ForceNew", "dashboard_name"),
    *_entries("aws_cloudwatch_log_metric_filter", f"{AWS_SCHEMA} logs/metric_filter.go: ForceNew",
              "name", "log_group_name"),
    *_entries("aws_cloudwatch_event_rule", f"{AWS_SCHEMA} events/rule.go: ForceNew",
              "name", "name_prefix", "event_bus_name"),
    *_entries("aws_cloudwatch_event_target", f"{AWS_SCHEMA} events/target.go: ForceNew",
              "rule", "target_id", "event_bus_name"),
    *_entries("aws_config_config_rule", f"{AWS_SCHEMA} configservice/config_rule.go: ForceNew", "name"),
    *_entries("aws_s3_bucket", f"{AWS_DOCS} s3_bucket: Forces new resource", "bucket", "bucket_prefix"),
    # Opt-in (PAYMENT_ALERT_EMAIL, PAYMENT_CONFIG_RECORDER).
    *_entries("aws_sns_topic_subscription", f"{AWS_SCHEMA} sns/topic_subscription.go: ForceNew",
              "topic_arn", "protocol", "endpoint"),
    *_entries("aws_iam_role_policy_attachment", f"{AWS_SCHEMA} iam/role_policy_attachment.go: ForceNew",
              "role", "policy_arn"),
    *_entries("aws_config_configuration_recorder",
              f"{AWS_DOCS} config_configuration_recorder: Changing it recreates the resource", "name"),
    *_entries("aws_config_delivery_channel", f"{AWS_SCHEMA} configservice/delivery_channel.go: ForceNew", "name"),
    *(entry for resource_type in ("aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_versioning",
                                  "aws_s3_bucket_server_side_encryption_configuration")
      for entry in _entries(resource_type, f"{AWS_DOCS} {resource_type.removeprefix('aws_')}: Forces new resource",
                            "bucket")),
    *_entries("aws_s3_bucket_policy", f"{AWS_SCHEMA} s3/bucket_policy.go: ForceNew", "bucket"),
    *_entries("aws_s3_bucket_public_access_block", f"{AWS_SCHEMA} s3/bucket_public_access_block.go: ForceNew",
              "bucket"),
    # "When the keys or values of this argument are updated, Terraform will re-perform the desired action"
    # (provider page, Resource "Triggers"): the sleep is destroyed and created again, which is the wait re-running.
    *_entries("time_sleep", f"{TIME_DOCS}: Resource \"Triggers\"", "triggers"),
)

# Types whose every argument updates in place (no ForceNew in the schema): known, so never "perhaps replaced".
UPDATED_IN_PLACE: dict[str, str] = {
    "aws_config_configuration_recorder_status": f"{AWS_SCHEMA} configservice/configuration_recorder_status.go: "
                                                "no ForceNew (name and is_enabled both update)",
}

# What a replacement or removal of each stateful type loses; these fail the review unless acknowledged.
STATEFUL: dict[str, str] = {
    "aws_dynamodb_table": "the table and every item in it (the ledger's record of who was charged) are deleted",
    "aws_kms_key": "the key is scheduled for deletion: data encrypted under it becomes unreadable when it goes",
    "aws_cloudwatch_log_group": "the group and every log event in it are deleted",
    "aws_sfn_state_machine": "running executions are stopped and the execution history is deleted",
    "aws_s3_bucket": "the bucket and its objects are deleted (Terraform refuses a non-empty one unless force_destroy)",
}


def replacing_attributes(resource_type: str, changed: set[str]) -> list[ForcesReplacement]:
    """The entries among `changed` (top-level attributes) that make Terraform replace a `resource_type`."""
    return [e for e in FORCES_REPLACEMENT if e.resource_type == resource_type and e.attribute in changed]


def knows(resource_type: str) -> bool:
    """Whether the table speaks for this type; for a type it does not, the review cannot say "in place"."""
    return resource_type in UPDATED_IN_PLACE or any(e.resource_type == resource_type for e in FORCES_REPLACEMENT)


def stateful_loss(resource_type: str) -> str | None:
    return STATEFUL.get(resource_type)
