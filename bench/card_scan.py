"""Card-number scan on the worst inputs it accepts: python bench/card_scan.py [--runs N].

Each input is as long as one scan reads at most (MAX_SCAN_CHARACTERS, the most Step Functions passes between states,
counted after decoding and NFKC: an input that decoding or normalization lengthens is cut to fit), and half of it is
shown too, so a reader sees the time grow linearly, not quadratically. Prints the median CPU seconds of N runs per
input (CPU time of this process, so other work on the machine does not count).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from handlers.card_numbers import MAX_SCAN_CHARACTERS, TextTooLongError, contains_card_number

WORST_INPUTS: dict[str, str] = {
    "one-digit groups, ASCII (UATP/GPN lengths)": "1 ",
    "one-digit groups, ASCII (Visa lengths)": "4 ",
    "one-digit groups, Arabic-Indic + ZWSP": "\u0661\u200b",
    "four-digit groups, full-width": "\uff11\uff12\uff13\uff14 ",
    "circled pairs NFKC writes as '(20)'": "\u2487",
    "a ligature NFKC writes as 18 letters": "\ufdfa",
    "percent-encoded one-digit groups (read twice)": "%31%20",
    "HTML-escaped one-digit groups (read twice)": "&#49;&nbsp;",
    "'+' numbers that are card numbers (libphonenumber asked)": "+4111111111111, ",
    "IBANs in print form (python-stdnum asked)": "DE89 3704 0044 0532 0130 00, ",
    "times side by side": "10:30:00, ",
    "timestamps side by side": "30/01/2024 10:30:00, ",
    "one unbroken digit run": "1",
    "prose without digits": "lorem ipsum ",
}


def largest_scanned(unit: str, characters: int) -> str:
    """``unit`` repeated to ``characters``, cut until one scan accepts it (decoding and NFKC count)."""
    text = (unit * (characters // len(unit) + 1))[:characters]
    while True:
        try:
            contains_card_number(text)
            return text
        except TextTooLongError:
            text = text[: len(text) * 9 // 10]


def inputs(characters: int) -> dict[str, str]:
    return {name: largest_scanned(unit, characters) for name, unit in WORST_INPUTS.items()}


def median_seconds(scan: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.process_time()
        scan()
        timings.append(time.process_time() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"| input | characters | {MAX_SCAN_CHARACTERS // 2} at most, median s | {MAX_SCAN_CHARACTERS} at most, "
          "median s |")
    print("|---|---|---|---|")
    half, full = inputs(MAX_SCAN_CHARACTERS // 2), inputs(MAX_SCAN_CHARACTERS)
    for name in full:
        small = median_seconds(lambda text=half[name]: contains_card_number(text), runs)
        large = median_seconds(lambda text=full[name]: contains_card_number(text), runs)
        print(f"| {name} | {len(full[name]):,} | {small:.3f} | {large:.3f} |")


if __name__ == "__main__":
    main()
