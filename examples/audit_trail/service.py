"""The audit trail's own resources: an API function, a queue and its consumer, and an alarm on the queue.

Nothing here is about keys: the log groups and the alarm topic come from the library (main.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import names
from cdktf import AssetType, TerraformAsset, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_event_source_mapping import LambdaEventSourceMapping
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from constructs import Construct

from encrypted_logs import EncryptedLogGroups, use_local_state

HANDLERS = Path(__file__).parent / "handlers"


def stack(scope: Construct, stack_id: str, state_dir: str) -> TerraformStack:
    """A stack with its own local state and the AWS provider in the service's region."""
    made = TerraformStack(scope, stack_id)
    use_local_state(made, state_dir)
    AwsProvider(made, "aws", region=names.REGION, default_tags=[{"tags": {"service": names.SERVICE}}])
    return made


def _policy(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


class AuditService(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, log_groups: EncryptedLogGroups,
                 alarm_topic_arn: str) -> None:
        super().__init__(scope, construct_id)
        package = TerraformAsset(self, "handlers", path=str(HANDLERS), type=AssetType.ARCHIVE)
        # SQS-managed encryption: the queue holds events for seconds; its key is AWS's (SQS developer guide,
        # "Encryption at rest in Amazon SQS").
        self.queue = SqsQueue(self, "queue", name=names.QUEUE, sqs_managed_sse_enabled=True,
                              message_retention_seconds=345600)
        api = self._function("api", names.API_FUNCTION, "api.handler", package, log_groups, [
            {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": self.queue.arn}])
        consumer = self._function("consumer", names.CONSUMER_FUNCTION, "consumer.handler", package, log_groups, [
            {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
             "Resource": self.queue.arn}])
        LambdaEventSourceMapping(self, "consumer_source", event_source_arn=self.queue.arn,
                                 function_name=consumer.arn, batch_size=10,
                                 function_response_types=["ReportBatchItemFailures"])
        self.functions = (api, consumer)
        CloudwatchMetricAlarm(
            self, "queue_age", alarm_name=f"{names.ALARM_PREFIX}queue-age", namespace="AWS/SQS",
            metric_name="ApproximateAgeOfOldestMessage", dimensions={"QueueName": names.QUEUE}, statistic="Maximum",
            period=300, evaluation_periods=1, threshold=900, comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching", alarm_actions=[alarm_topic_arn], ok_actions=[alarm_topic_arn])

    def _function(self, construct_id: str, name: str, handler: str, package: TerraformAsset,
                  log_groups: EncryptedLogGroups, statements: list[dict[str, Any]]) -> LambdaFunction:
        # The group exists, with its key, before the function: Lambda would otherwise create it on first invoke,
        # unencrypted (Lambda developer guide, "Configuring advanced logging controls for Lambda functions").
        group: CloudwatchLogGroup = log_groups.group(construct_id, names.LOG_GROUPS[name])
        role = IamRole(self, f"{construct_id}_role", name=f"{name}-role", assume_role_policy=_policy([{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
        IamRolePolicy(self, f"{construct_id}_policy", name=f"{name}-policy", role=role.id, policy=_policy([
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": f"{group.arn}:*"},
            {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"},
            *statements]))
        return LambdaFunction(
            self, construct_id, function_name=name, role=role.arn, runtime="python3.13", handler=handler,
            filename=package.path, source_code_hash=package.asset_hash, timeout=10, memory_size=256,
            reserved_concurrent_executions=5,
            logging_config=LambdaFunctionLoggingConfig(log_format="JSON", log_group=group.name),
            tracing_config=LambdaFunctionTracingConfig(mode="Active"), depends_on=[group])
