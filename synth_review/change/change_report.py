"""The change review as a reviewer pastes it: plain text that fits 120 columns, and Markdown for a pull request.

Order is severity: destructive changes first (with whether each is acknowledged), then weakenings (policies that
now grant more, review rules newly failing), then each stack's other changes, the findings, and the verdict.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from synth_review.change.acknowledgement import SETTING
from synth_review.change.change_set import Change, Severity
from synth_review.change.findings_delta import FindingsDelta

WIDTH = 120
NO_CHANGE = "No change: both trees would deploy the same resources, policies, outputs and states."


@dataclass(frozen=True)
class ChangeReview:
    base_label: str
    head_label: str
    stacks: tuple[str, ...]  # head's deploy order, then stacks only the base has
    changes: tuple[Change, ...]
    findings: FindingsDelta
    acknowledged: frozenset[str]
    notes: tuple[str, ...] = ()

    @property
    def destructive(self) -> list[Change]:
        return [c for c in self.changes if c.severity is Severity.DESTRUCTIVE]

    @property
    def unacknowledged(self) -> list[Change]:
        return [c for c in self.destructive if c.name not in self.acknowledged]

    @property
    def widened(self) -> list[Change]:
        return [c for c in self.changes if c.severity is Severity.WIDENED]

    @property
    def passed(self) -> bool:
        return not self.unacknowledged and not self.findings.failing

    @property
    def no_change(self) -> bool:
        return not self.changes and not self.findings.new and not self.findings.fixed

    def others(self, stack: str) -> list[Change]:
        """The stack's other changes; those that only follow from another change are listed under it instead."""
        return [c for c in self.changes if c.stack == stack and c.severity > Severity.WIDENED and not self.follows(c)]

    def follows(self, change: Change) -> bool:
        return change.cause is not None and change.cause in {c.name for c in self.changes}

    def followers(self, change: Change) -> list[Change]:
        """What Terraform also updates (or replaces) because it reads something this change changes."""
        return [c for c in self.changes if c.cause == change.name]

    def details(self, change: Change) -> tuple[str, ...]:
        """A change's own details, then everything that follows from it."""
        followers = self.followers(change)
        if not followers:
            return change.details
        return (*change.details, f"then, because they read what this changes ({len(followers)}):",
                *(f"  {c.name}: {c.headline}" for c in followers))


@dataclass(frozen=True)
class _Item:
    mark: str  # "NOT ACKNOWLEDGED", "acknowledged", "NEW" or ""
    name: str  # what it is about, or "" when the headline says it
    headline: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Section:
    title: str
    markdown_title: str
    items: tuple[_Item, ...]


def _sections(review: ChangeReview) -> list[_Section]:
    """The review's sections in order of severity; text and Markdown differ only in how they print them."""
    sections = []
    if review.destructive:
        sections.append(_Section(
            f"destructive: fails the review unless acknowledged in {SETTING}",
            f"Destructive (fails the review unless acknowledged in `{SETTING}`)",
            tuple(_Item("acknowledged" if c.name in review.acknowledged else "NOT ACKNOWLEDGED", c.name, c.headline,
                        review.details(c)) for c in review.destructive)))
    if review.widened or review.findings.new:
        sections.append(_Section(
            "weakened: access widened, a protection turned off, or a review rule newly failing", "Weakened",
            tuple(_Item("", c.name, c.headline) for c in review.widened)
            + tuple(_Item("NEW", "", f.line()) for f in review.findings.new)))
    for stack in review.stacks:
        if others := review.others(stack):
            sections.append(_Section(f"stack {stack}", f"Stack `{stack}`",
                                     tuple(_Item("", c.subject, c.headline, review.details(c)) for c in others)))
    return sections


