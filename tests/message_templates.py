"""Which ``_()`` template a message shown to a learner was made from.

A message is translatable only if it is one whole template of the ``utils`` catalogs with its
placeholders filled in: then the Korean edition shows the same message in Korean. A message
glued from several pieces, or with English outside any template, is not, and the tests that
produce it fail (see ``verdicts_fit`` in ``tests/conftest.py``).
"""

import re
from functools import cache

from utils.instructors import translations
from utils.instructors.translations import PLACEHOLDER


def pattern(template):
    """A regular expression for ``template`` filled in: each placeholder stands for any text."""
    pieces = PLACEHOLDER.split(" ".join(template.split()))
    return re.compile("(?:.*?)".join(re.escape(piece) for piece in pieces), flags=re.S)


@cache
def templates():
    """Every English template of the ``utils`` catalogs, with its pattern."""
    found = {}
    for path in translations.source_modules():
        for message in translations.read(translations.template_path(path)):
            if message.id:
                found[message.id] = pattern(message.id)
    return found


def template_of(message):
    """The template ``message`` was made from, or None when it is not one whole template."""
    text = " ".join(str(message).split())
    return next((t for t, compiled in templates().items() if compiled.fullmatch(text)), None)
