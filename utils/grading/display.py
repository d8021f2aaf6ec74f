"""How a verdict appears: HTML in Jupyter, plain text elsewhere, tagged for the grader."""

import html
import re

from utils.grading.outcomes import CORRECT, INCORRECT, NOT_ATTEMPTED

ICONS = {CORRECT: "✅", INCORRECT: "❌", NOT_ATTEMPTED: "✏️"}
COLOURS = {CORRECT: "#1a7f37", INCORRECT: "#cf222e", NOT_ATTEMPTED: "#6e7781"}


def publish(task, status, message):
    """Show an outcome in the notebook and tag it for the grader."""
    text = f"{ICONS[status]} {task}: {status}. {message}"
    marked_up = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
    bundle = {
        "text/plain": text,
        "text/html": f'<div style="color:{COLOURS[status]}">{marked_up}</div>',
    }
    metadata = {"course_check": {"task": task, "status": status, "message": message}}
    try:
        from IPython.display import display

        display(bundle, raw=True, metadata=metadata)
    except ImportError:  # plain Python: just print
        print(text)
