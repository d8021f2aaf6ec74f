"""The quiz engine: multiple-choice questions, answered in code and graded like tasks.

A quiz module (``utils/ex06_quiz.py``, ``utils/ex11_quiz.py``) holds only its questions,
a dict ``{"Q1": question, ...}``. A question is a dict with its ``text`` and its
``options``: ``{"a": (text, right, explanation), ...}``. ``right`` is one of:

- ``True`` or ``False``;
- a function without arguments that says, when the check runs, whether the option is
  right (what today's libraries accept, for example);
- for a question with ``"compute"`` (a function that works out a number now), the number
  the option stands for: the option whose number is computed is the right one, and the
  learner may also answer with the number itself.

Everything here takes the question it grades, so nothing of one quiz reaches another.
The learner answers ``q1 = "b"``, or a list of letters when several are right; also
accepted: upper case, ``"(b)"``, ``"b)"``, ``"a, c"``, tuples, sets, NumPy arrays, and a
right option's whole text, in English or in Korean.

Every text a quiz module declares (questions, options, explanations) is marked with ``N_()``
and shown through ``_()``, in the learner's language (see ``utils.language``).
"""

import re

import numpy as np

from utils.grading.answers import as_int, describe, plain, quote
from utils.grading.task import Task, Wrong
from utils.language import N_, _, in_every_language

SEVERAL = "More than one may be"  # what a question's text says when several options are right


def is_right(question, option):
    """Whether one option of ``question`` is right, worked out now where needed."""
    right = option[1]
    if "compute" in question:
        return right == question["compute"]()
    return right() if callable(right) else right is True


def right_letters(question):
    """The letters of the right options of ``question``."""
    return {letter for letter, option in question["options"].items() if is_right(question, option)}


def several_right(question):
    """Whether the question tells the learner that more than one option may be right."""
    return SEVERAL in question["text"]


def normal(text):
    """An option's text as compared: no Markdown marks, lower case, single spaces, no end dot."""
    text = text.replace("`", "").replace("*", "")
    return " ".join(text.lower().split()).rstrip(".")


def by_text(question):
    """Each option's text in every language (and, for a computed question, its number) mapped
    to its letter."""
    texts = {}
    for letter, (text, value, _explanation) in question["options"].items():
        for written in in_every_language(text):
            texts[normal(written)] = letter
        if "compute" in question:
            texts[str(value)] = letter
    return texts


def computed_letter(question, answer):
    """For a computed question, the letter of the option whose number is ``answer``, or None."""
    if "compute" not in question or isinstance(answer, str | bool | np.bool_):
        return None
    try:
        value = as_int(answer, "answer")
    except Wrong:
        return None
    options = question["options"].items()
    return next((letter for letter, (_text, v, _why) in options if v == value), None)


def letters_of(question, variable, answer):
    """The learner's answer as a set of option letters, or ``Wrong`` saying what it is."""
    valid = sorted(question["options"])
    shown = f"`{variable}`"
    letter = computed_letter(question, answer)
    if letter:
        return {letter}
    texts = by_text(question)
    if isinstance(answer, str):
        items = [answer]
    elif isinstance(answer, list | tuple | set | frozenset | np.ndarray):
        items = plain(answer, variable)
        items = list(items) if isinstance(items, list | set) else [items]
        if not all(isinstance(item, str) for item in items):
            raise Wrong(_('{shown} should hold letters (strings) such as "a".', shown=shown))
    else:
        raise Wrong(
            _(
                '{shown} should be a letter such as "b", but it is {what}.',
                shown=shown,
                what=describe(answer),
            )
        )
    letters = set()
    for item in items:
        if normal(item) in texts:
            letters.add(texts[normal(item)])
            continue
        for part in re.split(r"[\s,;]+", item):
            part = part.strip("()[].:'\"").lower()
            if part:
                letters.add(part)
    if not letters:
        raise Wrong(
            _("{shown} is empty: pick one of {valid}.", shown=shown, valid=", ".join(valid))
        )
    unknown = sorted(letters - set(valid))
    if unknown:
        raise Wrong(
            _(
                "{shown} contains {unknown}, which is not an option: choose from {valid}.",
                shown=shown,
                unknown=quote(", ".join(unknown), 40),
                valid=", ".join(valid),
            )
        )
    return letters


def grade(question, variable, answer):
    """Check one answer: the right options' explanations, or ``Wrong`` explaining a wrong one.

    One verdict is one template: the right option's explanation, or for several right
    options a confirmation that carries their explanations.
    """
    options = question["options"]
    chosen, right = letters_of(question, variable, answer), right_letters(question)
    if len(right) == 1 and len(chosen) > 1:
        raise Wrong(_("Only one option is right here: answer with a single letter."))
    wrong = sorted(chosen - right)
    if wrong:
        why = _(options[wrong[0]][2])
        raise Wrong(_("Option {letter} is not right. {why} Try again.", letter=wrong[0], why=why))
    missing = len(right - chosen)
    if missing == 1:
        raise Wrong(_("Everything you chose is right, but 1 more right option is missing."))
    if missing:
        raise Wrong(
            _(
                "Everything you chose is right, but {missing} more right options are missing.",
                missing=missing,
            )
        )
    if len(right) == 1:
        return _(options[right.pop()][2])
    explanations = " ".join(_(options[letter][2]) for letter in sorted(right))
    return _("You found every right option. {explanations}", explanations=explanations)


def show(questions, name):
    """Display a question and its options in the notebook (printed outside IPython)."""
    question = questions[name]
    lines = [f"**{name}.** {_(question['text'])}", ""]
    for letter, (text, _right, _why) in question["options"].items():
        lines.append(f"- **{letter}**: {_(text)}")
    variable = f"`{name.lower()}`"
    if several_right(question):
        how = _(
            'Answer with a list of letters, e.g. `["a", "c"]`, in {variable}.', variable=variable
        )
    else:
        how = _('Answer with one letter, e.g. `"a"`, in {variable}.', variable=variable)
    lines += ["", how]
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:  # plain Python, a terminal: just print
        print("\n".join(lines))
        return
    display(Markdown("\n".join(lines)))


def make_task(questions, name, notebook, rule_out_hint, computed_hint):
    """The graded task of one question.

    ``rule_out_hint`` is the second hint (which chapter to re-read); ``computed_hint`` is the
    last hint of a question whose answer is worked out from today's libraries. Both are
    templates marked with ``N_()``.
    """
    question = questions[name]

    def check(answer):
        return grade(question, name.lower(), answer)

    hints = [N_("Re-read the question: exactly one is right.")]
    if several_right(question):
        hints = [N_("Re-read the question: several options may be right.")]
    hints.append(rule_out_hint)
    computed = "compute" in question or any(
        callable(option[1]) for option in question["options"].values()
    )
    if computed:
        hints.append(computed_hint)
    return Task(name, question["text"], [name.lower()], check, hints, notebook)


def make_tasks(questions, notebook, rule_out_hint, computed_hint):
    """The tasks of every question, in order (``q1, q2, ... = make_tasks(...)``)."""
    return [
        make_task(questions, name, notebook, rule_out_hint, computed_hint) for name in questions
    ]
