"""Lesson 3.5's learning-curve figures, drawn from hand-made log histories."""

import itertools

import matplotlib

matplotlib.use("agg")

import pytest  # noqa: E402

from utils import training_plots  # noqa: E402


def log_history(train_losses, eval_losses=(), accuracies=(), steps_per_epoch=4):
    """A Trainer-like log history: training loss every 2 steps, evaluation each epoch."""
    history = []
    for index, loss in enumerate(train_losses):
        step = 2 * (index + 1)
        history.append(
            {"loss": loss, "grad_norm": 1.0, "epoch": step / steps_per_epoch, "step": step}
        )
    for epoch, (loss, accuracy) in enumerate(
        itertools.zip_longest(eval_losses, accuracies), start=1
    ):
        entry = {"eval_loss": loss, "epoch": float(epoch), "step": epoch * steps_per_epoch}
        if accuracy is not None:
            entry["eval_accuracy"] = accuracy
        history.append(entry)
    history.sort(key=lambda row: (row["step"], "eval_loss" in row))
    history.append({"train_loss": 0.123, "train_runtime": 1.0, "epoch": 3.0, "step": 12})
    return history


FULL = log_history([0.7, 0.65, 0.6, 0.5, 0.45, 0.4], [0.66, 0.6, 0.64], [0.6, 0.7, 0.68])
NO_EVAL = log_history([0.7, 0.65, 0.6, 0.5, 0.45, 0.4])
NO_ACCURACY = log_history([0.7, 0.6, 0.5], [0.69, 0.62])


def texts(figure):
    """Suptitle and captions of a figure."""
    title = figure.get_suptitle()
    captions = [text.get_text() for text in figure.texts if text.get_text() != title]
    return title, captions


def assert_complete(figure):
    """A title, labelled axes, a legend and exactly one caption."""
    title, captions = texts(figure)
    assert title
    assert any(caption for caption in captions)
    assert figure.axes[0].get_title(), "panels are named"
    for axes in figure.axes:
        if axes.get_subplotspec().is_last_row():
            assert axes.get_xlabel(), "the bottom row's x axes are labelled"
    assert any(axes.get_ylabel() for axes in figure.axes)
    legends = [axes.get_legend() for axes in figure.axes] + list(figure.legends)
    assert any(legend is not None for legend in legends)


def shown_tick_labels(axis):
    """The tick labels matplotlib draws: those of ticks inside the axis's view limits."""
    low, high = sorted(axis.get_view_interval())
    return [tick.label1 for tick in axis.get_major_ticks() if low <= tick.get_loc() <= high]


