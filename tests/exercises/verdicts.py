"""Assertions for the tests of exercise checks: a check accepts, rejects or finds a blank."""

import pytest

from utils.grading import TaskIncorrect, TaskNotAttempted


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
