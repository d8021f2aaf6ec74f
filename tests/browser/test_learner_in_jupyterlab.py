"""A learner's session in JupyterLab, in Chromium: a lesson, its exercises, verdicts, hints.

Run alone with ``pytest -m browser``. JupyterLab tips: Run All has no
shortcut (the Run menu has it); outputs are read with ``textContent``, since
cells scrolled out of view have an empty ``innerText``; the notebook scrolls
inside its own panel.
"""

import functools
import re
import subprocess
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from utils.instructors import translations
from utils.instructors.notebook_hygiene import is_checked, is_progress

SCREENSHOTS = Path(__file__).parent / "screenshots"


pytestmark = [pytest.mark.browser, pytest.mark.integration]

LESSON = "notebooks/01_behind_the_pipeline.ipynb"
DATA_LESSON = "notebooks/07_processing_the_data.ipynb"  # loads and maps a dataset in checked cells
EXERCISE = "exercises/05_putting_it_together_exercises.ipynb"
KOREAN_EXERCISE = "ko_exercises/05_putting_it_together_exercises.ipynb"
# Two answers to the exercise's P1: a beginner's (padded to the longest sentence) and a right one.
P1_PADDED_TO_THE_LONGEST = (
    'padded_to_24 = tokenizer(sequences, padding=True, return_tensors="pt")\n'
    'shape_24 = padded_to_24["input_ids"].shape'
)
P1_PADDED_TO_24 = (
    'padded_to_24 = tokenizer(sequences, padding="max_length", max_length=24, '
    'return_tensors="pt")\nshape_24 = padded_to_24["input_ids"].shape'
)
HANGUL = re.compile("[\uac00-\ud7a3]")


def open_notebook(page, lab, path, seconds=180):
    """Open a notebook in JupyterLab and wait until its kernel has started and is idle.

    Each call opens a workspace of its own, so the tabs an earlier test left
    open (JupyterLab restores a workspace's tabs) are not in the way. If
    JupyterLab asks which kernel to start (it may, while the server is busy),
    accept its choice, Python 3, as a learner would.
    """
    page.goto(lab.format(workspace=uuid.uuid4().hex[:8], path=path))
    wait_for_kernel(page, seconds)
    tabs = page.locator("#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel")
    current = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert tabs.all_text_contents() == [Path(path).name]  # Run All goes to the one in view
    assert current.text_content() == Path(path).name


def wait_for_kernel(page, seconds=180):
    """Wait until the notebook in view has its kernel started and idle (accepting Python 3)."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").wait_for()
    kernel_idle = page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$"))
    select = page.locator(".jp-Dialog button", has_text="Select")
    deadline = time.monotonic() + seconds
    while not kernel_idle.count():
        if select.count():
            select.first.click()
        assert time.monotonic() < deadline, "the kernel did not start"
        time.sleep(0.5)
    wait_for_idle_kernel(page)


def wait_for_idle_kernel(page, seconds=300):
    """Wait until the notebook's kernel is idle (its status in the toolbar)."""
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const status = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return status && status.getAttribute('data-status') === 'idle';
        }""",
        timeout=seconds * 1000,
    )


def run_all(page, course, path, seconds=600):
    """Run All Cells from the Run menu; return the notebook as saved once every code cell ran.

    JupyterLab renders only the cells near the view, so what ran is read from
    the saved file, not from the page.
    """
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    deadline = time.monotonic() + seconds
    while True:
        wait_for_idle_kernel(page, seconds)
        time.sleep(2)
        if status(page) == "idle":
            save(page)
            notebook = read_saved(course / path)
            code = [cell for cell in notebook.cells if cell.cell_type == "code"]
            if all(cell.execution_count for cell in code):
                return notebook
        assert time.monotonic() < deadline, "Run All did not finish in time"


def read_saved(path, seconds=30):
    """The notebook at ``path`` once the server has finished writing it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return nbformat.read(path, as_version=4)
        except nbformat.reader.NotJSONError:  # caught mid-write
            assert time.monotonic() < deadline, f"{path.name} stayed unreadable"
            time.sleep(0.5)


def status(page):
    """The notebook's execution status in the toolbar: idle or busy."""
    return page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator"
    ).get_attribute("data-status")


def errors_in(notebook):
    """Every error output of a saved notebook, as ``Name: value``."""
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]


def stderr_in(notebook):
    """The text of every output shown in the stderr style (pink)."""
    return [
        output.text
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.name == "stderr"
    ]


