"""Self-graded tasks, in the style of Kaggle's learntools: ``check()``, ``hint()``, ``solution()``.

A task names the variables it grades. ``task.check()`` looks them up in the
learner's notebook, so a cell that was never run is reported as "not yet
defined" rather than crashing. There are three outcomes:

- correct: a short confirmation;
- incorrect: a message saying what differs (type, shape, which element,
  expected versus got);
- not attempted: the variable still holds the placeholder ``____`` (or is
  missing).

In a learner's session a check only shows its verdict, so that Run All goes on
to the next task. In strict mode (``COURSE_STRICT_CHECKS=1``, set by the test
session and the grader) a check that is not correct also raises, so that nbval
and the grader count the cell as failed; Jupyter then shows one line, not a
traceback.

Every outcome is published with metadata ``{"course_check": {...}}`` so that
``python -m utils.grade`` can read a scorecard from an executed notebook.

A check function receives the learner's values, in the order of ``names``,
and raises ``Wrong("...")`` for a wrong answer. Anything else it raises is
turned into a message too: the learner never sees a traceback from ``utils``.
"""

import functools
import importlib
import inspect
import os
import sys
import warnings
from contextlib import contextmanager

from utils.grading import display
from utils.grading.outcomes import CORRECT, INCORRECT, NOT_ATTEMPTED
from utils.grading.solutions import solution_code
from utils.language import _


class Placeholder:
    """The blank a learner replaces with an answer: ``ids = ____``."""

    def __repr__(self):
        return "____"


____ = Placeholder()


class Wrong(Exception):
    """Raised by a check function: the message tells the learner what is wrong."""


class Unanswered(Exception):
    """Raised by a check function that finds a blank left inside the answer (a function's body)."""


class CheckFailed(Exception):
    """Raised by ``Task.check()`` when the answer is not correct yet.

    IPython calls ``_render_traceback_`` to show an exception; returning just
    the message keeps the notebook free of a long traceback.
    """

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status

    def _render_traceback_(self):
        """What Jupyter shows instead of a traceback: one line, as the message is already shown."""
        return [_("({status}: see the message above)", status=display.status_word(self.status))]


class TaskNotAttempted(CheckFailed):
    """The learner has not answered yet."""


class TaskIncorrect(CheckFailed):
    """The learner's answer is wrong."""


STRICT_VARIABLE = "COURSE_STRICT_CHECKS"


def strict_checks():
    """True when a check that is not correct must raise: under the tests and the grader."""
    return os.environ.get(STRICT_VARIABLE) == "1"


def raises_only_when_strict(check):
    """Let ``check`` show its verdict and return, unless checks are strict: then it raises.

    A learner's Run All then goes past a blank or wrong task to the next one,
    while nbval and the grader still see the failure as an error.
    """

    @functools.wraps(check)
    def checked(self, namespace=None):
        try:
            check(self, namespace)
        except CheckFailed:
            if strict_checks():
                raise

    return checked


class Task:
    """One exercise task: the names it grades, its check function, hints and solution source."""

    def __init__(self, name, title, names, check_function, hints, solution_notebook):
        self.name = name
        self.title = title
        self.names = list(names)
        self.check_function = check_function
        self.hints = list(hints)
        self.solution_notebook = solution_notebook
        self.hints_shown = 0

    def __repr__(self):
        return f"<Task {self.name}: {self.title}>"

    @raises_only_when_strict
    def check(self, namespace=None):
        """Grade the learner's answer and show the verdict; strict mode raises unless correct."""
        namespace = namespace if namespace is not None else caller_namespace()
        missing = [name for name in self.names if name not in namespace]
        blank = [name for name in self.names if isinstance(namespace.get(name), Placeholder)]
        if missing or blank:
            unanswered = [name for name in self.names if name in missing + blank]
            names = ", ".join(f"`{name}`" for name in unanswered)
            if len(unanswered) == 1:
                message = _(
                    "{names} is not answered yet: replace ____ with your code and run that cell "
                    "(if it stopped with an error, fix that first), then run this check again.",
                    names=names,
                )
            else:
                message = _(
                    "{names} are not answered yet: replace ____ with your code and run that cell "
                    "(if it stopped with an error, fix that first), then run this check again.",
                    names=names,
                )
            self.fail(NOT_ATTEMPTED, message)
        values = [namespace[name] for name in self.names]
        try:
            with quiet_check():
                confirmation = self.check_function(*values)
        except Wrong as wrong:
            self.fail(INCORRECT, str(wrong))
        except Unanswered as blank:
            self.fail(NOT_ATTEMPTED, str(blank))
        except Exception as error:  # a learner's odd input must never surface as a traceback
            message = _(  # the error's type only: its text is the library's, not the learner's
                "your answer could not be used (the check stopped on a {error}). "
                "Check that {names} hold what the task asks for.",
                error=type(error).__name__,
                names=", ".join(f"`{name}`" for name in self.names),
            )
            self.fail(INCORRECT, message)
        display.publish(self.name, CORRECT, limit(confirmation or _("Well done.")))

    def fail(self, status, message):
        """Publish a failed outcome and raise (``check`` lets it through only in strict mode)."""
        message = limit(message)
        display.publish(self.name, status, message)
        error = TaskNotAttempted if status == NOT_ATTEMPTED else TaskIncorrect
        raise error(status, f"{self.name}: {message}")

    def hint(self, level=None):
        """Show the next hint (or hint number ``level``); later hints say more."""
        if not self.hints:
            display.show_hint(self.name, 0, 0, _("No hint for this task."))
            return
        total = len(self.hints)
        past_the_last = level is None and self.hints_shown == total
        if level is None:
            self.hints_shown = min(self.hints_shown + 1, total)
            level = self.hints_shown
        level = max(1, min(int(level), total))
        more = _("Call `hint()` again for more.") if level < total else ""
        if past_the_last:
            more = _("That was the last hint: `solution()` shows the whole answer.")
        display.show_hint(self.name, level, total, _(self.hints[level - 1]), more)

    def solution(self):
        """Show the reference solution, read from the solutions notebook, highlighted."""
        display.show_solution(self.name, solution_code(self.solution_notebook, self.name))


