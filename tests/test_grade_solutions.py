"""The grader on the worked solutions: every task of the course is correct."""

from pathlib import Path

from utils import grade

ROOT = Path(__file__).resolve().parent.parent


def test_every_task_in_the_solutions_is_correct():
    rows = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        rows += grade.grade_notebook(path)
    assert rows, "no tasks found"
    wrong = [row for row in rows if row["status"] != "correct"]
    assert not wrong, grade.scorecard(wrong)
