"""The legacy ids' folders in the stand-in hub, where symbolic links are refused (Windows)."""

import os

import pytest

from utils.standins import models
from utils.standins.models import LEGACY_IDS, link_legacy_ids, repo_folder


def fake_hub(hub_dir):
    """A hub with one small file in each namespaced checkpoint's snapshot."""
    for current in LEGACY_IDS.values():
        snapshot = repo_folder(hub_dir, current) / "snapshots" / "abc"
        snapshot.mkdir(parents=True)
        (snapshot / "config.json").write_text(f'{{"name": "{current}"}}')
    return hub_dir


def refuse(*args, **kwargs):
    """What os.symlink or os.link does where the system refuses it."""
    raise OSError("A required privilege is not held by the client")


def config_of(hub_dir, repo_id):
    """The fake config.json of ``repo_id`` in the hub."""
    return repo_folder(hub_dir, repo_id) / "snapshots" / "abc" / "config.json"


def test_legacy_ids_are_symbolic_links_where_allowed(tmp_path):
    hub = fake_hub(tmp_path)
    link_legacy_ids(hub)
    for legacy in LEGACY_IDS:
        assert repo_folder(hub, legacy).is_symlink()


def test_without_symbolic_links_the_files_are_hard_linked(tmp_path, monkeypatch):
    hub = fake_hub(tmp_path)
    monkeypatch.setattr(models.os, "symlink", refuse)
    link_legacy_ids(hub)
    for legacy, current in LEGACY_IDS.items():
        assert not repo_folder(hub, legacy).is_symlink()
        assert os.path.samefile(config_of(hub, legacy), config_of(hub, current))


@pytest.mark.parametrize("again", [False, True])
def test_without_any_links_the_files_are_copied(tmp_path, monkeypatch, again):
    hub = fake_hub(tmp_path)
    monkeypatch.setattr(models.os, "symlink", refuse)
    monkeypatch.setattr(models.os, "link", refuse)
    link_legacy_ids(hub)
    if again:  # a second build leaves the copies as they are
        link_legacy_ids(hub)
    for legacy, current in LEGACY_IDS.items():
        copy = config_of(hub, legacy)
        assert copy.read_text() == config_of(hub, current).read_text()
        assert not os.path.samefile(copy, config_of(hub, current))
