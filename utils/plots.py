"""Pictures for the lessons, drawn with matplotlib.

The lesson code stays what a learner would type in their own project; these
helpers only draw. Every figure has a title, labelled axes and a one-line
caption saying what to notice. Each function returns the matplotlib Figure.
"""

import matplotlib.pyplot as plt


def add_caption(figure, text):
    """Put a one-line caption under a figure: what the learner should notice."""
    figure.text(0.5, -0.02, text, ha="center", va="top", fontsize=10, style="italic", wrap=True)
    return figure


def new_figure(width=8, height=3.5):
    """A new figure and axes of the course's usual size."""
    return plt.subplots(figsize=(width, height), layout="constrained")
