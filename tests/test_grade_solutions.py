"""The grader on the worked solutions: every task of the course is correct.

This is the test that runs the solution notebooks (nbval runs the lessons): the grader
reports every check and every cell that fails, so a solution that errors anywhere fails it.
"""

import pytest

from utils import REPO_ROOT, grade

# Runs every solution notebook through the grader.
pytestmark = pytest.mark.integration


def test_every_task_in_the_solutions_is_correct():
    rows = []
    for path in sorted((REPO_ROOT / "solutions").glob("*.ipynb")):
        rows += grade.grade_notebook(path)
    assert rows, "no tasks found"
    wrong = [row for row in rows if row["status"] != "correct"]
    assert not wrong, grade.scorecard(wrong)
