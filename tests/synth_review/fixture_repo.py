"""A git repository of this project's files with the commits a reviewer meets, each revision synthesized once.

    python -m tests.synth_review.fixture_repo DEST

builds DEST/repo from the project's files (tracked and new, as they are now; no .git needed; not its tests, docs or
benchmarks), commits:

    base       the project as it is
    renamed    the ledger table renamed (a destructive replacement)
    changed    on top of renamed: the logs key's condition removed, a Retry changed, a new function
    weakened   on top of base: the logs key's condition removed and the ledger renamed in one commit
    broken     on top of changed: main.py imports a module that does not exist (does not synthesize)

and synthesizes base, renamed, changed and weakened into DEST/outdirs/<tag>/cdktf.out, through the review's own
base_revision (a throw-away worktree sharing this checkout's venv, node_modules and .tools). The edits are made on
the source, so they go through the constructs as a real commit would; an edit whose anchor is gone fails loudly.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from synth_review.change.base_revision import synthesized_revision

ROOT = Path(__file__).resolve().parents[2]
SHARED_SET_UP = (".venv", "node_modules", ".tools")
SYNTHESIZED = ("base", "renamed", "changed", "weakened")
NEW_FUNCTION = "lambda-payment-refunds-dev"
LOGS_STATEMENT = "CloudWatchLogsEncryptsWorkflowLogGroups"


def edit(repo: Path, path: str, pattern: str, replacement: str) -> None:
    file = repo / path
    text = file.read_text()
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit(f"fixture edit of {path}: {pattern!r} not found; update tests/synth_review/fixture_repo.py")
    file.write_text(changed)


def rename_ledger(repo: Path) -> None:
    edit(repo, "payment_constructs/naming.py", r'"payment-ledger-\{', '"payment-records-{')


def drop_logs_condition(repo: Path) -> None:
    condition_line = r'^\s*"Condition": \{"ArnEquals": \{LOGS_ENCRYPTION_CONTEXT_KEY.*\n'
    edit(repo, "encrypted_logs/policy.py", condition_line, "")


def change_retry(repo: Path) -> None:
    edit(repo, "payment_constructs/workflow_definition.py", r'"IntervalSeconds": 1,', '"IntervalSeconds": 2,')


def add_function(repo: Path) -> None:
    edit(repo, "main.py", r"^app\.synth\(\)$", f"""\
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction  # noqa: E402

LambdaFunction(app.node.find_child("app"), "refunds", function_name="{NEW_FUNCTION}", runtime="python3.13",
               handler="handlers.validation.handler", filename="handlers.zip",
               role="arn:aws:iam::111122223333:role/refunds")
app.synth()""")


def break_synth(repo: Path) -> None:
    edit(repo, "main.py", r"^import os$", "import os\n\nimport payment_constructs.no_such_module  # noqa: F401")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


def ignored_patterns(root: Path = ROOT) -> list[str]:
    """The project's .gitignore entries (set-up, output, caches), as patterns on one path component."""
    lines = (root / ".gitignore").read_text().splitlines()
    return [".git", *(line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#"))]


def project_files(root: Path = ROOT) -> list[Path]:
    """Every file of the project as it is now, tracked or new, read from the folder, not from git: a source archive
    (`git archive`, a forge's ZIP) has no .git, and this must work there too."""
    patterns = ignored_patterns(root)
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not any(fnmatch.fnmatch(d, p) for p in patterns))
        for name in sorted(files):
            path = Path(folder, name)
            if not path.is_symlink() and not any(fnmatch.fnmatch(name, p) for p in patterns):
                found.append(path.relative_to(root))
    return found


# What no revision's synth or review reads: left out of the repository, so editing a test, a page or a benchmark does
# not make the fixture (kept by what it copies, tests/background.py) again.
NOT_COPIED = ("tests", "docs", "bench")


def copied_files(root: Path = ROOT) -> list[Path]:
    return [path for path in project_files(root) if path.parts[0] not in NOT_COPIED]


def build(dest: Path) -> Path:
    repo = dest / "repo"
    for name in copied_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "fixture@example.com")
    git(repo, "config", "user.name", "fixture")
    commit(repo, "base")
    rename_ledger(repo)
    commit(repo, "renamed")
    drop_logs_condition(repo)
    change_retry(repo)
    add_function(repo)
    commit(repo, "changed")
    break_synth(repo)
    commit(repo, "broken")
    git(repo, "checkout", "-q", "-b", "weakening", "base")
    drop_logs_condition(repo)
    rename_ledger(repo)
    commit(repo, "weakened")
    git(repo, "checkout", "-q", "main")
    for name in SHARED_SET_UP:  # after the commits: a symlink is not a directory to .gitignore's "name/"
        if (ROOT / name).exists():
            (repo / name).symlink_to((ROOT / name).resolve(), target_is_directory=True)
    return repo


def synthesize_all(repo: Path, dest: Path) -> None:
    for tag in SYNTHESIZED:
        with synthesized_revision(tag, repo) as synthesized:
            shutil.copytree(synthesized.outdir, dest / "outdirs" / tag / "cdktf.out", symlinks=True)


def environment() -> dict[str, str]:
    """This project's defaults (a dev synth), whatever the caller's PAYMENT_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_")) and k != "PYTHONPATH"}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    os.environ.clear()
    os.environ.update(environment())
    synthesize_all(build(target), target)
