"""The audit trail synthesized from the library's wheel, as another repository would use it.

`python -m tests.examples.wheel_synth FOLDER`: builds the wheel from encrypted_logs/ (the standard `build` front end,
no isolation, so no network), installs it with pip into a fresh venv (--no-deps: a .pth file gives the venv this
project's locked cdktf and providers instead of downloading them), copies examples/audit_trail/ out of the repository
and synthesizes it there into FOLDER/cdktf.out. Neither the repository nor its encrypted_logs/ is on the path: a
module or dependency missing from the wheel fails the synth. FOLDER/imported_from.txt says where encrypted_logs
came from (relative to FOLDER when it is inside it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "encrypted_logs"
EXAMPLE = ROOT / "examples" / "audit_trail"
# What is not copied out of each folder (what a build, an import or a local deploy leaves behind); the job is kept by
# exactly what is copied (tests/encrypted_logs/jobs.py).
LEFT_OUT = {LIBRARY: ("__pycache__", "build", "*.egg-info"), EXAMPLE: ("__pycache__", "terraform-state")}


def run(*command: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # Built from a copy of the folder: setuptools writes build/ and *.egg-info beside the sources.
    source = folder / "encrypted_logs"
    shutil.copytree(LIBRARY, source, ignore=shutil.ignore_patterns(*LEFT_OUT[LIBRARY]))
    run(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", folder / "dist", source)
    (wheel,) = (folder / "dist").glob("encrypted_logs-*.whl")
    venv = folder / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (site / "project-locked-packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    example = folder / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(*LEFT_OUT[EXAMPLE]))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CDKTF_OUTDIR") and not k.startswith("PAYMENT_")}
    env.update(CDKTF_OUTDIR=str(folder / "cdktf.out"), JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20")
    run(python, "main.py", cwd=example, env=env)
    imported = run(python, "-c", "import encrypted_logs; print(encrypted_logs.__file__)", cwd=example, env=env)
    # Relative to FOLDER: a kept run is read from another folder than the one it was made in.
    (folder / "imported_from.txt").write_text(str(Path(imported.strip()).relative_to(folder)) + "\n"
                                              if Path(imported.strip()).is_relative_to(folder) else imported)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
