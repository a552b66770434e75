"""The README and docs/ point only at what the clone has: every relative link resolves (file and #anchor, by GitHub's
rules) and every `make <target>` they name is a target of the Makefile."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
# GitHub renders CommonMark plus tables; a link inside a table cell is a link all the same.
MARKDOWN = MarkdownIt("commonmark").enable("table")
# A `make` command in code: `make review BASE=main`, `make -s state-machine-arn`, `CI=true make test`; the first word
# after the options that is not a VAR=value is the target.
MAKE_COMMAND = re.compile(
    r"(?:^|[\s;&|(])make((?:\s+-[A-Za-z-]+)*)((?:\s+[A-Za-z_][A-Za-z0-9_]*=\S*)*)\s+([A-Za-z][\w.-]*)"
)
SHELL_COMMENT = re.compile(r"(?:^|\s)#.*$", re.MULTILINE)  # `# what make sets` in a block is prose, not a command
# An explicit anchor a page may set with HTML: <a id="x"></a> or <a name="x"></a>.
HTML_ANCHOR = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")


def tokens(path: Path) -> list[Token]:
    return MARKDOWN.parse(path.read_text())


def walk(found: list[Token]) -> Iterator[Token]:
    for token in found:
        yield token
        yield from walk(token.children or [])


def github_slug(heading: str) -> str:
    """A heading's anchor as GitHub writes it: the text lower-cased, every character but letters, digits, `_`, `-` and
    spaces dropped, each space a `-` (github-slugger, which GitHub's renderer follows)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """Every anchor of a page: its headings' slugs (a repeated one gets -1, -2, ... as on GitHub) and HTML anchors."""
    found: list[str] = []
    seen: dict[str, int] = {}
    parsed = tokens(path)
    for opening, inline in itertools.pairwise(parsed):
        if opening.type == "heading_open":
            text = "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
            slug = github_slug(text)
            found.append(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    found += HTML_ANCHOR.findall(path.read_text())
    return frozenset(found)


def relative_links(path: Path) -> list[str]:
    links = [token.attrGet("href") or token.attrGet("src") for token in walk(tokens(path))
             if token.type in ("link_open", "image")]
    return [str(link) for link in links if link and not urlsplit(str(link)).scheme]


def broken(path: Path, link: str) -> str | None:
    """Why a relative link of `path` leads nowhere, or None when it resolves."""
    parts = urlsplit(link)
    target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
    if not target.exists():
        return f"{link}: no {os.path.relpath(target, ROOT)} in the repository"
    if not target.is_relative_to(ROOT):
        return f"{link}: leaves the repository"
    if parts.fragment and target.suffix == ".md" and unquote(parts.fragment) not in anchors(target):
        return f"{link}: {os.path.relpath(target, ROOT)} has no heading #{parts.fragment}"
    return None


def make_commands(path: Path) -> list[str]:
    """The targets of every `make ...` written as code (inline or in a block) in a page."""
    code = [SHELL_COMMENT.sub("", token.content) if token.type != "code_inline" else token.content
            for token in walk(tokens(path)) if token.type in ("code_inline", "fence", "code_block")]
    return [match.group(3) for text in code for match in MAKE_COMMAND.finditer(text)]


@cache
def makefile_targets() -> frozenset[str]:
    """The targets make itself knows, from its database (`make -pq`), so conditionals and variables count as make
    reads them. `.DEFAULT` as the goal runs nothing and reads the Makefile as an ordinary `make <target>` would."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    database = subprocess.run(["make", "-pq", "--no-print-directory", "-C", str(ROOT), ".DEFAULT"], env=env,
                              capture_output=True, text=True, timeout=60, check=False).stdout
    targets: set[str] = set()
    not_a_target = False
    for line in database.split("# Files", 1)[-1].splitlines():
        rule = re.match(r"^([^\s#%:=][^:=]*):(?!=)", line)
        if rule and not not_a_target:
            targets.update(rule.group(1).split())
        not_a_target = line == "# Not a target:"
    return frozenset(targets)


