"""How verdicts, hints and solutions appear: HTML in Jupyter, plain text elsewhere.

Each is shown as one display bundle with two forms: ``text/html``, which
JupyterLab and Colab render (a coloured box with a title, inline code and
emphasis, Python highlighted with Pygments), and ``text/plain``, its twin for
terminals and for the grader. Nothing goes to stderr: that is for warnings
and errors. A verdict also carries the metadata ``{"course_check": {...}}``
that ``python -m utils.grade`` reads its scorecard from.

Messages use a small part of Markdown: `code` and *emphasis*. Everything else
is escaped, so a message can quote any value safely.
"""

import ast
import html
import re

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from utils.grading.outcomes import CORRECT, INCORRECT, NOT_ATTEMPTED
from utils.language import N_, _

ICONS = {CORRECT: "✅", INCORRECT: "❌", NOT_ATTEMPTED: "✏️"}
# What a status is called on the page; the metadata keeps the machine word.
STATUS_WORDS = {
    CORRECT: N_("correct"),
    INCORRECT: N_("incorrect"),
    NOT_ATTEMPTED: N_("not attempted"),
}
COLOURS = {CORRECT: "#1a7f37", INCORRECT: "#cf222e", NOT_ATTEMPTED: "#6e7781"}
HELP_COLOUR = "#0969da"

# Wrap between words only; code keeps its lines and scrolls sideways instead.
BOX_STYLE = (
    "border-left: 4px solid {colour}; padding: 0.3em 0.8em; margin: 0.2em 0; "
    "white-space: normal; overflow-wrap: normal; word-break: normal; line-height: 1.5"
)
TITLE_STYLE = "font-weight: 600; color: {colour}"
CODE_BLOCK_STYLE = (
    "white-space: pre; overflow-x: auto; overflow-wrap: normal; word-break: normal; "
    "margin: 0.3em 0; padding: 0.4em 0.6em; background: #f6f8fa; border-radius: 4px"
)
INLINE_CODE = re.compile(r"`([^`]+)`")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def inline_html(text):
    """``text`` as HTML: `code` and *emphasis* rendered, everything else escaped."""
    pieces = INLINE_CODE.split(text)  # even positions: prose; odd: code
    rendered = []
    for position, piece in enumerate(pieces):
        escaped = html.escape(piece)
        if position % 2:
            rendered.append(f"<code>{escaped}</code>")
        else:
            rendered.append(EMPHASIS.sub(r"<em>\1</em>", escaped))
    return "".join(rendered)


def code_html(code):
    """Python code as a highlighted HTML block (inline styles, so no stylesheet is needed)."""
    spans = highlight(code, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=True))
    return f'<pre style="{CODE_BLOCK_STYLE}"><code>{spans.rstrip()}</code></pre>'


def looks_like_code(text):
    """True for a hint that is Python code (``answer = 6 * 7``), not a sentence."""
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def box(colour, body, title=None):
    """An HTML box with a coloured left border, an optional title and a body."""
    heading = ""
    if title:
        heading = f'<div style="{TITLE_STYLE.format(colour=colour)}">{html.escape(title)}</div>'
    style = BOX_STYLE.format(colour=colour)
    return f'<div class="course-output" style="{style}">{heading}{body}</div>'


def show(plain, rich, metadata=None):
    """Display the two forms of one output: rendered in Jupyter, printed elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:  # plain Python, a terminal: just print
        print(plain)
        return
    display({"text/plain": plain, "text/html": rich}, raw=True, metadata=metadata or {})


def status_word(status):
    """What ``status`` is called on the page, in the learner's language ("incorrect", "오답")."""
    return _(STATUS_WORDS[status])


def publish(task, status, message):
    """Show an outcome in the notebook and tag it for the grader."""
    text = f"{ICONS[status]} {task}: {status_word(status)} — {message}"
    body = f'<span style="color:{COLOURS[status]}">{inline_html(text)}</span>'
    metadata = {"course_check": {"task": task, "status": status, "message": message}}
    show(text, box(COLOURS[status], body), metadata)


def show_hint(task, level, total, text, more=""):
    """Show hint ``level`` of ``total`` for ``task``, titled ``Hint 2 of 3 · T4``.

    The last hint says so in its title: ``Hint 3 of 3 (the last) · T4``.
    """
    if not total:
        title = _("Hint · {task}", task=task)
    elif total > 1 and level == total:
        title = _(
            "Hint {level} of {total} (the last) · {task}", level=level, total=total, task=task
        )
    else:
        title = _("Hint {level} of {total} · {task}", level=level, total=total, task=task)
    plain = f"{title}: {text}" + (f" {more}" if more else "")
    body = code_html(text) if looks_like_code(text) else f"<div>{inline_html(text)}</div>"
    if more:
        body += f'<div style="color:#6e7781">{inline_html(more)}</div>'
    show(plain, box(HELP_COLOUR, body, title))


def show_solution(task, code):
    """Show the solution of ``task``, titled ``Solution · T4``, as highlighted code."""
    title = _("Solution · {task}", task=task)
    show(f"{title}\n{code}", box(HELP_COLOUR, code_html(code), title))
