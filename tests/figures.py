"""What every course figure has: a title, labelled axes and one caption (for the figure tests)."""


def described(figure):
    """Title, axis labels and captions of a figure's first axes."""
    axes = figure.axes[0]
    captions = [text.get_text() for text in figure.texts]
    return axes.get_title(), axes.get_xlabel(), axes.get_ylabel(), captions


def assert_complete(figure):
    """A title, both axis labels and exactly one non-empty caption."""
    title, xlabel, ylabel, captions = described(figure)
    assert title and xlabel and ylabel, (title, xlabel, ylabel)
    assert len(captions) == 1 and captions[0]
