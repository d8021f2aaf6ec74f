"""Learning curves drawn from a Trainer's ``state.log_history`` (lesson 3.5).

The lesson code trains (``trainer.train()``) and reads ``trainer.state.log_history``
itself; these helpers only draw. A log history is a list of dicts: one per logged
training step (``loss``, ``epoch``, ``step``, ...), one per evaluation (``eval_loss``,
``eval_accuracy``, ...), and a last one that sums up the run (``train_loss``,
``train_runtime``, ...), which is not drawn.

Every axis of values starts at 0 (accuracy runs from 0 to 1), so that a run whose
numbers hardly move draws a flat line, not one stretched to fill the panel.
"""

from utils.language import N_, _
from utils.plots import add_caption, new_figure

TRAINING_COLOUR = "#2874a6"  # blue
VALIDATION_COLOUR = "#d35400"  # orange: apart from blue with the common colour blindnesses
ACCURACY_COLOUR = "#229954"
BASELINE_COLOUR = "#777777"
BASELINE_LABEL = N_("always the most common label")  # shown with _()
# The metrics the lessons draw, by their key in the log history (``eval_accuracy``).
METRIC_NAMES = {"accuracy": N_("accuracy")}


def training_points(log_history, x="epoch"):
    """The logged training losses as two lists: positions (epoch or step) and losses."""
    rows = [row for row in log_history if "loss" in row]
    return [row[x] for row in rows], [row["loss"] for row in rows]


def evaluation_points(log_history, key="eval_loss", x="epoch"):
    """One evaluation value (``eval_loss``, ``eval_accuracy``...) as positions and values."""
    rows = [row for row in log_history if key in row]
    return [row[x] for row in rows], [row[key] for row in rows]


def space_ticks(axes, x):
    """Whole epochs (or steps) as ticks, a few of them, with room at both ends."""
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.margins(x=0.06)


def metric_name(metric):
    """What a figure calls ``metric``: "accuracy" in the learner's language, another as it is."""
    return _(METRIC_NAMES[metric]) if metric in METRIC_NAMES else metric


def axis_name(x):
    """The x-axis label for ``x`` ("epoch" or "step")."""
    return _("epoch") if x == "epoch" else _("training step (optimizer updates)")


def draw_losses(axes, log_history, x="epoch", mark_best=True):
    """Training loss as a thin line, validation loss as dots joined by a line, on one axes."""
    positions, losses = training_points(log_history, x)
    if positions:
        axes.plot(positions, losses, color=TRAINING_COLOUR, linewidth=1.2, label=_("training loss"))
    positions, losses = evaluation_points(log_history, "eval_loss", x)
    if positions:
        axes.plot(
            positions,
            losses,
            color=VALIDATION_COLOUR,
            marker="o",
            markersize=4,
            linewidth=1.5,
            label=_("validation loss"),
        )
        if mark_best:
            best = losses.index(min(losses))
            axes.plot(
                positions[best],
                losses[best],
                linestyle="none",
                marker="*",
                markersize=13,
                color="black",
                label=_("lowest validation loss"),
                zorder=3,
            )


def say_nothing_logged(axes, text):
    """Write ``text`` in the middle of an empty panel, with no ticks to mislead."""
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", color="#777777")
    axes.tick_params(axis="x", which="both", bottom=False, labelbottom=False)


def draw_accuracy(axes, log_history, metric="accuracy", x="epoch", baseline=None):
    """Validation accuracy (or another ``eval_`` metric) as dots joined by a line, from 0 to 1.

    ``baseline`` (a number), when given, is drawn as a dashed line: the score of a
    model that always answers the most common label.
    """
    positions, values = evaluation_points(log_history, f"eval_{metric}", x)
    if not positions:
        say_nothing_logged(axes, _("no validation {name} logged", name=metric_name(metric)))
        return
    if baseline is not None:
        axes.axhline(
            baseline, color=BASELINE_COLOUR, linestyle="--", linewidth=1.2, label=_(BASELINE_LABEL)
        )
    axes.plot(
        positions,
        values,
        color=ACCURACY_COLOUR,
        marker="s",
        markersize=4,
        linewidth=1.5,
        label=_("validation {name}", name=metric_name(metric)),
    )
    axes.set_ylim(0, max(1.0, *values) * 1.04)


