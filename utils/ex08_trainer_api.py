"""Checks for the exercise of lesson 3.3, fine-tuning with the Trainer API (task T8).

The learner fine-tunes a model on SST-2 with a ``Trainer`` and hands in the trainer and the
metrics it reported. Everything the check expects is worked out from the learner's own
objects and the library: the checkpoint's tokenizer re-tokenizes the learner's rows, the
GLUE SST-2 data says which split a row comes from, and the learner's model is evaluated
again on the learner's evaluation set with ``evaluate``'s glue/sst2 metric. A model counts
as trained when it beats always answering the evaluation set's most common label by
``LEARNED_MARGIN``: a model that answers "positive" every time scores that share without
having learned anything.
"""

import math
from collections import Counter
from collections.abc import Mapping
from functools import cache, lru_cache

from utils.grading import Wrong, describe, task
from utils.grading.answers import as_number, quote
from utils.language import N_, _

GLUE = "nyu-mll/glue"
ROWS_CHECKED = 32  # rows of each dataset re-tokenized by the check
LEARNED_MARGIN = 0.05  # how far above always answering the most common label counts as learned


@cache
def sst2():
    """GLUE SST-2, loaded once."""
    from datasets import load_dataset

    return load_dataset(GLUE, "sst2")


@cache
def sentences_of(split):
    """The set of sentences in one split of SST-2."""
    return frozenset(sst2()[split]["sentence"])


def comes_from(rows, split):
    """Whether ``rows`` (a small Dataset) are rows of SST-2's ``split``.

    With the `idx` column, each row must be the row of that index (short sentences can occur
    in several splits); without it, each sentence must occur in the split.
    """
    if "idx" in rows.column_names:
        source = sst2()[split]
        return all(
            0 <= index < len(source) and source[int(index)]["sentence"] == sentence
            for index, sentence in zip(rows["idx"], rows["sentence"], strict=True)
        )
    return set(rows["sentence"]) <= sentences_of(split)


@lru_cache(maxsize=2)
def tokenizer_of(checkpoint):
    """The tokenizer that belongs to ``checkpoint``."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(checkpoint)


def check_trainer(trainer):
    """The learner's ``trainer`` is a Trainer holding a two-label classification model."""
    from transformers import Trainer

    if not isinstance(trainer, Trainer):
        raise Wrong(
            _(
                "`trainer` should be the Trainer you built, "
                "`Trainer(model, training_args, ...)`, but it is {value}.",
                value=describe(trainer),
            )
        )
    model = trainer.model
    if not type(model).__name__.endswith("ForSequenceClassification"):
        raise Wrong(
            _(
                "The trainer's model, `{kind}`, has no classification head: load it with "
                "`AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)`.",
                kind=type(model).__name__,
            )
        )
    labels = sst2()["train"].features["label"].names
    if model.config.num_labels != len(labels):
        raise Wrong(
            _(
                "The model has {outputs} output(s), but SST-2 has {count} labels ({names}): "
                "load it with `num_labels={count}`.",
                outputs=model.config.num_labels,
                count=len(labels),
                names=", ".join(labels),
            )
        )


