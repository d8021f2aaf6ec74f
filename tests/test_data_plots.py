"""The data lessons' charts (utils/data_plots.py): complete, counted right, no label on another."""

import itertools

import matplotlib

matplotlib.use("agg")

from figures import assert_complete, described  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

from utils import data_plots  # noqa: E402


def test_padding_counts_on_hand_made_lengths():
    counts = data_plots.padding_counts([3, 5, 2, 2], batch_size=2)
    # batches [3, 5] -> 2*5 - 8 = 2; [2, 2] -> 0; longest overall 5: 4*5 - 12 = 8
    assert counts == {
        "dynamic padding (per batch)": 2,
        "pad to the longest example": 8,
        "pad to 512": 4 * 512 - 12,
    }
    assert data_plots.padding_counts([7], batch_size=8)["dynamic padding (per batch)"] == 0


def test_every_figure_has_title_labels_and_caption():
    tokenizer = AutoTokenizer.from_pretrained("google-bert/bert-base-uncased")
    pair = tokenizer("This is the first sentence.", "This is the second one.")
    figure = data_plots.show_token_types(tokenizer, pair)
    assert_complete(figure)
    assert "first 8 tokens" in described(figure)[3][0]
    assert_complete(data_plots.show_length_histogram([10, 20, 30, 45]))
    counts = data_plots.padding_counts([10, 20, 30, 45])
    assert_complete(data_plots.show_padding_counts(counts, real_tokens=105))
    assert_complete(data_plots.show_timings({"batched=False": 1.2, "batched=True": 0.3}))


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
