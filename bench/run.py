"""The synth/test/review benchmark: python bench/run.py [--runs N] [--stock-and-test] (after `make test`, which
installs everything).

--stock-and-test runs only the stock synth and `make test`, side by side, for the one ratio the suite's budget is
written in (`make test` at most 2 x a stock synth): a quicker run that prints its table and leaves results.md alone.

`make test` is timed as a developer runs it again on the same tree: one untimed run first fills its caches.

Every scenario runs N times, interleaved with the others so the machine's drift hits all of them alike; we report
medians, and ratios computed within this one run. Results go to bench/results.md, which is tracked (the README's
figures come from it): the run rewrites it and says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import Run, measure

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
CDKTF = str(ROOT / "node_modules" / ".bin" / "cdktf")
STAMP = ROOT / "cdktf.out" / ".synth-inputs.sha256"


@dataclass
class Scenario:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], None] = lambda: None
    runs: list[Run] = field(default_factory=list)

    def run_once(self) -> None:
        self.before()
        self.runs.append(measure(self.command, env={**base_env(), **self.env}, cwd=ROOT))

    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    def median_peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)

    def median_cpu_seconds(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYMENT_")}
    env.update({"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1", "CI": "true"})
    if not Path(env.get("TF_CLI_CONFIG_FILE", "/nonexistent")).exists():
        env.pop("TF_CLI_CONFIG_FILE", None)
    return env


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, Node {node}")


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--growth-runs", type=int, default=3)
    parser.add_argument("--skip-test", action="store_true", help="leave out make test (the slowest scenario)")
    parser.add_argument("--stock-and-test", action="store_true",
                        help="only the stock synth and make test, side by side; print, do not rewrite results.md")
    args = parser.parse_args()
    if args.stock_and_test and args.skip_test:
        parser.error("--stock-and-test measures make test; leave out --skip-test")
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))

    def forget_stamp() -> None:
        STAMP.unlink(missing_ok=True)  # what any change of an input does to the stamp

    subprocess.run(["make", "--no-print-directory", "synth"], cwd=ROOT, check=True, capture_output=True)
    if not args.skip_test:
        # `make test` is measured where set-up is done: a first, untimed run installs what it needs and fills the
        # suite's caches of real work (.tools/test-cache, docs/testing.md), as any earlier run on this tree would.
        subprocess.run(["make", "--no-print-directory", "test"], cwd=ROOT, env=base_env(), check=False,
                       capture_output=True)
    stock = Scenario("stock synth (`cdktf synth`, optimizations off)",
                     [CDKTF, "synth", "--output", str(scratch / "stock")], {"PAYMENT_SYNTH_OPTIMIZATIONS": "off"})
    cdktn = {"PAYMENT_CDK_ENGINE": "cdktn"}
    # The CDK Terrain rows run before `make synth`'s own, which then starts from a tree of the other engine (changed)
    # and leaves the default one for the unchanged-tree row.
    scenarios = [
        stock,
        Scenario("CDK Terrain: stock synth (`cdktf synth`, optimizations off)",
                 [CDKTF, "synth", "--output", str(scratch / "cdktn-stock")],
                 {"PAYMENT_SYNTH_OPTIMIZATIONS": "off", **cdktn}),
        Scenario("CDK Terrain: `make synth`, changed tree", ["make", "--no-print-directory", "synth"], cdktn,
                 before=forget_stamp),
        Scenario("`make synth`, changed tree", ["make", "--no-print-directory", "synth"], before=forget_stamp),
        Scenario("`make synth`, unchanged tree", ["make", "--no-print-directory", "synth"]),
        Scenario("`make review`", ["make", "--no-print-directory", "review"]),
        # The change review against this very commit: a base synth in a throw-away worktree, checkov on both trees.
        Scenario("`make review BASE=HEAD`", ["make", "--no-print-directory", "review", "BASE=HEAD"]),
        Scenario("`python -c 'import cdktf_cdktf_provider_aws'`", [PY, "-c", "import cdktf_cdktf_provider_aws"]),
    ]
    if args.stock_and_test:
        scenarios = [stock]
    if not args.skip_test:
        scenarios.append(Scenario("`make test`", ["make", "--no-print-directory", "test"]))
    started = time.time()
    for round_number in range(args.runs):
        for scenario in scenarios:
            scenario.run_once()
        print(f"round {round_number + 1}/{args.runs} done ({time.time() - started:.0f} s)", file=sys.stderr)

    base_s, base_mb, base_cpu = stock.median_seconds(), stock.median_peak_mb(), stock.median_cpu_seconds()
    rows = [[s.name, f"{s.median_seconds():.2f}",
             f"{min(r.seconds for r in s.runs):.2f}–{max(r.seconds for r in s.runs):.2f}",
             f"{s.median_seconds() / base_s:.3f}", f"{s.median_cpu_seconds():.1f}",
             f"{s.median_cpu_seconds() / base_cpu:.2f}", f"{s.median_peak_mb():.0f}",
             f"{s.median_peak_mb() / base_mb:.2f}"]
            for s in scenarios]
    headers = ["scenario", "median s", "range s", "× stock time", "median CPU s", "× stock CPU", "peak MB",
               "× stock memory"]
    if args.stock_and_test:
        print(f"Machine: {machine()}. Load average before: {os.getloadavg()[0]:.2f}. {args.runs} runs, interleaved; "
              "medians. CPU s: user + system of the whole process tree.")
        print("\n".join(table(headers, rows)))
        shutil.rmtree(scratch, ignore_errors=True)
        return 0

    growth: list[tuple[int, list[Run]]] = []
    for count in (1, 2, 4, 8):
        runs = []
        for attempt in range(args.growth_runs):
            outdir = scratch / f"growth-{count}-{attempt}"
            runs.append(measure([PY, str(ROOT / "bench" / "multi_environment_app.py"), str(count)],
                                env={**base_env(), "CDKTF_OUTDIR": str(outdir)}, cwd=ROOT))
        growth.append((count, runs))
    shutil.rmtree(scratch, ignore_errors=True)

    one_env = statistics.median(r.seconds for r in growth[0][1])
    growth_rows = [[str(n), str(2 * n), f"{statistics.median(r.seconds for r in runs):.2f}",
                    f"{statistics.median(r.seconds for r in runs) / one_env:.2f}",
                    f"{statistics.median(r.peak_mb for r in runs):.0f}"] for n, runs in growth]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        f"Command: `python bench/run.py --runs {args.runs}`; {args.runs} runs per scenario, interleaved; medians. "
        "Peak memory is the sum of the resident memory of the whole process tree (make, Python, jsii's Node "
        "kernel, the cdktf CLI), sampled every 20 ms; CPU is user + system of that whole tree (bench/proctree.py).",
        "",
        *table(headers, rows),
        "",
        f"Growth: N environments' stack pairs synthesized in one process (fast path; {args.growth_runs} runs each).",
        "",
        *table(["environments", "stacks", "median s", "× 1 environment", "peak MB"], growth_rows),
        "",
    ]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))
    # Card-number detection on the whole labelled corpus: recall and false-positive rate per class, and the worst-case
    # scan times, written to bench/card_numbers.md (docs/card-numbers.md quotes it).
    card_numbers = subprocess.run([PY, str(ROOT / "bench" / "card_numbers.py"), "--out",
                                   str(ROOT / "bench" / "card_numbers.md")], cwd=ROOT, capture_output=True, text=True)
    print(card_numbers.stderr or "bench/card_numbers.md rewritten: every card-number target holds", file=sys.stderr)
    # results.md is tracked, the record the README's figures come from: a casual run must not dirty the tree unseen.
    print("bench/results.md and bench/card_numbers.md rewritten (tracked): commit them with the change they measure, "
          "or `git checkout bench/results.md bench/card_numbers.md`", file=sys.stderr)
    return card_numbers.returncode


if __name__ == "__main__":
    raise SystemExit(main())
