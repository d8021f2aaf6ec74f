"""The grader on the worked solutions: every task of the course is correct.

This is the test that runs the solution notebooks (nbval runs the lessons): the grader
reports every check and every cell that fails, so a solution that errors anywhere fails it.
The notebooks run with a learner's settings (progress bars, logs and warnings on), so the
same run shows that each check cell shows its verdict and nothing else.
"""

import re

import pytest

from utils import REPO_ROOT, grade

# Runs every solution notebook through the grader.
pytestmark = pytest.mark.integration

SOLUTIONS = sorted((REPO_ROOT / "solutions").glob("*.ipynb"))
# The Korean edition's solutions whose runs are cheap: chapter 2, lesson 3.2 and the quizzes.
# Lessons 3.3 to 3.5 train models with code byte for byte the English one (a test of the
# Korean edition checks that), so their Korean verdicts are tested in tests/exercises instead.
KOREAN_SOLUTIONS = [
    path
    for path in sorted((REPO_ROOT / "ko_solutions").glob("*.ipynb"))
    if not path.name.startswith(("08_", "09_", "10_"))
]
HANGUL = re.compile("[\uac00-\ud7a3]")


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


def all_correct_and_quiet(path):
    """Grade a solution notebook as a learner runs it; assert every task is correct and every
    check cell shows only its verdict. Returns the scorecard rows."""
    notebook, stopped = grade.run(path, learner_settings=True)
    rows = grade.rows_from(notebook, path.name, stopped)
    assert rows, "no tasks found"
    wrong = [row for row in rows if row["status"] != "correct"]
    assert not wrong, grade.scorecard(wrong)
    assert not check_cell_extras(notebook), check_cell_extras(notebook)
    return rows


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.stem)
def test_every_task_is_correct_and_each_check_cell_shows_only_its_verdict(path):
    all_correct_and_quiet(path)


@pytest.mark.parametrize("path", KOREAN_SOLUTIONS, ids=lambda path: path.stem)
def test_every_korean_solution_is_correct_and_told_so_in_korean(path):
    rows = all_correct_and_quiet(path)
    english = [row["message"] for row in rows if not HANGUL.search(row["message"])]
    assert not english, f"verdicts not in Korean: {english}"
