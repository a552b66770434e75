"""The post-mortem's "monitor CloudWatch Logs encryption status using AWS Config rules", delivered to the alerts topic.

AWS Config's managed rule cloudwatch-log-group-encrypted (identifier CLOUDWATCH_LOG_GROUP_ENCRYPTED, periodic; its one
parameter KmsKeyId is the key every evaluated group must use: AWS Config developer guide, "cloudwatch-log-group-
encrypted"). A periodic rule cannot be scoped to resources (Config evaluates every log group of the region), so the
scoping happens where it matters: the EventBridge rule forwards compliance changes of this workflow's groups only.

AWS Config needs a configuration recorder in the account and region, usually the platform team's; this app creates
one only when PAYMENT_CONFIG_RECORDER=true (config_recorder.py; README, "Log-encryption compliance"): without any,
creating the rule fails with NoAvailableConfigurationRecorderException.
"""

from __future__ import annotations

import json

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.config_config_rule import ConfigConfigRule, ConfigConfigRuleSource
from constructs import Construct

LOG_GROUP_ENCRYPTED_RULE = "CLOUDWATCH_LOG_GROUP_ENCRYPTED"
LOG_GROUP_RESOURCE_TYPE = "AWS::Logs::LogGroup"
# A log group re-created without the key is found within the hour, not the next day (Config's default is 24 h).
EVALUATION_FREQUENCY = "One_Hour"


class LogEncryptionMonitor(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config_rule_name: str,
        event_rule_name: str,
        logs_key_arn: str,
        log_groups: tuple[str, ...],
        topic_arn: str,
        after: list[ITerraformDependable] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config_rule = ConfigConfigRule(
            self,
            "rule",
            name=config_rule_name,
            description="The payment workflow's log groups are encrypted with its logs key",
            source=ConfigConfigRuleSource(owner="AWS", source_identifier=LOG_GROUP_ENCRYPTED_RULE),
            input_parameters=json.dumps({"KmsKeyId": logs_key_arn}),
            maximum_execution_frequency=EVALUATION_FREQUENCY,
            depends_on=after,  # a recorder this app makes (PAYMENT_CONFIG_RECORDER) must run before the rule exists
        )
        self.event_rule = CloudwatchEventRule(
            self,
            "compliance_changes",
            name=event_rule_name,
            description="Compliance changes of the payment workflow's log groups under its encryption rule",
            # Config publishes "Config Rules Compliance Change" to the default bus (AWS Config developer guide,
            # "Monitoring AWS Config with Amazon EventBridge"); resourceId of a log group is its name.
            event_pattern=json.dumps({
                "source": ["aws.config"],
                "detail-type": ["Config Rules Compliance Change"],
                "detail": {
                    "configRuleName": [config_rule_name],
                    "resourceType": [LOG_GROUP_RESOURCE_TYPE],
                    "resourceId": list(log_groups),
                },
            }),
        )
        # No role_arn: SNS targets are authorized by the topic policy, and a role breaks delivery to KMS-encrypted
        # topics (EventBridge user guide, "Using resource-based policies for Amazon EventBridge").
        CloudwatchEventTarget(self, "to_alerts_topic", rule=self.event_rule.name, arn=topic_arn)
