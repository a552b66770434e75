"""A stand-in for the app, for the tests of tools/synth.py: what the tool does around an app (the lock, the swap, the
stamp, signals, kills) does not depend on what the app builds, so most of those tests run this instead of main.py.

    CDKTF_OUTDIR=DIR python tests/tools/stand_in_app.py

writes, in a few milliseconds, what a synth of the payment app writes, in its shape: manifest.json (last, as cdktf
writes it), one document per stack whose local state path names the PAYMENT_STATE_DIR it was run with, and a Lambda
package. Two switches that a real app lacks make the tests deterministic instead of timed:

- STAND_IN_PAUSE_UNTIL=FILE: after the first stack document, wait until FILE exists (a run to interrupt, kill, or
  overlap with another, stopped exactly there);
- STAND_IN_EXIT=N: write nothing and exit with status N (an app that fails).
"""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from pathlib import Path

PAUSE_UNTIL = "STAND_IN_PAUSE_UNTIL"
EXIT = "STAND_IN_EXIT"
PAUSE_AT_MOST = 120  # seconds
STACKS = {"encryption": (), "app": ("encryption",)}
FIRST_DOCUMENT = Path("stacks") / "encryption" / "cdk.tf.json"
PACKAGE = Path("stacks") / "app" / "assets" / "handlers" / "handlers.zip"


def document(stack: str, state_dir: str) -> dict[str, object]:
    return {"terraform": {"backend": {"local": {"path": f"../../../{state_dir}/dev/{stack}.tfstate"}}},
            "resource": {"terraform_data": {f"{stack}_marker": {"input": stack}}}}


def write(outdir: Path, relative: Path, text: str) -> None:
    (outdir / relative).parent.mkdir(parents=True, exist_ok=True)
    (outdir / relative).write_text(text)


def main() -> int:
    if os.environ.get(EXIT):
        return int(os.environ[EXIT])
    outdir = Path(os.environ["CDKTF_OUTDIR"])
    state_dir = os.environ.get("PAYMENT_STATE_DIR", "terraform-state")
    for number, stack in enumerate(STACKS):
        write(outdir, Path("stacks") / stack / "cdk.tf.json", json.dumps(document(stack, state_dir), indent=2))
        pause, deadline = os.environ.get(PAUSE_UNTIL), time.monotonic() + PAUSE_AT_MOST
        while number == 0 and pause and not Path(pause).exists():
            if time.monotonic() > deadline:  # a test that failed before letting it go leaves no process behind
                return 1
            time.sleep(0.01)
    (outdir / PACKAGE).parent.mkdir(parents=True)
    with zipfile.ZipFile(outdir / PACKAGE, "w") as package:
        package.writestr(zipfile.ZipInfo("handlers/__init__.py", (1980, 1, 1, 0, 0, 0)), "")
    manifest = {"stacks": {stack: {"name": stack, "dependencies": list(needs),
                                   "synthesizedStackPath": f"stacks/{stack}/cdk.tf.json",
                                   "workingDirectory": f"stacks/{stack}"} for stack, needs in STACKS.items()},
                "version": "stand-in"}
    write(outdir, Path("manifest.json"), json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
