"""Checks for the exercise of lesson 3.5, reading learning curves (task T10).

``train_runs()`` trains four short runs of BERT-Mini on MRPC subsets with the
Trainer, each with its own settings, and returns their ``log_history`` under the
letters A to D. The learner reads the plots and says which run overfits, which
learning rate was too high, and at which epoch the overfitting run's validation
loss was lowest. The check works the truth out from the runs themselves: the
overfitting run is the one whose validation loss climbed furthest above its lowest
point while its training loss fell; the too-high learning rate is the largest one
the runs were given; the epoch is read from the overfitting run's log.

The runs train once per machine: their logs are saved under ``trainer-output/`` (ignored
by git), named by a hash of everything they depend on, and read back after that. Delete
that folder to train them again.
"""

import hashlib
import inspect
import json
import math
import os
import time
from functools import cache
from pathlib import Path

from utils import REPO_ROOT
from utils.grading import Wrong, describe, task
from utils.grading.answers import quote
from utils.language import N_, _

# Small and fast on any machine, so the exercise trains in about a minute on a CPU.
CHECKPOINT = "google/bert_uncased_L-4_H-256_A-4"
GLUE = "nyu-mll/glue"
VALIDATION_ROWS = 100

# Where the four runs' logs are kept once trained.
SAVED_RUNS = REPO_ROOT / "trainer-output" / "learning-curves"

# The four runs. Their order does not follow any rule: read the curves, not this table.
RUNS = {
    "A": {"train_rows": 160, "epochs": 2, "learning_rate": 1e-7},
    "B": {"train_rows": 32, "epochs": 12, "learning_rate": 1e-3},
    "C": {"train_rows": 320, "epochs": 2, "learning_rate": 2e-4},
    "D": {"train_rows": 160, "epochs": 2, "learning_rate": 1e-2},
}


@cache
def tokenized_mrpc():
    """MRPC tokenized with the checkpoint's tokenizer, and the tokenizer."""
    from datasets import load_dataset
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    raw = load_dataset(GLUE, "mrpc")

    def tokenize(batch):
        return tokenizer(batch["sentence1"], batch["sentence2"], truncation=True)

    return raw.map(tokenize, batched=True), tokenizer


def accuracy(predictions):
    """compute_metrics for the Trainer: the share of right answers."""
    return {"accuracy": float((predictions.predictions.argmax(-1) == predictions.label_ids).mean())}


