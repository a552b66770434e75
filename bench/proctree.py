"""Run a command and measure its wall time, the CPU time and the peak memory of its whole process tree.

`/usr/bin/time` reports the largest single process (here jsii's Node kernel); a synth is Python, Node and maybe the
cdktf CLI at once, so we sum the resident memory of the command and all its descendants, sampled from /proc.

CPU time is user + system of the command and every descendant. A process's time reaches its parent's count only when
the parent waits for it, and some never do (jsii's Node kernel, pytest-xdist's workers): so the measuring process
makes itself their "child subreaper" (prctl PR_SET_CHILD_SUBREAPER, Linux), inherits every orphan and waits for each.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.02
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
ORPHANS_AT_MOST = 60  # seconds to wait for descendants still running after the command ended


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system, the whole tree


def _become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans() -> None:
    """Wait for every descendant handed to this process, so its CPU time is counted."""
    deadline = time.monotonic() + ORPHANS_AT_MOST
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(SAMPLE_SECONDS)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _tree_rss_bytes(root: int) -> int:
    tree, total, pending = _children(), 0, [root]
    while pending:
        pid = pending.pop()
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        pending.extend(tree.get(pid, []))
    return total


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    _become_subreaper()
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_bytes(process.pid))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _reap_orphans()
    cpu_seconds = _children_cpu() - cpu_before
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    return Run(seconds, peak / 2**20, process.returncode, cpu_seconds)
