"""Derive the exercise notebooks from the solution notebooks.

``solutions/NN_stem_solutions.ipynb`` is the master. Each task's answer sits between
``# BEGIN SOLUTION <task>`` and ``# END SOLUTION``; in ``exercises/NN_stem_exercises.ipynb``
that block becomes one blank per variable it assigns::

    ids = ____  # your code here

    python -m utils.instructors.make_exercises            # every solution notebook
    python -m utils.instructors.make_exercises 02_models  # just one
    python -m utils.instructors.make_exercises --force    # also overwrite changed exercises

An exercise notebook remembers (in its metadata) a fingerprint of what was
derived. If its content no longer matches, a learner has worked in it: it is
left alone unless ``--force`` is given, and then a backup is kept first.
"""

import argparse
import ast
import copy
import hashlib
import json
import shutil
import sys
import time

import nbformat

from utils import REPO_ROOT, SUFFIXES, stem_of
from utils.grading.solutions import SOLUTION_BEGIN, SOLUTION_END
from utils.instructors.notebook_hygiene import strip, write

SOLUTIONS = REPO_ROOT / "solutions"
EXERCISES = REPO_ROOT / "exercises"
BLANK = "____  # your code here"


class MarkerError(Exception):
    """A solution notebook whose markers cannot be turned into an exercise."""


def assigned_names(code):
    """The top-level variable names a block of code assigns, in order of first assignment."""
    names = []

    def collect(target):
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                collect(element)
        elif isinstance(target, ast.Starred):
            collect(target.value)

    for statement in ast.parse(code).body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                collect(target)
        elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
            collect(statement.target)
        elif isinstance(statement, ast.FunctionDef):
            collect(ast.Name(id=statement.name))
    return names


def blanks(task, code):
    """The placeholder lines that replace one solution block.

    A variable becomes ``name = ____``; a function keeps its signature and gets
    ``return ____`` as its body, so the learner sees what to write and a check
    that calls it can tell it is still blank.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise MarkerError(f"the solution of {task} is not valid Python ({error.msg})") from None
    functions = {
        statement.name: f"def {statement.name}({ast.unparse(statement.args)}):"
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef)
    }
    pieces = [
        [functions[name], f"    return {BLANK}"] if name in functions else [f"{name} = {BLANK}"]
        for name in assigned_names(code)
    ]
    if not pieces:
        return ["# your code here"]
    lines = []
    for index, piece in enumerate(pieces):
        is_function = len(piece) > 1
        after_function = index > 0 and len(pieces[index - 1]) > 1
        if index > 0 and (is_function or after_function):
            lines += ["", ""]  # two blank lines around a function, as ruff formats them
        lines += piece
    return lines


def blank_out(source):
    """A cell's source with every marked solution block replaced by blanks."""
    lines, block, task = [], [], None
    for line in source.splitlines():
        if SOLUTION_BEGIN.match(line):
            if task is not None:
                raise MarkerError(f"BEGIN SOLUTION inside the block of {task}")
            task, block = SOLUTION_BEGIN.match(line).group(1), []
            indent = line[: len(line) - len(line.lstrip())]
        elif SOLUTION_END.match(line):
            if task is None:
                raise MarkerError("END SOLUTION without a BEGIN SOLUTION")
            lines += [indent + blank if blank else "" for blank in blanks(task, "\n".join(block))]
            task = None
        elif task is not None:
            block.append(line[len(indent) :] if line.startswith(indent) else line)
        else:
            lines.append(line)
    if task is not None:
        raise MarkerError(f"the block of {task} has no END SOLUTION")
    return "\n".join(lines)


def fingerprint(notebook):
    """A hash of a notebook's content, leaving out the fingerprint itself."""
    data = copy.deepcopy(dict(notebook))
    data["metadata"] = {k: v for k, v in data["metadata"].items() if k != "course"}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def derive(solution):
    """The exercise notebook for a solution notebook (both ``nbformat`` objects)."""
    exercise = copy.deepcopy(solution)
    for index, cell in enumerate(exercise.cells, start=1):
        if cell.cell_type != "code":
            continue
        try:
            cell.source = blank_out(cell.source)
        except MarkerError as error:
            raise MarkerError(f"cell {index}: {error}") from None
        cell.metadata.pop("tags", None)  # exercises compare no outputs
    exercise = strip(exercise)
    exercise.metadata["course"] = {"derived_from_sha256": fingerprint(exercise)}
    return exercise


def learner_changed(path):
    """True if the exercise notebook at ``path`` differs from what was derived for it."""
    notebook = nbformat.read(path, as_version=4)
    stored = notebook.metadata.get("course", {}).get("derived_from_sha256")
    return stored != fingerprint(notebook)


def make_exercise(solution_path, force=False, exercises=None):
    """Write the exercise for one solution notebook; returns a line saying what happened.

    It goes into ``exercises/``, or into the folder ``exercises`` (the Korean edition's).
    """
    folder = exercises or EXERCISES
    target = folder / f"{stem_of(solution_path)}{SUFFIXES['exercises']}.ipynb"
    exercise = derive(nbformat.read(solution_path, as_version=4))
    if target.exists():
        if nbformat.writes(nbformat.read(target, as_version=4)) == nbformat.writes(exercise):
            return f"unchanged  {target.relative_to(REPO_ROOT)}"
        if learner_changed(target):
            if not force:
                raise FileExistsError(
                    f"{target.relative_to(REPO_ROOT)} has your own work in it, so it was left "
                    "alone. Rename it to keep it, or run with --force (a backup is kept)."
                )
            backup = target.with_name(
                f"{target.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}.ipynb"
            )
            shutil.copy2(target, backup)
    folder.mkdir(exist_ok=True)
    write(exercise, target)
    return f"written    {target.relative_to(REPO_ROOT)}"


def main(argv=None):
    """Derive the requested exercise notebooks; exit 1 if some were left alone, 2 on bad input."""
    parser = argparse.ArgumentParser(description="Derive exercises/ from solutions/.")
    parser.add_argument("stems", nargs="*", help="notebook names such as 02_models (default: all)")
    parser.add_argument("--force", action="store_true", help="overwrite changed exercises")
    args = parser.parse_args(argv)
    paths = [SOLUTIONS / f"{stem_of(stem)}{SUFFIXES['solutions']}.ipynb" for stem in args.stems]
    paths = paths or sorted(SOLUTIONS.glob("*.ipynb"))
    status = 0
    for path in paths:
        try:
            print(make_exercise(path, force=args.force))
        except FileNotFoundError:
            print(f"error: there is no solution notebook {path.relative_to(REPO_ROOT)}")
            return 2
        except MarkerError as error:
            print(f"error: {path.relative_to(REPO_ROOT)}, {error}")
            return 2
        except FileExistsError as error:
            print(f"skipped: {error}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
