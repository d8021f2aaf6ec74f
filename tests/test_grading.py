"""The exercise framework: three outcomes, messages instead of tracebacks, hints, solutions."""

import nbformat
import pytest

from utils import grading
from utils.grading import Task, TaskIncorrect, TaskNotAttempted, Wrong, ____


def check_answer(answer):
    """A toy check: the answer is the integer 42."""
    if not isinstance(answer, int):
        raise Wrong(f"`answer` should be an integer, but it is {grading.describe(answer)}.")
    if answer != 42:
        raise Wrong(f"expected 42, got {answer}.")
    return "42 it is."


@pytest.fixture
def task():
    hints = ["Think of a famous number.", "Six times seven.", "answer = 6 * 7"]
    return Task("X1", "the answer", ["answer"], check_answer, hints, "toy")


@pytest.fixture
def shown(monkeypatch):
    """Collect what publish() would display, instead of displaying it."""
    outcomes = []
    monkeypatch.setattr(grading, "publish", lambda *outcome: outcomes.append(outcome))
    return outcomes


def test_correct_answer_is_confirmed(task, shown):
    task.check({"answer": 42})
    assert shown == [("X1", "correct", "42 it is.")]


def test_placeholder_and_missing_variable_are_not_attempted(task, shown):
    for namespace in [{"answer": ____}, {}]:
        with pytest.raises(TaskNotAttempted, match="`answer` is not answered yet"):
            task.check(namespace)
    assert [status for _, status, _ in shown] == ["not attempted", "not attempted"]


def test_wrong_answer_names_what_differs(task, shown):
    with pytest.raises(TaskIncorrect, match="expected 42, got 41"):
        task.check({"answer": 41})
    with pytest.raises(TaskIncorrect, match="should be an integer, but it is a str of length 2"):
        task.check({"answer": "42"})
    assert [status for _, status, _ in shown] == ["incorrect", "incorrect"]


def test_a_crash_inside_a_check_becomes_a_message(shown):
    def fragile(answer):
        return answer.shape[0]  # AttributeError for most inputs

    task = Task("X2", "fragile", ["answer"], fragile, [], "toy")
    with pytest.raises(TaskIncorrect, match="could not be used .*AttributeError"):
        task.check({"answer": None})


def test_check_reads_the_callers_globals(task, shown):
    namespace = {"task": task, "answer": 42}
    exec("task.check()", namespace)
    assert shown[-1][1] == "correct"


def test_jupyter_shows_one_line_not_a_traceback(task, shown):
    with pytest.raises(TaskIncorrect) as caught:
        task.check({"answer": 1})
    assert caught.value._render_traceback_() == ["(incorrect: see the message above)"]
    assert "expected 42, got 1" in str(caught.value)  # pytest and nbval still see the message


def test_hints_get_more_specific_and_stop_at_the_last(task, capsys):
    for _ in range(4):
        task.hint()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Hint 1 of 3: Think of a famous number. Call hint() again")
    assert printed[2] == "Hint 3 of 3: answer = 6 * 7"
    assert printed[3] == printed[2]
    task.hint(2)
    assert capsys.readouterr().out.startswith("Hint 2 of 3: Six times seven.")


def test_solution_is_read_from_the_marked_block(tmp_path, monkeypatch, task, capsys):
    (tmp_path / "solutions").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION X1\nanswer = 6 * 7\n# END SOLUTION"),
    ]
    nbformat.write(notebook, tmp_path / "solutions" / "toy.ipynb")
    monkeypatch.setattr(grading, "REPO_ROOT", tmp_path)
    task.solution()
    assert capsys.readouterr().out == "answer = 6 * 7\n"


def test_publish_tags_the_outcome_for_the_grader(monkeypatch):
    displayed = []
    monkeypatch.setattr(
        "IPython.display.display", lambda bundle, **options: displayed.append(options)
    )
    grading.publish("X1", "correct", "Well done.")
    assert displayed[0]["metadata"] == {
        "course_check": {"task": "X1", "status": "correct", "message": "Well done."}
    }
