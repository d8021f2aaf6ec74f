"""T10: the runs show what the exercise asks about; right answers accepted, mistakes named.

The four runs are trained once for the module (about a minute on a CPU).
"""

import re

import numpy as np
import pytest
import torch
from message_templates import pattern
from verdicts import accepted, not_attempted, rejected

from utils import ex10_learning_curves as ex
from utils.grading import ____
from utils.grading.outcomes import CORRECT
from utils.language import LANGUAGE_VARIABLE, _

# Trains four short runs (about a minute): not part of `make test-fast`.
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def runs():
    return ex.cached_runs()


@pytest.fixture(scope="module")
def truth(runs):
    overfitting = ex.overfitting_letter(runs)
    return {
        "overfitting": overfitting,
        "too_high": ex.too_high_lr_letter(),
        "underfitting": ex.underfitting_letter(),
        "epoch": ex.lowest_validation(runs[overfitting])[0],
    }


def answer(truth, **changes):
    right = {
        "overfitting_run": truth["overfitting"],
        "too_high_lr_run": truth["too_high"],
        "lowest_validation_epoch": truth["epoch"],
    }
    return {**right, **changes}


def test_the_overfitting_run_really_overfits(runs, truth):
    history = runs[truth["overfitting"]]
    losses = ex.training_losses(history)
    best_epoch, lowest = ex.lowest_validation(history)
    last_epoch, last = ex.evaluations(history)[-1]
    assert losses[-1] < 0.5 * losses[0], "it learned its training pairs by heart"
    assert best_epoch < last_epoch and last > lowest + 0.1, "validation loss climbed after"
    smallest = min(ex.RUNS, key=lambda letter: ex.RUNS[letter]["train_rows"])
    assert truth["overfitting"] == smallest, "the run with the tiny training set"


def test_the_too_high_learning_rate_shows_in_the_training_loss(runs, truth):
    highest = {letter: max(ex.training_losses(history)) for letter, history in runs.items()}
    assert max(highest, key=highest.get) == truth["too_high"]


def test_the_underfitting_run_barely_moves(runs, truth):
    losses = [loss for _, loss in ex.evaluations(runs[truth["underfitting"]])]
    assert max(losses) - min(losses) < 0.01
    assert len({truth["overfitting"], truth["too_high"], truth["underfitting"]}) == 3


def test_every_run_is_evaluated_each_epoch(runs):
    for letter, history in runs.items():
        epochs = [epoch for epoch, _ in ex.evaluations(history)]
        assert epochs == list(range(1, ex.RUNS[letter]["epochs"] + 1))


def test_right_answers_in_several_forms(runs, truth):
    accepted(ex.t10, **answer(truth))
    letter, epoch = truth["overfitting"], truth["epoch"]
    accepted(ex.t10, **answer(truth, overfitting_run=letter.lower()))
    accepted(ex.t10, **answer(truth, overfitting_run=f" run {letter} "))
    accepted(ex.t10, **answer(truth, lowest_validation_epoch=float(epoch)))
    accepted(ex.t10, **answer(truth, lowest_validation_epoch=np.int64(epoch)))
    accepted(ex.t10, **answer(truth, lowest_validation_epoch=torch.tensor(epoch)))
    accepted(ex.t10, **answer(truth, lowest_validation_epoch=torch.tensor([float(epoch)])))
    accepted(ex.t10, **answer(truth, lowest_validation_epoch=np.array([epoch])))


