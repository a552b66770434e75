"""The step list: what a step must be for its names to be valid AWS names.

The constructs are imported inside the tests, after the `fast_path` fixture has switched the fast path on (importing
them at collection would load the whole AWS provider: tests/conftest.py).
"""

from __future__ import annotations

import pytest

from payment_constructs.naming import Names
from payment_settings.settings import ENVIRONMENT_MAX_LENGTH


def spec(step: str):
    from payment_constructs.payment_function import FunctionSpec

    return FunctionSpec(step=step, state="S", handler="handlers.x.handler", description="d", timeout_seconds=1)


def max_step_length() -> int:
    from payment_constructs.payment_function import MAX_STEP_LENGTH

    return MAX_STEP_LENGTH


def test_the_workflow_validates_then_processes(fast_path):
    from payment_constructs.workflow_steps import WORKFLOW_STEPS

    steps = [s.step for s in WORKFLOW_STEPS]
    assert steps.index("validation") < steps.index("processing")


@pytest.mark.parametrize("step", ["", "Validation", "re_validation", "-x", "x-", "a--b", "1st"])
def test_a_step_that_is_not_a_lower_case_slug_is_refused(fast_path, step):
    with pytest.raises(ValueError, match="lower-case slug"):
        spec(step)


def test_a_step_whose_role_name_could_pass_iams_64_characters_is_refused(fast_path):
    spec("a" * max_step_length())
    with pytest.raises(ValueError, match="IAM's 64"):
        spec("a" * (max_step_length() + 1))


def test_the_longest_step_with_the_longest_environment_names_a_role_of_64_characters(fast_path):
    names = Names("e" * ENVIRONMENT_MAX_LENGTH)
    assert len(names.role(names.function("s" * max_step_length()))) == 64


def with_extra(**fields):
    from payment_constructs.payment_function import FunctionSpec
    from payment_constructs.workflow_steps import WORKFLOW_STEPS

    extra = {"step": "receipt", "state": "SendReceipt", "handler": "h.h", "description": "d", "timeout_seconds": 1}
    return (*WORKFLOW_STEPS, FunctionSpec(**{**extra, **fields}))


def test_the_apps_step_list_passes_its_check(fast_path):
    from payment_constructs.workflow_steps import WORKFLOW_STEPS, checked_steps

    assert checked_steps(WORKFLOW_STEPS) == WORKFLOW_STEPS
    assert checked_steps(with_extra()) == with_extra()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"step": "validation"}, "step 'validation' is listed twice"),
        ({"state": "ProcessPayment"}, "state 'ProcessPayment' is already a state"),
        ({"state": "PaymentProcessed"}, "state 'PaymentProcessed' is already a state"),
        ({"state": "ProcessingFailed"}, "state 'ProcessingFailed' is already a state"),
        ({"routes": (("PaymentVallidationError", "PaymentRejected"),)}, "RoutedError does not list"),
        ({"routes": (("PaymentValidationError", "ValidatePayment"),)}, "route to one of PaymentRejected"),
    ],
)
def test_a_mistake_in_the_step_list_is_one_line_naming_it(fast_path, fields, message):
    from payment_constructs.workflow_steps import checked_steps

    with pytest.raises(ValueError, match=message) as raised:
        checked_steps(with_extra(**fields))
    assert "\n" not in str(raised.value)


def test_a_workflow_without_steps_is_refused(fast_path):
    from payment_constructs.workflow_steps import checked_steps

    with pytest.raises(ValueError, match="no steps"):
        checked_steps(())
