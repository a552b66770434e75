"""The settings gate main.py passes before cdktf loads: valid settings, or one clear line per problem and exit 2."""

from __future__ import annotations

import sys

from payment_constructs.settings import Settings, SettingsError

EXIT_BAD_SETTINGS = 2


def settings_or_exit() -> Settings:
    try:
        return Settings.from_environment()
    except SettingsError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTINGS) from None
