"""Card-number detection, measured: python bench/card_numbers.py [--hostile N] [--benign N] [--out FILE].

Runs the labelled corpus (tests/handlers/card_corpus.py) through handlers.card_numbers.contains_card_number and
reports, per class, how many texts were refused: recall for hostile classes (each text holds a card number), the
false-positive rate for benign ones. Targets: every hostile class at 100%, every benign class at most 0.1% refused,
except the classes PRICES names (docs/card-numbers.md says why). Exit 0 when the targets hold, 1 when one is missed.

It lives here, not in handlers/, because handlers/ is what the Lambda zip holds: a report and its corpus are not code
the function runs. `make test` runs it on a small slice (tests/handlers/test_card_number_report.py); the benchmark
(bench/run.py) on the whole corpus, writing bench/card_numbers.md, the figures docs/card-numbers.md quotes.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from handlers.card_numbers import MAX_SCAN_CHARACTERS, contains_card_number  # noqa: E402
from tests.handlers.card_corpus import BENIGN, CLASSES, HOSTILE, SEED, Text, corpus, digest  # noqa: E402

BENIGN_TARGET: Final = 0.001  # at most one benign text in a thousand refused
HOSTILE_TARGET: Final = 1.0
# The classes that cannot reach their target, and why; docs/card-numbers.md names each with its measured rate.
PRICES: Final = {
    "EAN-13": "a 13-digit EAN whose GS1 prefix starts 4, 50 or 56-69 is written exactly like a 13-digit Visa or "
    "Maestro number; one in ten of those passes Luhn. Keep GTINs as GTIN-14 (a leading 0), as GS1 asks databases to.",
    "behind a '+'": "digits after a '+' that libphonenumber reads as a valid phone number of the country they name "
    "are a phone number, even when they are also an issued card number.",
    "phone with extension": "a national number with a '#' or ',,' extension is written like a card whose last group "
    "follows a '#'; a national number names no country libphonenumber could check.",
}
FULL_HOSTILE: Final = 1_000
FULL_BENIGN: Final = 5_000


@dataclass(frozen=True)
class ClassResult:
    label: str
    name: str
    count: int
    refused: int
    example: str | None  # the first text that missed its target, for a reader to look at

    @property
    def rate(self) -> float:
        return self.refused / self.count if self.count else 0.0

    def meets_target(self) -> bool:
        if self.label == HOSTILE:
            return self.refused == self.count
        return self.rate <= BENIGN_TARGET

    @property
    def verdict(self) -> str:
        if self.meets_target():
            return "met"
        return "named price" if self.name in PRICES else "**missed**"


def measure(texts: Iterable[Text], detects: Callable[[str], bool] = contains_card_number) -> list[ClassResult]:
    counts: dict[tuple[str, str], list[int]] = {}
    examples: dict[tuple[str, str], str] = {}
    for text in texts:
        key = (text.label, text.class_name)
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        refused = detects(text.text)
        tally[1] += refused
        if refused != (text.label == HOSTILE):
            examples.setdefault(key, text.text)
    return [ClassResult(label, name, count, refused, examples.get((label, name)))
            for (label, name), (count, refused) in counts.items()]


def missed_targets(results: list[ClassResult]) -> list[ClassResult]:
    """Classes below their target that PRICES does not name."""
    return [result for result in results if not result.meets_target() and result.name not in PRICES]


def upper_bound(refused: int, count: int) -> float:
    """One-sided 95% upper bound of a rate (Clopper-Pearson; the rule of three when nothing was refused)."""
    if refused == count:
        return 1.0
    if refused == 0:
        return 1 - 0.05 ** (1 / count)
    low, high = refused / count, 1.0
    for _ in range(60):  # bisect on the binomial tail P(X <= refused) = 0.05
        middle = (low + high) / 2
        tail = sum(math.comb(count, k) * middle**k * (1 - middle) ** (count - k) for k in range(refused + 1))
        low, high = (middle, high) if tail > 0.05 else (low, middle)
    return high


def worst_case_scan_seconds(runs: int = 3) -> list[tuple[str, float]]:
    """Median CPU seconds of one scan of each worst input of bench/card_scan.py at the largest size a scan reads, and
    of validating whole events of many short texts (each text pays the fixed cost of its passes)."""
    from decimal import Decimal

    from bench.card_scan import inputs
    from handlers.validation import PaymentValidationError, validate_payment

    def validated(event: object) -> None:
        with contextlib.suppress(PaymentValidationError):  # refused: it is no payment, only a cost
            validate_payment(event, max_amount=Decimal(1))

    texts = inputs(MAX_SCAN_CHARACTERS)
    scans = [(name, lambda text=text: contains_card_number(text)) for name, text in texts.items()]
    events = {
        "an event of 18,000 texts '1 1 1 1 1 1 1' (validate_payment)": {"extra": ["1 1 1 1 1 1 1"] * 18_000},
        "an event of 17,000 texts '+4111111111111' (validate_payment)": {"extra": ["+4111111111111"] * 17_000},
        "an event of 11,000 texts of times (validate_payment)": {"extra": ["10:30:00, 11:00:00, 12"] * 11_000},
    }
    scans += [(name, lambda event=event: validated(event)) for name, event in events.items()]
    timings = []
    for name, scan in scans:
        samples = []
        for _ in range(runs):
            started = time.process_time()
            scan()
            samples.append(time.process_time() - started)
        timings.append((name, statistics.median(samples)))
    return timings


def render(results: list[ClassResult], hostile: int, benign: int, corpus_digest: str,
           timings: list[tuple[str, float]]) -> str:
    lines = [
        "# Card-number detection, measured",
        "",
        f"Written by `python bench/card_numbers.py --hostile {hostile} --benign {benign}` (bench/run.py runs it). "
        f"Corpus: tests/handlers/card_corpus.py, seed `{SEED}`, {hostile} texts per hostile class and {benign} per "
        f"benign class, SHA-256 `{corpus_digest}`. Targets: every hostile class 100% refused; every benign class "
        f"at most {BENIGN_TARGET:.1%} refused, except the classes named in docs/card-numbers.md.",
        "",
        "## Hostile texts (each holds an issued, Luhn-valid card number): recall",
        "",
        "| class | texts | refused | recall | target |",
        "|---|---|---|---|---|",
        *(f"| {r.name} | {r.count} | {r.refused} | {r.rate:.2%} | {r.verdict} |"
          for r in results if r.label == HOSTILE),
        "",
        "## Benign texts: false-positive rate (95% upper bound)",
        "",
        "| class | texts | refused | rate | 95% upper bound | target |",
        "|---|---|---|---|---|---|",
        *(f"| {r.name} | {r.count} | {r.refused} | {r.rate:.3%} | {upper_bound(r.refused, r.count):.3%} | {r.verdict} |"
          for r in results if r.label == BENIGN),
    ]
    misses = [r for r in results if not r.meets_target()]
    if misses:
        lines += ["", "## First text of each class off its target", ""]
        lines += [f"- {r.name}: `{r.example!a}`" for r in misses]
    if timings:
        lines += [
            "",
            f"## Worst cases: one text or one event of at most {MAX_SCAN_CHARACTERS:,} characters read (CPU seconds, "
            "median of 3)",
            "",
            "| input | seconds |",
            "|---|---|",
            *(f"| {name} | {seconds:.3f} |" for name, seconds in timings),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hostile", type=int, default=FULL_HOSTILE, help="texts per hostile class")
    parser.add_argument("--benign", type=int, default=FULL_BENIGN, help="texts per benign class")
    parser.add_argument("--out", type=Path, help="write the Markdown report here (bench/card_numbers.md)")
    parser.add_argument("--no-timings", action="store_true", help="leave out the worst-case scan times")
    arguments = parser.parse_args(argv)
    if arguments.hostile < 1 or arguments.benign < 1:
        print("error: --hostile and --benign must be at least 1", file=sys.stderr)
        return 2
    texts = list(corpus(arguments.hostile, arguments.benign))
    results = measure(texts)
    timings = [] if arguments.no_timings else worst_case_scan_seconds()
    report = render(results, arguments.hostile, arguments.benign, digest(texts), timings)
    if arguments.out:
        arguments.out.write_text(report)
    print(report, end="")
    missed = missed_targets(results)
    for result in missed:
        print(f"target missed: {result.label} class {result.name!r}: {result.refused} of {result.count} refused",
              file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    assert len({c.name for c in CLASSES}) == len(CLASSES)
    raise SystemExit(main())
