"""The exercise framework: three outcomes, messages instead of tracebacks, hints, solutions."""

import os
import subprocess
import sys

import nbformat
import pytest

import utils
from utils import grading
from utils.grading import Task, TaskIncorrect, TaskNotAttempted, Wrong, ____, display


def check_answer(answer):
    """A toy check: the answer is the integer 42."""
    if not isinstance(answer, int):
        raise Wrong(f"`answer` should be an integer, but it is {grading.describe(answer)}.")
    if answer != 42:
        raise Wrong(f"expected 42, got {answer}.")
    return "42 it is."


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """Strict checks, as under nbval and the grader; a test of a learner's session unsets it."""
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")


@pytest.fixture
def rendered(monkeypatch):
    """What would be displayed in Jupyter, collected as bundles (text/plain and text/html)."""
    bundles = []
    monkeypatch.setattr("IPython.get_ipython", lambda: "a running kernel")
    monkeypatch.setattr("IPython.display.display", lambda bundle, **_: bundles.append(bundle))
    return bundles


@pytest.fixture
def task():
    hints = ["Think of a famous number.", "Six times seven.", "answer = 6 * 7"]
    return Task("X1", "the answer", ["answer"], check_answer, hints, "toy")


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


def test_in_a_learners_session_a_check_shows_its_verdict_and_lets_the_notebook_go_on(
    task, shown, monkeypatch
):
    monkeypatch.delenv("COURSE_STRICT_CHECKS")
    assert task.check({"answer": ____}) is None
    assert task.check({"answer": 41}) is None
    assert task.check({"answer": 42}) is None
    assert [status for _, status, _ in shown] == ["not attempted", "incorrect", "correct"]


def test_a_blank_answer_stops_a_script_only_when_checks_are_strict():
    # A Python process of its own, as a kernel is: only the variable differs.
    script = (
        "from utils.grading import Task, ____\n"
        "task = Task('X1', 'toy', ['answer'], lambda answer: 'fine.', [], 'toy')\n"
        "answer = ____\n"
        "task.check()\n"
        "print('the last line ran')\n"
    )
    runs = {}
    for strict in ("0", "1"):
        runs[strict] = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=utils.REPO_ROOT,
            env={"PATH": "/usr/bin:/bin", "COURSE_STRICT_CHECKS": strict},
        )
    lenient, strict = runs["0"], runs["1"]
    assert lenient.returncode == 0 and lenient.stderr == ""
    assert (
        lenient.stdout.startswith("✏️ X1: not attempted — `answer` is not answered yet")
        and "the last line ran" in lenient.stdout
    )
    assert strict.returncode != 0 and "TaskNotAttempted" in strict.stderr
    assert "the last line ran" not in strict.stdout


def test_a_terminal_gets_the_plain_text_on_stdout_and_nothing_on_stderr(task, capsys):
    task.hint()
    display.publish("X1", grading.CORRECT, "Well done.")
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [
        "Hint 1 of 3 · X1: Think of a famous number. Call `hint()` again for more.",
        "✅ X1: correct — Well done.",
    ]
    assert printed.err == ""


def test_jupyter_shows_one_line_not_a_traceback(task, shown):
    with pytest.raises(TaskIncorrect) as caught:
        task.check({"answer": 1})
    assert caught.value._render_traceback_() == ["(incorrect: see the message above)"]
    assert "expected 42, got 1" in str(caught.value)  # pytest and nbval still see the message


def test_hints_get_more_specific_and_stop_at_the_last(task, rendered):
    for _ in range(4):
        task.hint()
    plain = [bundle["text/plain"] for bundle in rendered]
    assert plain[0] == "Hint 1 of 3 · X1: Think of a famous number. Call `hint()` again for more."
    assert plain[2] == "Hint 3 of 3 (the last) · X1: answer = 6 * 7"
    assert plain[3] == (
        "Hint 3 of 3 (the last) · X1: answer = 6 * 7 That was the last hint: `solution()` shows "
        "the whole answer."
    )
    task.hint(2)
    assert rendered[-1]["text/plain"].startswith("Hint 2 of 3 · X1: Six times seven.")


def test_hints_render_with_a_title_and_code_highlighted(task, rendered):
    task.hint()
    task.hint(3)
    first, last = (bundle["text/html"] for bundle in rendered)
    assert ">Hint 1 of 3 · X1</div>" in first and "Think of a famous number." in first
    assert "<pre" not in first  # a sentence is prose, not code
    assert ">Hint 3 of 3 (the last) · X1</div>" in last and "<pre" in last
    assert '<span style="color: #' in last  # Pygments coloured the code


def test_messages_render_inline_code_and_emphasis_and_escape_the_rest():
    rendered = display.inline_html("use `a < b` *without* <b>tags</b>; 6 * 7 stays, `x*y*z` too")
    assert rendered == (
        "use <code>a &lt; b</code> <em>without</em> &lt;b&gt;tags&lt;/b&gt;; "
        "6 * 7 stays, <code>x*y*z</code> too"
    )


def test_solution_is_read_from_the_marked_block(tmp_path, monkeypatch, task, rendered):
    (tmp_path / "solutions").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION X1\nanswer = 6 * 7\n# END SOLUTION"),
    ]
    nbformat.write(notebook, tmp_path / "solutions" / "toy_solutions.ipynb")
    monkeypatch.setattr(utils, "REPO_ROOT", tmp_path)
    task.solution()
    assert rendered[-1]["text/plain"] == "Solution · X1\nanswer = 6 * 7"
    html = rendered[-1]["text/html"]
    assert ">Solution · X1</div>" in html and "<pre" in html and "x = 1" not in html
    assert "white-space: normal" in html and "overflow-x: auto" in html  # no mid-word wrapping


