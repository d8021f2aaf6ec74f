"""Property: whatever odd value a learner assigns, every check answers with a short message.

For every task (both quizzes' ten questions included), Hypothesis replaces one or two of
the graded variables of a right answer with an odd value: None, text, nested and ragged
lists, NaN and infinity (alone, in tensors, as a metric), several numbers where one is
asked, a model where numbers are, empty, huge, meta, complex and boolean tensors, NumPy
scalars and object arrays, objects whose ``__eq__``, ``__len__`` or ``__iter__`` raise,
generators, dicts with extra or missing keys, a model's whole output, functions that
fail. The check function itself must then either accept, or raise ``Wrong`` /
``Unanswered`` with a message of at most ``MESSAGE_LIMIT`` characters: never another
exception (which ``Task.check`` would report as "could not be used"), never a
traceback.
"""

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils import ex01_behind_the_pipeline as ex01
from utils import ex02_models as ex02
from utils import ex03_tokenizers as ex03
from utils import ex04_multiple_sequences as ex04
from utils import ex05_putting_it_together as ex05
from utils import ex06_quiz as ex06
from utils import ex07_processing_the_data as ex07
from utils import ex08_trainer_api as ex08
from utils import ex09_training_loop as ex09
from utils import ex10_learning_curves as ex10
from utils import ex11_quiz as ex11
from utils.grading import Unanswered, Wrong, ____
from utils.grading.answers import MESSAGE_LIMIT

# Per task; 36 tasks (each quiz has ten), so 720 odd answers in all. `make test-fast` asks for
# fewer (COURSE_ODD_EXAMPLES=5) to keep the inner loop short; `make test` runs them all.
EXAMPLES = int(os.environ.get("COURSE_ODD_EXAMPLES", "20"))
# What the right answers save (M2's model, T8's trainer output), removed when the tests end.
SCRATCH = tempfile.TemporaryDirectory()


class Shown:
    """Odd objects print safely (Hypothesis prints the values of a failing example)."""

    def _repr_pretty_(self, printer, cycle):
        printer.text(type(self).__name__ + "()")

    def __repr__(self):
        return type(self).__name__ + "()"


class RaisingEq(Shown):
    """An object that cannot even be compared."""

    def __eq__(self, other):
        raise RuntimeError("no comparing me")

    __hash__ = object.__hash__


class RaisingLen(Shown, list):
    """A list whose length cannot be taken."""

    def __len__(self):
        raise RuntimeError("no length")


class RaisingIter(Shown):
    """An object that says it is iterable but is not."""

    def __iter__(self):
        raise RuntimeError("no iterating")

    def __len__(self):
        return 3

    def keys(self):
        raise RuntimeError("no keys")


def failing_function(*arguments):
    raise ValueError("x" * 5000)  # a learner's function with a huge error message


def model_output():
    from transformers.modeling_outputs import SequenceClassifierOutput

    return SequenceClassifierOutput(logits=torch.zeros(2, 2))


