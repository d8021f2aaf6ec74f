"""Catalogs of the notebooks' markdown: current with the English, faithful where translated."""

import functools

import nbformat
import pytest
from babel.messages.catalog import Catalog

from utils import REPO_ROOT
from utils.instructors import translations
from utils.instructors.translations import (
    markup_differences,
    paragraphs,
    particles_after_code,
    terminology_problems,
)

NOTEBOOKS = translations.source_notebooks()
MODULES = translations.source_modules()
SOURCES = NOTEBOOKS + MODULES  # every catalog: the notebooks' markdown, the modules' messages
IDS = [translations.relative(path) for path in SOURCES]
GLOSSARY = translations.read_terminology("ko")
UPDATE = "run `python -m utils.instructors.translations update` and commit locale/"


@functools.cache
def korean_entries(path):
    """An English notebook's translated Korean entries: (cell id, English, Korean)."""
    catalog = translations.read(translations.catalog_path(path, "ko"), "ko")
    return [(m.context, m.id, m.string) for m in catalog if m.id and m.string]


def test_paragraphs_are_the_top_level_blocks():
    markdown = (
        "# Title\n\nOne paragraph\non two lines.\n\n- a list\n\n- still the list\n\n"
        "```\ncode\n\nwith a blank line\n```\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n---\n\n"
        "> a quote\n>\n> on two lines\n"
    )
    assert [text for _, _, text in paragraphs(markdown)] == [
        "# Title",
        "One paragraph\non two lines.",
        "- a list\n\n- still the list",
        "```\ncode\n\nwith a blank line\n```",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "> a quote\n>\n> on two lines",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS[: len(NOTEBOOKS)])
def test_every_markdown_cell_is_rebuilt_exactly_from_its_paragraphs(path):
    """Translating each paragraph into itself gives the cell back, byte for byte."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            identity = Catalog()
            for _, _, text in paragraphs(cell.source):
                identity.add(text, text, context=cell.id)
            assert translations.translate_markdown(cell.source, cell.id, identity) == cell.source


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_template_is_current_with_the_english_notebook(path):
    pot = translations.template_path(path)
    assert pot.exists(), f"{pot.relative_to(REPO_ROOT)} is missing: {UPDATE}"
    fresh, stored = translations.template(path), translations.read(pot)
    assert translations.entries(stored) == translations.entries(fresh), (
        f"{pot.relative_to(REPO_ROOT)} is out of date with {translations.relative(path)}: {UPDATE}"
    )


def test_the_modules_with_messages_are_found():
    names = {translations.module_name(path) for path in MODULES}
    assert {"grading.task", "grading.display", "grading.quiz", "ex06_quiz"} <= names
    assert translations.catalog_name(REPO_ROOT / "utils" / "grading" / "quiz.py") == (
        "utils/grading.quiz"
    )


@pytest.mark.parametrize("path", MODULES, ids=IDS[len(NOTEBOOKS) :])
def test_every_message_of_a_module_is_translated_into_korean(path):
    """No entry of a module's Korean catalog is missing or stale: a learner would read English."""
    catalog = translations.read(translations.catalog_path(path, "ko"), "ko")
    missing, stale = translations.unfinished(catalog, translations.template(path))
    assert not missing, f"not translated yet: {[m.id for m in missing]}"
    assert not stale, f"stale (the English changed): {[m.id for m in stale]}"


def test_the_compiled_catalog_holds_every_finished_message():
    """``course.mo``, which utils.language reads, says what the Korean catalogs say."""
    finished = translations.finished_messages("ko")
    with open(translations.LOCALE / "ko" / translations.COMPILED, "rb") as file:
        compiled = {m.id: m.string for m in translations.read_mo(file) if m.id}
    assert compiled == finished, f"course.mo is out of date: {UPDATE}"


def test_a_message_in_two_modules_has_one_translation():
    seen, conflicts = {}, []
    for path in MODULES:
        for message in translations.read(translations.catalog_path(path, "ko"), "ko"):
            if message.id and message.string and not message.fuzzy:
                before = seen.setdefault(message.id, message.string)
                if before != message.string:
                    conflicts.append(message.id)
    assert not conflicts, f"translated differently in two modules: {conflicts}"


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_korean_catalog_is_merged_with_its_template(path):
    po = translations.catalog_path(path, "ko")
    assert po.exists(), f"{po.relative_to(REPO_ROOT)} is missing: {UPDATE}"
    keys = [translations.key(message) for message in translations.read(po, "ko") if message.id]
    expected = [translations.key(m) for m in translations.template(path) if m.id]
    assert keys == expected, f"{po.relative_to(REPO_ROOT)} is not merged: {UPDATE}"


@pytest.fixture
def toy_course(tmp_path, monkeypatch):
    """A course folder with one lesson of one markdown cell, and its catalogs made by update."""
    monkeypatch.setattr(translations, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(translations, "LOCALE", tmp_path / "locale")
    monkeypatch.setattr(translations, "TEMPLATES", tmp_path / "locale" / "templates")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_bytes((REPO_ROOT / "pyproject.toml").read_bytes())
    lesson = tmp_path / "notebooks" / "01_toy.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A toy\n\nThe model returns logits.", id="toy-0"),
        nbformat.v4.new_code_cell("import utils\n\nutils.setup()", id="toy-1"),
    ]
    nbformat.write(notebook, lesson)
    translations.update([lesson])
    return lesson


def translate(lesson, korean):
    """Fill the toy lesson's Korean catalog: ``korean`` maps English to Korean."""
    po = translations.catalog_path(lesson, "ko")
    catalog = translations.read(po, "ko")
    for message in catalog:
        if message.id:
            message.string = korean[message.id]
            message.flags.discard("fuzzy")
    po.write_text(translations.po_text(catalog), encoding="utf-8")