@pytest.mark.parametrize("page", DOCS, ids=lambda page: os.path.relpath(page, ROOT))
def test_every_relative_link_leads_to_a_file_and_heading_of_the_repository(page: Path) -> None:
    assert [reason for link in relative_links(page) if (reason := broken(page, link))] == []


@pytest.mark.parametrize("page", DOCS, ids=lambda page: os.path.relpath(page, ROOT))
def test_every_make_target_the_page_names_is_in_the_makefile(page: Path) -> None:
    assert sorted(set(make_commands(page)) - makefile_targets()) == []


def test_the_makefile_targets_are_read_from_make_itself() -> None:
    assert {"synth", "test", "review", "run-local", "lint", "clean", "graphviz", "state-machine-arn"} <= (
        makefile_targets())


def test_a_heading_anchor_follows_githubs_rules() -> None:
    assert github_slug("Two engines: CDKTF and CDK Terrain") == "two-engines-cdktf-and-cdk-terrain"
    assert github_slug("Reviewing a change: make review BASE=<git revision>") == (
        "reviewing-a-change-make-review-basegit-revision")
    assert github_slug("What AWS documents, and what the post-mortem says") == (
        "what-aws-documents-and-what-the-post-mortem-says")


def test_a_link_to_a_missing_file_or_heading_is_found() -> None:
    page = ROOT / "docs" / "postmortem.md"

    assert broken(page, "no-such-page.md") == "no-such-page.md: no docs/no-such-page.md in the repository"
    assert broken(page, "policy-evaluation.md#no-such-heading") == (
        "policy-evaluation.md#no-such-heading: docs/policy-evaluation.md has no heading #no-such-heading")
    assert broken(page, "../../outside.md") is not None
    assert broken(page, "#where-awss-documentation-and-the-post-mortem-differ") is None


def test_a_make_command_names_its_target_after_options_and_settings() -> None:
    text = "PAYMENT_CDK_ENGINE=cdktn make deps; make -s state-machine-arn && make review BASE=main; make: *** [x]"
    assert MAKE_COMMAND.findall(text)[0][2] == "deps"
    assert [match.group(3) for match in MAKE_COMMAND.finditer(text)] == ["deps", "state-machine-arn", "review"]


# What a clone does not have: the workplace's shared folder, its design card and its rules by number, issue numbers.
OUTSIDE_REFERENCE = re.compile(r"shared/[A-Z]+\.(?:md|txt)|\bDESIGN rule\b|\bdesign card\b|\b[Ii]ssue[ -]#?[0-9]+\b")
SKIPPED_FOLDERS = {"node_modules", "__pycache__", "terraform-state"}
READ_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ".txt", ".cfg", ".sh", ""}


def repository_texts() -> Iterator[Path]:
    """The project's own sources and documents: no tool venvs, no synth output, no lock files."""
    for folder, folders, files in os.walk(ROOT):
        folders[:] = [f for f in folders if (f not in SKIPPED_FOLDERS and not f.startswith(("cdktf.out", ".")))
                      or f == ".ci"]
        for name in files:
            path = Path(folder, name)
            if path.suffix in READ_SUFFIXES and path != Path(__file__) and path.stat().st_size < 1_000_000:
                yield path


def test_nothing_cites_a_document_or_an_issue_a_clone_does_not_have() -> None:
    cited = [f"{os.path.relpath(path, ROOT)}: {match.group(0)}" for path in repository_texts()
             for match in OUTSIDE_REFERENCE.finditer(path.read_text(errors="replace"))]
    assert cited == []


README_MOST_LINES = 250  # the ten-minute version; every reference lives in docs/


def test_the_readme_is_read_in_ten_minutes() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) <= README_MOST_LINES


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {link.split("#")[0] for link in relative_links(ROOT / "README.md")}
    pages = {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")}
    assert sorted(pages - linked) == []
