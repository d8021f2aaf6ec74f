"""Fixtures shared by the unit tests. (The session settings live in the root conftest.py.)"""

import pytest

from utils.grading import display


@pytest.fixture
def shown(monkeypatch):
    """What checks would display, collected as (task, status, message) instead of displayed."""
    outcomes = []
    monkeypatch.setattr(display, "publish", lambda *outcome: outcomes.append(outcome))
    return outcomes


@pytest.fixture(autouse=True)
def quiet_checks(request, monkeypatch):
    """Tests of exercise checks (tests/exercises/) run checks silently: no verdict is displayed."""
    if request.path.parent.name == "exercises":
        monkeypatch.setattr(display, "publish", lambda *outcome: None)
