"""cdktf.out/settings.json: the settings a synth used and where each came from, beside the stacks they made.

Written by the app after its synth, so it sits inside the output the stamp covers (tools/synth_inputs.py); the review
prints it, and `make deploy` reads the environment and the account from it rather than from the shell it runs in.
The format is here, written and read, so the readers of a tree need nothing of the app that made it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

RECORD = "settings.json"


class SettingsRecordError(Exception):
    """The record is missing or unreadable; the message is the one line a person needs."""


@dataclass(frozen=True)
class RecordedSetting:
    name: str
    value: str
    origin: str  # "default", "shell" or "<file>:<line>"


@dataclass(frozen=True)
class SettingsRecord:
    environment: str
    file: str | None
    settings: tuple[RecordedSetting, ...]

    def value(self, name: str) -> str | None:
        return next((s.value for s in self.settings if s.name == name), None)


class SettingUse(Protocol):
    """One setting as the app read it (payment_settings' SettingUse; RecordedSetting when read back)."""

    @property
    def name(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def origin(self) -> str: ...


def write(outdir: Path, environment: str, file: str | None, used: Iterable[SettingUse]) -> None:
    record = {
        "environment": environment,
        "file": file,
        "settings": [{"name": use.name, "value": use.value, "origin": use.origin}
                     for use in sorted(used, key=lambda use: use.name)],
    }
    (outdir / RECORD).write_text(json.dumps(record, indent=2) + "\n")


def read(outdir: Path) -> SettingsRecord:
    path = outdir / RECORD
    try:
        data = json.loads(path.read_text())
        return SettingsRecord(
            environment=str(data["environment"]),
            file=data["file"],
            settings=tuple(RecordedSetting(str(s["name"]), str(s["value"]), str(s["origin"]))
                           for s in data["settings"]),
        )
    except FileNotFoundError:
        raise SettingsRecordError(f"{path} is missing: the tree was synthesized before settings were recorded; "
                                  "run make synth again") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SettingsRecordError(f"{path} is not a settings record ({error}); run make synth again") from None
