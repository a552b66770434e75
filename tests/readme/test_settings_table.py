"""The README's settings table tells the truth: every setting the code reads is listed, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"\"(PAYMENT_[A-Z_]+)\"")  # read by name, as a string literal


def settings_read_by_the_code() -> set[str]:
    """Settings named in any of the project's packages (settings, constructs, fast path, review, local run), not its
    tests."""
    packages = [init.parent for init in ROOT.glob("*/__init__.py") if init.parent.name != "tests"]
    return settings_named_in(path.read_text() for package in packages for path in package.rglob("*.py"))


def settings_named_in(sources: Iterable[str]) -> set[str]:
    return {name for source in sources for name in SETTING.findall(source)}


def settings_in_the_readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text()
    table = re.split(r"\n##+ ", text.split("\n## Settings", 1)[1], maxsplit=1)[0]
    return {match.group(1) for match in re.finditer(r"^\| `(PAYMENT_[A-Z_]+)` \|", table, re.MULTILINE)}


def test_every_setting_the_code_reads_is_in_the_readme_table():
    assert settings_read_by_the_code() - settings_in_the_readme_table() == set()


def test_the_readme_table_lists_no_setting_the_code_does_not_read():
    assert settings_in_the_readme_table() - settings_read_by_the_code() == set()
