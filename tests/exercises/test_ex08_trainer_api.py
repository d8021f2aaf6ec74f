"""T8: a Trainer fine-tuned on SST-2; right answers in several forms, typical mistakes named.

The trainers here are tiny (two steps) so that the tests run in seconds. A right answer must
also have learned (beat always answering the most common label): those tests start from one
model trained once (``sst2_trainer.learned_model``, about 40 s) and are integration tests.
"""

import copy
import re

import evaluate
import numpy as np
import pytest
import torch
from datasets import DatasetDict
from message_templates import pattern
from sst2_trainer import CHECKPOINT, data, learned_model
from sst2_trainer import make_trainer as build
from transformers import AutoModel, AutoTokenizer
from verdicts import accepted, not_attempted, rejected

from utils import ex08_trainer_api as ex
from utils.grading import ____
from utils.grading.outcomes import CORRECT
from utils.language import LANGUAGE_VARIABLE, _

learned = pytest.mark.integration  # the tests that train the learned model (once)
HANGUL = re.compile("[가-힣]")


@pytest.fixture(scope="module")
def make_trainer(tmp_path_factory):
    """Build (and optionally train for two steps) a Trainer, as a learner would."""
    output = tmp_path_factory.mktemp("trainer-output")
    return lambda **changes: build(output, **changes)


@pytest.fixture(scope="module")
def trained(make_trainer):
    """A learned model's Trainer (two more steps at a rate too small to change it) and metrics."""
    trainer = make_trainer(model=learned_model(), learning_rate=1e-12)
    return trainer, trainer.evaluate()


@pytest.fixture(scope="module")
def untrained_metrics(make_trainer):
    """Metrics for the rejection tests that stop before the metrics are compared."""
    return {"eval_accuracy": 0.5, "eval_loss": 0.7}


def as_in_lesson_3_4(dataset):
    """Prepared as lesson 3.4 does: text columns removed, `labels`, torch format."""
    prepared = dataset.remove_columns(["sentence", "idx"]).rename_column("label", "labels")
    prepared.set_format("torch")
    return prepared


@learned
def test_right_answers(trained):
    trainer, metrics = trained
    accepted(ex.t8, trainer=trainer, metrics=metrics)
    # The metric computed by hand from trainer.predict, with NumPy numbers in it.
    output = trainer.predict(trainer.eval_dataset)
    by_hand = evaluate.load("glue", "sst2").compute(
        predictions=np.argmax(output.predictions, axis=-1), references=output.label_ids
    )
    accepted(ex.t8, trainer=trainer, metrics=by_hand)
    value = by_hand["accuracy"]
    for number in (np.float64(value), np.float32(value), torch.tensor(value), [value]):
        accepted(ex.t8, trainer=trainer, metrics={"accuracy": number})
    accepted(ex.t8, trainer=trainer, metrics={"accuracy": torch.tensor([value])})
    accepted(ex.t8, trainer=trainer, metrics=output.metrics)  # test_accuracy


@learned
def test_other_valid_code_paths(make_trainer):
    tokenizer = data()["tokenizer"]

    def padded(example):
        return tokenizer(example["sentence"], truncation=True, padding="max_length", max_length=64)

    tiny = {"model": learned_model(), "learning_rate": 1e-12}
    validation = data()["tokenized"]["validation"]
    answers = [
        # padded to a fixed length, evaluated on the first 40 validation sentences
        make_trainer(
            train_dataset=data()["raw"]["train"].map(padded, batched=True),
            eval_dataset=validation.select(range(40)),
            **tiny,
        ),
        # no processing_class: the collator is given explicitly
        make_trainer(processing_class=None, **tiny),
        # prepared as in lesson 3.4: no text columns, `labels`, torch format
        make_trainer(
            train_dataset=as_in_lesson_3_4(data()["tokenized"]["train"]),
            eval_dataset=as_in_lesson_3_4(validation),
            **{**tiny, "model": learned_model()},
        ),
        # another subset of the validation split, shuffled
        make_trainer(eval_dataset=validation.shuffle(seed=1).select(range(36)), **tiny),
    ]
    for trainer in answers:
        accepted(ex.t8, trainer=trainer, metrics=trainer.evaluate())


