"""Chapter 2's pictures (utils/plots.py): each has a title, labelled axes and a caption."""

import matplotlib

matplotlib.use("agg")

from figures import assert_complete  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402

from utils import plots  # noqa: E402


def test_chapter_2_figures():
    tokenizer = AutoTokenizer.from_pretrained("google-bert/bert-base-uncased")
    batch = tokenizer(["Hello there!", "Hi"], padding=True)
    assert_complete(plots.show_padded_batch(tokenizer, batch))
    assert_complete(
        plots.show_attention_mask(tokenizer, batch["input_ids"], batch["attention_mask"])
    )
    assert_complete(plots.show_probabilities([[0.1, 0.9], [0.8, 0.2]], {0: "NEG", 1: "POS"}))
    assert_complete(
        plots.show_masked_logits([1.0, -1.0], [0.5, -0.5], [1.0, -1.0], {0: "N", 1: "P"})
    )
