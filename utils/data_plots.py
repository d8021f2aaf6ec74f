"""Pictures and counts for the data lessons: token types, lengths, padding, timings.

Like ``utils.plots``, these helpers only draw (and count); the lesson code that
loads and tokenizes the data stays what a learner would type.
"""

from utils.language import _
from utils.plots import add_caption, legend_on_top, new_figure


def show_token_types(tokenizer, encoding):
    """Draw a pair's tokens with their token_type_ids underneath, coloured by segment."""
    tokens = tokenizer.convert_ids_to_tokens(encoding["input_ids"])
    types = list(encoding["token_type_ids"])
    figure, axes = new_figure(width=min(11, max(6, 0.62 * len(tokens) + 2)), height=2.6)
    colours = {0: "#a9cce3", 1: "#f5cba7"}
    for position, (token, kind) in enumerate(zip(tokens, types, strict=True)):
        axes.add_patch(_box(position, kind, colours[kind]))
        axes.text(position, 1, token, ha="center", va="center", fontsize=8)
        axes.text(position, 0, str(kind), ha="center", va="center", fontsize=11, weight="bold")
    axes.set_xlim(-0.5, len(tokens) - 0.5)
    axes.set_ylim(-0.5, 1.5)
    axes.set_yticks([0, 1], ["token_type_ids", _("token")])
    axes.set_ylabel(_("encoding"))
    axes.set_xticks(range(len(tokens)))
    axes.set_xlabel(_("position in the encoded pair"))
    axes.set_title(_("A sentence pair: which segment each token belongs to"), pad=24)
    legend_on_top(
        axes,
        [(colours[0], _("segment 0: sentence 1")), (colours[1], _("segment 1: sentence 2"))],
    )
    add_caption(
        figure,
        _(
            "The first {count} tokens ([CLS], sentence 1, [SEP]) are segment 0; the rest "
            "(sentence 2 and its [SEP]) are segment 1.",
            count=types.count(0),
        ),
    )
    return figure


def _box(position, kind, colour):
    """A coloured column behind one token and its type."""
    from matplotlib.patches import Rectangle

    return Rectangle((position - 0.48, -0.45), 0.96, 1.9, color=colour, zorder=0)


def show_length_histogram(lengths, split_name="train"):
    """A histogram of tokenized lengths, with the mean and the longest marked."""
    figure, axes = new_figure(width=8, height=3.6)
    axes.hist(lengths, bins=range(0, max(lengths) + 5, 4), color="#5dade2", edgecolor="white")
    mean = sum(lengths) / len(lengths)
    axes.axvline(mean, color="#1a5276", linestyle="--", label=_("mean {mean:.1f}", mean=mean))
    axes.axvline(
        max(lengths),
        color="#c0392b",
        linestyle=":",
        label=_("longest {longest}", longest=max(lengths)),
    )
    axes.set_xlabel(_("tokens per example (sentence pair, with special tokens)"))
    axes.set_ylabel(_("number of examples"))
    axes.set_title(
        _(
            "Tokenized lengths over the {split} split ({count:,} examples)",
            split=split_name,
            count=len(lengths),
        )
    )
    axes.legend(frameon=False)
    add_caption(
        figure,
        _("Most examples sit near the mean, well short of the longest; all are far below 512."),
    )
    return figure


def padding_counts(lengths, batch_size=8):
    """Padding tokens needed for ``lengths``, three ways, with batches taken in order.

    Returns a dict: padding each batch to its own longest example (dynamic
    padding), padding everything to the longest example of all, and padding
    everything to 512. Its keys name the strategies in the learner's language.
    """
    real = sum(lengths)
    batches = [lengths[start : start + batch_size] for start in range(0, len(lengths), batch_size)]
    dynamic = sum(len(batch) * max(batch) for batch in batches) - real
    return {
        _("dynamic padding (per batch)"): dynamic,
        _("pad to the longest example"): len(lengths) * max(lengths) - real,
        _("pad to 512"): len(lengths) * 512 - real,
    }


def show_padding_counts(counts, real_tokens):
    """Bar chart of the padding tokens each strategy adds; the real tokens as a reference line."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure, axes = new_figure(width=8, height=3.4)
    names, values = list(counts), list(counts.values())
    bars = axes.barh(names, values, color=["#5dade2", "#f5b041", "#ec7063"])
    labels = axes.bar_label(bars, labels=[f"{value:,}" for value in values], padding=3, fontsize=9)
    for label in labels:  # stay readable where the reference line crosses them
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1})
    axes.axvline(
        real_tokens,
        color="#555555",
        linestyle="--",
        zorder=0,
        label=_("real tokens: {count:,}", count=real_tokens),
    )
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(6))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value / 1000:,.0f}k"))
    axes.set_xlabel(_("padding tokens added (k = thousand)"))
    axes.set_ylabel(_("padding strategy"))
    axes.set_xlim(0, max(values + [real_tokens]) * 1.2)
    axes.set_title(_("Padding tokens added to MRPC's training split, by strategy"), pad=32)
    # Above the axes, clear of the bars and their labels.
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    add_caption(
        figure,
        _(
            "Dynamic padding adds a small fraction of what fixed lengths add; "
            "the dashed line shows the real tokens, for scale."
        ),
    )
    return figure


def show_timings(seconds):
    """Bar chart of measured times, e.g. ``{"batched=False": 3.1, "batched=True": 0.4}``."""
    figure, axes = new_figure(width=7, height=3)
    bars = axes.barh(list(seconds), list(seconds.values()), color=["#ec7063", "#58d68d"])
    axes.bar_label(
        bars, labels=[_("{seconds:.2f} s", seconds=value) for value in seconds.values()], padding=3
    )
    axes.invert_yaxis()
    axes.set_xlim(0, max(seconds.values()) * 1.3)
    axes.set_xlabel(_("seconds (measured in this notebook)"))
    axes.set_ylabel(_("Dataset.map call"))
    axes.set_title(_("Tokenizing with map: one example at a time vs batches"))
    slow, fast = seconds.values()
    add_caption(
        figure,
        _("Measured in this run: batches were {ratio:.1f} times as fast.", ratio=slow / fast),
    )
    return figure
