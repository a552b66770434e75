"""Environments are files: `environments/<name>.env` holds the deployment settings of one environment, committed and
reviewed like the code, so what is deployed does not depend on what a shell happened to export.

Format: `PAYMENT_*=value` lines, `#` comments and blank lines. No quotes, no `export`, no `${...}`: the value is the
text after the first `=`, so what the file says is what the synth reads.

Precedence:
- dev: `environments/dev.env` is read if there is one, and the shell overrides it (dev is the sandbox); with no file,
  dev is the defaults plus the shell, as it always was.
- any other environment: the file is required and decides. A PAYMENT_* variable in the shell that disagrees with what
  the file gives (its line, or the default it leaves in place) is refused, as is a PAYMENT_* variable that is no
  setting at all. Only the tool switches (settings.TOOL_SWITCHES: engine, synth speed-ups, the review's
  acknowledgement) may be set in the shell: they change how the output is made or judged, not what is deployed.

Like settings.py, this imports nothing from cdktf: it runs before the provider loads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cdktf_out import settings_record
from payment_settings.settings import (
    DEPLOYMENT_SETTINGS,
    DEV_ENVIRONMENT,
    ENVIRONMENT_SETTING,
    PROJECT_ROOT,
    SHELL,
    TOOL_SWITCHES,
    Settings,
    SettingsError,
    SettingUse,
    is_environment_name,
    shown,
)

ENVIRONMENTS_DIR = PROJECT_ROOT / "environments"
SUFFIX = ".env"
SETTING_PREFIX = "PAYMENT_"


@dataclass(frozen=True)
class Entry:
    value: str
    line: int


@dataclass(frozen=True)
class LoadedSettings:
    """The validated settings of one synth, and where each value came from."""

    settings: Settings
    file: str | None  # "environments/prod.env"; None: dev without a file
    used: tuple[SettingUse, ...]

    @property
    def environment(self) -> str:
        return self.settings.environment

    def record(self, outdir: Path) -> None:
        """settings.json beside the stacks: what was used, and from where (the review prints it, deploy reads it)."""
        settings_record.write(outdir, self.environment, self.file, self.used)


def load(environ: Mapping[str, str] | None = None, directory: Path = ENVIRONMENTS_DIR) -> LoadedSettings:
    """The settings of the environment PAYMENT_ENVIRONMENT names (dev when unset), read from its file and the shell
    by the precedence above; SettingsError with one line per problem (a file's with its `file:line: `)."""
    shell = os.environ if environ is None else environ
    name = shell.get(ENVIRONMENT_SETTING, DEV_ENVIRONMENT)
    path = directory / f"{name}{SUFFIX}"
    label = _label(path)
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    has_file = is_environment_name(name) and path.is_file()
    if has_file:
        entries, problems = parse(path, label)
    elif name != DEV_ENVIRONMENT and is_environment_name(name):
        raise SettingsError([
            f"{ENVIRONMENT_SETTING}={shown(name)} has no {label}: outside dev an environment's settings live in its "
            f"committed file; create it (docs/deploying.md says how)"
        ])
    is_dev = name == DEV_ENVIRONMENT
    from_file = {setting: entry.value for setting, entry in entries.items()}
    origins = {setting: f"{label}:{entry.line}" for setting, entry in entries.items()}
    if is_dev:
        values = {**from_file, **shell}
        origins = {setting: SHELL if setting in shell else origin for setting, origin in origins.items()}
    else:
        values = {**{k: v for k, v in shell.items() if not k.startswith(SETTING_PREFIX)}, **from_file,
                  ENVIRONMENT_SETTING: name}
    used: tuple[SettingUse, ...] = ()
    try:
        settings, used = Settings.read(values, origins)
    except SettingsError as error:
        problems += error.problems
    if not is_dev:
        problems += _shell_disagreements(shell, entries, {use.name: use.value for use in used}, label)
    if problems:
        raise SettingsError(problems)
    return LoadedSettings(settings, label if has_file else None, used)


def parse(path: Path, label: str) -> tuple[dict[str, Entry], list[str]]:
    """The settings a file sets, by name, and one problem per bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        return {}, [f"{label}: cannot be read ({reason})"]
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, separator, value = stripped.partition("=")
        place = f"{label}:{number}: "
        if not separator or not name.replace("_", "a").isalnum() or not name.isascii() or not name.isupper():
            problems.append(f"{place}{shown(stripped)} is not a setting line; write PAYMENT_NAME=value (no spaces "
                            "around =, no quotes, no export), or a # comment")
        elif name == ENVIRONMENT_SETTING:
            problems.append(f"{place}{ENVIRONMENT_SETTING} is the file's name ({path.name}); remove the line")
        elif name in TOOL_SWITCHES:
            problems.append(f"{place}{name} is a tool switch, not a setting of the environment; set it in the shell "
                            "when you need it")
        elif name not in DEPLOYMENT_SETTINGS:
            problems.append(f"{place}{name} is not a setting; the settings are listed in README.md, Settings")
        elif name in entries:
            problems.append(f"{place}{name} is set again (first on line {entries[name].line}); keep one line")
        else:
            entries[name] = Entry(value, number)
    return entries, problems


def _shell_disagreements(shell: Mapping[str, str], entries: Mapping[str, Entry], used: Mapping[str, str],
                         label: str) -> list[str]:
    """Outside dev, every PAYMENT_* variable of the shell must be a tool switch, or say what the file gives."""
    problems = []
    rule = f"outside dev {label} decides: unset it in the shell, or change the file (and review that change)"
    for name in sorted(shell):
        if not name.startswith(SETTING_PREFIX) or name == ENVIRONMENT_SETTING or name in TOOL_SWITCHES:
            continue
        value = shell[name]
        if name not in DEPLOYMENT_SETTINGS:
            problems.append(f"{name}={shown(value)} is set in the shell but is no setting; {rule}")
        elif name in entries:
            if value != entries[name].value:
                problems.append(f"{name}={shown(value)} in the shell disagrees with {label}:{entries[name].line} "
                                f"({shown(entries[name].value)}); {rule}")
        elif name not in used:
            problems.append(f"{name}={shown(value)} is set in the shell, but {label} does not set it; {rule}")
        elif value != used[name]:
            problems.append(f"{name}={shown(value)} in the shell disagrees with {label}, which leaves the default "
                            f"{shown(used[name])}; {rule}")
    return problems


def _label(path: Path) -> str:
    """The file as messages and the settings record name it: relative to the project when it lies inside."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
