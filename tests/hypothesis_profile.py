"""How many examples each property draws per run: a Hypothesis profile chosen by HYPOTHESIS_PROFILE.

Every property is written with its thorough count, `examples(N)`. The profile scales it:

- `suite` (the default: `make test`, CI): a fifth of N, at least 10, so the whole suite stays fast enough to run
  on every change. Every run still draws new examples (nothing is derandomized); what a run gives up is depth.
- `explore` (`HYPOTHESIS_PROFILE=explore make test`, a long run before a release or after touching a parser):
  four times N.

A property with no count of its own draws 20 examples in `suite` (Hypothesis's default, 100, scaled the same way) and
400 in `explore`.
"""

from __future__ import annotations

import os

from hypothesis import settings

VARIABLE = "HYPOTHESIS_PROFILE"
SCALE = {"suite": 0.2, "explore": 4.0}
FEWEST = 10
DEFAULT_EXAMPLES = 100  # Hypothesis's own max_examples


def chosen() -> str:
    """The profile HYPOTHESIS_PROFILE names; one line naming what is allowed otherwise."""
    name = os.environ.get(VARIABLE, "").strip() or "suite"
    if name not in SCALE:
        raise ValueError(f"{VARIABLE}={name!r} is not a profile; use one of: {', '.join(SCALE)}")
    return name


def examples(thorough: int) -> int:
    """max_examples for a property whose thorough count is `thorough`, in the chosen profile."""
    return max(FEWEST, round(thorough * SCALE[chosen()]))


def load() -> None:
    for name in SCALE:
        settings.register_profile(name, max_examples=max(FEWEST, round(DEFAULT_EXAMPLES * SCALE[name])))
    settings.load_profile(chosen())
