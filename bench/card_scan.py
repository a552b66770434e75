"""Card-number scan on the worst inputs it accepts: python bench/card_scan.py [--runs N].

Each input is MAX_SCAN_CHARACTERS long (the most the scan accepts, the most Step Functions passes between states),
and half of it twice that size is shown too, so a reader sees the time grow linearly, not quadratically.
Prints the median of N runs per input.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from handlers.card_numbers import MAX_SCAN_CHARACTERS, contains_card_number


def inputs(size: int) -> dict[str, str]:
    return {
        "one-digit groups, ASCII (UATP/GPN lengths)": ("1 " * size)[:size],
        "one-digit groups, ASCII (Visa lengths)": ("4 " * size)[:size],
        "timestamps side by side": ("30/01/2024 10:30:00, " * size)[:size],
        "one-digit groups, Arabic-Indic + ZWSP": ("\u0661\u200b" * size)[:size],
        "one unbroken digit run": "1" * size,
        "four-digit groups, full-width": ("\uff11\uff12\uff13\uff14 " * size)[:size],
        "prose without digits": ("lorem ipsum " * size)[:size],
    }


def median_seconds(scan: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        scan()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"| input | {MAX_SCAN_CHARACTERS // 2} chars, median s | {MAX_SCAN_CHARACTERS} chars, median s |")
    print("|---|---|---|")
    half, full = inputs(MAX_SCAN_CHARACTERS // 2), inputs(MAX_SCAN_CHARACTERS)
    for name in full:
        small = median_seconds(lambda text=half[name]: contains_card_number(text), runs)
        large = median_seconds(lambda text=full[name]: contains_card_number(text), runs)
        print(f"| {name} | {small:.3f} | {large:.3f} |")


if __name__ == "__main__":
    main()
