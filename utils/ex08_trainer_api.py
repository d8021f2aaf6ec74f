"""Checks for the exercise of lesson 3.3, fine-tuning with the Trainer API (task T8).

The learner fine-tunes a model on SST-2 with a ``Trainer`` and hands in the trainer and the
metrics it reported. Everything the check expects is worked out from the learner's own
objects and the library: the checkpoint's tokenizer re-tokenizes the learner's rows, the
GLUE SST-2 data says which split a row comes from, and the learner's model is evaluated
again on the learner's evaluation set with ``evaluate``'s glue/sst2 metric.
"""

import math
from functools import cache, lru_cache

from utils.grading import Wrong, describe, task

GLUE = "nyu-mll/glue"
ROWS_CHECKED = 32  # rows of each dataset re-tokenized by the check


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
            f"`trainer` should be the Trainer you built, Trainer(model, training_args, ...), "
            f"but it is {describe(trainer)}."
        )
    model = trainer.model
    if not type(model).__name__.endswith("ForSequenceClassification"):
        raise Wrong(
            f"The trainer's model is a {type(model).__name__}, which has no classification "
            "head: load it with AutoModelForSequenceClassification.from_pretrained(checkpoint, "
            "num_labels=2)."
        )
    labels = sst2()["train"].features["label"].names
    if model.config.num_labels != len(labels):
        raise Wrong(
            f"The model has {model.config.num_labels} output(s), but SST-2 has {len(labels)} "
            f"labels ({', '.join(labels)}): load it with num_labels={len(labels)}."
        )
    if trainer.processing_class is None:
        raise Wrong(
            "The trainer has no tokenizer: pass it as Trainer(..., processing_class=tokenizer). "
            "(Older code writes tokenizer=tokenizer, which transformers 5 rejects with a "
            "TypeError.)"
        )


def check_dataset(dataset, name, split, tokenizer):
    """``dataset`` holds rows of SST-2's ``split``, tokenized from `sentence` by ``tokenizer``."""
    from datasets import Dataset

    argument = f"{name}_dataset"
    if dataset is None:
        raise Wrong(
            f"The trainer has no {argument}: pass {argument}=tokenized_datasets[{split!r}]."
        )
    if not isinstance(dataset, Dataset):
        raise Wrong(
            f"The trainer's {argument} is {describe(dataset)}; give it one split, "
            f"tokenized_datasets[{split!r}], not the whole DatasetDict."
        )
    if "sentence" not in dataset.column_names or "label" not in dataset.column_names:
        raise Wrong(
            f"The trainer's {argument} has the columns {dataset.column_names}, not SST-2's "
            "`sentence` and `label`: load it with load_dataset('nyu-mll/glue', 'sst2')."
        )
    if "input_ids" not in dataset.column_names:
        raise Wrong(
            f"The trainer's {argument} is the raw text, without input_ids: tokenize it first "
            "with tokenized_datasets = raw_datasets.map(tokenize_function, batched=True)."
        )
    rows = dataset.select(range(min(ROWS_CHECKED, len(dataset))))
    if not rows["sentence"]:
        raise Wrong(f"The trainer's {argument} is empty.")
    if not comes_from(rows, split):
        other = "train" if split == "validation" else "validation"
        if comes_from(rows, other):
            raise Wrong(
                f"The trainer's {argument} holds rows of SST-2's {other} split; use the "
                f"{split} split there"
                + (
                    ": evaluating on training data says nothing about new sentences."
                    if name == "eval"
                    else "."
                )
            )
        raise Wrong(f"The trainer's {argument} should hold rows of SST-2's {split} split.")
    for row in rows:
        expected = tokenizer(row["sentence"], truncation=True)["input_ids"]
        got = [int(i) for i in row["input_ids"]]
        if got[: len(expected)] != expected or any(
            i != tokenizer.pad_token_id for i in got[len(expected) :]
        ):
            raise Wrong(
                f"The input_ids of {argument} are not the `sentence` column tokenized with your "
                f"checkpoint's tokenizer ({tokenizer.name_or_path}): tokenize "
                "example['sentence'] with AutoTokenizer.from_pretrained(checkpoint)."
            )


def check_trained(trainer):
    """The trainer ran some steps and the model's weights moved away from the checkpoint's."""
    import torch
    from transformers import AutoModelForSequenceClassification

    if trainer.state.global_step == 0:
        raise Wrong("The trainer has not trained yet: run trainer.train() before evaluating.")
    model = trainer.model
    original = AutoModelForSequenceClassification.from_pretrained(
        model.name_or_path, num_labels=model.config.num_labels
    )
    trained = dict(model.named_parameters())
    body = [name for name, _ in original.named_parameters() if "classifier" not in name]
    if all(
        torch.equal(trained[n].detach().cpu(), p.detach())
        for n, p in original.named_parameters()
        if n in body
    ):
        raise Wrong(
            "The model's weights are still the checkpoint's: was `trainer` built around a "
            "fresh model after training? Train the model the trainer holds."
        )


def evaluate_again(trainer):
    """The glue/sst2 metric of the trainer's model on its own eval_dataset, computed afresh."""
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
    return metric.compute(predictions=np.array(predictions), references=np.array(references))


def reported_accuracy(metrics):
    """The accuracy in the learner's metrics: from trainer.evaluate() or metric.compute()."""
    if not isinstance(metrics, dict):
        raise Wrong(
            f"`metrics` should be the dictionary trainer.evaluate() returns, but it is "
            f"{describe(metrics)}."
        )
    for key in ("eval_accuracy", "accuracy", "test_accuracy"):
        if key in metrics:
            value = metrics[key]
            if hasattr(value, "item"):
                value = value.item()
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise Wrong(f"`metrics[{key!r}]` should be a number, but it is {describe(value)}.")
            return float(value)
    raise Wrong(
        f"`metrics` has no accuracy (its keys: {sorted(metrics)}): give the Trainer "
        "compute_metrics=compute_metrics, a function that returns "
        "evaluate.load('glue', 'sst2').compute(...), then call trainer.evaluate()."
    )


@task(
    "T8",
    "Fine-tune on SST-2 with the Trainer",
    hints=[
        "Lesson 3.3 step by step, with load_dataset('nyu-mll/glue', 'sst2'): SST-2 has one "
        "text column, `sentence`, so the tokenize function takes example['sentence'].",
        "Train on tokenized_datasets['train'].shuffle(seed=0).select(range(2000)) for one "
        "epoch, evaluate on tokenized_datasets['validation'], and give the Trainer a "
        "compute_metrics that uses evaluate.load('glue', 'sst2').",
        "After trainer.train(), metrics = trainer.evaluate() returns eval_accuracy.",
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
    expected = evaluate_again(trainer)["accuracy"]
    if not math.isclose(accuracy, expected, abs_tol=1e-6):
        raise Wrong(
            f"`metrics` reports an accuracy of {accuracy:.4f}, but your model scores "
            f"{expected:.4f} on the trainer's eval_dataset. Compute the metrics with the model "
            "you trained, on the validation split: metrics = trainer.evaluate()."
        )
    steps, rows = trainer.state.global_step, len(trainer.train_dataset)
    return (
        f"fine-tuned for {steps} steps on {rows:,} SST-2 sentences: validation accuracy "
        f"{expected:.3f} on {len(trainer.eval_dataset)} sentences."
    )