def test_publish_tags_the_outcome_for_the_grader(monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.get_ipython", lambda: "a running kernel")
    monkeypatch.setattr(
        "IPython.display.display", lambda bundle, **options: displayed.append(options)
    )
    display.publish("X1", "correct", "Well done.")
    assert displayed[0]["metadata"] == {
        "course_check": {"task": "X1", "status": "correct", "message": "Well done."}
    }


def test_messages_use_the_right_article_and_render_code_in_html():
    assert grading.describe(3) == "an int" and grading.describe([1]) == "a list of length 1"
    shown = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("IPython.get_ipython", lambda: "a running kernel")
        patch.setattr("IPython.display.display", lambda bundle, **_: shown.append(bundle))
        display.publish("T1", grading.INCORRECT, "`ids` should be a list.")
    assert "<code>ids</code> should be a list." in shown[0]["text/html"]
    assert "`ids` should be a list." in shown[0]["text/plain"]


@pytest.mark.filterwarnings("ignore:Cannot enable progress bars")
def test_a_check_hides_library_progress_bars_and_restores_them(monkeypatch):
    import importlib

    from datasets.utils import logging as datasets_logging
    from transformers.utils import logging as transformers_logging

    # The test session sets HF_DATASETS_DISABLE_PROGRESS_BARS=1; a learner's Jupyter does not.
    datasets_tqdm = importlib.import_module("datasets.utils.tqdm")
    monkeypatch.setattr(datasets_tqdm, "HF_DATASETS_DISABLE_PROGRESS_BARS", None)
    before = (
        transformers_logging.get_verbosity(),
        transformers_logging.is_progress_bar_enabled(),
        datasets_logging.get_verbosity(),
        datasets_logging.is_progress_bar_enabled(),
    )
    seen = []

    def check(answer):
        seen.append(
            (
                transformers_logging.is_progress_bar_enabled(),
                datasets_logging.is_progress_bar_enabled(),
                transformers_logging.get_verbosity(),
                datasets_logging.get_verbosity(),
            )
        )
        return "fine."

    try:
        transformers_logging.set_verbosity_info()
        datasets_logging.set_verbosity_warning()
        transformers_logging.enable_progress_bar()
        datasets_logging.enable_progress_bar()
        Task("Z1", "toy", ["answer"], check, [], "toy").check({"answer": 1})
        assert seen == [(False, False, transformers_logging.ERROR, datasets_logging.ERROR)]
        assert transformers_logging.is_progress_bar_enabled()
        assert datasets_logging.is_progress_bar_enabled()
        assert transformers_logging.get_verbosity() == transformers_logging.INFO
        assert datasets_logging.get_verbosity() == datasets_logging.WARNING
    finally:  # leave the test session as quiet as it was
        transformers_logging.set_verbosity(before[0])
        datasets_logging.set_verbosity(before[2])
        if not before[1]:
            transformers_logging.disable_progress_bar()
        if not before[3]:
            datasets_logging.disable_progress_bar()


def test_a_task_is_declared_above_its_check_function():
    namespace = {"__name__": "utils.ex09_toy", "grading": grading}
    exec(
        "@grading.task('T9', 'A toy', hints=['one', 'two'])\n"
        "def t9(first_answer, second_answer):\n"
        "    return 'fine.'\n",
        namespace,
    )
    declared = namespace["t9"]
    assert isinstance(declared, Task)
    assert (declared.name, declared.title, declared.hints) == ("T9", "A toy", ["one", "two"])
    assert declared.names == ["first_answer", "second_answer"]
    assert declared.solution_notebook == "09_toy"


QUIET_CHECK = """\
import warnings

import transformers

from utils.grading import Task

log = transformers.utils.logging.get_logger("transformers.trainer")


def noisy_check(answer):
    warnings.warn("pin_memory is set, but no accelerator is found")
    log.warning("the check's own log line")
    import datasets  # first imported during the check: starts quiet too

    datasets.utils.logging.get_logger("datasets.load").warning("Using the latest cached version")
    return "fine."


Task("X3", "noise", ["answer"], noisy_check, [], "toy").check({"answer": 1})
log.warning("the learner's own warning")
datasets_log = __import__("datasets").utils.logging.get_logger("datasets.load")
datasets_log.warning("the learner's own datasets warning")
warnings.warn("the learner's own Python warning")
"""


def test_a_check_shows_its_verdict_and_nothing_of_its_own_noise():
    environment = {key: value for key, value in os.environ.items() if "VERBOSITY" not in key}
    result = subprocess.run(
        [sys.executable, "-c", QUIET_CHECK],
        capture_output=True,
        text=True,
        cwd=utils.REPO_ROOT,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["✅ X3: correct — fine."]
    assert "pin_memory" not in result.stderr and "own log line" not in result.stderr
    assert "Using the latest cached version" not in result.stderr
    # Afterwards the learner's code warns as before, the libraries imported during the check too.
    for own in ("learner's own warning", "own datasets warning", "own Python warning"):
        assert own in result.stderr, result.stderr
