"""Whole-app synths in child processes, started when the session starts so they run beside the rest of the suite.

A stock synth (optimizations off) costs as much as everything else in the suite together; on two cores it is
nearly free if it runs while the other tests do.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CDKTF_CLI = ROOT / "node_modules" / ".bin" / "cdktf"


@dataclass
class BackgroundSynth:
    label: str
    outdir: Path
    process: subprocess.Popen[bytes]

    def outcome(self, timeout: float = 600) -> Path:
        """The outdir once the synth has finished; AssertionError with its output if it failed."""
        output, _ = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, f"{self.label} synth failed:\n{output.decode(errors='replace')[-4000:]}"
        return self.outdir


def _environment(optimizations: bool, state_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_"))}
    env.update({
        "PAYMENT_STATE_DIR": str(state_dir),
        "PAYMENT_SYNTH_OPTIMIZATIONS": "on" if optimizations else "off",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CHECKPOINT_DISABLE": "1",
        "CI": "true",
    })
    return env


def start(label: str, base: Path, *, optimizations: bool, via_cli: bool) -> BackgroundSynth:
    """Synthesize into base/<label>/cdktf.out: every outdir sits at the same depth, so relative state paths agree."""
    outdir = base / label / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = _environment(optimizations, base / "state")
    if via_cli:
        command = [str(CDKTF_CLI), "synth", "--output", str(outdir)]
    else:
        command = [sys.executable, str(ROOT / "main.py")]
        env["CDKTF_OUTDIR"] = str(outdir)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return BackgroundSynth(label, outdir, process)
