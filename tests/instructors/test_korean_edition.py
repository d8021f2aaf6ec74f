"""The Korean edition: what the build writes, code identical to the English, links that lead on."""

import nbformat
import pytest

from utils import REPO_ROOT
from utils.instructors import korean_edition, translations
from utils.instructors.course_map import first_code_cell

KOREAN = korean_edition.korean_notebooks()
IDS = [translations.relative(path) for path in KOREAN]
EXERCISES = [path for path in KOREAN if path.parent.name == korean_edition.FOLDERS["exercises"]]


def test_korean_tree_is_what_the_build_writes():
    edition = korean_edition.edition()
    stale = [korean_edition.why_not_translated(path) for path in KOREAN if path not in edition]
    assert not stale, "translate these again, then run the build:\n" + "\n".join(stale)
    unbuilt = [translations.relative(path) for path in edition if not path.exists()]
    assert not unbuilt, f"run `python -m utils.instructors.korean_edition`: {unbuilt} missing"
    for path, notebook in edition.items():
        assert path.read_text(encoding="utf-8") == korean_edition.notebook_text(notebook), (
            f"{translations.relative(path)} is not what the build writes: "
            "run `python -m utils.instructors.korean_edition`"
        )


def english_twin(path):
    """The English notebook whose cells a Korean notebook must share."""
    return korean_edition.english_of(path)


@pytest.mark.parametrize("path", KOREAN, ids=IDS)
def test_korean_code_cells_are_the_english_ones(path):
    english = nbformat.read(english_twin(path), as_version=4)
    korean = nbformat.read(path, as_version=4)
    assert [(c.id, c.cell_type) for c in korean.cells] == [
        (c.id, c.cell_type) for c in english.cells
    ]
    setup = first_code_cell(english)
    for theirs, ours in zip(english.cells, korean.cells, strict=True):
        if theirs.cell_type != "code":
            assert ours.metadata == theirs.metadata
            continue
        if theirs is setup:
            lines = ours.source.split("\n")
            assert lines.count(korean_edition.LANGUAGE_LINE) == 1
            lines.remove(korean_edition.LANGUAGE_LINE)
            assert "\n".join(lines) == theirs.source
            assert {**ours, "source": ""} == {**theirs, "source": ""}
        else:
            assert ours == theirs, f"code cell {theirs.id} differs from the English one"


def links(notebook):
    """Every link target in a notebook's markdown."""
    parser = translations.markdown_parser()
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for block in parser.parse(cell.source):
                for token in block.children or []:
                    if token.type == "link_open":
                        found.append(token.attrs["href"])
    return found


@pytest.mark.parametrize("path", KOREAN, ids=IDS)
def test_korean_links_lead_to_korean_twins_where_there_are_any(path):
    for target in links(nbformat.read(path, as_version=4)):
        if "://" in target or target.startswith("#"):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.exists(), f"{target} leads nowhere"
        folder = resolved.parent.name
        if resolved.suffix == ".ipynb" and folder in korean_edition.FOLDERS:
            assert not korean_edition.twin(resolved).exists(), (
                f"{target} leads to the English notebook though its Korean twin exists"
            )


def test_links_to_course_notebooks_lead_to_twins_only_where_there_are_twins():
    lesson = REPO_ROOT / "notebooks" / "01_toy.ipynb"
    markdown = (
        "[exercises/01_toy_exercises.ipynb](../exercises/01_toy_exercises.ipynb), "
        "[next](02_next.ipynb#top), [docs](https://example.org/a.ipynb)"
    )
    twins = {REPO_ROOT / "ko_exercises" / "01_toy_exercises.ipynb"}
    assert korean_edition.korean_links(markdown, lesson, twins) == (
        "[ko_exercises/01_toy_exercises.ipynb](../ko_exercises/01_toy_exercises.ipynb), "
        "[next](../notebooks/02_next.ipynb#top), [docs](https://example.org/a.ipynb)"
    )


@pytest.mark.parametrize("path", EXERCISES, ids=lambda path: path.name)
def test_korean_exercises_take_their_markdown_from_korean_solutions(path):
    solution_name = path.name.replace("_exercises.ipynb", "_solutions.ipynb")
    solution = nbformat.read(path.parent.parent / "ko_solutions" / solution_name, as_version=4)
    exercise = nbformat.read(path, as_version=4)
    markdown = [cell.source for cell in exercise.cells if cell.cell_type == "markdown"]
    assert markdown == [cell.source for cell in solution.cells if cell.cell_type == "markdown"]


@pytest.fixture
def toy_course(tmp_path, monkeypatch):
    """A course folder with one lesson whose catalog update has made, not yet translated."""
    for module in (translations, korean_edition):
        monkeypatch.setattr(module, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(translations, "LOCALE", tmp_path / "locale")
    monkeypatch.setattr(translations, "TEMPLATES", tmp_path / "locale" / "templates")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_bytes((REPO_ROOT / "pyproject.toml").read_bytes())
    lesson = tmp_path / "notebooks" / "01_toy.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("The model returns logits.", id="toy-0"),
        nbformat.v4.new_code_cell("import os\nimport utils\n\nutils.setup()", id="toy-1"),
    ]
    nbformat.write(notebook, lesson)
    translations.update([lesson])
    return lesson


def test_a_lesson_gets_its_twin_only_while_its_catalog_is_complete(toy_course):
    twin = korean_edition.twin(toy_course)
    assert korean_edition.edition() == {}

    po = translations.catalog_path(toy_course, "ko")
    catalog = translations.read(po, "ko")
    catalog.get("The model returns logits.", context="toy-0").string = "모델은 로짓을 돌려줍니다."
    po.write_text(translations.po_text(catalog), encoding="utf-8")
    assert korean_edition.build() == ([f"written    {translations.relative(twin)}"], True)
    korean = nbformat.read(twin, as_version=4)
    assert korean.cells[0].source == "모델은 로짓을 돌려줍니다."
    setup = 'import os\nos.environ["COURSE_LANGUAGE"] = "ko"\nimport utils\n\nutils.setup()'
    assert korean.cells[1].source == setup

    notebook = nbformat.read(toy_course, as_version=4)
    notebook.cells[0].source = "The model returns raw logits."
    nbformat.write(notebook, toy_course)
    translations.update([toy_course])
    assert korean_edition.edition() == {}
    lines, ok = korean_edition.build()
    assert not ok and twin.exists(), "a stale twin is kept, and the build says so"
    assert lines == [
        "left as it was, to translate again: ko_notebooks/01_toy.ipynb: "
        "locale/ko/notebooks/01_toy.po has 1 stale and 0 missing entries (cells toy-0)"
    ]