def check_dataset(dataset, name, split, tokenizer):
    """``dataset`` holds rows of SST-2's ``split``, tokenized from `sentence` by ``tokenizer``.

    The rows may keep their text (as in lesson 3.3) or not (lesson 3.4: `sentence` and `idx`
    removed, `label` renamed `labels`, torch format); then their input_ids are looked up
    among the split's sentences tokenized afresh.
    """
    from datasets import Dataset

    argument = f"{name}_dataset"
    if dataset is None:
        raise Wrong(
            _(
                "The trainer has no `{argument}`: pass `{argument}=tokenized_datasets[{split!r}]`.",
                argument=argument,
                split=split,
            )
        )
    if not isinstance(dataset, Dataset):
        raise Wrong(
            _(
                "The trainer's `{argument}` is {value}; give it one split, "
                "`tokenized_datasets[{split!r}]`, not the whole `DatasetDict`.",
                argument=argument,
                value=describe(dataset),
                split=split,
            )
        )
    columns = dataset.column_names
    if "input_ids" not in columns:
        if "sentence" in columns:
            raise Wrong(
                _(
                    "The trainer's `{argument}` is the raw text, without `input_ids`: tokenize "
                    "it first with `tokenized_datasets = raw_datasets.map(tokenize_function, "
                    "batched=True)`.",
                    argument=argument,
                )
            )
        raise Wrong(
            _(
                "The trainer's `{argument}` has the columns {columns}, not SST-2's `sentence` "
                "and `label`: load it with `load_dataset('nyu-mll/glue', 'sst2')`.",
                argument=argument,
                columns=quote(columns, 80),
            )
        )
    if "label" not in columns and "labels" not in columns:
        raise Wrong(
            _(
                "The trainer's `{argument}` has no labels (its columns: {columns}): keep "
                "SST-2's `label` column, or rename it `labels`, so that the Trainer can compute "
                "a loss.",
                argument=argument,
                columns=quote(columns, 80),
            )
        )
    rows = dataset.select(range(min(ROWS_CHECKED, len(dataset)))).with_format(None)
    if len(rows) == 0:
        raise Wrong(_("The trainer's `{argument}` is empty.", argument=argument))
    if "sentence" in columns:
        check_rows_with_text(rows, argument, split, tokenizer)
    else:
        check_rows_without_text(rows, argument, split, tokenizer)


def wrong_split(argument, split, other):
    """The message for rows of SST-2's ``other`` split where ``split`` was asked."""
    if split == "validation":
        return Wrong(
            _(
                "The trainer's `{argument}` holds rows of SST-2's `{other}` split; use the "
                "`{split}` split there: evaluating on training data says nothing about new "
                "sentences.",
                argument=argument,
                other=other,
                split=split,
            )
        )
    return Wrong(
        _(
            "The trainer's `{argument}` holds rows of SST-2's `{other}` split; use the "
            "`{split}` split there.",
            argument=argument,
            other=other,
            split=split,
        )
    )


def other_split(split):
    """The other split of the two the task uses."""
    return "train" if split == "validation" else "validation"


def not_tokenized_message(argument, tokenizer):
    """The message for input_ids that are not the sentences tokenized as the checkpoint does."""
    return Wrong(
        _(
            "The `input_ids` of `{argument}` are not SST-2's sentences tokenized with your "
            "checkpoint's tokenizer (`{checkpoint}`): tokenize `example['sentence']` with "
            "`AutoTokenizer.from_pretrained(checkpoint)`.",
            argument=argument,
            checkpoint=tokenizer.name_or_path,
        )
    )


def without_padding(ids, tokenizer):
    """A row's input_ids as a tuple of ints, the padding at its end removed."""
    ids = [int(i) for i in ids]
    while ids and ids[-1] == tokenizer.pad_token_id:
        ids.pop()
    return tuple(ids)


def check_rows_with_text(rows, argument, split, tokenizer):
    """Rows that still have their `sentence`: from ``split``, and tokenized from it."""
    if not comes_from(rows, split):
        if comes_from(rows, other_split(split)):
            raise wrong_split(argument, split, other_split(split))
        raise Wrong(
            _(
                "The trainer's `{argument}` should hold rows of SST-2's `{split}` split.",
                argument=argument,
                split=split,
            )
        )
    for row in rows:
        expected = tuple(tokenizer(row["sentence"], truncation=True)["input_ids"])
        if without_padding(row["input_ids"], tokenizer) != expected:
            raise not_tokenized_message(argument, tokenizer)


@lru_cache(maxsize=4)
def tokenized_split(split, checkpoint):
    """The input_ids of every sentence of one split of SST-2, tokenized now, as a set."""
    tokenizer = tokenizer_of(checkpoint)
    ids = tokenizer(list(sst2()[split]["sentence"]), truncation=True)["input_ids"]
    return frozenset(tuple(row) for row in ids)


def check_rows_without_text(rows, argument, split, tokenizer):
    """Rows prepared as in lesson 3.4 (no `sentence`): their input_ids are a split's sentences."""
    found = [without_padding(ids, tokenizer) for ids in rows["input_ids"]]
    if set(found) <= tokenized_split(split, tokenizer.name_or_path):
        return
    if set(found) <= tokenized_split(other_split(split), tokenizer.name_or_path):
        raise wrong_split(argument, split, other_split(split))
    raise not_tokenized_message(argument, tokenizer)


