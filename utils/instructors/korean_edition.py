"""The Korean edition, built from the English notebooks and the Korean catalogs.

    python -m utils.instructors.korean_edition           # write the ko_* folders
    python -m utils.instructors.korean_edition --force   # also overwrite changed Korean exercises

The rules, each tested:

- A notebook gets its Korean twin only when its catalog is complete (no paragraph missing or
  stale: ``translations.complete_catalog``). A twin whose English changed since is left as
  it was, and the command says which entries to translate again.
- The twin sits in a sibling folder with the same file name (``notebooks/02_models.ipynb``
  becomes ``ko_notebooks/02_models.ipynb``), so the setup cell's ``..`` is still the course
  folder and ``import utils`` works.
- Only markdown changes. Cells keep their ids, order, code, outputs and metadata; the setup
  cell gains one line, ``os.environ["COURSE_LANGUAGE"] = "ko"``, before ``import utils``.
- A link to a course notebook leads to its Korean twin where there is one (built now, or
  kept while its catalog is stale), else to the English notebook. A link whose text is the
  target's path shows the new path.
- Korean exercises are derived from Korean solutions by ``make_exercises``, as the English
  ones are: the same blanks, and a learner's work in them is never overwritten.
"""

import argparse
import copy
import os
import posixpath
import re
import sys

import nbformat

from utils import REPO_ROOT
from utils.instructors import make_exercises, translations
from utils.instructors.course_map import first_code_cell
from utils.instructors.notebook_hygiene import write

LANGUAGE = "ko"
FOLDERS = {"notebooks": "ko_notebooks", "solutions": "ko_solutions", "exercises": "ko_exercises"}
LANGUAGE_LINE = f'os.environ["COURSE_LANGUAGE"] = "{LANGUAGE}"'
LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]+)\)")


def twin(path):
    """The Korean twin of an English course notebook (it may not exist)."""
    return REPO_ROOT / FOLDERS[path.parent.name] / path.name


def korean_setup_source(source):
    """The setup cell's source with the line that selects Korean, just before ``import utils``."""
    lines = source.split("\n")
    if "import utils" not in lines:
        raise ValueError("the setup cell has no line 'import utils'")
    position = lines.index("import utils")
    return "\n".join(lines[:position] + [LANGUAGE_LINE] + lines[position:])


def korean_links(markdown, english_path, twins):
    """Markdown whose links to course notebooks lead to their Korean twins, where there are any.

    ``twins`` is the set of Korean notebooks the edition has. Other links stay as they are: the
    Korean folders sit beside the English ones, so a relative path means the same from both.
    """
    folder = twin(english_path).parent

    def relink(match):
        text, target = match.groups()
        path, hash_, anchor = target.partition("#")
        if "://" in target or not path.endswith(".ipynb"):
            return match.group(0)
        english = REPO_ROOT / posixpath.normpath((english_path.parent / path).as_posix())
        if english.parent.name not in FOLDERS or twin(english) not in twins:
            korean = english
        else:
            korean = twin(english)
        new_target = os.path.relpath(korean, folder).replace(os.sep, "/") + hash_ + anchor
        if text == translations.relative(english):
            text = translations.relative(korean)
        return f"[{text}]({new_target})"

    return LINK.sub(relink, markdown)


def korean_notebook(notebook, english_path, catalog, twins):
    """The Korean twin of an English notebook (an ``nbformat`` object), given its catalog."""
    korean = copy.deepcopy(notebook)
    for cell in korean.cells:
        if cell.cell_type == "markdown":
            translated = translations.translate_markdown(cell.source, cell.id, catalog)
            cell.source = korean_links(translated, english_path, twins)
    setup = first_code_cell(korean)
    setup.source = korean_setup_source(setup.source)
    return korean


def planned():
    """The English notebooks that get a Korean twin now, with their complete catalogs."""
    plan = {}
    for path in translations.source_notebooks():
        catalog = translations.complete_catalog(path, LANGUAGE)
        if catalog is not None:
            plan[path] = catalog
    return plan


