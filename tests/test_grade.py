"""The grader: runs notebooks without touching them and prints an honest scorecard."""

from contextlib import contextmanager

import nbformat
import pytest

from utils import REPO_ROOT, grade
from utils.grading import CORRECT, INCORRECT, display
from utils.language import LANGUAGE_VARIABLE, _

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


def test_a_task_whose_check_call_is_gone_is_reported_not_checked():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from utils import ex06_quiz as ex"),
        nbformat.v4.new_code_cell('q1 = "b"\nprint(q1)'),  # its check call replaced
    ]
    rows = grade.rows_from(notebook, "quiz.ipynb")
    assert [row["task"] for row in rows] == [f"Q{n}" for n in range(1, 11)]
    assert {row["status"] for row in rows} == {"not checked"}
    assert "ex.q1.check()" in rows[0]["message"]
    printed = grade.scorecard(rows, width=200)
    assert "0 of 10 tasks correct" in printed and "10 not checked" in printed
    assert not grade.all_correct(rows)
    toy = nbformat.v4.new_notebook()  # a notebook importing no exercise module expects nothing
    toy.cells = [nbformat.v4.new_code_cell("import utils")]
    assert grade.rows_from(toy, "toy.ipynb") == []


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


def test_the_scorecard_speaks_the_learners_language_and_keeps_its_columns(monkeypatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    quiz = nbformat.v4.new_notebook()
    quiz.cells = [nbformat.v4.new_code_cell("from utils import ex06_quiz as ex")]
    cell = nbformat.v4.new_code_cell("import os\nos._exit(1)")
    rows = [
        {"notebook": "a.ipynb", "task": "T1", "status": CORRECT, "message": _("Well done.")},
        {"notebook": "a.ipynb", "task": "T2", "status": INCORRECT, "message": "답이 틀렸습니다."},
        grade.stop_row("a.ipynb", 4, cell, "kernel", grade.TIMEOUT),
        grade.rows_from(quiz, "quiz.ipynb")[0],
    ]
    assert [row["status"] for row in rows] == ["correct", "incorrect", "error", "not checked"]
    narrow = grade.scorecard(rows, width=70).splitlines()
    assert all(grade.shown_width(line) <= 70 for line in narrow)  # wrapped by terminal columns
    lines = grade.scorecard(rows, width=300).splitlines()  # one line per row
    header, table = lines[0], lines[2 : lines.index("")]
    assert header.split() == [_("notebook"), _("task"), _("status"), _("message")]
    assert header.split() == ["노트북", "과제", "상태", "메시지"]
    words = [display.status_word(CORRECT), display.status_word(INCORRECT)]
    words += [grade.status_word("error"), grade.status_word("not checked")]
    assert words == ["정답", "오답", "오류", "검사 안 됨"]
    starts = [line for line in table if line.startswith(("a.ipynb", "quiz.ipynb"))]
    assert len(starts) == 4
    assert "코드 셀 4" in starts[2] and "Python 커널을 멈췄습니다" in starts[2]
    assert "검사가 실행되지 않았습니다" in starts[3]

    def column(line, text):  # where ``text`` starts on a terminal: Hangul takes two columns
        return grade.shown_width(line[: line.index(text)])

    for line, word, row in zip(starts, words, rows, strict=True):
        assert column(line, word) == column(header, "상태")
        assert line.endswith(row["message"])
        message_column = grade.shown_width(line) - grade.shown_width(row["message"])
        assert message_column == column(header, "메시지")
    totals = _(
        "{correct} of {total} tasks correct, {blank} not attempted yet.",
        correct=1,
        total=3,
        blank=0,
    )
    assert totals == "과제 3개 중 1개 정답, 0개는 아직 풀지 않았습니다." and totals in lines
    assert "1개 검사 안 됨: 검사 셀이 지워졌거나 바뀌었습니다." in lines
    assert "다른 셀 1개가 실패했습니다: 그 셀부터 고치세요(위의 '오류'를 보세요)." in lines


def test_the_korean_edition_is_graded_in_korean_unless_the_learner_chose_a_language(
    monkeypatch, capsys
):
    korean = sorted((REPO_ROOT / "ko_exercises").glob("*.ipynb"))
    english = sorted((REPO_ROOT / "exercises").glob("*.ipynb"))
    assert korean and grade.korean_edition(korean)
    assert not grade.korean_edition(english) and not grade.korean_edition(korean + english[:1])
    monkeypatch.setattr(grade, "grade_all", lambda paths, timeout, jobs: [])
    monkeypatch.setenv(LANGUAGE_VARIABLE, "en")  # so that monkeypatch removes what main() sets
    monkeypatch.delenv(LANGUAGE_VARIABLE)
    grade.main([str(korean[0])])
    assert capsys.readouterr().out.startswith("노트북")
    monkeypatch.setenv(LANGUAGE_VARIABLE, "en")
    grade.main([str(korean[0])])
    assert capsys.readouterr().out.startswith("notebook")


# A check that publishes its verdict as utils.grading does, without importing it (and torch):
# the cells before the slow one must finish well inside a short --timeout, even on a busy machine.
LIGHT_TASK = """\
from IPython.display import display

class LightTask:
    def check(self):
        verdict = {"task": "X1", "status": "correct", "message": "right."}
        display({"text/plain": "X1: correct"}, raw=True, metadata={"course_check": verdict})

task = LightTask()"""


def stopping_notebook(folder, stopper, name="stops.ipynb"):
    """A toy notebook: a task checked, then a cell that never ends (or kills the kernel), then a
    second task's check that never runs."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(LIGHT_TASK),
        nbformat.v4.new_code_cell("answer = 6 * 7"),
        nbformat.v4.new_code_cell("task.check()"),
        nbformat.v4.new_markdown_cell("A loop follows."),
        nbformat.v4.new_code_cell(stopper),
        nbformat.v4.new_code_cell("t2 = task\nt2.check()"),
    ]
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_a_cell_past_the_timeout_gets_one_row_and_later_tasks_are_not_run(tmp_path, capsys):
    path = stopping_notebook(tmp_path, "while True:\n    pass")
    assert grade.main([str(path), "--timeout", "5", "--jobs", "1"]) == 1
    printed = capsys.readouterr().out
    assert "1 of 2 tasks correct" in printed and "1 not run" in printed
    rows = grade.grade_notebook(path, timeout=5)
    assert [(row["task"], row["status"]) for row in rows] == [
        ("X1", "correct"),
        ("code cell 4", "error"),
        ("T2", "not run"),
    ]
    assert rows[1]["message"].startswith(
        "code cell 4 (the cell that starts 'while True:') ran past 5 s"
    )
    assert "stopped at code cell 4" in rows[2]["message"]


def test_a_cell_that_kills_the_kernel_gets_one_row_and_earlier_rows_are_kept(tmp_path):
    path = stopping_notebook(tmp_path, "import os\nos._exit(1)")
    rows = grade.grade_notebook(path, timeout=30)
    assert [(row["task"], row["status"]) for row in rows] == [
        ("X1", "correct"),
        ("code cell 4", "error"),
        ("T2", "not run"),
    ]
    assert (
        "code cell 4 (the cell that starts 'import os') stopped the Python kernel"
        in (rows[1]["message"])
    )


def test_jobs_grade_notebooks_in_parallel_and_keep_their_order(tmp_path, capsys):
    toy_notebook(tmp_path, "answer = 6 * 7", name="a_right.ipynb")
    toy_notebook(tmp_path, "answer = 41", name="b_wrong.ipynb")
    assert grade.main([str(tmp_path), "--jobs", "2"]) == 1
    printed = capsys.readouterr().out
    assert printed.index("a_right.ipynb") < printed.index("b_wrong.ipynb")  # in the given order
    assert "b_wrong.ipynb  X1    incorrect  expected 42, got 41." in printed
    assert "1 of 2 tasks correct, 0 not attempted yet." in printed


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--jobs", "0"], ["--timeout", "x"]])
def test_timeout_and_jobs_must_be_positive(option, capsys):
    with pytest.raises(SystemExit) as stopped:
        grade.main(["exercises", *option])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "invalid" in error or "is not greater than 0" in error


@pytest.fixture
def kernel_starts(monkeypatch):
    """Make the first ``failures`` kernel starts die as a port taken meanwhile makes them die."""
    real = grade.NotebookClient.setup_kernel
    starts = {"tried": 0, "failures": 1}

    @contextmanager
    def setup_kernel(client, **options):
        starts["tried"] += 1
        if starts["tried"] <= starts["failures"]:
            raise RuntimeError("Kernel died before replying to kernel_info")
        with real(client, **options):
            yield

    monkeypatch.setattr(grade.NotebookClient, "setup_kernel", setup_kernel)
    return starts


def test_a_kernel_that_dies_as_it_starts_is_started_once_more(tmp_path, kernel_starts):
    path = toy_notebook(tmp_path, "answer = 6 * 7")
    notebook, stopped = grade.run(path)
    assert kernel_starts["tried"] == 2 and stopped is None
    assert [row["status"] for row in grade.rows_from(notebook, path.name)] == [CORRECT]


def test_a_kernel_that_dies_at_each_start_is_reported(tmp_path, kernel_starts):
    kernel_starts["failures"] = 2 * grade.KERNEL_STARTS  # for run(), then for grade_safely()
    path = toy_notebook(tmp_path, "answer = 6 * 7")
    with pytest.raises(grade.KernelStartFailed):
        grade.run(path)
    assert kernel_starts["tried"] == grade.KERNEL_STARTS
    [row] = grade.grade_safely(path)
    assert row["status"] == grade.ERROR and "run the grader again" in row["message"]
