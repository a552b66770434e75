"""CDKTF and CDK Terrain synthesize the same infrastructure: every difference between their trees is listed.

Both trees come from main.py run in child processes (tests/conftest.py), at the same depth, with the default
settings; only PAYMENT_CDK_ENGINE differs. cdk_engine.compare holds them equal except for cdk_engine.compare.allowed().
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cdk_engine
from cdk_engine import compare, versions
from synth_speed import lazy_jsii_index


@pytest.fixture(scope="module")
def cdktf_out(background_jobs) -> Path:
    return background_jobs["fast_synth"].outcome()


@pytest.fixture(scope="module")
def cdktn_out(background_jobs) -> Path:
    return background_jobs["cdktn_fast_synth"].outcome()


@pytest.mark.slow
def test_both_engines_synthesize_the_same_infrastructure_but_for_the_listed_differences(cdktf_out, cdktn_out):
    assert compare.tree_difference(cdktf_out, cdktn_out) is None


@pytest.mark.slow
def test_the_cdktn_tree_really_was_synthesized_by_cdk_terrain(cdktn_out):
    assert json.loads((cdktn_out / "manifest.json").read_text())["version"] == versions.locked("cdktn")
    app = json.loads((cdktn_out / "stacks" / "app" / "cdk.tf.json").read_text())
    assert app["terraform"]["required_providers"]["aws"]["version"] == versions.provider_release("cdktn_provider_aws",
                                                                                                 "aws")


def test_every_allowed_difference_says_why():
    assert all(entry.why for entry in compare.allowed())


@pytest.mark.slow
def test_the_fast_path_on_cdk_terrain_prints_no_warning_and_keeps_its_lazy_provider(background_jobs, cdktn_out):
    """No warning, no traceback: the lazy index was built (or found) for @cdktn/provider-aws, so later runs reuse
    it instead of trying again."""
    assert background_jobs["cdktn_fast_synth"].output == ""
    pattern = f"{lazy_jsii_index.FORMAT_VERSION}/*/*/provider-aws@25.8.1.jsii.tgz"
    cached = list(lazy_jsii_index.cache_dir().glob(pattern))
    assert cached, "no lazy tarball of the CDK Terrain AWS provider was cached"


# --- the comparison fails on every other difference, naming where ------------------------------------------------


@pytest.fixture
def trees(cdktf_out, cdktn_out, tmp_path) -> tuple[Path, Path]:
    """Copies of both trees, side by side, that a test may change."""
    return (Path(shutil.copytree(cdktf_out, tmp_path / "cdktf" / "cdktf.out")),
            Path(shutil.copytree(cdktn_out, tmp_path / "cdktn" / "cdktf.out")))


def change_stack(tree: Path, stack: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = tree / "stacks" / stack / "cdk.tf.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, indent=2))


@pytest.mark.slow
def test_a_changed_value_deep_in_a_resource_is_reported_with_its_path(trees):
    cdktf_tree, cdktn_tree = trees

    def shorten(document):
        document["resource"]["aws_cloudwatch_log_group"] = {
            name: {**group, "retention_in_days": 3}
            for name, group in document["resource"]["aws_cloudwatch_log_group"].items()
        }

    change_stack(cdktn_tree, "app", shorten)
    found = compare.tree_difference(cdktf_tree, cdktn_tree)
    assert found is not None
    assert found.startswith("stacks/app/cdk.tf.json: resource.aws_cloudwatch_log_group.")
    assert ".retention_in_days: 1 against 3" in found


@pytest.mark.slow
def test_a_resource_only_one_engine_writes_is_reported(trees):
    cdktf_tree, cdktn_tree = trees
    change_stack(cdktn_tree, "encryption", lambda d: d["resource"].setdefault("aws_s3_bucket", {"extra": {}}))
    assert compare.tree_difference(cdktf_tree, cdktn_tree) == (
        "stacks/encryption/cdk.tf.json: resource.aws_s3_bucket (only in the cdktn tree)"
    )


@pytest.mark.slow
def test_a_list_that_differs_in_length_is_reported(trees):
    cdktf_tree, cdktn_tree = trees
    change_stack(cdktn_tree, "app", lambda d: d["provider"]["aws"].append({"alias": "second"}))
    assert compare.tree_difference(cdktf_tree, cdktn_tree) == "stacks/app/cdk.tf.json: provider.aws (1 items against 2)"


def test_a_number_written_as_a_string_is_a_difference(trees):
    assert compare.first_difference({"a": [1]}, {"a": ["1"]}) == 'a[0]: 1 against "1"'


@pytest.mark.slow
def test_an_allowed_difference_with_another_value_than_listed_is_reported(trees):
    cdktf_tree, cdktn_tree = trees
    change_stack(cdktn_tree, "app", lambda d: d["terraform"]["required_providers"]["aws"].update(version="7.0.0"))
    found = compare.tree_difference(cdktf_tree, cdktn_tree)
    assert found is not None and found.startswith("stacks/app/cdk.tf.json: terraform.required_providers.aws.version")


@pytest.mark.slow
def test_a_listed_difference_that_is_no_longer_there_is_reported_so_the_list_stays_true(trees):
    cdktf_tree, _ = trees
    found = compare.tree_difference(cdktf_tree, cdktf_tree)
    assert found is not None and "allowed difference is" in found


@pytest.mark.slow
def test_a_changed_asset_byte_is_reported(trees):
    cdktf_tree, cdktn_tree = trees
    asset = sorted(cdktn_tree.rglob("*.zip"))[0]
    asset.write_bytes(asset.read_bytes() + b"\0")
    assert compare.tree_difference(cdktf_tree, cdktn_tree) == f"{asset.relative_to(cdktn_tree)} (the bytes differ)"


@pytest.mark.slow
def test_a_missing_file_is_reported(trees):
    cdktf_tree, cdktn_tree = trees
    (cdktn_tree / "stacks" / "app" / "cdk.tf.json").unlink()
    assert compare.tree_difference(cdktf_tree, cdktn_tree) == "stacks/app/cdk.tf.json (only in the cdktf tree)"


@pytest.mark.slow
def test_the_command_exits_1_naming_the_difference_and_2_on_a_missing_tree(trees, tmp_path, capsys):
    cdktf_tree, cdktn_tree = trees
    assert compare.main([str(cdktf_tree), str(cdktn_tree)]) == 0
    assert capsys.readouterr().out.startswith("same infrastructure: ")
    change_stack(cdktn_tree, "app", lambda d: d["output"].clear())
    assert compare.main([str(cdktf_tree), str(cdktn_tree)]) == 1
    assert capsys.readouterr().out.startswith("differs: stacks/app/cdk.tf.json: output.")
    assert compare.main([str(cdktf_tree), str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


# --- the setting ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "CDKTF", "terraform", "cdktn ", "x" * 200])
def test_an_engine_that_is_not_cdktf_or_cdktn_is_one_line_naming_the_setting(raw):
    with pytest.raises(cdk_engine.EngineError) as error:
        cdk_engine.chosen({cdk_engine.ENV_VAR: raw})
    message = str(error.value)
    assert message.startswith(f"{cdk_engine.ENV_VAR}=") and "\n" not in message and len(message) < 200
    assert "use cdktf (" in message and " or cdktn (" in message


def test_the_default_engine_is_cdktf_and_needs_no_alias():
    assert cdk_engine.chosen({}).name == "cdktf"
    assert cdk_engine.chosen({}).aliases == {}


def test_the_lock_pins_the_engine_that_is_installed():
    assert versions.locked("cdktf") == importlib.metadata.version("cdktf")


def test_the_provider_release_read_from_the_engines_binding_is_the_one_the_synthesized_json_requires(synthesized):
    # The chosen engine's binding, by its real name: under CDK Terrain the synth requires cdktn_provider_aws's release.
    binding = cdk_engine.chosen().aliases.get("cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_aws")
    required = synthesized.stack("app").document["terraform"]["required_providers"]["aws"]["version"]
    assert versions.provider_release(binding, "aws") == required
