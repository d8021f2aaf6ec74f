"""Helpers for the course: setup, plots, exercise checks, offline stand-ins, instructors' tools.

What learners use sits at the top: ``utils.setup()`` in every notebook's
first cell, ``from utils import plots``, ``from utils import exNN_stem as ex``
and ``python -m utils.grade``. Three subpackages hold the rest:
``utils.grading`` (the check framework), ``utils.standins`` (the offline hub)
and ``utils.instructors`` (tools for people who edit the course).
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def setup():
    """Prepare the notebook: use the Hugging Face Hub, or the offline stand-ins without it.

    See ``utils.course_setup.setup``; imported here on first use, so that
    ``python -m utils.<module>`` does not load it twice.
    """
    from utils.course_setup import setup as course_setup

    course_setup()
