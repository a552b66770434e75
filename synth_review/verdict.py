"""The review's verdict, recorded beside its report with a digest of the tree it judged.

`make deploy` deploys a tree only when a passing review judged exactly that tree: the digest is the one the synth's
stamp holds for its output (tools/synth_inputs.py `output_digest`: every file the synth wrote, the settings record
included, review/ and Terraform's working files excluded), so any change to the tree after the review, and any other
tree, shows. A record, not a signature: whoever rewrites it too can fool it, as with the stamp.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
VERDICT = "verdict.json"
REVIEW_FOLDER = "review"
PASS, FAIL = "PASS", "FAIL"


@dataclass(frozen=True)
class Verdict:
    verdict: str  # PASS or FAIL
    tree: str  # the output digest of the tree judged
    kind: str  # "whole tree" or "change from <base>"
    findings: int

    @property
    def passed(self) -> bool:
        return self.verdict == PASS


def tree_digest(outdir: Path) -> str:
    return _synth_inputs().output_digest(outdir)


def record(outdir: Path, verdict: Verdict) -> str:
    """Write the verdict into the review folder (which the review has just made); its file name."""
    (outdir / REVIEW_FOLDER / VERDICT).write_text(json.dumps(verdict.__dict__, indent=2) + "\n")
    return VERDICT


def read(outdir: Path) -> Verdict | None:
    """The recorded verdict, or None when no review left one (or it cannot be read: not a pass either way)."""
    try:
        data = json.loads((outdir / REVIEW_FOLDER / VERDICT).read_text())
        return Verdict(str(data["verdict"]), str(data["tree"]), str(data["kind"]), int(data["findings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _synth_inputs() -> ModuleType:
    """tools/synth_inputs.py, the stamp's own digest (tools/ holds scripts, not a package)."""
    if "synth_inputs" not in sys.modules:
        spec = importlib.util.spec_from_file_location("synth_inputs", ROOT / "tools" / "synth_inputs.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["synth_inputs"] = module
        spec.loader.exec_module(module)
    return sys.modules["synth_inputs"]
