"""The data lesson's pictures and counts."""

import matplotlib

matplotlib.use("agg")

import pytest  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

from utils import data_plots, plots  # noqa: E402


def described(figure):
    """Title, axis labels and caption of a figure's first axes."""
    axes = figure.axes[0]
    captions = [text.get_text() for text in figure.texts]
    return axes.get_title(), axes.get_xlabel(), axes.get_ylabel(), captions


def assert_complete(figure):
    title, xlabel, ylabel, captions = described(figure)
    assert title and xlabel and ylabel, (title, xlabel, ylabel)
    assert len(captions) == 1 and captions[0]


def test_padding_counts_on_hand_made_lengths():
    counts = data_plots.padding_counts([3, 5, 2, 2], batch_size=2)
    # batches [3, 5] -> 2*5 - 8 = 2; [2, 2] -> 0; longest overall 5: 4*5 - 12 = 8
    assert counts == {
        "dynamic padding (per batch)": 2,
        "pad to the longest example": 8,
        "pad to 512": 4 * 512 - 12,
    }
    assert data_plots.padding_counts([7], batch_size=8)["dynamic padding (per batch)"] == 0


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained("google-bert/bert-base-uncased")


def test_every_figure_has_title_labels_and_caption(tokenizer):
    pair = tokenizer("This is the first sentence.", "This is the second one.")
    figure = data_plots.show_token_types(tokenizer, pair)
    assert_complete(figure)
    assert "first 8 tokens" in described(figure)[3][0]
    assert_complete(data_plots.show_length_histogram([10, 20, 30, 45]))
    counts = data_plots.padding_counts([10, 20, 30, 45])
    assert_complete(data_plots.show_padding_counts(counts, real_tokens=105))
    assert_complete(data_plots.show_timings({"batched=False": 1.2, "batched=True": 0.3}))


def test_chapter_2_figures(tokenizer):
    batch = tokenizer(["Hello there!", "Hi"], padding=True)
    assert_complete(plots.show_padded_batch(tokenizer, batch))
    assert_complete(
        plots.show_attention_mask(tokenizer, batch["input_ids"], batch["attention_mask"])
    )
    assert_complete(plots.show_probabilities([[0.1, 0.9], [0.8, 0.2]], {0: "NEG", 1: "POS"}))
    assert_complete(
        plots.show_masked_logits([1.0, -1.0], [0.5, -0.5], [1.0, -1.0], {0: "N", 1: "P"})
    )