def train_run(train_rows, epochs, learning_rate, seed=42):
    """Train one short run and return its ``trainer.state.log_history``."""
    from transformers import (
        AutoModelForSequenceClassification,
        DataCollatorWithPadding,
        PrinterCallback,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    data, tokenizer = tokenized_mrpc()
    set_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=2)
    arguments = TrainingArguments(
        "trainer-output",
        per_device_train_batch_size=8,
        per_device_eval_batch_size=50,
        learning_rate=learning_rate,
        num_train_epochs=epochs,
        eval_strategy="epoch",
        logging_steps=max(1, train_rows // 8 // 4),
        save_strategy="no",
        report_to="none",
        seed=seed,
        disable_tqdm=True,
        log_level="error",
        dataloader_pin_memory=False,
    )
    trainer = Trainer(
        model,
        arguments,
        train_dataset=data["train"].shuffle(seed=0).select(range(train_rows)),
        eval_dataset=data["validation"].shuffle(seed=0).select(range(VALIDATION_ROWS)),
        data_collator=DataCollatorWithPadding(tokenizer),
        processing_class=tokenizer,
        compute_metrics=accuracy,
    )
    trainer.remove_callback(PrinterCallback)  # no line per log entry: the plots show them
    trainer.train()
    return trainer.state.log_history


def rows_used(data):
    """The input IDs and labels of every row the runs train or evaluate on."""
    most = max(settings["train_rows"] for settings in RUNS.values())
    parts = [("train", most), ("validation", VALIDATION_ROWS)]
    return [
        data[split].shuffle(seed=0).select(range(rows))[:][column]
        for split, rows in parts
        for column in ("input_ids", "label")
    ]


def runs_key(data):
    """A short hash of what the runs depend on: settings, code, data, weights and libraries."""
    import accelerate
    import datasets
    import torch
    import transformers
    from huggingface_hub import hf_hub_download

    # The checkpoint's commit: the name of the snapshot folder its files were fetched into.
    revision = Path(hf_hub_download(CHECKPOINT, "config.json")).parent.name
    parts = [
        RUNS,
        VALIDATION_ROWS,
        CHECKPOINT,
        revision,
        inspect.getsource(train_run),
        inspect.getsource(accuracy),
        rows_used(data),  # the text and the tokenizer, as the runs see them
        [module.__version__ for module in (torch, transformers, accelerate, datasets)],
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


@cache
def cached_runs():
    """The four runs' log histories: trained on first use, then read from ``SAVED_RUNS``."""
    from filelock import FileLock

    data, _tokenizer = tokenized_mrpc()
    SAVED_RUNS.mkdir(parents=True, exist_ok=True)
    saved = SAVED_RUNS / f"{runs_key(data)}.json"
    with FileLock(f"{saved}.lock"):  # two kernels at once: one trains, the other waits
        if saved.exists():
            where = os.path.relpath(saved)
            print(_("The four runs trained before: their logs come from {where}.", where=where))
            return json.loads(saved.read_text())
        histories = {}
        for letter, settings in RUNS.items():
            start = time.perf_counter()
            histories[letter] = train_run(**settings)
            seconds = time.perf_counter() - start
            print(_("Run {letter}: trained in {seconds:.0f} s.", letter=letter, seconds=seconds))
        saved.write_text(json.dumps(histories))
    return histories


def train_runs():
    """Train the four runs (about a minute on a CPU) and return ``{letter: log_history}``."""
    from utils.grading.task import quiet_check

    with quiet_check():
        histories = cached_runs()
    return {letter: list(history) for letter, history in histories.items()}


def training_losses(history):
    """The logged training losses of a run, in order."""
    return [row["loss"] for row in history if "loss" in row]


def evaluations(history):
    """The run's evaluations as (epoch, validation loss) pairs, epochs counted from 1."""
    return [(round(row["epoch"]), row["eval_loss"]) for row in history if "eval_loss" in row]


def lowest_validation(history):
    """The epoch with the lowest validation loss, and that loss."""
    return min(evaluations(history), key=lambda pair: pair[1])


def climb_after_lowest(history):
    """How far the validation loss ended above its lowest value."""
    return evaluations(history)[-1][1] - lowest_validation(history)[1]


def overfitting_letter(histories):
    """The run that overfits: training loss fell, validation loss climbed most above its lowest."""
    candidates = {
        letter: climb_after_lowest(history)
        for letter, history in histories.items()
        if training_losses(history)[-1] < training_losses(history)[0]
        and lowest_validation(history)[0] < evaluations(history)[-1][0]
    }
    if not candidates:
        raise RuntimeError("none of the runs overfits: the exercise's settings need a look")
    return max(candidates, key=candidates.get)


def too_high_lr_letter():
    """The run given the largest learning rate."""
    return max(RUNS, key=lambda letter: RUNS[letter]["learning_rate"])


def underfitting_letter():
    """The run given the smallest learning rate: it barely learns."""
    return min(RUNS, key=lambda letter: RUNS[letter]["learning_rate"])


def run_numbers(letter, history):
    """The numbers the messages quote about a run: its losses and its evaluations."""
    losses = training_losses(history)
    epoch, lowest = lowest_validation(history)
    last_epoch, last = evaluations(history)[-1]
    return {
        "letter": letter,
        "first": losses[0],
        "final": losses[-1],
        "lowest": lowest,
        "epoch": epoch,
        "last": last,
        "last_epoch": last_epoch,
    }


def as_letter(value, name):
    """A run's letter, however the learner wrote it: "B", "b", " run B "."""
    if isinstance(value, bool) or isinstance(value, int | float):
        raise Wrong(
            _(
                "`{name}` is the number {value}: answer with the letter above the run's plot, "
                'a string such as "A".',
                name=name,
                value=quote(value),
            )
        )
    if not isinstance(value, str):
        raise Wrong(
            _(
                '`{name}` should be a letter such as "A", but it is {value}.',
                name=name,
                value=describe(value),
            )
        )
    letter = value.strip().upper().removeprefix("RUN").strip()
    if letter not in RUNS:
        raise Wrong(
            _(
                "`{name}` is {value}, which is not one of the runs: answer with one of {letters}.",
                name=name,
                value=quote(value),
                letters=", ".join(RUNS),
            )
        )
    return letter


def as_epoch(value, name):
    """An epoch number: an integer, or a float with nothing after the point (3.0), in any form.

    A NumPy number, a one-element array or tensor are read as their number; several numbers,
    NaN and infinity get their own message.
    """
    size = getattr(value, "size", None)
    count = value.numel() if callable(getattr(value, "numel", None)) else size
    if hasattr(value, "item") and isinstance(count, int):
        if count != 1:
            raise Wrong(
                _(
                    "`{name}` holds {count} numbers ({value}): give the one epoch where the "
                    "validation loss was lowest, such as 3.",
                    name=name,
                    count=count,
                    value=describe(value),
                )
            )
        value = value.item()  # a NumPy number, a one-element array or tensor
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Wrong(
            _(
                "`{name}` should be an epoch number such as 3, but it is {value}.",
                name=name,
                value=describe(value),
            )
        )
    if not math.isfinite(value):
        raise Wrong(
            _(
                "`{name}` is {value}, not an epoch: give the `'epoch'` of the log entry with "
                "the lowest `'eval_loss'`, a whole number such as 3.",
                name=name,
                value=value,
            )
        )
    if value != int(value):
        raise Wrong(
            _(
                "`{name}` is {value}: evaluations happen at the end of whole epochs, so give a "
                "whole number.",
                name=name,
                value=value,
            )
        )
    return int(value)


def check_overfitting(letter, histories, expected):
    """Raise Wrong, with the numbers, unless ``letter`` is the overfitting run."""
    if letter == expected:
        return
    numbers = run_numbers(letter, histories[letter])
    if letter == too_high_lr_letter():
        raise Wrong(
            _(
                "`overfitting_run` is {letter}, the run with the largest learning rate "
                "({rate:g}): its training loss only went from {first:.3f} to {final:.3f}, so "
                "it never learned its training set. Overfitting: training loss falls steadily "
                "while validation loss turns and climbs.",
                rate=RUNS[letter]["learning_rate"],
                **numbers,
            )
        )
    if letter == underfitting_letter():
        raise Wrong(
            _(
                "`overfitting_run` is {letter}, but that run barely learned anything: run "
                "{letter}'s training loss went from {first:.3f} to {final:.3f}, and its "
                "validation loss was lowest ({lowest:.3f}) at epoch {epoch} and {last:.3f} at "
                "the end (epoch {last_epoch}). That is underfitting. Look for a run whose "
                "training loss keeps falling while its validation loss climbs.",
                **numbers,
            )
        )
    raise Wrong(
        _(
            "`overfitting_run` is {letter}, but run {letter}'s training loss went from "
            "{first:.3f} to {final:.3f}, and its validation loss was lowest ({lowest:.3f}) at "
            "epoch {epoch} and {last:.3f} at the end (epoch {last_epoch}). Another run's "
            "validation loss climbs much further above its lowest point while its training "
            "loss falls: that is overfitting.",
            **numbers,
        )
    )


def check_too_high_lr(letter, histories, expected):
    """Raise Wrong, with the numbers, unless ``letter`` is the run with too high a rate."""
    if letter == expected:
        return
    numbers = run_numbers(letter, histories[letter])
    if letter == underfitting_letter():
        raise Wrong(
            _(
                "`too_high_lr_run` is {letter}, but its learning rate was too *low*: its "
                "training loss barely moved ({first:.3f} to {final:.3f}), the sign of a tiny "
                "rate. Too high a rate makes the training loss jump around or rise.",
                **numbers,
            )
        )
    raise Wrong(
        _(
            "`too_high_lr_run` is {letter}, but run {letter}'s training loss went from "
            "{first:.3f} to {final:.3f}, and its validation loss was lowest ({lowest:.3f}) at "
            "epoch {epoch} and {last:.3f} at the end (epoch {last_epoch}). Look for the run "
            "whose training loss jumps around, or ends no better than it started.",
            **numbers,
        )
    )


def check_epoch(epoch, history, letter):
    """Raise Wrong, naming the slip, unless ``epoch`` is when validation loss was lowest."""
    best, lowest = lowest_validation(history)
    if epoch == best:
        return best, lowest
    steps = {round(row["epoch"]): row["step"] for row in history if "eval_loss" in row}
    last_epoch = evaluations(history)[-1][0]
    if epoch == best - 1:
        raise Wrong(
            _(
                "`lowest_validation_epoch` is {epoch}, one less than what run {letter}'s "
                "`log_history` says. It counts epochs from 1: `'epoch': 1.0` is the evaluation "
                "at the end of the first epoch. Give the `'epoch'` value of the entry with the "
                "lowest `'eval_loss'`.",
                epoch=epoch,
                letter=letter,
            )
        )
    if epoch == steps[best]:
        raise Wrong(
            _(
                "`lowest_validation_epoch` is {epoch}, the *step* of the lowest validation "
                "loss. The task asks for the epoch: the `'epoch'` value of that log entry.",
                epoch=epoch,
            )
        )
    if epoch == last_epoch:
        raise Wrong(
            _(
                "`lowest_validation_epoch` is {epoch}, the last epoch, where validation loss "
                "ended. It was lower earlier: find the entry with the smallest `'eval_loss'`.",
                epoch=epoch,
            )
        )
    raise Wrong(
        _(
            "`lowest_validation_epoch` is {epoch}, but that is not where run {letter}'s "
            "validation loss was lowest. Make a table of its evaluations (entries with "
            "`'eval_loss'`) and find the smallest.",
            epoch=epoch,
            letter=letter,
        )
    )


@task(
    "T10",
    N_("Which run overfits, and which learning rate was too high?"),
    hints=[
        N_(
            "Overfitting: training loss keeps falling while validation loss, after a low point, "
            "climbs. A too-high learning rate: the training loss jumps around or rises instead "
            "of falling."
        ),
        N_(
            "Put a run's log into a table: `pd.DataFrame(runs['A'])`. Rows with an "
            "`'eval_loss'` are the evaluations at the end of each epoch."
        ),
        N_(
            "`table = pd.DataFrame(runs[letter]).dropna(subset=['eval_loss'])`; "
            "`table.loc[table['eval_loss'].idxmin(), 'epoch']` is the epoch you want."
        ),
    ],
)
def t10(overfitting_run, too_high_lr_run, lowest_validation_epoch):
    """T10: the overfitting run, the run with too high a learning rate, and the best epoch."""
    first = as_letter(overfitting_run, "overfitting_run")
    second = as_letter(too_high_lr_run, "too_high_lr_run")
    epoch = as_epoch(lowest_validation_epoch, "lowest_validation_epoch")
    if first == second:
        raise Wrong(
            _(
                "both answers are run {letter}: one run cannot be both. Overfitting and a "
                "too-high learning rate leave different marks on the curves.",
                letter=first,
            )
        )
    histories = cached_runs()
    overfitting, too_high = overfitting_letter(histories), too_high_lr_letter()
    if (first, second) == (too_high, overfitting):
        raise Wrong(
            _(
                "you swapped the two: run {too_high} had the learning rate that was too high "
                "({rate:g}) and run {overfitting} overfits.",
                too_high=too_high,
                rate=RUNS[too_high]["learning_rate"],
                overfitting=overfitting,
            )
        )
    check_overfitting(first, histories, overfitting)
    check_too_high_lr(second, histories, too_high)
    best, lowest = check_epoch(epoch, histories[first], first)
    last_epoch, last = evaluations(histories[first])[-1]
    return _(
        "run {first} overfits: its validation loss was lowest ({lowest:.3f}) at epoch {best} "
        "and climbed to {last:.3f} by epoch {last_epoch}, while its training loss fell. "
        "Run {second} had the learning rate that was too high ({rate:g}).",
        first=first,
        lowest=lowest,
        best=best,
        last=last,
        last_epoch=last_epoch,
        second=second,
        rate=RUNS[second]["learning_rate"],
    )
