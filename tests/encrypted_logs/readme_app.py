"""The library's README use, run as written: the stacks the library's tests read.

`python -m tests.encrypted_logs.readme_app FOLDER` runs the README's Python block in FOLDER (its App writes
FOLDER/cdktf.out, its local state paths are FOLDER/terraform-state), through the synth's fast path, on the engine
PAYMENT_CDK_ENGINE names (the library's `cdktf` imports load CDK Terrain through cdk_engine's alias).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "encrypted_logs" / "README.md"


def readme_use(readme: Path = README) -> str:
    """The README's one Python block."""
    (block,) = re.findall(r"^```python\n(.*?)^```$", readme.read_text(), re.MULTILINE | re.DOTALL)
    return block


def main(folder: Path) -> None:
    import cdk_engine
    from synth_speed import fast_synth

    cdk_engine.use_chosen_or_exit()
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)
    fast_synth.enable()
    exec(compile(readme_use(), str(README), "exec"), {"__name__": "__main__"})
    fast_synth.after_synth()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
