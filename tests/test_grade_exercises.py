"""The blank exercises: every check says "not attempted" and no other cell fails."""

from pathlib import Path

import nbformat

from utils import grade
from utils.grading import NOT_ATTEMPTED, solution_blocks

ROOT = Path(__file__).resolve().parent.parent


def tasks_in(solution):
    """The task names marked in a solution notebook."""
    notebook = nbformat.read(solution, as_version=4)
    return {name for cell in notebook.cells for name, _ in solution_blocks(cell.source)}


def test_blank_exercises_report_every_task_not_attempted():
    for exercise in sorted((ROOT / "exercises").glob("*.ipynb")):
        if ".backup-" in exercise.name:
            continue
        rows = grade.grade_notebook(exercise)
        assert all(row["status"] == NOT_ATTEMPTED for row in rows), grade.scorecard(rows)
        assert {row["task"] for row in rows} == tasks_in(ROOT / "solutions" / exercise.name)