# Numbers in the forms chapter 3's checks meet: NaN, infinity, several, a model.
CHAPTER_3_ODD_VALUES = [
    float("nan"),
    float("inf"),
    -float("inf"),
    np.float64("nan"),
    torch.tensor(0.5),
    torch.tensor([0.5, 0.6]),
    torch.nn.Linear(2, 2),
    {"eval_accuracy": torch.tensor([0.5, 0.6]), "eval_loss": 0.7},
    {"eval_accuracy": float("nan")},
    {"accuracy": float("inf")},
    {"accuracy": np.array([[0.5, 0.5]])},
    {"eval_accuracy": torch.nn.Linear(2, 2)},
    {"train_loss": 0.6, "train_runtime": 10.0, "epoch": 1.0},
]
FIXED_ODD_VALUES = [
    ____,
    [____, ____],
    "x" * 10_000,
    b"bytes",
    torch.empty(0),
    torch.zeros(0, 3, dtype=torch.long),
    torch.tensor(float("nan")),
    torch.tensor([float("inf"), 1.0]),
    torch.zeros(1000, 1000),
    torch.empty(2, 3, device="meta"),
    torch.tensor([1 + 2j, 3j]),
    torch.tensor([True, False]),
    torch.ones(2, 16, dtype=torch.bool),
    torch.tensor([[1, 2], [3, 4]], dtype=torch.int8),
    torch.tensor(7),
    torch.tensor([0.5], requires_grad=True),
    np.int64(3),
    np.bool_(True),
    np.float32(0.5),
    np.array(5),
    np.array([np.nan]),
    np.array(["a", "b"]),
    np.array([[1, 2], [3]], dtype=object),
    np.zeros((0,)),
    np.zeros((400, 400)),
    RaisingEq(),
    RaisingLen([1, 2]),
    RaisingIter(),
    [1, [2, [3, [4, [5, [6, [7, [8]]]]]]]],
    {"input_ids": None},
    {"input_ids": [[1, 2], [3]], "extra": object()},
    {"label": "POSITIVE"},
    {0, 1, 2},
    frozenset({"a"}),
    object(),
    type,
    print,
    failing_function,
    lambda *arguments: None,
    lambda *arguments: ____,
    lambda *arguments: {"train": None},
    Path("/nonexistent/model.safetensors"),
    Path("/"),
    range(5),
    *CHAPTER_3_ODD_VALUES,
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True),
    st.text(max_size=30),
)
nested = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.tuples(children, children),
    max_leaves=25,
)
dicts = st.dictionaries(
    st.sampled_from(["input_ids", "attention_mask", "token_type_ids", "labels", "label", "x"]),
    nested,
    max_size=4,
)
generators = st.builds(lambda items: (item for item in items), st.lists(st.integers(), max_size=4))
odd_values = st.one_of(
    scalars,
    nested,
    dicts,
    generators,
    st.builds(model_output),
    st.sampled_from(FIXED_ODD_VALUES),
)


