"""What pages an operator about the workflow, and why: failed payments, stuck or throttled executions, struggling
functions, a throttled or failing ledger, and a payment id reused for another payment.

Every step gets the same alarms, and every step that routes IdempotencyConflictError counts conflicting replays in
its log, so a new step in WORKFLOW_STEPS is watched with no change here. Each metric comes from the construct it is
about (metrics.py); the dashboard reads what each alarm watches from `pager.watched`.
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from handlers.contract import RoutedError
from payment_constructs.alarms import DURATION_ALARM_SHARE_OF_TIMEOUT, Pager
from payment_constructs.ledger_table import OPERATIONS, LedgerTable
from payment_constructs.log_metrics import (
    CONFLICT_LOG_MESSAGE,
    LogMetric,
    fail_state_entered,
    failed_at_or_without_catch,
    message_is,
    unhandled_error_except,
)
from payment_constructs.naming import Names
from payment_constructs.payment_function import PaymentFunction
from payment_constructs.state_machine import PaymentStateMachine
from payment_constructs.workflow_definition import PROCESSING_FAILED, REJECTED


class WorkflowAlarms(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: Names,
        topic_arn: str,
        state_machine: PaymentStateMachine,
        steps: Sequence[PaymentFunction],
        ledger: LedgerTable,
    ) -> None:
        super().__init__(scope, construct_id)
        self.pager = Pager(self, "pager", topic_arn=topic_arn, alarm_name=names.alarm)
        namespace = names.metric_namespace
        state_machine_log_group = state_machine.log_group.name

        self.processing_failures = LogMetric(
            self, "processing_failures", log_group_name=state_machine_log_group,
            pattern=failed_at_or_without_catch(PROCESSING_FAILED), namespace=namespace, metric="PaymentsFailed",
        )
        # Counted for the dashboard only: a rejection is the customer's to fix and never pages anyone.
        self.rejections = LogMetric(
            self, "rejections", log_group_name=state_machine_log_group,
            pattern=fail_state_entered(REJECTED), namespace=namespace, metric="PaymentsRejected",
        )
        self.pager.on_log_metric(
            "payments-failed",
            f"A valid payment could not be recorded (execution ended in {PROCESSING_FAILED}, or failed with an error "
            "no Catch sees). Open the execution in the Step Functions console; its error and cause say which step "
            "failed and why.",
            self.processing_failures,
        )
        for what, metric, meaning in (
            ("executions-timed-out", "ExecutionsTimedOut", "ran past the workflow's TimeoutSeconds: a stuck step"),
            ("executions-aborted", "ExecutionsAborted", "were stopped by hand (StopExecution): was it meant?"),
            ("executions-throttled", "ExecutionThrottled", "were throttled by Step Functions: raise the quota"),
        ):
            self.pager.on_metric(what, f"Payment executions {meaning}.", state_machine.metric(metric))

        for step in steps:
            self._function_alarms(step, namespace)

        # A step that raises IdempotencyConflictError logs the conflict first (handlers/processing.py); every such
        # step's log counts into one metric, and one alarm watches it.
        recorders = [s for s in steps if RoutedError.IDEMPOTENCY_CONFLICT in dict(s.spec.routes)]
        conflicts = [
            LogMetric(
                self, "conflicting_replays" if not index else f"conflicting_replays_{recorder.spec.step}",
                log_group_name=recorder.log_group.name, pattern=message_is(CONFLICT_LOG_MESSAGE), namespace=namespace,
                metric="ConflictingReplays",
            )
            for index, recorder in enumerate(recorders)
        ]
        if conflicts:
            self.pager.on_log_metric(
                "conflicting-replays",
                "A payment id was submitted again with different content (IdempotencyConflictError): a client bug or "
                f"tampering. The {recorders[0].spec.step} log names the payment id and the differing fields.",
                conflicts[0],
            )

        for what, metric, meaning in (
            ("ledger-throttles", "ThrottledRequests", "throttled: payments are being retried or failing"),
            ("ledger-system-errors", "SystemErrors", "failed inside DynamoDB (HTTP 500)"),
        ):
            # Not ConditionalCheckFailedRequests: every replay of a recorded payment causes one, on purpose.
            self.pager.on_sum_of(
                what,
                f"Ledger writes or reads were {meaning}.",
                [ledger.metric(metric, op) for op in OPERATIONS],
            )

    def _function_alarms(self, step: PaymentFunction, namespace: str) -> None:
        short = step.spec.step
        # Errors the step routes to the rejection state are the customer's, raised by design: Lambda's Errors counts
        # them too, so such a function's failures are counted from its log instead, leaving those errors out.
        rejections = [error for error, state in step.spec.routes if state == REJECTED]
        if not rejections:
            self.pager.on_metric(
                f"{short}-errors",
                f"The {short} function failed (any error counts: it raises none by design).",
                step.metric("Errors"),
            )
        else:
            faults = LogMetric(
                self, f"{short}_faults", log_group_name=step.log_group.name,
                pattern=unhandled_error_except(rejections), namespace=namespace,
                metric=f"{short.capitalize()}Faults",
            )
            self.pager.on_log_metric(
                f"{short}-errors",
                f"The {short} function failed with an error other than {', '.join(rejections)} (a rejection, not a "
                "fault, which never pages).",
                faults,
            )
        self.pager.on_metric(
            f"{short}-throttles",
            f"Lambda throttled the {short} function: reserved concurrency or the account limit is too low.",
            step.metric("Throttles"),
        )
        limit_ms = step.spec.timeout_seconds * 1000
        self.pager.on_metric(
            f"{short}-duration-near-timeout",
            f"The {short} function's slowest invocation used {DURATION_ALARM_SHARE_OF_TIMEOUT:.0%} or more of its "
            f"{step.spec.timeout_seconds} s timeout.",
            step.metric("Duration", statistic="Maximum"),
            threshold=DURATION_ALARM_SHARE_OF_TIMEOUT * limit_ms,
        )
