"""The git filter for notebooks: committed notebooks are clean, and running one changes nothing."""

import os
import shutil
import subprocess

import nbformat
import pytest

from utils import REPO_ROOT
from utils.course_setup import QUIET_SETTINGS
from utils.instructors.notebook_filter import KERNELSPEC, clean_text, refresh_git_index
from utils.instructors.notebook_hygiene import course_notebooks, is_checked, is_progress


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda path: path.name)
def test_every_committed_notebook_is_in_its_clean_form(path):
    text = path.read_text()
    assert clean_text(text) == text, (
        f"{path.name} carries outputs, counts or kernel details that git would not keep: "
        "run `make strip` (and `git add --renormalize .` once the filter is set up)"
    )


def test_the_clean_form_drops_outputs_counts_and_the_machines_python_version():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("1 + 1", execution_count=7)]
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    cleaned = nbformat.reads(clean_text(nbformat.writes(notebook)), as_version=4)
    assert cleaned.cells[0].outputs == [] and cleaned.cells[0].execution_count is None
    assert cleaned.metadata["kernelspec"] == KERNELSPEC
    assert "language_info" not in cleaned.metadata
    assert clean_text("<<<<<<< not a notebook") == "<<<<<<< not a notebook"


def git(folder, *args):
    """Run git in ``folder`` and return what it printed."""
    command = ["git", "-c", "user.name=Learner", "-c", "user.email=learner@example.org", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.mark.integration
def test_running_a_notebook_leaves_git_status_clean_and_an_edit_shows(tmp_path):
    from nbclient import NotebookClient

    clone = tmp_path / "course"
    (clone / "notebooks").mkdir(parents=True)
    for name in ("Makefile", "course.py", ".gitattributes"):
        shutil.copy(REPO_ROOT / name, clone / name)
    lesson = clone / "notebooks" / "00_start_here.ipynb"
    shutil.copy(REPO_ROOT / "notebooks" / "00_start_here.ipynb", lesson)
    (clone / "utils").symlink_to(REPO_ROOT / "utils")
    (clone / ".venv").symlink_to(REPO_ROOT / ".venv")
    git(clone, "init", "-q")
    set_up = subprocess.run(
        ["make", "--no-print-directory", "git-filter"],
        cwd=clone,
        text=True,
        capture_output=True,
        check=True,
    )
    assert "set up" in set_up.stdout
    git(clone, "add", "Makefile", "course.py", ".gitattributes", "notebooks")
    git(clone, "commit", "-qm", "The course")

    # Run it as JupyterLab does: outputs, counts and the kernel's details written into the file.
    notebook = nbformat.read(lesson, as_version=4)
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(lesson.parent)}}
    ).execute()
    assert "language_info" in notebook.metadata
    assert sum(len(cell.get("outputs", [])) for cell in notebook.cells) > 2
    nbformat.write(notebook, lesson)
    assert git(clone, "diff") == ""  # git keeps nothing of the run
    assert refresh_git_index(lesson)  # what JupyterLab's post-save hook does (make lab)
    assert git(clone, "status", "--porcelain", "--untracked-files=no") == ""

    notebook.cells[4].source += "\nprint('my own line')"
    nbformat.write(notebook, lesson)
    assert not refresh_git_index(lesson)  # a learner's change is left for them to commit
    assert git(clone, "status", "--porcelain", "--untracked-files=no") == (
        " M notebooks/00_start_here.ipynb\n"
    )
    assert git(clone, "diff", "--cached") == ""


# What the test session sets for kernels (conftest.py) and a learner's JupyterLab does not have.
TEST_ONLY = {"COURSE_STRICT_CHECKS", "COURSE_QUIET", *QUIET_SETTINGS}


@pytest.mark.integration
def test_checked_cells_run_with_progress_bars_and_notices_on_are_the_same_to_git():
    """Lesson 3.2's loading and ``map`` cells, run with a learner's settings, clean as committed."""
    from nbclient import NotebookClient

    lesson = REPO_ROOT / "notebooks" / "07_processing_the_data.ipynb"
    committed = nbformat.read(lesson, as_version=4)
    needed = ("utils.setup()", "checkpoint =", "load_dataset(", "def tokenize_function", ".map(")
    cells = committed.cells
    keep = [next(i for i, cell in enumerate(cells) if text in cell.source) for text in needed]
    notebook = nbformat.read(lesson, as_version=4)
    for i, cell in enumerate(notebook.cells):  # the others emptied, so the counts stay the same
        if cell.cell_type == "code" and i not in keep:
            cell.source = ""
    learner = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(lesson.parent)}}
    ).execute(env=learner)

    checked = [i for i in keep if is_checked(notebook.cells[i])]
    extra = [o for i in checked for o in notebook.cells[i].outputs if is_progress(o)]
    assert extra, "with a learner's settings, the checked cells show progress or notices"
    cleaned = nbformat.reads(clean_text(nbformat.writes(notebook)), as_version=4)
    for i in checked:
        assert cleaned.cells[i].outputs == committed.cells[i].outputs, committed.cells[i].source