@learned
def test_a_model_that_learned_nothing_is_named(trained):
    trainer, _ = trained
    trainer = copy.copy(trainer)
    trainer.model = copy.deepcopy(trainer.model)
    labels = trainer.eval_dataset["label"]
    majority = max(set(labels), key=labels.count)
    with torch.no_grad():  # a head that answers the most common label, whatever the sentence
        trainer.model.classifier.weight.zero_()
        trainer.model.classifier.bias.copy_(
            torch.tensor([10.0, 0.0][:: 1 if majority == 0 else -1])
        )
    metrics = trainer.evaluate()
    share = labels.count(majority) / len(labels)
    assert metrics["eval_accuracy"] == pytest.approx(share)
    rejected(ex.t8, "it has not learned yet", trainer=trainer, metrics=metrics)
    rejected(ex.t8, f"scores {share:.3f}", trainer=trainer, metrics=metrics)


@learned
def test_odd_metric_values_are_named(trained):
    trainer, metrics = trained
    value = metrics["eval_accuracy"]
    odd = {
        "holds 2 numbers": torch.tensor([value, value]),
        "holds 4 numbers": np.full((2, 2), value),
        "not an accuracy": float("nan"),
        "is inf, not an accuracy": float("inf"),
        "is a model": trainer.model,
        "between 0 and 1": value * 100,
        "should be a number": "0.9",
    }
    for message, number in odd.items():
        rejected(ex.t8, message, trainer=trainer, metrics={**metrics, "eval_accuracy": number})
    rejected(ex.t8, "not an accuracy", trainer=trainer, metrics={"accuracy": torch.tensor(np.nan)})


def test_the_trainer_train_output_is_not_the_metrics(make_trainer):
    trainer = make_trainer()
    output = trainer.train()
    rejected(ex.t8, "call `metrics = trainer.evaluate()`", trainer=trainer, metrics=output.metrics)
    rejected(ex.t8, "metrics = trainer.evaluate()", trainer=trainer, metrics=output)
    rejected(
        ex.t8, "call it, `metrics = trainer.evaluate()`", trainer=trainer, metrics=trainer.evaluate
    )
    rejected(ex.t8, "is a model", trainer=trainer, metrics=trainer.model)
    prediction = trainer.predict(trainer.eval_dataset)
    rejected(ex.t8, "trainer.predict(...).metrics", trainer=trainer, metrics=prediction)


def test_evaluated_on_the_training_set(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, eval_dataset=data()["tokenized"]["train"])
    rejected(
        ex.t8,
        "`train` split; use the `validation` split",
        trainer=trainer,
        metrics=untrained_metrics,
    )
    as_3_4 = as_in_lesson_3_4(data()["tokenized"]["train"])
    trainer = make_trainer(train=False, eval_dataset=as_3_4)
    rejected(
        ex.t8,
        "`train` split; use the `validation` split",
        trainer=trainer,
        metrics=untrained_metrics,
    )


def test_trained_on_the_validation_set(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, train_dataset=data()["tokenized"]["validation"])
    rejected(ex.t8, "use the `train` split", trainer=trainer, metrics=untrained_metrics)
    as_3_4 = as_in_lesson_3_4(data()["tokenized"]["validation"])
    trainer = make_trainer(train=False, train_dataset=as_3_4)
    rejected(ex.t8, "use the `train` split", trainer=trainer, metrics=untrained_metrics)


def test_wrong_number_of_labels(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, num_labels=3)
    rejected(ex.t8, "num_labels=2", trainer=trainer, metrics=untrained_metrics)


def test_model_without_a_head(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, model=AutoModel.from_pretrained(CHECKPOINT))
    rejected(
        ex.t8, "AutoModelForSequenceClassification", trainer=trainer, metrics=untrained_metrics
    )