def check_trained(trainer):
    """The trainer ran some steps and the model's weights moved away from the checkpoint's."""
    import torch
    from transformers import AutoModelForSequenceClassification

    if trainer.state.global_step == 0:
        raise Wrong(_("The trainer has not trained yet: run `trainer.train()` before evaluating."))
    model = trainer.model
    original = AutoModelForSequenceClassification.from_pretrained(
        model.name_or_path, num_labels=model.config.num_labels
    )
    trained = dict(model.named_parameters())
    body = [name for name in dict(original.named_parameters()) if "classifier" not in name]
    if all(
        torch.equal(trained[n].detach().cpu(), p.detach())
        for n, p in original.named_parameters()
        if n in body
    ):
        raise Wrong(
            _(
                "The model's weights are still the checkpoint's: was `trainer` built around a "
                "fresh model after training? Train the model the trainer holds."
            )
        )


def evaluate_again(trainer):
    """The glue/sst2 metric of the trainer's model on its own eval_dataset, computed afresh.

    Returns the metric's scores and the labels of the evaluation set.
    """
    import evaluate
    import numpy as np
    import torch

    model = trainer.model
    was_training = model.training
    model.eval()
    predictions, references = [], []
    try:
        with torch.no_grad():
            for batch in trainer.get_eval_dataloader(trainer.eval_dataset):
                batch = {key: value.to(model.device) for key, value in batch.items()}
                logits = model(**{k: v for k, v in batch.items() if k != "labels"}).logits
                predictions += logits.argmax(dim=-1).tolist()
                references += batch["labels"].tolist()
    finally:
        model.train(was_training)
    metric = evaluate.load("glue", "sst2")
    scores = metric.compute(predictions=np.array(predictions), references=np.array(references))
    return scores, references


ACCURACY_KEYS = ("eval_accuracy", "accuracy", "test_accuracy")


def reported_accuracy(metrics):
    """The accuracy in the learner's metrics: from trainer.evaluate() or metric.compute()."""
    import torch
    from transformers.trainer_utils import PredictionOutput, TrainOutput

    if isinstance(metrics, TrainOutput):
        raise Wrong(
            _(
                "`metrics` is what `trainer.train()` returns, figures of the training itself: "
                "evaluate the trained model with `metrics = trainer.evaluate()`."
            )
        )
    if isinstance(metrics, PredictionOutput):
        raise Wrong(
            _(
                "`metrics` is what `trainer.predict()` returns: take its scores, "
                "`metrics = trainer.predict(...).metrics`, or call "
                "`metrics = trainer.evaluate()`."
            )
        )
    if callable(metrics) and getattr(metrics, "__name__", "") in {"evaluate", "predict"}:
        raise Wrong(
            _(
                "`metrics` is the method `trainer.{method}` itself, not what it returns: "
                "call it, `metrics = trainer.{method}()`.",
                method=metrics.__name__,
            )
        )
    if isinstance(metrics, torch.nn.Module):
        raise Wrong(
            _(
                "`metrics` is a model (`{kind}`), not the scores it reached: "
                "`metrics = trainer.evaluate()` returns them.",
                kind=type(metrics).__name__,
            )
        )
    if not isinstance(metrics, Mapping):
        raise Wrong(
            _(
                "`metrics` should be the dictionary `trainer.evaluate()` returns, but it is "
                "{value}.",
                value=describe(metrics),
            )
        )
    key = next((key for key in ACCURACY_KEYS if key in metrics), None)
    if key is None:
        if any(str(name).startswith("train_") for name in metrics):
            raise Wrong(
                _(
                    "`metrics` holds training figures (`train_loss`, `train_runtime`), as "
                    "`trainer.train().metrics` does: after training, call "
                    "`metrics = trainer.evaluate()`."
                )
            )
        raise Wrong(
            _(
                "`metrics` has no accuracy (its keys: {keys}): give the Trainer "
                "`compute_metrics=compute_metrics`, which returns "
                "`evaluate.load('glue', 'sst2').compute(...)`, then call `trainer.evaluate()`.",
                keys=quote(sorted(map(str, metrics)), 80),
            )
        )
    return accuracy_value(metrics[key], f"metrics[{key!r}]")


