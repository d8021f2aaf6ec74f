"""SST-2 data and a model that has learned it, shared by the T8 tests (trained once per process).

T8 accepts only a model that beats always answering the most common label, so the tests
that need an accepted answer start from this model: BERT-Mini trained for 100 steps on 800
sentences at the solution's offline learning rate (about 40 s on an idle CPU).
"""

import copy
import tempfile
from functools import cache

import evaluate
import numpy as np
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

from utils import ex08_trainer_api as ex

CHECKPOINT = "google/bert_uncased_L-4_H-256_A-4"
SCRATCH = tempfile.TemporaryDirectory()  # the learned model's Trainer output (nothing saved)


@cache
def data():
    """Small tokenized SST-2 splits, as the learner would make them, plus the raw ones."""
    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    raw = {"train": ex.sst2()["train"].select(range(800))}
    raw["validation"] = ex.sst2()["validation"].select(range(48))

    def tokenize_function(example):
        return tokenizer(example["sentence"], truncation=True)

    tokenized = {split: part.map(tokenize_function, batched=True) for split, part in raw.items()}
    return {"raw": raw, "tokenized": tokenized, "tokenizer": tokenizer}


def compute_metrics(eval_preds):
    """The lesson's compute_metrics."""
    metric = evaluate.load("glue", "sst2")
    logits, labels = eval_preds
    return metric.compute(predictions=np.argmax(logits, axis=-1), references=labels)


def make_trainer(output, train=True, model=None, num_labels=2, learning_rate=5e-5, **changes):
    """A Trainer as a learner builds it (two steps of training unless ``train`` is False)."""
    args = TrainingArguments(
        str(output),
        max_steps=2,
        learning_rate=learning_rate,
        save_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    if model is None:
        model = AutoModelForSequenceClassification.from_pretrained(
            CHECKPOINT, num_labels=num_labels
        )
    parts = {
        "train_dataset": data()["tokenized"]["train"],
        "eval_dataset": data()["tokenized"]["validation"],
        "data_collator": DataCollatorWithPadding(tokenizer=data()["tokenizer"]),
        "processing_class": data()["tokenizer"],
        "compute_metrics": compute_metrics,
        **changes,
    }
    trainer = Trainer(model, args, **parts)
    if train:
        trainer.train()
    return trainer


@cache
def _learned():
    import torch

    torch.manual_seed(0)
    trainer = make_trainer(SCRATCH.name, train=False, learning_rate=2e-4)
    trainer.args.max_steps = 100
    trainer.train()
    return trainer.model


def learned_model():
    """A copy of BERT-Mini after 100 steps on 800 sentences: it beats the majority label."""
    return copy.deepcopy(_learned())