def render_text(review: ChangeReview) -> str:
    lines = [f"Change review: {review.base_label} -> {review.head_label}", *review.notes, _summary(review), ""]
    if review.no_change:
        lines += [NO_CHANGE, ""]
    for section in _sections(review):
        lines += [f"=== {section.title} ===", ""]
        for item in section.items:
            prefix = (f"{item.mark}: " if item.mark and item.name else f"{item.mark} " if item.mark else "")
            lines += [f"  {prefix}{item.name + ': ' if item.name else ''}{item.headline}",
                      *(f"      {d}" for d in item.details)]
        lines.append("")
    lines += ["=== review findings (every rule of the whole-tree review, run on both trees) ===", ""]
    lines += _findings_lines(review.findings)
    lines += ["", "=== verdict ===", "", *_verdict(review)]
    return "\n".join(_fit(line) for line in lines) + "\n"


def render_markdown(review: ChangeReview) -> str:
    verdict = _verdict(review)
    lines = [f"## Change review: `{review.base_label}` → `{review.head_label}`", "",
             f"**{verdict[0]}**", *(f"- {line.strip()}" for line in verdict[1:]), "", _summary(review), ""]
    lines += [f"> {note}" for note in review.notes]
    if review.no_change:
        lines += [NO_CHANGE, ""]
    for section in _sections(review):
        lines += [f"### {section.markdown_title}", ""]
        for item in section.items:
            mark = f"**{item.mark}** " if item.mark else ""
            lines += [f"- {mark}{f'`{item.name}`: ' if item.name else ''}{item.headline}",
                      *(f"  - {d}" for d in item.details)]
        lines.append("")
    lines += ["### Review findings", ""]
    rows = [("new", f) for f in review.findings.new] + [("fixed", f) for f in review.findings.fixed]
    rows += [("still failing", f) for f in review.findings.still_failing]
    if rows:
        lines += ["| | rule | stack | subject | message |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {kind} | {_cell(f.rule)} | {_cell(f.stack)} | `{_cell(f.subject)}` | {_cell(f.message)} |"
                  for kind, f in rows]
    else:
        lines.append("Every rule passes on both trees.")
    return "\n".join(lines) + "\n"


def _summary(review: ChangeReview) -> str:
    counts = {severity: sum(1 for c in review.changes if c.severity is severity) for severity in Severity}
    open_ = len(review.unacknowledged)
    return (f"{counts[Severity.DESTRUCTIVE]} destructive ({open_} not acknowledged), {counts[Severity.WIDENED]} "
            f"widening, {counts[Severity.REPLACED]} other replaced, {counts[Severity.CHANGED]} other changes; "
            f"findings: {len(review.findings.new)} new, {len(review.findings.fixed)} fixed, "
            f"{len(review.findings.still_failing)} still failing")


def _findings_lines(delta: FindingsDelta) -> list[str]:
    lines = [f"  NEW {f.line()}" for f in delta.new]
    lines += [f"  FIXED {f.line().removeprefix('FAIL ')}" for f in delta.fixed]
    lines += [f"  STILL {f.line()}" for f in delta.still_failing]
    return lines or ["  every rule passes on both trees"]


def _verdict(review: ChangeReview) -> list[str]:
    if review.passed:
        accepted = f" ({len(review.acknowledged)} destructive change(s) acknowledged)" if review.acknowledged else ""
        return [f"PASS: nothing destructive left unacknowledged and no review rule fails{accepted}"]
    lines = ["FAIL: " + "; ".join(part for part in (
        f"{len(review.unacknowledged)} destructive change(s) not acknowledged" if review.unacknowledged else "",
        f"{len(review.findings.failing)} review rule(s) fail on the head "
        f"({len(review.findings.new)} new)" if review.findings.failing else "",
    ) if part)]
    if review.unacknowledged:
        names = ",".join(c.name for c in review.unacknowledged)
        lines.append(f"  to accept what is lost, run again with {SETTING}={names}")
    return lines


def _fit(line: str) -> str:
    if len(line) <= WIDTH:
        return line
    indent = " " * (len(line) - len(line.lstrip()) + 4)
    return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent=indent, break_on_hyphens=False))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

