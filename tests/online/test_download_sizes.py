"""Lesson 00 tells a learner online what the course downloads: its sizes are the files' own."""

import re

import nbformat
import pytest

from utils import notebook_path
from utils.standins import hub as standin_hub
from utils.standins.models import BERT_MINI_ID, LEGACY_IDS, repo_folder

pytestmark = pytest.mark.online


def download_note():
    """The text of lesson 00's cell on what the course downloads."""
    notebook = nbformat.read(notebook_path("notebooks", "00_start_here"), as_version=4)
    (cell,) = [cell for cell in notebook.cells if "hf cache ls" in cell.source]
    return cell.source


def weights_size(repo_id):
    """The size in bytes of the stand-in's weights file, which has the real file's shapes."""
    folder = repo_folder(standin_hub.HF_HOME / "hub", repo_id)
    commit = (folder / "refs" / "main").read_text().strip()
    return (folder / "snapshots" / commit / "model.safetensors").stat().st_size


def test_lesson_00_gives_each_checkpoints_size_in_megabytes():
    rows = re.findall(r"^\| `([^`]+)`[^|]*\|[^|]*\| (\d+) MB \|$", download_note(), re.M)
    assert {repo_id for repo_id, _ in rows} == {*LEGACY_IDS.values(), BERT_MINI_ID}
    for repo_id, megabytes in rows:
        assert int(megabytes) == round(weights_size(repo_id) / 1e6), repo_id


def test_lesson_00_gives_the_whole_download_in_gigabytes():
    (total,) = re.findall(r"about (\d+\.\d) GB", download_note())
    models = sum(weights_size(repo_id) for repo_id in {*LEGACY_IDS.values(), BERT_MINI_ID})
    assert float(total) == round(models / 1e9, 1)
