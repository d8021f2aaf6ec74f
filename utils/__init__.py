"""Helpers for the course: setup, offline stand-ins, plots and exercise checks.

Notebooks call ``utils.setup()`` in their first cell; everything else is
imported where it is used (``from utils import plots``).
"""

from utils.course_setup import setup

__all__ = ["setup"]
