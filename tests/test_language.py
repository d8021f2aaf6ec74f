"""The learner's language: templates looked up when shown, placeholders filled after."""

import ast
import importlib

import pytest
from message_templates import template_of

from utils import REPO_ROOT
from utils.grading import Task, display
from utils.grading.outcomes import CORRECT, INCORRECT, NOT_ATTEMPTED
from utils.instructors import translations
from utils.language import LANGUAGE_VARIABLE, N_, _, in_every_language, language

HINT_TITLE = "Hint {level} of {total} · {task}"


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")


def test_english_is_the_default_and_anything_unknown_is_english(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    assert language() == "en"
    for chosen in ("", "fr", "korean"):
        monkeypatch.setenv(LANGUAGE_VARIABLE, chosen)
        assert language() == "en"
    monkeypatch.setenv(LANGUAGE_VARIABLE, " KO ")
    assert language() == "ko"


def test_english_fills_the_template(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    assert _(HINT_TITLE, level=1, total=3, task="T4") == "Hint 1 of 3 · T4"
    assert _("Literal {braces} stay without values.") == "Literal {braces} stay without values."


def test_korean_is_looked_up_when_shown_and_filled_after(korean):
    korean_title = translations.finished_messages("ko")[HINT_TITLE]
    assert korean_title != HINT_TITLE
    assert _(HINT_TITLE, level=2, total=3, task="T4") == korean_title.format(
        level=2, total=3, task="T4"
    )
    assert "T4" in _(HINT_TITLE, level=2, total=3, task="T4")


def test_the_language_can_change_without_a_restart(monkeypatch):
    declared = N_("Well done.")
    assert declared == "Well done."  # marked, not translated
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    in_korean = _(declared)
    monkeypatch.setenv(LANGUAGE_VARIABLE, "en")
    assert _(declared) == "Well done."
    assert in_korean != "Well done."


def test_a_template_without_translation_is_shown_in_english(korean):
    assert _("A sentence nobody translated, {name}.", name="x") == (
        "A sentence nobody translated, x."
    )


def test_every_language_of_a_template():
    texts = in_every_language("Well done.")
    assert texts[0] == "Well done." and len(texts) == 2
    assert in_every_language("Not in any catalog.") == ["Not in any catalog."]


def test_status_words_are_shown_translated_but_kept_as_machine_words(korean):
    words = {status: display.status_word(status) for status in (CORRECT, INCORRECT, NOT_ATTEMPTED)}
    assert all(word not in (CORRECT, INCORRECT, NOT_ATTEMPTED) for word in words.values())


def bound_names(tree):
    """Every name a module binds, anywhere: assignments, loops, imports, arguments."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id, node.lineno
        elif isinstance(node, ast.arg):
            yield node.arg, node.lineno
        elif isinstance(node, ast.alias) and node.asname:
            yield node.asname, node.lineno


@pytest.mark.parametrize(
    "path", translations.source_modules(), ids=lambda path: translations.module_name(path)
)
def test_no_module_with_messages_uses_underscore_as_a_throwaway_name(path):
    """In a module that translates with ``_()``, ``for _, x in ...`` would hide the function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    places = [line for name, line in bound_names(tree) if name == "_"]
    assert not places, f"{path.relative_to(REPO_ROOT)} binds `_` on lines {places}"


def test_a_message_glued_from_two_templates_is_not_one_template():
    one = _("Only one option is right here: answer with a single letter.")
    assert template_of(one, sentences_only=True)
    assert template_of(f"{one} {_('Well done.')}", sentences_only=True) is None
    assert template_of("a list of length 3", sentences_only=True) is None  # a noun phrase
    assert template_of("a list of length 3") == "a {kind} of length {length}"


EXERCISE_MODULES = sorted(path.stem for path in (REPO_ROOT / "utils").glob("ex[0-9][0-9]_*.py"))


@pytest.mark.parametrize("name", EXERCISE_MODULES)
def test_every_hint_of_every_task_has_a_korean_translation_or_is_code(name):
    module = importlib.import_module(f"utils.{name}")
    tasks = [value for value in vars(module).values() if isinstance(value, Task)]
    finished = translations.finished_messages("ko")
    prose = [hint for task in tasks for hint in task.hints if not display.looks_like_code(hint)]
    assert tasks and prose, "every exercise module has tasks with hints in words"
    untranslated = [hint for hint in prose if hint not in finished]
    assert not untranslated, f"hints with no Korean: {untranslated}"
