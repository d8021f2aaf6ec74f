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
right option's whole text.
"""

import re

import numpy as np

from utils.grading.answers import as_int, describe, plain, quote
from utils.grading.task import Task, Wrong

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
    """Each option's text (and, for a computed question, its number) mapped to its letter."""
    texts = {}
    for letter, (text, value, _) in question["options"].items():
        texts[normal(text)] = letter
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
    return next((k for k, (_, v, _) in question["options"].items() if v == value), None)


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
            raise Wrong(f'{shown} should hold letters (strings) such as "a".')
    else:
        raise Wrong(f'{shown} should be a letter such as "b", but it is {describe(answer)}.')
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
        raise Wrong(f"{shown} is empty: pick one of {', '.join(valid)}.")
    unknown = sorted(letters - set(valid))
    if unknown:
        raise Wrong(
            f"{shown} contains {quote(', '.join(unknown), 40)}, which is not an option: "
            f"choose from {', '.join(valid)}."
        )
    return letters


def grade(question, variable, answer):
    """Check one answer: the right options' explanations, or ``Wrong`` explaining a wrong one."""
    options = question["options"]
    chosen, right = letters_of(question, variable, answer), right_letters(question)
    if len(right) == 1 and len(chosen) > 1:
        raise Wrong("Only one option is right here: answer with a single letter.")
    wrong = sorted(chosen - right)
    if wrong:
        raise Wrong(f"Option {wrong[0]} is not right. {options[wrong[0]][2]} Try again.")
    missing = len(right - chosen)
    if missing:
        raise Wrong(
            f"Everything you chose is right, but {missing} more right option"
            f"{'s are' if missing > 1 else ' is'} missing."
        )
    return " ".join(options[letter][2] for letter in sorted(right))


def show(questions, name):
    """Display a question and its options in the notebook (printed outside Jupyter)."""
    question = questions[name]
    lines = [f"**{name}.** {question['text']}", ""]
    lines += [f"- **{letter}**: {text}" for letter, (text, _, _) in question["options"].items()]
    how = 'one letter, e.g. `"a"`'
    if several_right(question):
        how = 'a list of letters, e.g. `["a", "c"]`'
    lines += ["", f"Answer with {how} in `{name.lower()}`."]
    try:
        from IPython.display import Markdown, display

        display(Markdown("\n".join(lines)))
    except ImportError:
        print("\n".join(lines))


def make_task(questions, name, notebook, chapter, computed_hint):
    """The graded task of one question; ``computed_hint`` is the last hint of a computed one."""
    question = questions[name]

    def check(answer):
        return grade(question, name.lower(), answer)

    how_many = "exactly one is right."
    if several_right(question):
        how_many = "several options may be right."
    hints = [
        f"Re-read the question: {how_many}",
        f"Rule out options one at a time; each wrong one contradicts something in {chapter}.",
    ]
    computed = "compute" in question or any(
        callable(option[1]) for option in question["options"].values()
    )
    if computed:
        hints.append(computed_hint)
    return Task(name, question["text"], [name.lower()], check, hints, notebook)


def make_tasks(questions, notebook, chapter, computed_hint):
    """The tasks of every question, in order (``q1, q2, ... = make_tasks(...)``)."""
    return [make_task(questions, name, notebook, chapter, computed_hint) for name in questions]
