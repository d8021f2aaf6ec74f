"""T10's four runs train once per machine: saved, read back, trained again when they would differ.

Training is replaced by a stand-in that records its calls, and the data by a small table,
so these tests take a second; tests/exercises/test_ex10_learning_curves.py trains for real.
"""

import pytest
from datasets import Dataset, DatasetDict

from utils import ex10_learning_curves as ex


def small_data(first_label=0):
    """Enough rows for every run, labels alternating from ``first_label``."""
    labels = [(row + first_label) % 2 for row in range(400)]
    rows = {"input_ids": [[101, row, 102] for row in range(400)], "label": labels}
    return DatasetDict(train=Dataset.from_dict(rows), validation=Dataset.from_dict(rows))


@pytest.fixture
def trained(monkeypatch, tmp_path):
    """The learning rates of the runs trained, in order; runs saved in a temporary folder."""
    calls = []

    def train_run(train_rows, epochs, learning_rate, seed=42):
        calls.append(learning_rate)
        return [{"loss": 0.5, "epoch": 1.0, "learning_rate": learning_rate}]

    monkeypatch.setattr(ex, "train_run", train_run)
    monkeypatch.setattr(ex, "SAVED_RUNS", tmp_path / "learning-curves")
    monkeypatch.setattr(ex, "tokenized_mrpc", lambda: (small_data(), None))
    ex.cached_runs.cache_clear()
    yield calls
    ex.cached_runs.cache_clear()


def train_again():
    """The runs as a new kernel would get them."""
    ex.cached_runs.cache_clear()
    return ex.cached_runs()


def test_runs_train_once_then_come_from_disk(trained, capsys):
    first = ex.cached_runs()
    assert trained == [settings["learning_rate"] for settings in ex.RUNS.values()]
    assert len(list(ex.SAVED_RUNS.glob("*.json"))) == 1
    assert "trained before" not in capsys.readouterr().out
    assert train_again() == first
    assert len(trained) == len(ex.RUNS)  # nothing trained the second time
    assert "The four runs trained before: their logs come from" in capsys.readouterr().out


def test_other_settings_train_again(trained, monkeypatch):
    ex.cached_runs()
    monkeypatch.setitem(ex.RUNS, "A", {**ex.RUNS["A"], "learning_rate": 3e-7})
    train_again()
    assert len(trained) == 2 * len(ex.RUNS)
    assert len(list(ex.SAVED_RUNS.glob("*.json"))) == 2


def test_other_data_trains_again(trained, monkeypatch):
    ex.cached_runs()
    monkeypatch.setattr(ex, "tokenized_mrpc", lambda: (small_data(first_label=1), None))
    train_again()
    assert len(trained) == 2 * len(ex.RUNS)
