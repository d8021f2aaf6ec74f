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


def has_words(template):
    """Whether ``template`` has a word besides its placeholders ("0" and "{x}" have none)."""
    return re.search(r"[^\W\d_]{2,}", PLACEHOLDER.sub("", template)) is not None


def is_sentence(template):
    """Whether ``template`` is one or more sentences, not a noun phrase such as "a {kind}" or
    "element {position}" (which has no punctuation of its own)."""
    return re.search(r"[.?!:;]", PLACEHOLDER.sub("", template)) is not None


@cache
def templates(language="en"):
    """Every template of the ``utils`` catalogs that has words of its own, as written in
    ``language``: a list of (template, its pattern, its English)."""
    found = []
    for path in translations.source_modules():
        po = translations.template_path(path)
        if language != "en":
            po = translations.catalog_path(path, language)
        for message in translations.read(po):
            text = message.id if language == "en" else message.string
            if message.id and text and has_words(message.id):
                found.append((text, pattern(text), message.id))
    return found


def template_of(message, language="en", sentences_only=False):
    """The template of ``language`` that ``message`` was made from, or None when it is not one
    whole template. With ``sentences_only``, noun phrases ("a {kind}") do not count."""
    text = " ".join(str(message).split())
    for template, compiled, english in templates(language):
        if sentences_only and not is_sentence(english):
            continue
        if compiled.fullmatch(text):
            return template
    return None