def boxes(figure):
    """Every visible tick label, axis label, title and caption, with its box on the canvas."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    found = []
    for axes in figure.axes:
        labels = shown_tick_labels(axes.xaxis) + shown_tick_labels(axes.yaxis)
        labels += [axes.xaxis.label, axes.yaxis.label, axes.title]
        found += [label for label in labels if label.get_visible() and label.get_text()]
    legends = [axes.get_legend() for axes in figure.axes] + list(figure.legends)
    found += [text for legend in legends if legend for text in legend.get_texts()]
    found += [text for text in figure.texts if text.get_text()]
    return [(label.get_text(), label.get_window_extent(renderer)) for label in found]


def assert_no_overlap(figure):
    placed = boxes(figure)
    assert placed
    for (one, box_1), (two, box_2) in itertools.combinations(placed, 2):
        assert not box_1.overlaps(box_2), f"{one!r} overlaps {two!r}"


def test_one_run_with_loss_and_accuracy():
    figure = training_plots.show_learning_curves(FULL)
    assert_complete(figure)
    assert len(figure.axes) == 2
    loss_axes, accuracy_axes = figure.axes
    labels = [line.get_label() for line in loss_axes.get_lines()]
    assert labels == ["training loss", "validation loss", "lowest validation loss"]
    assert list(accuracy_axes.get_lines()[0].get_ydata()) == [0.6, 0.7, 0.68]
    star = loss_axes.get_lines()[2]
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([2.0], [0.6])
    assert_no_overlap(figure)


def test_the_caption_says_what_the_numbers_did():
    caption = texts(training_plots.show_learning_curves(FULL))[1][0]
    assert "from 0.700 to 0.400" in caption
    assert "from 0.660 to 0.640, lowest (0.600) at epoch 2" in caption
    by_step = texts(training_plots.show_learning_curves(FULL, x="step"))[1][0]
    assert "at step 8" in by_step


def test_a_history_without_evaluation():
    figure = training_plots.show_learning_curves(NO_EVAL)
    assert_complete(figure)
    assert len(figure.axes) == 1
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["training loss"]
    assert "no evaluation was logged" in texts(figure)[1][0]
    assert_no_overlap(figure)


def test_a_history_without_accuracy_has_no_accuracy_panel():
    figure = training_plots.show_learning_curves(NO_ACCURACY)
    assert_complete(figure)
    assert len(figure.axes) == 1


def test_steps_on_the_x_axis():
    figure = training_plots.show_learning_curves(FULL, x="step")
    assert list(figure.axes[0].get_lines()[0].get_xdata()) == [2, 4, 6, 8, 10, 12]
    assert "step" in figure.axes[0].get_xlabel()


def test_the_summary_entry_is_not_drawn():
    positions, losses = training_plots.training_points(FULL)
    assert len(losses) == 6 and 0.123 not in losses


@pytest.mark.parametrize("metric", [None, "accuracy"])
def test_runs_side_by_side(metric):
    runs = {"A": FULL, "B": NO_EVAL, "C": NO_ACCURACY, "D": FULL}
    figure = training_plots.show_runs(runs, metric=metric, title="Four runs")
    assert_complete(figure)
    assert figure.get_suptitle() == "Four runs"
    assert len(figure.axes) == (8 if metric else 4)
    assert [axes.get_title() for axes in figure.axes[:4]] == ["A", "B", "C", "D"]
    assert len(figure.legends) == 1, "one legend for all the panels"
    top = figure.axes[:4]
    assert all(axes.get_shared_y_axes().joined(top[0], axes) for axes in top)
    if metric:
        empty = figure.axes[5]
        assert [text.get_text() for text in empty.texts] == ["no validation accuracy logged"]
        assert not empty.get_lines()
    assert_no_overlap(figure)


def test_runs_without_the_best_mark():
    figure = training_plots.show_runs({"A": FULL, "B": FULL}, mark_best=False)
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert "lowest validation loss" not in labels
    assert_no_overlap(figure)


def test_values_are_drawn_from_zero_so_a_flat_run_looks_flat():
    flat = log_history([0.69, 0.689, 0.688, 0.688], [0.69, 0.689], [0.68, 0.68])
    loss_axes, accuracy_axes = training_plots.show_learning_curves(flat).axes
    assert loss_axes.get_ylim()[0] == 0 and loss_axes.get_ylim()[1] > 0.69
    assert accuracy_axes.get_ylim()[0] == 0 and accuracy_axes.get_ylim()[1] >= 1


@pytest.mark.parametrize("draw", ["one run", "runs side by side"])
def test_the_baseline_is_a_dashed_line_on_the_metric_panel(draw):
    if draw == "one run":
        figure = training_plots.show_learning_curves(FULL, baseline=0.66)
        panels = [figure.axes[1]]
    else:
        figure = training_plots.show_runs({"A": FULL, "B": FULL}, metric="accuracy", baseline=0.66)
        panels = figure.axes[2:]
    for axes in panels:
        dashed = [line for line in axes.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1 and list(dashed[0].get_ydata()) == [0.66, 0.66]
        assert dashed[0].get_label() == training_plots.BASELINE_LABEL
    assert not any(line.get_linestyle() == "--" for line in figure.axes[0].get_lines())
    assert_no_overlap(figure)


def test_without_a_baseline_no_dashed_line():
    figure = training_plots.show_learning_curves(FULL)
    assert not any(line.get_linestyle() == "--" for line in figure.axes[1].get_lines())


def test_side_by_side_the_loss_row_starts_at_0_and_fits_every_run():
    low, high = log_history([0.3, 0.2, 0.1], [0.3]), log_history([0.9, 3.2, 0.8], [1.9])
    figure = training_plots.show_runs({"low": low, "high": high})
    for axes in figure.axes:
        assert axes.get_ylim()[0] == 0 and axes.get_ylim()[1] >= 3.2
