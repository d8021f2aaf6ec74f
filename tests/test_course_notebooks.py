"""Notebook hygiene and the course map."""

import re

import nbformat
import pytest

from utils import REPO_ROOT, notebook_path, stem_of
from utils.instructors import course_map
from utils.instructors.notebook_hygiene import CHECK_TAG, course_notebooks, is_checked, strip

NOTEBOOKS = course_notebooks()
IDS = [str(path.relative_to(REPO_ROOT)) for path in NOTEBOOKS]


def test_there_is_a_lesson_for_every_section_but_the_quiz():
    lessons = {path.stem for path in (REPO_ROOT / "notebooks").glob("*.ipynb")}
    expected = {stem for stem, _, _ in course_map.LESSONS if not stem.endswith("_quiz")}
    assert lessons == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_setup_cell(path):
    notebook = nbformat.read(path, as_version=4)
    assert course_map.first_code_cell(notebook).source == course_map.setup_cell_source()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_only_checked_cells_store_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for position, cell in enumerate(code_cells, start=1):
        if not is_checked(cell):
            assert cell.outputs == [], f"code cell {position} stores output but is not compared"
            assert cell.execution_count is None, f"code cell {position} keeps an execution count"
        else:
            assert cell.outputs, f"code cell {position} is compared but has no stored output"
            assert cell.execution_count == position, f"code cell {position}: count not fixed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_exactly_as_nbstripout_leaves_it(path):
    notebook = nbformat.read(path, as_version=4)
    stripped = strip(nbformat.read(path, as_version=4))
    assert nbformat.writes(notebook) == nbformat.writes(stripped)


def test_only_lessons_compare_outputs():
    """nbval runs the lessons only: the grader runs solutions and exercises, comparing nothing."""
    for path in [
        *(REPO_ROOT / "exercises").glob("*.ipynb"),
        *(REPO_ROOT / "solutions").glob("*.ipynb"),
    ]:
        notebook = nbformat.read(path, as_version=4)
        assert not any(CHECK_TAG in cell.metadata.get("tags", []) for cell in notebook.cells)


@pytest.mark.parametrize("language", course_map.EDITIONS)
def test_readme_course_map_is_up_to_date(language):
    readme = (REPO_ROOT / course_map.EDITIONS[language]["readme"]).read_text(encoding="utf-8")
    assert course_map.updated_readme(readme, language) == readme, (
        f"the course map in {course_map.EDITIONS[language]['readme']} is out of date: "
        "run `make course-map`"
    )


def korean_notebooks():
    """Every notebook of the Korean edition, relative to the repository."""
    folders = ("ko_notebooks", "ko_exercises", "ko_solutions")
    return {
        path.relative_to(REPO_ROOT).as_posix()
        for folder in folders
        for path in (REPO_ROOT / folder).glob("*.ipynb")
    }


@pytest.mark.parametrize("language", course_map.EDITIONS)
def test_readme_course_map_lists_every_notebook_and_links_exist(language):
    readme = (REPO_ROOT / course_map.EDITIONS[language]["readme"]).read_text(encoding="utf-8")
    table = readme[readme.index(course_map.BEGIN) : readme.index(course_map.END)]
    folders = r"(?:ko_)?(?:notebooks|exercises|solutions)"
    linked = set(re.findall(rf"\]\(({folders}/[^)]+\.ipynb)\)", table))
    assert linked == (set(IDS) if language == "en" else korean_notebooks())
    for relative in linked:
        assert (REPO_ROOT / relative).exists(), relative
        assert course_map.colab_link(relative) in table
    repository = course_map.course_settings()["repository"].removeprefix("https://github.com/")
    badges = re.findall(r"colab\.research\.google\.com/github/([^)]+)\)", table)
    assert len(badges) == len(linked)
    assert all(badge.startswith(repository + "/blob/") for badge in badges)


def test_the_korean_course_map_has_a_title_for_every_lesson():
    assert list(course_map.KOREAN_TITLES) == [stem for stem, _, _ in course_map.LESSONS]


def test_the_two_readmes_link_each_other():
    english = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    korean = (REPO_ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert "한국어판: [README.ko.md](README.ko.md)" in english.split("\n## ")[0]
    assert "[README.md](README.md)" in korean.split("\n## ")[0]


def test_lesson_exercise_and_solution_tabs_have_different_names():
    names = [path.name for path in NOTEBOOKS]
    assert len(names) == len(set(names))
    for path in NOTEBOOKS:
        folder = path.parent.name
        assert path == notebook_path(folder, stem_of(path))


def test_lesson_00_lists_the_whole_course_from_the_course_map():
    notebook = nbformat.read(notebook_path("notebooks", "00_start_here"), as_version=4)
    cells = [cell for cell in notebook.cells if cell.get("id") == course_map.START_HERE_CELL]
    assert len(cells) == 1 and cells[0].source == course_map.start_here_markdown(), (
        "lesson 00's list of the course is out of date: run `make course-map`"
    )
    for stem, section, _ in course_map.LESSONS[1:]:
        assert f"| {section} |" in cells[0].source and stem in cells[0].source
    for link in re.findall(r"\]\(([^)]+\.ipynb)\)", cells[0].source):
        assert (REPO_ROOT / "notebooks" / link).exists(), link
