"""docs/review.md's table of review rules lists exactly the rules the review enforces."""

from __future__ import annotations

import re
from pathlib import Path

from synth_review.rules import all_rules
from synth_review.rules.key_policy_rules import SERVICE_PRINCIPALS

REVIEW_PAGE = Path(__file__).resolve().parents[3] / "docs" / "review.md"


def rules_in_the_docs(page: Path = REVIEW_PAGE) -> list[str]:
    section = page.read_text().split("## The review's rules", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE)


def test_every_rule_of_the_review_is_in_the_docs_table_once():
    assert sorted(rules_in_the_docs()) == sorted(all_rules())


def test_every_service_principal_row_cites_the_aws_page_that_documents_it():
    assert all(row.source for row in SERVICE_PRINCIPALS.values())