def exercise_twin(solution_path):
    """The Korean exercise notebook derived from an English solution notebook's Korean twin."""
    name = solution_path.name.replace("_solutions.ipynb", "_exercises.ipynb")
    return REPO_ROOT / FOLDERS["exercises"] / name


def edition():
    """Every Korean notebook the catalogs allow now: ``{path: notebook}``."""
    plan = planned()
    twins = {twin(path) for path in plan}
    twins |= {exercise_twin(path) for path in plan if path.parent.name == "solutions"}
    twins |= set(korean_notebooks())  # a stale twin stays until translated again: link to it
    notebooks = {}
    for path, catalog in plan.items():
        english = nbformat.read(path, as_version=4)
        korean = korean_notebook(english, path, catalog, twins)
        notebooks[twin(path)] = korean
        if path.parent.name == "solutions":
            notebooks[exercise_twin(path)] = make_exercises.derive(korean)
    return notebooks


def korean_notebooks():
    """The Korean notebooks on disk, in every Korean folder."""
    found = []
    for folder in FOLDERS.values():
        found += sorted(
            path for path in (REPO_ROOT / folder).glob("*.ipynb") if ".backup-" not in path.name
        )
    return found


def english_of(korean_path):
    """The English notebook a Korean one is the twin of."""
    folders = {korean: english for english, korean in FOLDERS.items()}
    return REPO_ROOT / folders[korean_path.parent.name] / korean_path.name


def notebook_text(notebook):
    """A notebook as ``nbformat.write`` stores it."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def why_not_translated(korean_path):
    """Why a Korean notebook on disk is not in the edition: its catalog's unfinished entries."""
    english = english_of(korean_path)
    if english.parent.name == "exercises":
        english = REPO_ROOT / "solutions" / english.name.replace("_exercises", "_solutions")
    if not english.exists():
        return f"{translations.relative(korean_path)}: there is no {translations.relative(english)}"
    po = translations.catalog_path(english, LANGUAGE)
    catalog = translations.read(po, LANGUAGE) if po.exists() else translations.new_catalog(english)
    missing, stale = translations.unfinished(catalog, translations.template(english))
    where = ", ".join(message.context for message in missing + stale)
    return (
        f"{translations.relative(korean_path)}: {po.relative_to(REPO_ROOT)} has "
        f"{len(stale)} stale and {len(missing)} missing entries (cells {where})"
    )


def build(force=False):
    """Write the Korean edition; returns the lines to print and whether all is up to date.

    A Korean exercise notebook with a learner's work in it is left alone unless ``force``
    (then a backup is kept), as ``make_exercises`` does for the English ones.
    """
    notebooks = edition()
    lines = []
    for path, notebook in notebooks.items():
        if path.parent.name == FOLDERS["exercises"]:
            continue
        if not path.exists() or path.read_text(encoding="utf-8") != notebook_text(notebook):
            path.parent.mkdir(exist_ok=True)
            write(notebook, path)
            lines.append(f"written    {translations.relative(path)}")
    ok = True
    for path in notebooks:
        if path.parent.name == FOLDERS["solutions"]:
            folder = REPO_ROOT / FOLDERS["exercises"]
            try:
                line = make_exercises.make_exercise(path, force=force, exercises=folder)
            except FileExistsError as error:
                line, ok = f"skipped: {error}", False
            if not line.startswith("unchanged"):
                lines.append(line)
    for path in korean_notebooks():
        if path not in notebooks:
            lines.append(f"left as it was, to translate again: {why_not_translated(path)}")
            ok = False
    return lines, ok


def main(argv=None):
    """Build the Korean edition; exit 1 if some Korean notebook could not be brought up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite changed exercises")
    lines, ok = build(force=parser.parse_args(argv).force)
    print("\n".join(lines) if lines else "The Korean edition is up to date.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
