"""Helpers for the course: setup, plots, exercise checks, offline stand-ins, instructors' tools.

What learners use sits at the top: ``utils.setup()`` in every notebook's
first cell, ``from utils import plots``, ``from utils import exNN_stem as ex``
and ``python -m utils.grade``. Three subpackages hold the rest:
``utils.grading`` (the check framework), ``utils.standins`` (the offline hub)
and ``utils.instructors`` (tools for people who edit the course).
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {"notebooks": "", "exercises": "_exercises", "solutions": "_solutions"}


def notebook_path(folder, stem):
    """Where a stem's notebook lives in a folder, named so that JupyterLab tabs differ.

    ``notebook_path("exercises", "02_models")`` is ``exercises/02_models_exercises.ipynb``;
    the lesson is ``notebooks/02_models.ipynb``, the solutions
    ``solutions/02_models_solutions.ipynb``.
    """
    return REPO_ROOT / folder / f"{stem}{SUFFIXES[folder]}.ipynb"


def stem_of(path):
    """The stem a course notebook belongs to: ``02_models`` for any of its three notebooks."""
    name = Path(path).stem
    for suffix in filter(None, SUFFIXES.values()):
        name = name.removesuffix(suffix)
    return name


def setup():
    """Prepare the notebook: use the Hugging Face Hub, or the offline stand-ins without it.

    See ``utils.course_setup.setup``; imported here on first use, so that
    ``python -m utils.<module>`` does not load it twice.
    """
    from utils.course_setup import setup as course_setup

    course_setup()
