"""The data lessons' charts: no label sits on another, and the timings chart states its ratio."""

import itertools

import matplotlib

matplotlib.use("agg")

from utils import data_plots  # noqa: E402


def text_boxes(figure):
    """The screen boxes of every visible text in a drawn figure, legend included."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = []
    for axes in figure.axes:
        texts = [t for t in axes.texts + axes.get_xticklabels() + axes.get_yticklabels()]
        legend = axes.get_legend()
        if legend is not None:
            boxes.append(("legend", legend.get_window_extent(renderer)))
        texts += [axes.title, axes.xaxis.label, axes.yaxis.label]
        boxes += [
            (text.get_text(), text.get_window_extent(renderer))
            for text in texts
            if text.get_visible() and text.get_text()
        ]
    return boxes


def bar_boxes(figure):
    """The screen boxes of the bars."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [patch.get_window_extent(renderer) for patch in figure.axes[0].patches]


def test_the_padding_chart_keeps_its_legend_off_the_bars_and_labels():
    # Lengths like MRPC's: a few long outliers make "pad to 512" by far the longest bar.
    lengths = [40 + (index * 37) % 60 for index in range(400)] + [103]
    counts = data_plots.padding_counts(lengths, batch_size=8)
    figure = data_plots.show_padding_counts(counts, real_tokens=sum(lengths))
    boxes = text_boxes(figure)
    legend = dict(boxes)["legend"]
    assert not any(legend.overlaps(bar) for bar in bar_boxes(figure))
    for (first, one), (second, other) in itertools.combinations(boxes, 2):
        assert not one.overlaps(other), f"{first!r} overlaps {second!r}"


def test_the_timings_chart_states_the_measured_ratio():
    figure = data_plots.show_timings({"batched=False": 1.2, "batched=True": 0.3})
    captions = [text.get_text() for text in figure.texts]
    assert any("4.0 times as fast" in caption for caption in captions)
