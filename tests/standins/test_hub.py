"""The stand-in hub: its recipe fingerprint, and when it counts as built."""

import shutil
import time

from utils import REPO_ROOT
from utils.standins import hub as standin_hub


def copy_of_utils(tmp_path):
    """A copy of the utils/ folder (sources only) to change freely."""
    copy = tmp_path / "utils"
    shutil.copytree(REPO_ROOT / "utils", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_recipe_covers_every_source_file_of_the_package():
    files = {path.as_posix() for path in standin_hub.source_files()}
    on_disk = {
        path.relative_to(standin_hub.PACKAGE_DIR).as_posix()
        for path in standin_hub.PACKAGE_DIR.rglob("*.py")
    }
    assert on_disk <= files
    assert {"hub.py", "models.py", "metric_scripts/glue.py"} <= files


def test_any_change_in_the_package_changes_the_recipe(tmp_path):
    package = copy_of_utils(tmp_path) / "standins"
    before = standin_hub.recipe(package)
    assert before == standin_hub.recipe(standin_hub.PACKAGE_DIR)
    (package / "metric_scripts" / "f1.py").write_text("# edited\n", encoding="utf-8")
    edited = standin_hub.recipe(package)
    (package / "new_part.py").write_text("A = 1\n")
    added = standin_hub.recipe(package)
    (package / "new_part.py").rename(package / "renamed_part.py")
    renamed = standin_hub.recipe(package)
    assert len({before, edited, added, renamed}) == 4


def test_changes_outside_the_package_leave_the_recipe_alone(tmp_path):
    utils = copy_of_utils(tmp_path)
    before = standin_hub.recipe(utils / "standins")
    (utils / "plots.py").write_text("# edited\n")
    (utils / "grading" / "task.py").write_text("# edited\n")
    (utils / "standins" / "__pycache__").mkdir()
    (utils / "standins" / "__pycache__" / "hub.cpython-311.pyc").write_bytes(b"compiled")
    assert standin_hub.recipe(utils / "standins") == before


def test_a_library_release_changes_the_recipe_its_build_variant_does_not(monkeypatch):
    real = standin_hub.metadata.version

    def torch_version(version):
        return lambda package: version if package == "torch" else real(package)

    recipes = {}
    for version in ["2.13.0+cpu", "2.13.0+cu130", "2.13.0", "2.14.1"]:
        monkeypatch.setattr(standin_hub.metadata, "version", torch_version(version))
        recipes[version] = standin_hub.recipe()
    assert recipes["2.13.0+cpu"] == recipes["2.13.0+cu130"] == recipes["2.13.0"]
    assert recipes["2.14.1"] != recipes["2.13.0"]


def test_a_second_build_is_a_quick_no_op():
    start = time.monotonic()
    assert standin_hub.build() is False
    assert time.monotonic() - start < 1.0


def test_a_deleted_or_stale_folder_counts_as_not_built(tmp_path, monkeypatch):
    monkeypatch.setattr(standin_hub, "STAMP", tmp_path / "missing" / "recipe.txt")
    assert not standin_hub.is_built()
    stale = tmp_path / "recipe.txt"
    stale.write_text("0123456789abcdef\n")
    monkeypatch.setattr(standin_hub, "STAMP", stale)
    assert not standin_hub.is_built()
