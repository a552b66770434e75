"""cdktf.out/settings.json: the settings a synth used and where each came from, beside the stacks they made.

Written by the app after its synth, so it sits inside the output the stamp covers (tools/synth_inputs.py); the review
prints it, and `make deploy` reads the environment and the account from it rather than from the shell it runs in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from payment_constructs.environment_file import LoadedSettings

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


def write(outdir: Path, loaded: LoadedSettings) -> None:
    record = {
        "environment": loaded.environment,
        "file": loaded.file,
        "settings": [{"name": use.name, "value": use.value, "origin": use.origin}
                     for use in sorted(loaded.used, key=lambda use: use.name)],
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
