"""The settings gate main.py passes before cdktf loads: valid settings, or one clear line per problem and exit 2."""

from __future__ import annotations

import sys

from payment_settings.environment_file import LoadedSettings, load
from payment_settings.settings import Settings, SettingsError

EXIT_BAD_SETTINGS = 2


def loaded_settings_or_exit() -> LoadedSettings:
    """The environment's settings (its file, then the shell, by environment_file's precedence), with their origins."""
    try:
        return load()
    except SettingsError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTINGS) from None


def settings_or_exit() -> Settings:
    return loaded_settings_or_exit().settings
