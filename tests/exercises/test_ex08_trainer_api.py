"""T8: a Trainer fine-tuned on SST-2; right answers in several forms, typical mistakes named.

The trainers here are tiny (a few dozen sentences, two steps) so that the tests run in
seconds; the check does not care how long the learner trained, only that it did.
"""

import evaluate
import numpy as np
import pytest
from datasets import DatasetDict
from transformers import (
    AutoModel,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)
from verdicts import accepted, not_attempted, rejected

from utils import ex08_trainer_api as ex
from utils.grading import ____

CHECKPOINT = "google/bert_uncased_L-4_H-256_A-4"


@pytest.fixture(scope="module")
def data():
    """Small tokenized SST-2 splits, as the learner would make them, plus the raw ones."""
    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    raw = {"train": ex.sst2()["train"].select(range(64)), "validation": ex.sst2()["validation"]}
    raw["validation"] = raw["validation"].select(range(48))

    def tokenize_function(example):
        return tokenizer(example["sentence"], truncation=True)

    tokenized = {split: part.map(tokenize_function, batched=True) for split, part in raw.items()}
    return {"raw": raw, "tokenized": tokenized, "tokenizer": tokenizer}


def compute_metrics(eval_preds):
    metric = evaluate.load("glue", "sst2")
    logits, labels = eval_preds
    return metric.compute(predictions=np.argmax(logits, axis=-1), references=labels)


@pytest.fixture(scope="module")
def make_trainer(data, tmp_path_factory):
    """Build (and optionally train for two steps) a Trainer, as a learner would."""
    output = tmp_path_factory.mktemp("trainer-output")

    def make(train=True, model=None, num_labels=2, **changes):
        args = TrainingArguments(
            str(output), max_steps=2, save_strategy="no", report_to="none", disable_tqdm=True
        )
        if model is None:
            model = AutoModelForSequenceClassification.from_pretrained(
                CHECKPOINT, num_labels=num_labels
            )
        parts = {
            "train_dataset": data["tokenized"]["train"],
            "eval_dataset": data["tokenized"]["validation"],
            "data_collator": DataCollatorWithPadding(tokenizer=data["tokenizer"]),
            "processing_class": data["tokenizer"],
            "compute_metrics": compute_metrics,
            **changes,
        }
        trainer = Trainer(model, args, **parts)
        if train:
            trainer.train()
        return trainer

    return make


@pytest.fixture(scope="module")
def trained(make_trainer):
    trainer = make_trainer()
    return trainer, trainer.evaluate()


def test_right_answers(trained, data):
    trainer, metrics = trained
    accepted(ex.t8, trainer=trainer, metrics=metrics)
    # The metric computed by hand from trainer.predict, with NumPy numbers in it.
    output = trainer.predict(trainer.eval_dataset)
    by_hand = evaluate.load("glue", "sst2").compute(
        predictions=np.argmax(output.predictions, axis=-1), references=output.label_ids
    )
    accepted(ex.t8, trainer=trainer, metrics=by_hand)
    accepted(ex.t8, trainer=trainer, metrics={"accuracy": np.float64(by_hand["accuracy"])})
    accepted(ex.t8, trainer=trainer, metrics=output.metrics)  # test_accuracy


def test_right_answers_padded_and_evaluated_on_a_subset(make_trainer, data):
    tokenizer = data["tokenizer"]

    def padded(example):
        return tokenizer(example["sentence"], truncation=True, padding="max_length", max_length=64)

    trainer = make_trainer(
        train_dataset=data["raw"]["train"].map(padded, batched=True),
        eval_dataset=data["tokenized"]["validation"].select(range(20)),
    )
    accepted(ex.t8, trainer=trainer, metrics=trainer.evaluate())


def test_tokenizer_keyword_instead_of_processing_class(make_trainer, trained):
    trainer = make_trainer(train=False, processing_class=None)
    rejected(ex.t8, "processing_class=tokenizer", trainer=trainer, metrics=trained[1])
    rejected(ex.t8, "TypeError", trainer=trainer, metrics=trained[1])


def test_evaluated_on_the_training_set(make_trainer, data, trained):
    trainer = make_trainer(train=False, eval_dataset=data["tokenized"]["train"])
    rejected(ex.t8, "train split; use the validation split", trainer=trainer, metrics=trained[1])


def test_trained_on_the_validation_set(make_trainer, data, trained):
    trainer = make_trainer(train=False, train_dataset=data["tokenized"]["validation"])
    rejected(ex.t8, "use the train split", trainer=trainer, metrics=trained[1])


def test_wrong_number_of_labels(make_trainer, trained):
    trainer = make_trainer(train=False, num_labels=3)
    rejected(ex.t8, "num_labels=2", trainer=trainer, metrics=trained[1])


def test_model_without_a_head(make_trainer, trained):
    trainer = make_trainer(train=False, model=AutoModel.from_pretrained(CHECKPOINT))
    rejected(ex.t8, "AutoModelForSequenceClassification", trainer=trainer, metrics=trained[1])


def test_raw_untokenized_dataset(make_trainer, data, trained):
    trainer = make_trainer(train=False, train_dataset=data["raw"]["train"])
    rejected(ex.t8, "tokenize it first", trainer=trainer, metrics=trained[1])


def test_whole_dataset_dict_or_another_dataset(make_trainer, data, trained):
    trainer = make_trainer(train=False, eval_dataset=None)
    rejected(ex.t8, "no eval_dataset", trainer=trainer, metrics=trained[1])
    whole = DatasetDict({"train": data["tokenized"]["train"]})
    trainer = make_trainer(train=False, train_dataset=whole)
    rejected(ex.t8, "not the whole DatasetDict", trainer=trainer, metrics=trained[1])
    pairs = data["raw"]["train"].rename_column("sentence", "sentence1")
    trainer = make_trainer(train=False, train_dataset=pairs)
    rejected(ex.t8, "not SST-2's `sentence`", trainer=trainer, metrics=trained[1])


def test_tokenized_with_another_checkpoints_tokenizer(make_trainer, data, trained):
    cased = AutoTokenizer.from_pretrained("google-bert/bert-base-cased")
    train = data["raw"]["train"].map(lambda e: cased(e["sentence"], truncation=True), batched=True)
    trainer = make_trainer(train=False, train_dataset=train)
    rejected(ex.t8, "checkpoint's tokenizer", trainer=trainer, metrics=trained[1])


def test_not_trained(make_trainer, trained):
    trainer = make_trainer(train=False)
    rejected(ex.t8, "run trainer.train()", trainer=trainer, metrics=trained[1])


def test_metrics_without_compute_metrics(trained):
    trainer, metrics = trained
    loss_only = {key: value for key, value in metrics.items() if "accuracy" not in key}
    rejected(ex.t8, "compute_metrics=compute_metrics", trainer=trainer, metrics=loss_only)
    rejected(ex.t8, "should be the dictionary", trainer=trainer, metrics=0.5)


def test_metrics_computed_on_the_wrong_split(trained, data):
    trainer, metrics = trained
    on_train = trainer.evaluate(data["tokenized"]["train"])
    assert on_train["eval_accuracy"] != metrics["eval_accuracy"]  # else this test proves nothing
    rejected(ex.t8, "on the validation split", trainer=trainer, metrics=on_train)


def test_odd_inputs_and_blanks(trained):
    rejected(ex.t8, "should be the Trainer you built", trainer=None, metrics=trained[1])
    rejected(ex.t8, "should be a number", trainer=trained[0], metrics={"eval_accuracy": "0.9"})
    not_attempted(ex.t8, trainer=____, metrics=trained[1])
