"""Fixtures shared by the unit tests. (The session settings live in the root conftest.py.)"""

import json
import os
import subprocess
import sys

import pytest
from message_templates import template_of

from utils.grading import display
from utils.grading.answers import MESSAGE_LIMIT
from utils.grading.answers import limit as cut_to_limit
from utils.language import language
from utils.standins import hub as standin_hub


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


@pytest.fixture(autouse=True)
def verdicts_fit(request, monkeypatch):
    """Every verdict a test produces fits: one line, at most ``MESSAGE_LIMIT`` characters.

    Each message is caught before ``limit`` cuts it, so a message that only fits because it
    was cut (the learner would read "…" where the advice was) fails the test that made it.
    A verdict of an exercise's check (tests/exercises/) must also be one whole sentence
    template of the catalogs, filled in, in the language it was shown in: then every verdict
    the English edition shows has its Korean twin (``tests/message_templates.py``).
    """
    messages, languages = [], []

    def caught(message):
        messages.append(str(message))
        languages.append(language())
        return cut_to_limit(message)

    task_module = sys.modules["utils.grading.task"]  # (``utils.grading.task`` is the decorator)
    monkeypatch.setattr(task_module, "limit", caught)
    yield messages
    too_long = [m for m in messages if len(" ".join(m.split())) > MESSAGE_LIMIT]
    several_lines = [m for m in messages if "\n" in m.strip()]
    assert not too_long, f"verdicts over {MESSAGE_LIMIT} characters: {too_long}"
    assert not several_lines, f"verdicts on several lines: {several_lines}"
    if request.path.parent.name == "exercises":
        shown = zip(messages, languages, strict=True)
        glued = [m for m, shown_in in shown if not template_of(m, shown_in, sentences_only=True)]
        assert not glued, f"verdicts that are not one whole template: {glued}"


@pytest.fixture(scope="session")
def run_as_learner(tmp_path_factory):
    """Run code as a learner's own script: a fresh interpreter, offline on the stand-in hub.

    Returns a function ``run(code, hf_home=None, cwd=None, env=None)``. HOME is a new empty
    folder (so nothing can lean on, or write to, the user's ~/.cache: the run fails if
    ~/.cache appears); HF_HOME is the stand-in hub unless ``hf_home`` is given; the code
    runs in HOME unless ``cwd`` is given. The code reports what it found by printing one
    line ``FACTS<json>``. The result is a dict: ``facts`` (None without such a line),
    ``stderr`` and ``home``. Every test that uses this fixture is an integration test.
    """

    def run(code, hf_home=None, cwd=None, env=None):
        home = tmp_path_factory.mktemp("home")
        settings = {
            k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))
        }
        settings.update(standin_hub.OFFLINE_SETTINGS, HOME=str(home))
        settings.update(HF_HOME=str(hf_home or standin_hub.HF_HOME), **(env or {}))
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=settings,
            cwd=cwd or home,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert not (home / ".cache").exists(), "the learner's run wrote to ~/.cache"
        lines = [line for line in result.stdout.splitlines() if line.startswith("FACTS")]
        facts = json.loads(lines[-1].removeprefix("FACTS")) if lines else None
        return {"facts": facts, "stderr": result.stderr, "home": home}

    return run


@pytest.hookimpl(tryfirst=True)  # before -m "not integration" deselects
def pytest_collection_modifyitems(items):
    """A test that runs learner code in a fresh interpreter is an integration test."""
    for item in items:
        if "run_as_learner" in getattr(item, "fixturenames", ()):  # notebook cells have none
            item.add_marker(pytest.mark.integration)
