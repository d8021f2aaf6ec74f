"""The grader on the worked solutions: every task of the course is correct.

This is the test that runs the solution notebooks (nbval runs the lessons): the grader
reports every check and every cell that fails, so a solution that errors anywhere fails it.
The notebooks run with a learner's settings (progress bars, logs and warnings on), so the
same run shows that each check cell shows its verdict and nothing else.
"""

import pytest

from utils import REPO_ROOT, grade

# Runs every solution notebook through the grader.
pytestmark = pytest.mark.integration

SOLUTIONS = sorted((REPO_ROOT / "solutions").glob("*.ipynb"))


def check_cell_extras(notebook):
    """What check cells show besides their verdict: (code cell number, output text) pairs."""
    extras = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        if not grade.CHECK_CALL.search(cell.source):
            continue
        for output in cell.get("outputs", []):
            if "course_check" in output.get("metadata", {}):
                continue
            if output.output_type == "error" and output.ename in grade.CHECK_ERRORS:
                continue
            text = output.get("text") or output.get("evalue") or str(output.get("data", ""))
            extras.append((number, text[:300]))
    return extras


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.stem)
def test_every_task_is_correct_and_each_check_cell_shows_only_its_verdict(path):
    notebook, stopped = grade.run(path, learner_settings=True)
    rows = grade.rows_from(notebook, path.name, stopped)
    assert rows, "no tasks found"
    wrong = [row for row in rows if row["status"] != "correct"]
    assert not wrong, grade.scorecard(wrong)
    assert not check_cell_extras(notebook), check_cell_extras(notebook)