def edit_markdown(lesson, source):
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells[0].source = source
    nbformat.write(notebook, lesson)


def test_a_changed_english_paragraph_makes_its_entry_stale(toy_course):
    translate(
        toy_course,
        {"# A toy": "# 장난감", "The model returns logits.": "모델은 로짓을 돌려줍니다."},
    )
    assert translations.complete_catalog(toy_course, "ko") is not None

    edit_markdown(toy_course, "# A toy\n\nThe model returns raw logits.\n\nA new paragraph.")
    assert translations.complete_catalog(toy_course, "ko") is None  # before update, too
    translations.update([toy_course])

    po = translations.catalog_path(toy_course, "ko")
    assert (
        "#, fuzzy\n"
        '#| msgid "The model returns logits."\n'
        'msgctxt "toy-0"\n'
        'msgid "The model returns raw logits."\n'
        'msgstr "모델은 로짓을 돌려줍니다."\n'  # kept, for the translator to fix
    ) in po.read_text(encoding="utf-8")
    catalog = translations.read(po, "ko")
    missing, stale = translations.unfinished(catalog, translations.template(toy_course))
    assert [message.id for message in stale] == ["The model returns raw logits."]
    assert [message.id for message in missing] == ["A new paragraph."]
    assert translations.complete_catalog(toy_course, "ko") is None


def test_update_leaves_current_files_alone(toy_course):
    assert translations.update([toy_course]) == []


@pytest.mark.parametrize(
    ("english", "korean", "difference"),
    [
        ("Call `tokenize()` first.", "먼저 `tokenize` 메서드를 호출하세요.", "code"),
        ("See [lesson 2.5](04_x.ipynb).", "[레슨 2.5](05_x.ipynb)를 보세요.", "links"),
        ("It has **`input_ids`** now.", "이제 **`input_ids`**가 있습니다.", "emphasis"),
        ('A **"quoted"** word.', '**"인용된"**단어.', "emphasis"),
        ("The shape is 16 by 768.", "형태는 16 × 786입니다.", "numbers"),
        ("```python\nx = 1\n```", "```\nx = 1\n```", "fences"),
        ("Got {count} rows.", "{counts}개 행을 받았습니다.", "placeholders"),
        ("Got {share:.3f}.", "{share}를 받았습니다.", "placeholders"),
        ("It is {value!r}.", "{value}입니다.", "placeholders"),
    ],
)
def test_markup_differences_are_found(english, korean, difference):
    assert any(found.startswith(difference) for found in markup_differences(english, korean))


def test_numbers_with_a_word_of_magnitude_may_be_written_the_korean_way():
    assert markup_differences("About 110 million numbers.", "숫자가 약 1억 1천만 개입니다.") == []
    assert markup_differences("About 110 numbers.", "숫자가 약 1억 개입니다.") != []


def test_emphasis_before_a_particle_still_renders():
    assert markup_differences("It is a *step*.", "*스텝*입니다.") == []


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_korean_entries_keep_code_links_emphasis_and_numbers(path):
    problems = [
        f"{cell}: {difference}"
        for cell, english, korean in korean_entries(path)
        for difference in markup_differences(english, korean)
    ]
    assert not problems, "\n".join(problems)


def test_particles_glued_to_code_are_found():
    assert particles_after_code("`ids`를 넘기고 `model`은 `x` 변수를 씁니다.") == [
        "`ids`를",
        "`model`은",
    ]
    assert particles_after_code("`ids` 리스트를 `model`에 넘기고 `x`입니다.") == []


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_korean_entries_put_no_sound_dependent_particle_right_after_code(path):
    glued = [
        f"{cell}: {place}"
        for cell, _, korean in korean_entries(path)
        for place in particles_after_code(korean)
    ]
    assert not glued, "write a noun before the particle (`x` 변수를):\n" + "\n".join(glued)


def test_glossary_gives_one_korean_term_per_concept_with_a_source():
    forms = [form.lower() for row in GLOSSARY for form in row["english"]]
    assert len(forms) == len(set(forms)), "an English form is listed twice"
    koreans = [row["korean"] for row in GLOSSARY]
    assert len(koreans) == len(set(koreans)), "two concepts share a Korean term"
    assert all(row["source"] for row in GLOSSARY)
    assert {"에폭", "데이터 세트", "라벨", "대조 기능", "사전"} <= {
        variant for row in GLOSSARY for variant in row["rejected"]
    }


def test_terminology_problems_are_found():
    problems = terminology_problems(
        "A dictionary of labels for each epoch of the pretrained model, with `batched=True`.",
        "사전 학습된 모델의 에폭마다 라벨 사전을 씁니다. `batched=True`를 씁니다.",
        GLOSSARY,
    )
    assert problems == [
        "'epoch' is not translated as 에포크",
        "'label' is not translated as 레이블",
        "'dictionary' is not translated as 딕셔너리",
        "에폭 is used where the glossary says 에포크",
        "라벨 is used where the glossary says 레이블",
        "사전 is used where the glossary says 딕셔너리",
    ]
    assert terminology_problems("The pretrained model.", "사전 학습된 모델.", GLOSSARY) == []


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_korean_entries_use_the_glossary(path):
    problems = [
        f"{cell}: {problem}"
        for cell, english, korean in korean_entries(path)
        for problem in terminology_problems(english, korean, GLOSSARY)
    ]
    assert not problems, "\n".join(problems)


def test_the_korean_readme_follows_the_glossary_and_the_particle_rule():
    readme = (REPO_ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert terminology_problems("", readme, GLOSSARY) == []
    assert particles_after_code(readme) == []
