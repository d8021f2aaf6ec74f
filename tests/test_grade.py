"""The grader: runs notebooks without touching them and prints an honest scorecard."""

import nbformat
import pytest

from utils import grade

# Runs notebooks through the grader: not part of `make test-fast`.
pytestmark = pytest.mark.integration

SETUP = "from utils.grading import ____, Task, Wrong\n"
TASK = """\
def check_answer(answer):
    if answer != 42:
        raise Wrong(f"expected 42, got {answer}.")
    return "right."

task = Task("X1", "the answer", ["answer"], check_answer, [], "toy")"""


def toy_notebook(folder, answer_cell, name="toy.ipynb", extra=()):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(SETUP + TASK),
        nbformat.v4.new_code_cell(answer_cell),
    ]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in extra]
    notebook.cells.append(nbformat.v4.new_code_cell("task.check()"))
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_solved_notebook_is_all_correct(tmp_path, capsys):
    path = toy_notebook(tmp_path, "answer = 6 * 7")
    before = path.read_bytes()
    assert grade.main([str(path)]) == 0
    printed = capsys.readouterr().out
    assert "toy.ipynb  X1    correct  right." in printed
    assert "1 of 1 tasks correct" in printed
    assert path.read_bytes() == before  # never written to


def test_blank_and_wrong_answers_are_reported(tmp_path, capsys):
    toy_notebook(tmp_path, "answer = ____", name="a_blank.ipynb")
    toy_notebook(tmp_path, "answer = 41", name="b_wrong.ipynb")
    assert grade.main([str(tmp_path)]) == 1
    printed = capsys.readouterr().out
    assert "a_blank.ipynb  X1    not attempted" in printed
    assert "b_wrong.ipynb  X1    incorrect      expected 42, got 41." in printed
    assert "0 of 2 tasks correct, 1 not attempted yet." in printed


def test_other_failing_cells_are_reported(tmp_path, capsys):
    path = toy_notebook(tmp_path, "answer = 6 * 7", extra=["undefined_name"])
    assert grade.main([str(path)]) == 1
    printed = capsys.readouterr().out
    assert "error" in printed and "NameError" in printed
    assert "1 other cell failed" in printed
    assert "code cell 3" in printed and "the cell that starts 'undefined_name'" in printed


def test_rows_for_a_check_cell_that_crashes_before_checking(tmp_path):
    path = toy_notebook(tmp_path, "answer = 6 * 7")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[-1].source = "1 / 0\ntask.check()"
    nbformat.write(notebook, path)
    rows = grade.grade_notebook(path)
    assert rows == [
        {
            "notebook": "toy.ipynb",
            "task": "TASK",
            "status": "error",
            "message": "ZeroDivisionError: division by zero",
        }
    ]


@pytest.mark.parametrize("argument", ["missing.ipynb", "README.md"])
def test_bad_paths_get_a_message_and_exit_2(argument, capsys):
    assert grade.main([argument]) == 2
    assert "is not a notebook" in capsys.readouterr().err


def test_scorecard_wraps_long_messages_and_keeps_all_of_them():
    message = " ".join(f"word{number}" for number in range(60))
    rows = [{"notebook": "n.ipynb", "task": "T1", "status": "incorrect", "message": message}]
    lines = grade.scorecard(rows, width=80).splitlines()
    table = lines[2 : lines.index("")]
    assert len(table) > 1 and all(len(line) <= 80 for line in table)
    assert " ".join(" ".join(table).split()[3:]) == message
    column = table[0].index("word0")
    assert all(line[:column].strip() == "" for line in table[1:])  # aligned under the message
