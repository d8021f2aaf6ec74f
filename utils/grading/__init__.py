"""The exercise-check framework: tasks, the blank ``____``, verdicts and hints.

An exercise module (``utils/exNN_stem.py``) declares each task once, with the
``@task`` decorator above its check function::

    @task("T2", "The two 2.2 sentences, tokenized by hand", hints=["...", "..."])
    def t2(tokens_1, tokens_2, ids_1, ids_2):
        ...  # raise Wrong("what differs") or return a confirmation

The notebook then calls ``ex.t2.check()``, ``ex.t2.hint()`` and ``ex.t2.solution()``.

- ``task.py``: the ``Task`` and its three outcomes (correct, incorrect, not attempted);
- ``answers.py``: turning a learner's value (Python, NumPy, torch) into what a check compares;
- ``display.py``: how a verdict is shown in Jupyter and tagged for the grader;
- ``solutions.py``: reading the marked solution blocks of ``solutions/`` notebooks;
- ``quiz.py``: the quiz engine both end-of-chapter quizzes use (each holds only its questions).
"""

from utils.grading.answers import describe
from utils.grading.task import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Placeholder,
    Task,
    TaskIncorrect,
    TaskNotAttempted,
    Unanswered,
    Wrong,
    ____,
    task,
)

__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ATTEMPTED",
    "Placeholder",
    "Task",
    "TaskIncorrect",
    "TaskNotAttempted",
    "Unanswered",
    "Wrong",
    "____",
    "describe",
    "task",
]