# The libraries whose logs and bars a check may set off, and the variable each reads its
# verbosity from when it is imported.
NOISY_LIBRARIES = {
    "transformers": "TRANSFORMERS_VERBOSITY",
    "datasets": "DATASETS_VERBOSITY",
    "evaluate": "EVALUATE_VERBOSITY",
    "huggingface_hub": "HF_HUB_VERBOSITY",
}


@contextmanager
def quiet_check():
    """Keep a check's own noise out of its cell, so that the cell shows only the verdict.

    A check loads reference models and data, computes metrics and runs the learner's
    objects; the libraries then log ("Using the latest cached version of the module"),
    draw progress bars and warn (a DataLoader's ``pin_memory``). Inside this block
    they do not: libraries already imported are set to errors only and no bars, one
    imported during the check starts that way (its verbosity variable), and Python
    warnings are ignored. Everything is put back afterwards, so the learner's own
    code warns as before.
    """
    before = {name for name in NOISY_LIBRARIES if name in sys.modules}
    restore = [quiet_library(name) for name in sorted(before)]
    saved = {variable: os.environ.get(variable) for variable in NOISY_LIBRARIES.values()}
    os.environ.update(dict.fromkeys(NOISY_LIBRARIES.values(), "error"))
    try:
        with warnings.catch_warnings(action="ignore"):
            yield
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value
        # (an environment variable such as HF_HUB_DISABLE_PROGRESS_BARS=1 keeps bars off
        # whatever we ask; the libraries then warn, which would only be noise here)
        with warnings.catch_warnings(action="ignore"):
            for undo in reversed(restore):
                undo()
            for name in NOISY_LIBRARIES:
                if name in sys.modules and name not in before:
                    imported_during_the_check(name)


def quiet_library(name):
    """Set one imported library to errors only and no bars; return what puts it back."""
    logging = importlib.import_module(f"{name}.utils.logging")
    level = logging.get_verbosity()
    logging.set_verbosity_error()
    undo = [functools.partial(logging.set_verbosity, level)]
    bars = progress_bar_switches(name)
    if bars and bars[0]():
        with warnings.catch_warnings(action="ignore"):
            bars[1]()
        undo.append(bars[2])
    return lambda: [step() for step in undo]


def progress_bar_switches(name):
    """(enabled?, disable, enable) for a library's progress bars, or None."""
    if name == "huggingface_hub":
        from huggingface_hub import utils

        return (
            lambda: not utils.are_progress_bars_disabled(),
            utils.disable_progress_bars,
            utils.enable_progress_bars,
        )
    logging = importlib.import_module(f"{name}.utils.logging")
    if not hasattr(logging, "is_progress_bar_enabled"):
        return None
    enabled = logging.is_progress_bar_enabled
    return enabled, logging.disable_progress_bar, logging.enable_progress_bar


def imported_during_the_check(name):
    """Give a library first imported inside a check the verbosity its variable asks for."""
    logging = importlib.import_module(f"{name}.utils.logging")
    wanted = os.environ.get(NOISY_LIBRARIES[name], "warning").lower()
    logging.set_verbosity(logging.log_levels.get(wanted, logging.WARNING))


def task(name, title, hints=()):
    """Declare a task above its check function; the function's parameters are the graded names.

    The solution notebook is the exercise module's own stem:
    ``utils/ex07_processing_the_data.py`` takes its solutions from
    ``solutions/07_processing_the_data.ipynb``.
    """

    def declare(check_function):
        names = list(inspect.signature(check_function).parameters)
        module = check_function.__module__.rpartition(".")[2]
        return Task(name, title, names, check_function, hints, module.removeprefix("ex"))

    return declare


def limit(message):
    """A message cut to the length a verdict may have (see ``answers.limit``)."""
    from utils.grading.answers import limit as cut_to_limit  # answers imports this module

    return cut_to_limit(message)


def caller_namespace():
    """The global variables of the notebook (or module) that called ``check()``."""
    frame = inspect.currentframe()
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}