def accuracy_value(value, name):
    """One accuracy, a number between 0 and 1, in any form; odd values named."""
    import numpy as np
    import torch

    if isinstance(value, torch.nn.Module):
        raise Wrong(
            _(
                "`{name}` is a model (`{kind}`), not a number.",
                name=name,
                kind=type(value).__name__,
            )
        )
    if isinstance(value, torch.Tensor | np.ndarray | list | tuple):
        count = value.numel() if isinstance(value, torch.Tensor) else np.size(value)
        if count != 1:
            raise Wrong(
                _(
                    "`{name}` holds {count} numbers ({value}), but an accuracy is one: "
                    "the share of right predictions over the whole evaluation set.",
                    name=name,
                    count=count,
                    value=describe(value),
                )
            )
        value = np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor) else value)
        value = value.reshape(()).item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise Wrong(
            _(
                "`{name}` is {value}, not an accuracy: something went wrong in "
                "`compute_metrics`; evaluate again with `metrics = trainer.evaluate()`.",
                name=name,
                value=value,
            )
        )
    accuracy = as_number(value, name)
    if not 0 <= accuracy <= 1:
        raise Wrong(
            _(
                "`{name}` is {value:g}, but an accuracy is a share between 0 and 1: give "
                "what the `evaluate` metric returns, not a percentage.",
                name=name,
                value=accuracy,
            )
        )
    return float(accuracy)


def majority_share(references):
    """The evaluation set's most common label and its share (what always answering it scores)."""
    counts = Counter(references)
    label, count = counts.most_common(1)[0]
    return label, count / len(references)


@task(
    "T8",
    N_("Fine-tune on SST-2 with the Trainer"),
    hints=[
        N_(
            "Lesson 3.3 step by step, with `load_dataset('nyu-mll/glue', 'sst2')`: SST-2 has "
            "one text column, `sentence`, so the tokenize function takes `example['sentence']`."
        ),
        N_(
            "Train on `tokenized_datasets['train'].shuffle(seed=0).select(range(2000))` for one "
            "epoch with `learning_rate=2e-4` (BERT-Mini), evaluate on "
            "`tokenized_datasets['validation']`, and give the Trainer a `compute_metrics` that "
            "uses `evaluate.load('glue', 'sst2')`."
        ),
        N_("After `trainer.train()`, `metrics = trainer.evaluate()` returns `eval_accuracy`."),
    ],
)
def t8(trainer, metrics):
    """T8: a Trainer fine-tuned on SST-2 and the metrics it reported on the validation set."""
    check_trainer(trainer)
    tokenizer = tokenizer_of(trainer.model.name_or_path)
    check_dataset(trainer.train_dataset, "train", "train", tokenizer)
    check_dataset(trainer.eval_dataset, "eval", "validation", tokenizer)
    check_trained(trainer)
    accuracy = reported_accuracy(metrics)
    scores, references = evaluate_again(trainer)
    expected, rows = scores["accuracy"], len(references)
    if not math.isclose(accuracy, expected, abs_tol=1e-6):
        raise Wrong(
            _(
                "`metrics` reports an accuracy of {reported:.4f}, but your model scores "
                "{expected:.4f} on the trainer's `eval_dataset`. Compute the metrics with the "
                "model you trained, on the validation split: `metrics = trainer.evaluate()`.",
                reported=accuracy,
                expected=expected,
            )
        )
    label, baseline = majority_share(references)
    name = sst2()["validation"].features["label"].int2str(int(label))
    if expected < baseline + LEARNED_MARGIN:
        raise Wrong(
            _(
                "Your model scores {expected:.3f} on {rows} validation sentences, and always "
                'answering "{label}" scores {baseline:.3f}: it has not learned yet. Train it '
                "more: a higher `learning_rate` (`2e-4` for BERT-Mini) or more steps.",
                expected=expected,
                rows=rows,
                label=name,
                baseline=baseline,
            )
        )
    return _(
        "fine-tuned for {steps} steps on {train_rows:,} SST-2 sentences: validation accuracy "
        "{expected:.3f} on {rows} sentences, against {baseline:.3f} for always answering "
        '"{label}".',
        steps=trainer.state.global_step,
        train_rows=len(trainer.train_dataset),
        expected=expected,
        rows=rows,
        baseline=baseline,
        label=name,
    )
