"""The review lists each state machine's states and error routes, and fails a route to a state that does not exist."""

from __future__ import annotations

import json

from synth_review.rules.state_machine_rules import STATE_MACHINE, machines, state_machine_findings
from tests.synth_review.conftest import first


def test_the_review_lists_every_state_of_the_synthesized_definition(review_app):
    (machine,) = machines(review_app)
    definition = json.loads(first(review_app.stack("app"), STATE_MACHINE).body["definition"])
    assert [row.state for row in machine.rows] == list(definition["States"])


def test_every_catch_of_the_synthesized_definition_is_shown_with_its_target(review_app):
    (machine,) = machines(review_app)
    definition = json.loads(first(review_app.stack("app"), STATE_MACHINE).body["definition"])
    expected = [f"{'|'.join(c['ErrorEquals'])} -> {c['Next']}"
                for state in definition["States"].values() for c in state.get("Catch", [])]
    assert expected and [c for row in machine.rows for c in row.catches] == expected


def test_the_synthesized_definition_has_no_dangling_route(review_app):
    assert state_machine_findings(review_app) == []


def test_a_catch_routed_to_a_missing_state_fails_the_review(review_app):
    block = first(review_app.stack("app"), STATE_MACHINE)
    definition = json.loads(block.body["definition"])
    catching = next(state for state in definition["States"].values() if state.get("Catch"))
    catching["Catch"][0]["Next"] = "NoSuchState"
    block.body["definition"] = json.dumps(definition)
    (finding,) = state_machine_findings(review_app)
    assert "NoSuchState" in finding.message