def verdicts_in(notebook):
    """The plain-text twins of the course's boxes (verdicts, hints, solutions) in a notebook."""
    return [
        output.data["text/plain"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {}) and "course-output" in output.data["text/html"]
    ]


def save(page):
    """Save the notebook (Ctrl+S) and wait until JupyterLab says it is saved."""
    page.keyboard.press("Control+s")
    page.wait_for_function(
        """() => !document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty')"""
    )


def shoot(page, name, target=None):
    """Take a screenshot (of ``target`` scrolled into view, if given) into screenshots/."""
    if target is not None:
        target.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def code_cell(page, index):
    """The code cell at ``index`` (0-based, among code cells) of the current notebook."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell").nth(
        index
    )


def type_into(page, cell, code):
    """Replace the code of ``cell`` with ``code``, as typed on the keyboard."""
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)  # typed at once: the editor would auto-indent key by key


def run_cell(page, cell):
    """Run one cell (Ctrl+Enter) and wait until the kernel is idle again."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "cell => /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').textContent)",
        arg=cell.element_handle(),
    )
    wait_for_idle_kernel(page)


def answer_and_check(page, answer, check, code):
    """Type ``code`` into the ``answer`` cell, run it and the ``check`` cell; the verdict boxes."""
    type_into(page, answer, code)
    run_cell(page, answer)
    run_cell(page, check)
    return verdict(check)


def verdict(cell):
    """The rendered verdict (or hint, or solution) boxes in a cell's output, as text."""
    boxes = cell.locator(".jp-OutputArea-output .course-output")
    return [boxes.nth(i).text_content() for i in range(boxes.count())]


def test_a_lesson_runs_all_with_figures_and_no_error_and_links_to_its_exercises(page, lab, course):
    open_notebook(page, lab, LESSON)
    notebook = run_all(page, course, LESSON)
    assert errors_in(notebook) == []
    images = [
        o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert images, "the lesson's figures"
    figure = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img").first
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.complete && img.naturalWidth > 100")
    shoot(page, "lesson_figure", figure)

    # Run without editing, then saved: git sees no change in the learner's clone.
    save(page)
    time.sleep(2)  # the post-save hook runs git
    status = ["git", "status", "--porcelain", "--untracked-files=no"]
    assert subprocess.run(status, cwd=course, capture_output=True, text=True).stdout == ""

    link = page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown a[href*='_exercises.ipynb']"
    ).first
    link.scroll_into_view_if_needed()
    colour = link.evaluate("a => getComputedStyle(a).color")
    underline = link.evaluate("a => getComputedStyle(a).textDecorationLine")
    assert colour != "rgb(0, 0, 0)" and "underline" in underline  # it looks like a link
    shoot(page, "lesson_link_to_exercises", link)
    link.click()
    tab = page.locator(".lm-TabBar-tab", has_text="01_behind_the_pipeline_exercises.ipynb")
    tab.wait_for()
    wait_for_kernel(page)
    titles = page.locator(".lm-TabBar-tab .lm-TabBar-tabLabel").all_text_contents()
    assert "01_behind_the_pipeline.ipynb" in titles  # the lesson's tab is still told apart
    shoot(page, "exercises_opened_from_the_lesson")


def test_a_lesson_whose_checked_cells_show_progress_bars_leaves_git_status_clean(page, lab, course):
    open_notebook(page, lab, DATA_LESSON)
    notebook = run_all(page, course, DATA_LESSON)  # run all, then saved
    assert errors_in(notebook) == []
    checked = [cell for cell in notebook.cells if is_checked(cell)]
    shown = [output for cell in checked for output in cell.outputs if is_progress(output)]
    assert shown, "the learner sees progress bars or notices in the checked cells"
    time.sleep(2)  # the post-save hook runs git
    status = ["git", "status", "--porcelain", "--untracked-files=no"]
    assert subprocess.run(status, cwd=course, capture_output=True, text=True).stdout == ""
    shoot(page, "data_lesson_run_all", code_cell(page, 3))


def test_run_all_on_blank_exercises_shows_every_task_not_attempted_and_reaches_the_end(
    page, lab, course
):
    open_notebook(page, lab, EXERCISE)
    notebook = run_all(page, course, EXERCISE)
    checks = [c for c in notebook.cells if c.cell_type == "code" and ".check()" in c.source]
    verdicts = verdicts_in(notebook)
    assert len(checks) >= 2 and len(verdicts) == len(checks)
    assert all(": not attempted —" in verdict for verdict in verdicts)
    assert errors_in(notebook) == [] and stderr_in(notebook) == []
    last = code_cell(page, len([c for c in notebook.cells if c.cell_type == "code"]) - 1)
    shoot(page, "blank_exercises_not_attempted", last)