@lru_cache(maxsize=1)
def right_answers():
    """A right answer to every task, computed the way the solutions do."""
    from datasets import DatasetDict
    from transformers import AutoModel, BertConfig, BertModel, DataCollatorWithPadding, pipeline

    answers = {}
    texts = ["This lesson was clear and fun.", "The bus was late again."]
    tokenizer, model = ex01.sentiment_model()
    inputs = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    probabilities = torch.softmax(model(**inputs).logits.detach(), dim=-1)
    scores, ids = probabilities.max(dim=-1)
    answers["T1"] = {
        "my_texts": texts,
        "pipeline_results": pipeline("sentiment-analysis", model=model, tokenizer=tokenizer)(texts),
        "my_labels": [model.config.id2label[i] for i in ids.tolist()],
        "my_scores": scores,
    }
    torch.manual_seed(0)
    config = BertConfig(num_hidden_layers=1, hidden_size=32, num_attention_heads=2)
    bert = BertModel(config).eval()
    answers["M1"] = {
        "my_config": config,
        "my_model": bert,
        "my_parameter_count": bert.num_parameters(),
    }
    folder = Path(SCRATCH.name) / "saved"
    bert.save_pretrained(folder)
    answers["M2"] = {
        "save_directory": str(folder),
        "reloaded_model": AutoModel.from_pretrained(folder),
        "same_outputs": True,
    }
    lesson = ex03.tokenizer_of_lesson_2_2()
    tokens = [lesson.tokenize(sentence) for sentence in ex03.SENTENCES]
    answers["T2"] = {
        "tokens_1": tokens[0],
        "tokens_2": tokens[1],
        "ids_1": lesson.convert_tokens_to_ids(tokens[0]),
        "ids_2": lesson.convert_tokens_to_ids(tokens[1]),
    }
    sequence_ids = lesson.convert_tokens_to_ids(lesson.tokenize(ex04.SEQUENCE))
    answers["T3"] = {
        "batched_ids": [sequence_ids, sequence_ids],
        "batched_logits": ex04.logits_of([sequence_ids, sequence_ids]),
    }
    rows, padded, mask = ex04.expected_batch()
    answers["T4"] = {
        "padded_batch_ids": padded,
        "batch_attention_mask": mask,
        "alone_logits": torch.cat([ex04.logits_of([row]) for row in rows]),
        "batch_logits": ex04.logits_of(padded, mask),
    }
    tok = ex05.lesson_tokenizer()
    padded_24 = tok(ex05.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    answers["P1"] = {"padded_to_24": padded_24, "shape_24": padded_24["input_ids"].shape}
    truncated = tok(ex05.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    answers["P2"] = {
        "truncated_ids": truncated,
        "truncated_tokens": tok.convert_ids_to_tokens(truncated),
    }
    for name in ex06.QUESTIONS:
        right = sorted(ex06.right_letters(name))
        answers[name] = {name.lower(): right if len(right) > 1 else right[0]}
    mrpc = ex07.glue("mrpc")
    label_names = mrpc["train"].features["label"]
    train, valid = mrpc["train"][15]["label"], mrpc["validation"][87]["label"]
    answers["T5"] = {
        "train_15_label": train,
        "train_15_name": label_names.int2str(train),
        "validation_87_label": valid,
        "validation_87_name": label_names.int2str(valid),
    }
    bert_tokenizer = ex07.bert_tokenizer()
    example = mrpc["train"][15]
    answers["T6"] = {
        "separate_1": bert_tokenizer(example["sentence1"]),
        "separate_2": bert_tokenizer(example["sentence2"]),
        "pair": bert_tokenizer(example["sentence1"], example["sentence2"]),
        "cls_in_separate": 2,
        "cls_in_pair": 1,
        "sep_in_separate": 2,
        "sep_in_pair": 2,
        "types_in_separate": {0},
        "types_in_pair": {0, 1},
    }
    small = DatasetDict(
        {split: data.select(range(10)) for split, data in ex07.glue("sst2").items()}
    )
    tokenized = small.map(lambda e: bert_tokenizer(e["sentence"], truncation=True), batched=True)
    rows_8 = tokenized["train"].select(range(8)).remove_columns(["sentence", "idx"]).to_list()
    answers["T7"] = {
        "tokenized_sst2": tokenized,
        "sst2_batch": DataCollatorWithPadding(tokenizer=bert_tokenizer)(rows_8),
    }
    answers["T7b"] = {"preprocess_glue": preprocess_glue}
    answers["T9"] = {"train_with_accumulation": train_with_accumulation}
    answers["T9b"] = {"evaluate_distributed": evaluate_distributed}
    for name in ex11.QUESTIONS:
        right = sorted(ex11.right_letters(name))
        answers[f"{name}-ch3"] = {name.lower(): right if len(right) > 1 else right[0]}
    return answers


@lru_cache(maxsize=1)
def trained_trainer():
    """A right answer to T8: a Trainer whose model has learned SST-2, and its evaluation."""
    from sst2_trainer import learned_model, make_trainer

    output = Path(SCRATCH.name) / "trainer"
    trainer = make_trainer(output, model=learned_model(), learning_rate=1e-12)
    return {"trainer": trainer, "metrics": trainer.evaluate()}


def learning_curves_answer():
    """A right answer to T10, read from the four runs as the solution does."""
    runs = ex10.cached_runs()
    overfitting = ex10.overfitting_letter(runs)
    return {
        "overfitting_run": overfitting,
        "too_high_lr_run": ex10.too_high_lr_letter(),
        "lowest_validation_epoch": ex10.lowest_validation(runs[overfitting])[0],
    }


# Tasks whose right answer takes training (a Trainer, the four runs): in `make test` only.
TRAINED_ANSWERS = {"T8": trained_trainer, "T10": learning_curves_answer}


def right_answer(name):
    """A right answer to one task."""
    return TRAINED_ANSWERS[name]() if name in TRAINED_ANSWERS else right_answers()[name]


def train_with_accumulation(model, train_dataloader, num_epochs, accumulation_steps):
    """A right answer to T9: the loop of lesson 3.4, stepping every ``accumulation_steps``."""
    from transformers import get_scheduler

    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    updates = num_epochs * len(train_dataloader) // accumulation_steps
    lr_scheduler = get_scheduler(
        "linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=updates
    )
    rates = []
    model.train()
    for _ in range(num_epochs):
        for step, batch in enumerate(train_dataloader):
            (model(**batch).loss / accumulation_steps).backward()
            if (step + 1) % accumulation_steps == 0:
                rates.append(optimizer.param_groups[0]["lr"])
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
    return rates


def evaluate_distributed(accelerator, model, eval_dataloader):
    """A right answer to T9b: predictions and labels gathered for the metric."""
    import evaluate

    metric = evaluate.load("glue", "mrpc")
    model.eval()
    for batch in eval_dataloader:
        with torch.no_grad():
            predictions = model(**batch).logits.argmax(dim=-1)
        predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
        metric.add_batch(predictions=predictions, references=references)
    return metric.compute()


def preprocess_glue(dataset_dict, config_name, tokenizer):
    """A right answer to T7b: the text columns read from the features."""
    split = next(iter(dataset_dict.values()))
    columns = [n for n, f in split.features.items() if getattr(f, "dtype", "") == "string"]
    return dataset_dict.map(lambda e: tokenizer(*[e[c] for c in columns], truncation=True))


TASKS = {
    "T1": ex01.t1,
    "M1": ex02.m1,
    "M2": ex02.m2,
    "T2": ex03.t2,
    "T3": ex04.t3,
    "T4": ex04.t4,
    "P1": ex05.p1,
    "P2": ex05.p2,
    **{name: getattr(ex06, name.lower()) for name in ex06.QUESTIONS},
    "T5": ex07.t5,
    "T6": ex07.t6,
    "T7": ex07.t7,
    "T7b": ex07.t7b,
    "T8": ex08.t8,
    "T9": ex09.t9,
    "T9b": ex09.t9b,
    "T10": ex10.t10,
    **{f"{name}-ch3": getattr(ex11, name.lower()) for name in ex11.QUESTIONS},
}
NAMES = [
    pytest.param(name, marks=pytest.mark.integration) if name in TRAINED_ANSWERS else name
    for name in TASKS
]


def verdict(task, values):
    """What the check function says: ("accepted", text) or ("refused", message)."""
    try:
        return "accepted", str(task.check_function(*values))
    except (Wrong, Unanswered) as refusal:
        return "refused", str(refusal)


@pytest.mark.parametrize("name", NAMES)
def test_right_answer_is_accepted(name):
    task = TASKS[name]
    answer = right_answer(name)
    assert verdict(task, [answer[n] for n in task.names])[0] == "accepted"


@pytest.mark.parametrize("name", NAMES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure can be repeated
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_odd_values_get_a_short_message_never_an_internal_error(name, data):
    task = TASKS[name]
    answer = dict(right_answer(name))
    changed = data.draw(
        st.lists(st.sampled_from(task.names), min_size=1, max_size=2, unique=True), "changed"
    )
    for variable in changed:
        answer[variable] = data.draw(odd_values, variable)
    outcome, message = verdict(task, [answer[n] for n in task.names])
    assert len(message) <= MESSAGE_LIMIT, message
    assert "Traceback" not in message and "could not be used" not in message


CHAPTER_3 = [
    pytest.param(name, marks=pytest.mark.integration) if name in TRAINED_ANSWERS else name
    for name in ["T8", "T10", *(name for name in TASKS if name.startswith("Q"))]
]


@pytest.mark.parametrize("name", CHAPTER_3)
def test_each_chapter_3_odd_value_in_each_variable_gets_its_message(name):
    """Every one of CHAPTER_3_ODD_VALUES, in every graded variable: refused, with a short
    message of its own (Hypothesis above may not draw each of them)."""
    task = TASKS[name]
    answer = right_answer(name)
    for variable in task.names:
        for odd in CHAPTER_3_ODD_VALUES:
            values = [odd if n == variable else answer[n] for n in task.names]
            outcome, message = verdict(task, values)
            assert outcome == "refused", (variable, odd)
            assert len(message) <= MESSAGE_LIMIT, message
            assert "could not be used" not in message, message
