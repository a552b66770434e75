"""Adding a setting, as docs/changing.md writes it, performed on a copy of payment_settings/settings.py: a field, one
reader.read in Settings.read passed to the settings it returns, the name in DEPLOYMENT_SETTINGS. The validation, the
record of where it came from and the README's table check follow."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.readme.test_settings_table import settings_in_the_readme_table, settings_named_in

ROOT = Path(__file__).resolve().parents[2]
NAME = "PAYMENT_RECIPE_PROBE"
# Each step of the recipe: where it goes in settings.py (text that must be there once), and that text with it.
FIELDS_END = ("    operator_role_arns: tuple[str, ...] = ()  # roles of this account that may start and inspect "
              "executions\n")
READ_END = "        if reader.problems:\n"
RETURNED = "dataclasses.replace(settings, aws_account_id=account, operator_role_arns=operators"
LISTED_END = '    "PAYMENT_STATE_KEY_PREFIX",\n'
RECIPE = (
    (FIELDS_END, FIELDS_END + "    recipe_probe: int = 0\n"),
    (READ_END, f'        probe = reader.read("{NAME}", "7", _deletion_window)\n' + READ_END),
    (RETURNED, RETURNED + ", recipe_probe=probe"),
    (LISTED_END, LISTED_END + f'    "{NAME}",\n'),
)


@pytest.fixture(scope="module")
def with_setting(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, str]:
    source = (ROOT / "payment_settings" / "settings.py").read_text()
    for anchor, with_recipe in RECIPE:
        assert source.count(anchor) == 1, f"the recipe's place is gone from settings.py: {anchor!r}"
        source = source.replace(anchor, with_recipe)
    copy = tmp_path_factory.mktemp("recipe") / "settings_with_probe.py"
    copy.write_text(source)
    spec = importlib.util.spec_from_file_location("settings_with_probe", copy)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module, source


def test_the_new_setting_is_read_validated_and_recorded_with_its_origin(with_setting):
    module, _ = with_setting
    settings, used = module.Settings.read({NAME: "9"})
    assert settings.recipe_probe == 9
    assert (NAME, "9", "shell") in {(u.name, u.value, u.origin) for u in used}  # settings.json and the review
    with pytest.raises(module.SettingsError) as refused:
        module.Settings.read({NAME: "300"})
    assert refused.value.problems == [f"{NAME}='300' is not a KMS key deletion window; use a whole number of days "
                                      "from 7 to 30"]


def test_an_environment_file_may_hold_the_new_setting(with_setting):
    module, _ = with_setting
    assert NAME in module.DEPLOYMENT_SETTINGS


def test_the_readme_table_check_asks_for_the_new_settings_row(with_setting):
    _, source = with_setting
    assert NAME in settings_named_in([source]) - settings_in_the_readme_table()
