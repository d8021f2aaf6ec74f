"""The learner's language: what ``utils`` shows is English, or Korean in the Korean edition.

Every sentence a learner reads from ``utils`` (a verdict, a hint, a quiz question, the
grader's table, a figure's labels) is written in English as a whole template with named
placeholders, and passes through ``_()`` when it is shown::

    raise Wrong(_("`{name}` has {count} rows; it needs {wanted}.", name=name, count=3, wanted=2))

``_()`` looks the English template up in the catalog of the learner's language, then fills
in the placeholders, so a translation may put them in any order. Text declared once at
import (a task's title and hints, a quiz's questions) is marked with ``N_()`` and looked up
with ``_()`` each time it is displayed, so switching languages needs no restart.

The language is ``COURSE_LANGUAGE`` ("ko" for Korean; anything else is English). The Korean
notebooks set it in their first cell; it works with the English notebooks too.

The Korean templates live in ``locale/ko/utils/*.po`` (one gettext catalog per module, kept
with ``python -m utils.instructors.translations update``), compiled into
``locale/ko/LC_MESSAGES/course.mo``, which Python's own ``gettext`` reads. A template with no
translation yet is shown in English.
"""

import gettext
import os
from functools import lru_cache

from utils import REPO_ROOT

LANGUAGE_VARIABLE = "COURSE_LANGUAGE"
LANGUAGES = ("en", "ko")
DOMAIN = "course"  # locale/<language>/LC_MESSAGES/course.mo
LOCALE = REPO_ROOT / "locale"


def language():
    """The learner's language: "ko" when ``COURSE_LANGUAGE`` asks for Korean, else "en"."""
    chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return chosen if chosen in LANGUAGES else "en"


@lru_cache
def catalog(language):
    """The compiled catalog of ``language`` (English needs none: its templates are the source)."""
    return gettext.translation(DOMAIN, localedir=LOCALE, languages=[language], fallback=True)


def _(template, /, **values):
    """``template`` in the learner's language, with its ``{placeholders}`` filled from ``values``.

    Without values the text is returned as it is, braces and all.
    """
    text = template if language() == "en" else catalog(language()).gettext(template)
    return text.format(**values) if values else text


def N_(template):
    """Mark ``template`` for the catalogs without translating it now: ``_()`` does, when shown."""
    return template


def in_every_language(template):
    """``template`` as each language of the course writes it (English first), without repeats.

    The quiz uses it to accept an option's whole text in any language.
    """
    texts = [template] + [catalog(other).gettext(template) for other in LANGUAGES if other != "en"]
    return list(dict.fromkeys(texts))
