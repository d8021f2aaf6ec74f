"""Helpers for the tests of exercise checks: run a check, expect an outcome."""

import pytest

from utils import grading
from utils.grading import TaskIncorrect, TaskNotAttempted


@pytest.fixture(autouse=True)
def quiet_publish(monkeypatch):
    """Checks display their outcome in Jupyter; in tests, keep them silent."""
    monkeypatch.setattr(grading, "publish", lambda *outcome: None)


def accepted(task, **answers):
    """Assert that the check accepts the answers."""
    task.check(dict(answers))


def rejected(task, expected_message, **answers):
    """Assert that the check rejects the answers with a message containing ``expected_message``."""
    with pytest.raises(TaskIncorrect) as caught:
        task.check(dict(answers))
    assert expected_message in str(caught.value), str(caught.value)


def not_attempted(task, **answers):
    """Assert that the check reports the task as not attempted."""
    with pytest.raises(TaskNotAttempted):
        task.check(dict(answers))
