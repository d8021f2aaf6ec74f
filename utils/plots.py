"""Pictures for the lessons, drawn with matplotlib.

The lesson code stays what a learner would type in their own project; these
helpers only draw. Every figure has a title, labelled axes and a one-line
caption saying what to notice. Each function returns the matplotlib Figure.
Their words are in the learner's language (``_()``); in Korean, ``utils.setup()`` has
registered a Hangul font (``utils.korean_font``).
"""

import matplotlib.pyplot as plt

from utils.language import _


def add_caption(figure, text):
    """Put a one-line caption under a figure: what the learner should notice."""
    figure.text(0.5, -0.02, text, ha="center", va="top", fontsize=10, style="italic", wrap=True)
    return figure


def new_figure(width=8, height=3.5):
    """A new figure and axes of the course's usual size."""
    return plt.subplots(figsize=(width, height), layout="constrained")


def _plain_rows(values):
    """A tensor, NumPy array or list of lists as a plain list of lists."""
    return values.tolist() if hasattr(values, "tolist") else [list(row) for row in values]


# Attention-mask colours: grey for 0 (padding), blue for 1 (a real token).
MASK_COLOURS = ["#e4e4e4", "#a9cce3"]


def draw_mask_grid(axes, mask, row_names, labels):
    """Colour ``mask`` as a grid of cells with white borders, name the rows, put a legend on top.

    ``row_names`` name the rows, top first; ``labels`` are the legend's words for the values
    0 and 1.
    """
    from matplotlib.colors import ListedColormap

    rows, columns = len(mask), max(len(row) for row in mask)
    axes.imshow(mask, cmap=ListedColormap(MASK_COLOURS), vmin=0, vmax=1, aspect="auto")
    axes.set_xticks(range(columns))
    axes.set_yticks(range(rows), row_names)
    axes.set_xticks([x - 0.5 for x in range(1, columns)], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    axes.grid(which="minor", color="white", linewidth=2)
    axes.tick_params(which="minor", length=0)
    legend_on_top(axes, [(MASK_COLOURS[value], labels[value]) for value in (1, 0)])


def legend_on_top(axes, colours_and_labels):
    """A one-row legend of coloured patches just above the axes (give the title some ``pad``)."""
    from matplotlib.patches import Patch

    axes.legend(
        handles=[Patch(color=colour, label=label) for colour, label in colours_and_labels],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=len(colours_and_labels),
        frameon=False,
    )


def show_padded_batch(tokenizer, inputs):
    """Draw a padded batch as a grid: one row per sequence, each cell a token and its input ID.

    ``inputs`` is what ``tokenizer(..., padding=True)`` returned. A cell's colour is
    its ``attention_mask`` value: real tokens are blue, padding is grey. Assign the
    result (``figure = show_padded_batch(...)``) so that Jupyter shows it once.
    """
    ids = _plain_rows(inputs["input_ids"])
    mask = _plain_rows(inputs["attention_mask"])
    rows, columns = len(ids), max(len(row) for row in ids)
    # At most 11 inches wide, so that a notebook shows it without shrinking the text.
    figure, axes = new_figure(width=min(11, max(6, 0.62 * columns + 1.5)), height=0.8 * rows + 2)
    draw_mask_grid(
        axes,
        mask,
        [_("sentence {number}", number=row + 1) for row in range(rows)],
        [_("attention_mask 0: padding"), _("attention_mask 1: a real token")],
    )
    for row, row_ids in enumerate(ids):
        for column, (token, token_id) in enumerate(
            zip(tokenizer.convert_ids_to_tokens(row_ids), row_ids, strict=True)
        ):
            padding = mask[row][column] == 0
            axes.text(
                column,
                row,
                f"{token}\n{token_id}",
                ha="center",
                va="center",
                fontsize=8,
                color="#777777" if padding else "black",
            )
    axes.set_xlabel(_("position in the sequence (each cell: token, then its input ID)"))
    axes.set_ylabel(_("sequence in the batch"))
    axes.set_title(_("A padded batch: tokens, input IDs and attention mask"), pad=26)
    shortest = min(sum(row) for row in mask)
    add_caption(
        figure,
        _(
            "All rows are {columns} positions long: the shortest sentence has {shortest} real "
            "tokens, then {pad} (ID {pad_id}) fills the rest, marked 0 in the attention mask "
            "so the model ignores it.",
            columns=columns,
            shortest=shortest,
            pad=tokenizer.pad_token,
            pad_id=tokenizer.pad_token_id,
        ),
    )
    return figure


def show_probabilities(probabilities, id2label, sentences=None):
    """Draw the softmax probabilities as grouped bars: one group per sentence, one bar per label.

    ``probabilities`` has shape (sentences, labels); ``id2label`` is
    ``model.config.id2label``, which names the bars. Assign the result
    (``figure = show_probabilities(...)``) so that Jupyter shows it once.
    """
    import textwrap

    if hasattr(probabilities, "detach"):
        probabilities = probabilities.detach()
    values = _plain_rows(probabilities)
    count, labels = len(values), len(values[0])
    names = sentences or [_("sentence {number}", number=index + 1) for index in range(count)]
    width = 0.8 / labels
    palette = ["#c0392b", "#2874a6", "#27ae60", "#8e44ad", "#d68910"]
    figure, axes = new_figure(width=max(6, 3 * count + 2), height=4)
    for label in range(labels):
        positions = [index + (label - (labels - 1) / 2) * width for index in range(count)]
        heights = [row[label] for row in values]
        bars = axes.bar(
            positions, heights, width, label=id2label[label], color=palette[label % len(palette)]
        )
        axes.bar_label(bars, fmt="%.4f", fontsize=8, padding=2)
    axes.set_xticks(range(count), [textwrap.fill(name, 30) for name in names], fontsize=9)
    axes.set_ylim(0, 1.15)
    axes.set_ylabel(_("probability (softmax of the logits)"))
    axes.set_xlabel(_("input sentence"))
    axes.set_title(_("What the model predicts: one probability per label"))
    axes.legend(
        title="model.config.id2label", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False
    )
    add_caption(
        figure,
        _("Each sentence's bars add up to 1; the label with the taller bar is the prediction."),
    )
    return figure


def show_attention_mask(tokenizer, input_ids, attention_mask):
    """Draw an attention mask as a grid: one row per sequence, one column per position.

    Each cell is labelled with its token and mask value, coloured as in lesson
    2.2's picture of a padded batch: blue for 1 (a real token), grey for 0 (padding).
    """
    ids, mask = _plain_rows(input_ids), _plain_rows(attention_mask)
    rows, columns = len(ids), max(len(row) for row in ids)
    figure, axes = new_figure(width=min(11, max(6, 0.9 * columns + 3)), height=0.8 * rows + 2)
    draw_mask_grid(
        axes,
        mask,
        [_("sequence {number}", number=row + 1) for row in range(rows)],
        [_("0: padding"), _("1: a real token")],
    )
    for row, row_ids in enumerate(ids):
        tokens = tokenizer.convert_ids_to_tokens(row_ids)
        for column, token in enumerate(tokens):
            axes.text(
                column,
                row,
                f"{token}\n" + _("mask {value}", value=mask[row][column]),
                ha="center",
                va="center",
                fontsize=9,
                color="black" if mask[row][column] else "#555555",
            )
    axes.set_xlabel(_("position in the sequence"))
    axes.set_ylabel(_("sequence in the batch"))
    axes.set_title(_("The attention mask: 1 = attend to this token, 0 = ignore it"), pad=26)
    add_caption(figure, _("Only the padding position is 0: the model will not look at it."))
    return figure


def show_masked_logits(alone, without_mask, with_mask, id2label):
    """Compare one sequence's logits: run alone, padded in a batch without and with a mask.

    Each argument holds the two logits of the same sequence (one per label).
    The bars for "alone" and "with the mask" match; "without a mask" does not.
    """
    runs = {
        _("alone"): alone,
        _("in the batch, no mask"): without_mask,
        _("in the batch, with mask"): with_mask,
    }
    values = {name: [float(v) for v in _plain_rows([logits])[0]] for name, logits in runs.items()}
    labels = len(next(iter(values.values())))
    figure, axes = new_figure(width=8, height=3.8)
    width = 0.8 / len(runs)
    # Blue for the two runs that agree, orange for the one that does not
    # (distinguishable with the common forms of colour blindness).
    colours = ["#1f77b4", "#ff7f0e", "#6baed6"]
    for index, (name, logits) in enumerate(values.items()):
        positions = [label + (index - (len(runs) - 1) / 2) * width for label in range(labels)]
        bars = axes.bar(positions, logits, width, label=name, color=colours[index])
        axes.bar_label(bars, fmt="%.4f", fontsize=8, padding=2)
    axes.axhline(0, color="black", linewidth=0.8)
    axes.margins(y=0.2)  # room for the value labels above and below the bars
    axes.set_xticks(range(labels), [id2label[label] for label in range(labels)])
    axes.set_xlabel(_("label (model.config.id2label)"))
    axes.set_ylabel(_("logit"))
    axes.set_title(_("The padded sequence's logits, three ways"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    add_caption(
        figure,
        _("Without a mask the padding changes the logits; with it they match the run alone."),
    )
    return figure
