"""The change review's fixture repository is made from the project's files, with or without a .git folder."""

from __future__ import annotations

from tests.synth_review.fixture_repo import project_files


def test_the_fixture_repository_takes_the_projects_files_from_the_folder_not_from_git(tmp_path):
    """A source archive has no .git: the files are the folder's, less what .gitignore names (set-up, output)."""
    (tmp_path / ".gitignore").write_text("# set-up\n.venv/\n__pycache__/\n*.pyc\ncdktf.out/\n")
    for name in ("main.py", "payment_constructs/naming.py", "payment_constructs/__pycache__/naming.cpython-311.pyc",
                 ".venv/bin/python", "cdktf.out/manifest.json", "stray.pyc", ".git/HEAD"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "linked.py").symlink_to(tmp_path / "main.py")
    assert [str(p) for p in project_files(tmp_path)] == [".gitignore", "main.py", "payment_constructs/naming.py"]
