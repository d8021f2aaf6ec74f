"""The blank exercises: every check says "not attempted" and no other cell fails."""

import re

import nbformat
import pytest

from utils import REPO_ROOT, grade, notebook_path, stem_of
from utils.grading import NOT_ATTEMPTED
from utils.grading.solutions import solution_blocks

# Runs every blank exercise notebook through the grader.
pytestmark = pytest.mark.integration
HANGUL = re.compile("[\uac00-\ud7a3]")


def tasks_in(solution):
    """The task names marked in a solution notebook."""
    notebook = nbformat.read(solution, as_version=4)
    return {name for cell in notebook.cells for name, _ in solution_blocks(cell.source)}


def test_blank_exercises_report_every_task_not_attempted():
    for exercise in sorted((REPO_ROOT / "exercises").glob("*.ipynb")):
        if ".backup-" in exercise.name:
            continue
        rows = grade.grade_notebook(exercise)
        assert all(row["status"] == NOT_ATTEMPTED for row in rows), grade.scorecard(rows)
        solution = notebook_path("solutions", stem_of(exercise))
        assert {row["task"] for row in rows} == tasks_in(solution)


def test_blank_korean_exercises_report_every_task_not_attempted_in_korean():
    """The Korean twins, but lesson 3.5's, whose given code trains (byte for byte the English)."""
    exercises = sorted((REPO_ROOT / "ko_exercises").glob("*.ipynb"))
    for exercise in [path for path in exercises if not path.name.startswith("10_")]:
        rows = grade.grade_notebook(exercise)
        assert all(row["status"] == NOT_ATTEMPTED for row in rows), grade.scorecard(rows)
        assert all(HANGUL.search(row["message"]) for row in rows), grade.scorecard(rows)
        assert {row["task"] for row in rows} == tasks_in(
            notebook_path("solutions", stem_of(exercise))
        )