def test_a_learner_gets_incorrect_then_correct_then_a_hint_and_the_solution(page, lab, course):
    open_notebook(page, lab, EXERCISE)
    run_all(page, course, EXERCISE)  # the setup cell and the given code
    answer, check = code_cell(page, 3), code_cell(page, 4)
    assert "ex.p1.check()" in check.text_content()

    wrong = answer_and_check(page, answer, check, P1_PADDED_TO_THE_LONGEST)
    assert len(wrong) == 1 and "❌ P1: incorrect —" in wrong[0]
    box = check.locator(".course-output").first
    assert box.evaluate("b => getComputedStyle(b).whiteSpace") == "normal"
    shoot(page, "p1_incorrect", check)

    right = answer_and_check(page, answer, check, P1_PADDED_TO_24)
    assert len(right) == 1 and "✅ P1: correct —" in right[0]
    shoot(page, "p1_correct", check)

    type_into(page, check, "ex.p1.hint()\nex.p1.hint()")
    run_cell(page, check)
    hints = verdict(check)
    assert hints[0].startswith("Hint 1 of 3 · P1") and hints[1].startswith("Hint 2 of 3 · P1")
    shoot(page, "p1_hints", check)

    type_into(page, check, "ex.p1.solution()")
    run_cell(page, check)
    shown = verdict(check)
    assert len(shown) == 1 and shown[0].startswith("Solution · P1")
    assert 'padding="max_length"' in shown[0]
    assert check.locator(".course-output pre span").count() > 3  # highlighted code
    errors = [o for o in check.locator(".jp-OutputArea-output").all_text_contents() if "Error" in o]
    assert errors == []
    shoot(page, "p1_solution", check)


@functools.cache
def korean_messages():
    """The Korean catalogs of ``utils``, read once: {English template: Korean template}."""
    return translations.finished_messages("ko")


def in_korean(template, **values):
    """What the Korean edition shows for an English template of ``utils`` (from its catalog)."""
    return korean_messages()[template].format(**values)


def test_a_korean_learner_gets_korean_verdicts_a_korean_hint_and_the_solution(page, lab, course):
    open_notebook(page, lab, KOREAN_EXERCISE)
    run_all(page, course, KOREAN_EXERCISE)  # the setup cell (it chooses Korean) and given code
    answer, check = code_cell(page, 3), code_cell(page, 4)
    assert "ex.p1.check()" in check.text_content()
    blank = code_cell(page, 7)  # P2's check, left blank
    assert "ex.p2.check()" in blank.text_content()
    [not_answered] = verdict(blank)
    assert f"✏️ P2: {in_korean('not attempted')} —" in not_answered
    assert HANGUL.search(not_answered.split(" — ", 1)[1]), not_answered
    shoot(page, "ko_p2_not_attempted", blank)

    wrong = answer_and_check(page, answer, check, P1_PADDED_TO_THE_LONGEST)
    assert len(wrong) == 1 and f"❌ P1: {in_korean('incorrect')} —" in wrong[0]
    message = wrong[0].split(" — ", 1)[1]
    assert HANGUL.search(message), message
    shoot(page, "ko_p1_incorrect", check)

    right = answer_and_check(page, answer, check, P1_PADDED_TO_24)
    assert len(right) == 1 and f"✅ P1: {in_korean('correct')} —" in right[0]
    assert HANGUL.search(right[0].split(" — ", 1)[1]), right[0]
    shoot(page, "ko_p1_correct", check)

    type_into(page, check, "ex.p1.hint()")
    run_cell(page, check)
    hint = verdict(check)
    title = in_korean("Hint {level} of {total} · {task}", level=1, total=3, task="P1")
    assert len(hint) == 1 and hint[0].startswith(title) and HANGUL.search(hint[0][len(title) :])
    shoot(page, "ko_p1_hint", check)

    type_into(page, check, "ex.p1.solution()")
    run_cell(page, check)
    shown = verdict(check)
    assert len(shown) == 1 and shown[0].startswith(in_korean("Solution · {task}", task="P1"))
    assert 'padding="max_length"' in shown[0]
    shoot(page, "ko_p1_solution", check)