def test_raw_untokenized_dataset_or_no_labels(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, train_dataset=data()["raw"]["train"])
    rejected(ex.t8, "tokenize it first", trainer=trainer, metrics=untrained_metrics)
    no_labels = data()["tokenized"]["train"].remove_columns(["label"])
    trainer = make_trainer(train=False, train_dataset=no_labels)
    rejected(ex.t8, "has no labels", trainer=trainer, metrics=untrained_metrics)


def test_whole_dataset_dict_or_another_dataset(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False, eval_dataset=None)
    rejected(ex.t8, "no `eval_dataset`", trainer=trainer, metrics=untrained_metrics)
    whole = DatasetDict({"train": data()["tokenized"]["train"]})
    trainer = make_trainer(train=False, train_dataset=whole)
    rejected(ex.t8, "not the whole `DatasetDict`", trainer=trainer, metrics=untrained_metrics)
    pairs = data()["raw"]["train"].rename_column("sentence", "sentence1")
    trainer = make_trainer(train=False, train_dataset=pairs)
    rejected(ex.t8, "not SST-2's `sentence`", trainer=trainer, metrics=untrained_metrics)


def test_tokenized_with_another_checkpoints_tokenizer(make_trainer, untrained_metrics):
    cased = AutoTokenizer.from_pretrained("google-bert/bert-base-cased")
    raw = data()["raw"]["train"]
    train = raw.map(lambda e: cased(e["sentence"], truncation=True), batched=True)
    trainer = make_trainer(train=False, train_dataset=train)
    rejected(ex.t8, "checkpoint's tokenizer", trainer=trainer, metrics=untrained_metrics)
    trainer = make_trainer(train=False, train_dataset=as_in_lesson_3_4(train))
    rejected(ex.t8, "checkpoint's tokenizer", trainer=trainer, metrics=untrained_metrics)


def test_not_trained(make_trainer, untrained_metrics):
    trainer = make_trainer(train=False)
    rejected(ex.t8, "run `trainer.train()`", trainer=trainer, metrics=untrained_metrics)


def test_metrics_without_compute_metrics(make_trainer):
    trainer = make_trainer(compute_metrics=None)
    loss_only = trainer.evaluate()
    rejected(ex.t8, "compute_metrics=compute_metrics", trainer=trainer, metrics=loss_only)
    rejected(ex.t8, "should be the dictionary", trainer=trainer, metrics=0.5)


@learned
def test_metrics_computed_on_the_wrong_split(trained):
    trainer, metrics = trained
    on_train = trainer.evaluate(data()["tokenized"]["train"].select(range(100)))
    assert on_train["eval_accuracy"] != metrics["eval_accuracy"]  # else this test proves nothing
    rejected(ex.t8, "on the validation split", trainer=trainer, metrics=on_train)


def test_odd_inputs_and_blanks(make_trainer, untrained_metrics):
    rejected(ex.t8, "should be the Trainer you built", trainer=None, metrics=untrained_metrics)
    not_attempted(ex.t8, trainer=____, metrics=untrained_metrics)


@learned
def test_the_korean_edition_gets_korean_verdicts(trained, monkeypatch, shown):
    """With COURSE_LANGUAGE=ko a mistake and the confirmation are the catalog's Korean, filled."""
    trainer, metrics = trained
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    method = (
        "`metrics` is the method `trainer.{method}` itself, not what it returns: "
        "call it, `metrics = trainer.{method}()`."
    )
    korean = _(method, method="evaluate")
    assert HANGUL.search(korean) and "`metrics = trainer.evaluate()`" in korean
    rejected(ex.t8, korean, trainer=trainer, metrics=trainer.evaluate)
    accepted(ex.t8, trainer=trainer, metrics=metrics)
    task, status, confirmation = shown[-1]
    done = _(
        "fine-tuned for {steps} steps on {train_rows:,} SST-2 sentences: validation accuracy "
        "{expected:.3f} on {rows} sentences, against {baseline:.3f} for always answering "
        '"{label}".'
    )
    assert (task, status) == ("T8", CORRECT) and HANGUL.search(done)
    assert pattern(done).fullmatch(confirmation), confirmation