def test_typical_mistakes(runs, truth):
    rejected(
        ex.t10,
        "you swapped the two",
        **answer(truth, overfitting_run=truth["too_high"], too_high_lr_run=truth["overfitting"]),
    )
    number = list(ex.RUNS).index(truth["overfitting"]) + 1
    rejected(ex.t10, "answer with the letter", **answer(truth, overfitting_run=number))
    rejected(ex.t10, "That is underfitting", **answer(truth, overfitting_run=truth["underfitting"]))
    rejected(ex.t10, "too *low*", **answer(truth, too_high_lr_run=truth["underfitting"]))
    rejected(
        ex.t10,
        "largest learning rate",
        **answer(truth, overfitting_run=truth["too_high"], too_high_lr_run=truth["underfitting"]),
    )
    rejected(
        ex.t10,
        "cannot be both",
        **answer(truth, too_high_lr_run=truth["overfitting"]),
    )
    rejected(ex.t10, "not one of the runs", **answer(truth, overfitting_run="E"))
    healthy = set(ex.RUNS) - {truth["overfitting"], truth["too_high"], truth["underfitting"]}
    rejected(ex.t10, "climbs much further", **answer(truth, overfitting_run=healthy.pop()))


def test_epoch_slips(runs, truth):
    history = runs[truth["overfitting"]]
    best = truth["epoch"]
    steps = {round(row["epoch"]): row["step"] for row in ex_evals(history)}
    last_epoch = ex.evaluations(history)[-1][0]
    if best > 1:
        rejected(ex.t10, "counts epochs from 1", **answer(truth, lowest_validation_epoch=best - 1))
    if steps[best] not in (best - 1, last_epoch):
        rejected(ex.t10, "the *step*", **answer(truth, lowest_validation_epoch=steps[best]))
    if last_epoch != best:
        rejected(ex.t10, "the last epoch", **answer(truth, lowest_validation_epoch=last_epoch))
    rejected(ex.t10, "whole number", **answer(truth, lowest_validation_epoch=best + 0.5))
    assert last_epoch > best


def ex_evals(history):
    """The evaluation entries of a log history."""
    return [row for row in history if "eval_loss" in row]


def test_odd_answers_get_a_message(truth):
    rejected(ex.t10, 'a letter such as "A"', **answer(truth, overfitting_run=None))
    rejected(ex.t10, 'a letter such as "A"', **answer(truth, too_high_lr_run=["B"]))
    rejected(ex.t10, "an epoch number", **answer(truth, lowest_validation_epoch="3"))
    rejected(ex.t10, "an epoch number", **answer(truth, lowest_validation_epoch=None))
    nan, inf = float("nan"), float("inf")
    for odd in (nan, inf, -inf, np.float32(nan), torch.tensor(inf), np.array([nan])):
        rejected(ex.t10, "not an epoch", **answer(truth, lowest_validation_epoch=odd))
    for several in (torch.tensor([2, 3]), np.array([2.0, 3.0]), torch.zeros(2, 2)):
        rejected(ex.t10, "numbers", **answer(truth, lowest_validation_epoch=several))
    not_attempted(ex.t10, **answer(truth, lowest_validation_epoch=____))


def test_the_korean_edition_gets_korean_verdicts(truth, monkeypatch, shown):
    """With COURSE_LANGUAGE=ko a mistake and the confirmation are the catalog's Korean, filled."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    too_high, overfitting = truth["too_high"], truth["overfitting"]
    korean = _(
        "you swapped the two: run {too_high} had the learning rate that was too high "
        "({rate:g}) and run {overfitting} overfits.",
        too_high=too_high,
        rate=ex.RUNS[too_high]["learning_rate"],
        overfitting=overfitting,
    )
    assert re.search("[가-힣]", korean) and "학습률" in korean
    swapped = answer(truth, overfitting_run=too_high, too_high_lr_run=overfitting)
    rejected(ex.t10, korean, **swapped)
    accepted(ex.t10, **answer(truth))
    task, status, confirmation = shown[-1]
    done = _(
        "run {first} overfits: its validation loss was lowest ({lowest:.3f}) at epoch {best} "
        "and climbed to {last:.3f} by epoch {last_epoch}, while its training loss fell. "
        "Run {second} had the learning rate that was too high ({rate:g})."
    )
    assert (task, status) == ("T10", CORRECT) and "과적합" in done
    assert pattern(done).fullmatch(confirmation), confirmation
