"""The review's first section: the settings the synth used, and where each came from (cdktf.out/settings.json).

A reviewer approves values, not only resources: a retention from the shell instead of the environment's file is
worth seeing before the stacks are read.
"""

from __future__ import annotations

from pathlib import Path

from cdktf_out.settings_record import RECORD, SettingsRecordError, read
from synth_review.report.table import WIDTH, table


def settings_section(outdir: Path) -> list[str]:
    try:
        record = read(outdir)
    except SettingsRecordError as error:
        return [f"Settings: none recorded ({error})", "", ""]
    source = f"from {record.file} and the shell" if record.file else "no environment file: defaults and the shell"
    rows = [[s.name, s.value if s.value != "" else "(empty)", s.origin] for s in record.settings]
    return [f"Settings of environment {record.environment} ({source}; {RECORD})",
            *table(["SETTING", "VALUE", "FROM"], rows, width=WIDTH), "", ""]