def summary(log_history, x="epoch"):
    """One sentence of what the numbers in a log history did: first, last and lowest values."""
    _positions, training = training_points(log_history, x)
    positions, validation = evaluation_points(log_history, "eval_loss", x)
    if not validation:
        if not training:
            return _("No evaluation was logged.")
        return _(
            "Training loss went from {first:.3f} to {last:.3f}; no evaluation was logged.",
            first=training[0],
            last=training[-1],
        )
    best = validation.index(min(validation))
    values = {
        "first": validation[0],
        "last": validation[-1],
        "lowest": validation[best],
        "unit": _("epoch") if x == "epoch" else _("step"),
        "at": positions[best],
    }
    if not training:
        return _(
            "Validation loss went from {first:.3f} to {last:.3f}, lowest ({lowest:.3f}) "
            "at {unit} {at:g}.",
            **values,
        )
    return _(
        "Training loss went from {train_first:.3f} to {train_last:.3f}; validation loss from "
        "{first:.3f} to {last:.3f}, lowest ({lowest:.3f}) at {unit} {at:g}.",
        train_first=training[0],
        train_last=training[-1],
        **values,
    )


def show_learning_curves(
    log_history, metric="accuracy", x="epoch", title=None, caption=None, baseline=None
):
    """Draw one run's learning curves: losses on the left, validation ``metric`` on the right.

    ``log_history`` is ``trainer.state.log_history``. Without evaluation entries
    (no ``eval_strategy``) only the training loss is drawn. ``x`` is "epoch" or
    "step". ``baseline``, a score, is drawn as a dashed line on the metric's panel.
    The caption says what the numbers did unless ``caption`` is given.
    Assign the result (``figure = show_learning_curves(...)``) so Jupyter shows it once.
    """
    has_metric = bool(evaluation_points(log_history, f"eval_{metric}", x)[0])
    if has_metric:
        import matplotlib.pyplot as plt

        figure, (loss_axes, metric_axes) = plt.subplots(
            1, 2, figsize=(10, 3.8), width_ratios=[3, 2], layout="constrained"
        )
    else:
        figure, loss_axes = new_figure(width=7, height=3.8)
    draw_losses(loss_axes, log_history, x)
    loss_axes.set_ylim(bottom=0)
    space_ticks(loss_axes, x)
    loss_axes.set_xlabel(axis_name(x))
    loss_axes.set_ylabel(_("loss (cross-entropy)"))
    loss_axes.set_title(_("Loss: lower is better"))
    loss_axes.legend(frameon=False, fontsize=9)
    if has_metric:
        draw_accuracy(metric_axes, log_history, metric, x, baseline)
        space_ticks(metric_axes, x)
        metric_axes.set_xlabel(axis_name(x))
        metric_axes.set_ylabel(_("validation {name}", name=metric_name(metric)))
        metric_axes.set_title(_("Validation {name}: higher is better", name=metric_name(metric)))
        metric_axes.legend(frameon=False, fontsize=9)
    figure.suptitle(title or _("Learning curves from trainer.state.log_history"))
    add_caption(figure, caption or summary(log_history, x))
    return figure


def show_runs(
    histories, x="epoch", metric=None, mark_best=True, title=None, caption=None, baseline=None
):
    """Draw several runs side by side: one column per run, the same axis labels for all.

    ``histories`` maps a run's name (the column title) to its log history. The
    top row shows the losses; with ``metric`` (e.g. "accuracy") a second row
    shows that validation metric, with ``baseline`` (a score) as a dashed line.
    Each row shares its y scale, so heights compare across runs.
    ``mark_best=False`` leaves the lowest validation loss unmarked (for an
    exercise that asks for it).
    """
    import matplotlib.pyplot as plt

    names = list(histories)
    rows = 2 if metric else 1
    figure, grid = plt.subplots(
        rows,
        len(names),
        figsize=(min(14, 3.3 * len(names) + 1), 3.0 * rows + 1.2),
        layout="constrained",
        sharey="row",
        squeeze=False,
    )
    for column, name in enumerate(names):
        loss_axes = grid[0][column]
        draw_losses(loss_axes, histories[name], x, mark_best)
        loss_axes.set_title(name)
        if metric:
            draw_accuracy(grid[1][column], histories[name], metric, x, baseline)
    grid[0][0].set_ylim(bottom=0)  # once every run is drawn: the row's scale fits them all
    for axes in grid.flat:
        if axes.get_lines():
            space_ticks(axes, x)
    grid[0][0].set_ylabel(_("loss"))
    if metric:
        grid[1][0].set_ylabel(_("validation {name}", name=metric_name(metric)))
    handles, labels = {}, []
    for axes in grid.flat:
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            if label not in handles:
                handles[label] = handle
                labels.append(label)
    figure.legend(
        [handles[label] for label in labels],
        labels,
        loc="outside right upper",
        frameon=False,
    )
    figure.get_layout_engine().set(wspace=0.06)
    for axes in grid[-1]:
        axes.set_xlabel(axis_name(x))
    figure.suptitle(title or _("Several runs, side by side"), fontsize=13)
    add_caption(
        figure,
        caption
        or _(
            "Each column is one run; each row shares its scale, so the heights compare across runs."
        ),
    )
    return figure
