"""Helpers for the course: setup, offline stand-ins, plots and exercise checks.

Notebooks call ``utils.setup()`` in their first cell; everything else is
imported where it is used (``from utils import plots``).
"""


def setup():
    """Prepare the notebook: use the Hugging Face Hub, or the offline stand-ins without it.

    See ``utils.course_setup.setup``; imported here on first use, so that
    ``python -m utils.<module>`` does not load it twice.
    """
    from utils.course_setup import setup as course_setup

    course_setup()
