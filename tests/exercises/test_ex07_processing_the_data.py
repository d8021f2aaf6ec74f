"""T5, T6, T7 and T7b: right answers in several forms accepted, typical mistakes named."""

import re

import pytest
import torch
from datasets import DatasetDict
from transformers import DataCollatorWithPadding
from verdicts import accepted, not_attempted, rejected

from utils import ex07_processing_the_data as ex
from utils.grading import TaskIncorrect, TaskNotAttempted, ____
from utils.language import LANGUAGE_VARIABLE, _


@pytest.fixture(scope="module")
def mrpc():
    return ex.glue("mrpc")


def t5_answer(mrpc, **changes):
    names = mrpc["train"].features["label"]
    train, valid = mrpc["train"][15]["label"], mrpc["validation"][87]["label"]
    answer = {
        "train_15_label": train,
        "train_15_name": names.int2str(train),
        "validation_87_label": valid,
        "validation_87_name": names.int2str(valid),
    }
    return {**answer, **changes}


def test_t5_right_answers(mrpc):
    accepted(ex.t5, **t5_answer(mrpc))
    accepted(ex.t5, **t5_answer(mrpc, train_15_label=torch.tensor(mrpc["train"][15]["label"])))
    names = mrpc["train"].features["label"].names
    accepted(ex.t5, **t5_answer(mrpc, validation_87_name=names[mrpc["validation"][87]["label"]]))


def test_t5_typical_mistakes(mrpc):
    train, valid = mrpc["train"][15]["label"], mrpc["validation"][87]["label"]
    rejected(ex.t5, "give the label number", **t5_answer(mrpc, train_15_label="not_equivalent"))
    rejected(ex.t5, "unlabelled test rows", **t5_answer(mrpc, validation_87_label=-1))
    rejected(
        ex.t5,
        f"element 15 of `train` has label {train}",
        **t5_answer(mrpc, train_15_label=1 - train),
    )
    rejected(ex.t5, "turn it into its name", **t5_answer(mrpc, train_15_name=train))
    rejected(ex.t5, "should be", **t5_answer(mrpc, validation_87_name="positive"))
    off_by_one = [i for i in (14, 16) if mrpc["train"][i]["label"] != train]
    if off_by_one:
        rejected(
            ex.t5,
            "Python counts from 0",
            **t5_answer(mrpc, train_15_label=mrpc["train"][off_by_one[0]]["label"]),
        )
    assert valid in (0, 1)


def test_t5_odd_inputs(mrpc):
    rejected(ex.t5, "should be an integer", **t5_answer(mrpc, train_15_label=None))
    rejected(ex.t5, "should be an integer", **t5_answer(mrpc, train_15_label=0.0))
    rejected(ex.t5, "should be an integer", **t5_answer(mrpc, train_15_label=torch.zeros(2)))
    not_attempted(ex.t5, **t5_answer(mrpc, train_15_name=____))


@pytest.fixture(scope="module")
def t6(mrpc):
    tokenizer = ex.bert_tokenizer()
    example = mrpc["train"][15]
    one, two = tokenizer(example["sentence1"]), tokenizer(example["sentence2"])
    pair = tokenizer(example["sentence1"], example["sentence2"])
    return {
        "separate_1": one,
        "separate_2": two,
        "pair": pair,
        "cls_in_separate": 2,
        "cls_in_pair": 1,
        "sep_in_separate": 2,
        "sep_in_pair": 2,
        "types_in_separate": {0},
        "types_in_pair": {0, 1},
    }


def test_t6_right_answers(t6, mrpc):
    accepted(ex.t6, **t6)
    tokenizer = ex.bert_tokenizer()
    example = mrpc["train"][15]
    as_tensors = tokenizer(example["sentence1"], example["sentence2"], return_tensors="pt")
    accepted(ex.t6, **{**t6, "pair": as_tensors, "types_in_pair": [0, 1]})
    accepted(ex.t6, **{**t6, "separate_1": dict(t6["separate_1"]), "types_in_separate": (0,)})


def test_t6_typical_mistakes(t6, mrpc):
    rejected(ex.t6, "`cls_in_separate` is 1", **{**t6, "cls_in_separate": 1})
    rejected(ex.t6, "`sep_in_pair` is 1", **{**t6, "sep_in_pair": 1})
    rejected(ex.t6, "`types_in_pair` should be", **{**t6, "types_in_pair": {0}})
    rejected(ex.t6, "does not encode element 15", **{**t6, "pair": t6["separate_1"]})
    rejected(ex.t6, "`types_in_separate` should be", **{**t6, "types_in_separate": {0, 1}})


def test_t6_odd_inputs(t6):
    rejected(ex.t6, "should be what the tokenizer returns", **{**t6, "pair": "[CLS] a [SEP]"})
    rejected(ex.t6, "should be a count", **{**t6, "cls_in_pair": "one"})
    rejected(ex.t6, "should be a set of integers", **{**t6, "types_in_pair": "0 and 1"})
    not_attempted(ex.t6, **{**t6, "sep_in_pair": ____})


@pytest.fixture(scope="module")
def sst2():
    small = DatasetDict({split: data.select(range(40)) for split, data in ex.glue("sst2").items()})
    tokenizer = ex.bert_tokenizer()
    tokenized = small.map(lambda e: tokenizer(e["sentence"], truncation=True), batched=True)
    rows = tokenized["train"][:8]
    batch = DataCollatorWithPadding(tokenizer=tokenizer)(
        {k: v for k, v in rows.items() if k not in ["idx", "sentence"]}
    )
    return small, tokenized, batch


def test_t7_right_answers(sst2):
    small, tokenized, batch = sst2
    accepted(ex.t7, tokenized_sst2=tokenized, sst2_batch=batch)
    tokenizer = ex.bert_tokenizer()
    one_by_one = small.map(lambda e: tokenizer(e["sentence"], truncation=True))
    accepted(ex.t7, tokenized_sst2=one_by_one, sst2_batch=dict(batch))
    trimmed = tokenized.remove_columns(["sentence", "idx"])
    accepted(ex.t7, tokenized_sst2=trimmed, sst2_batch=batch)


def test_t7_typical_mistakes(sst2):
    small, tokenized, batch = sst2
    tokenizer = ex.bert_tokenizer()
    padded = small.map(
        lambda e: tokenizer(e["sentence"], padding="max_length", truncation=True), batched=True
    )
    rejected(ex.t7, "without padding", tokenized_sst2=padded, sst2_batch=batch)
    rejected(
        ex.t7,
        "map every split",
        tokenized_sst2=DatasetDict(train=tokenized["train"]),
        sst2_batch=batch,
    )
    rejected(ex.t7, "has no `input_ids`", tokenized_sst2=small, sst2_batch=batch)
    no_labels = {k: v for k, v in batch.items() if k != "labels"}
    rejected(ex.t7, "has no labels", tokenized_sst2=tokenized, sst2_batch=no_labels)
    fixed = {**batch, "input_ids": torch.zeros(8, 128, dtype=torch.long)}
    rejected(ex.t7, "has shape [8, 128]", tokenized_sst2=tokenized, sst2_batch=fixed)


def test_t7_odd_inputs(sst2):
    _small, tokenized, batch = sst2
    rejected(
        ex.t7, "should be the `DatasetDict`", tokenized_sst2=tokenized["train"], sst2_batch=batch
    )
    rejected(ex.t7, "should be the collator's output", tokenized_sst2=tokenized, sst2_batch=None)
    rows = {"input_ids": [[1, 2]], "labels": [1]}
    rejected(ex.t7, "is not a tensor", tokenized_sst2=tokenized, sst2_batch=rows)
    not_attempted(ex.t7, tokenized_sst2=____, sst2_batch=batch)


COLUMNS = {
    "cola": ("sentence",),
    "sst2": ("sentence",),
    "mrpc": ("sentence1", "sentence2"),
    "stsb": ("sentence1", "sentence2"),
    "qnli": ("question", "sentence"),
    "mnli": ("premise", "hypothesis"),
    "qqp": ("question1", "question2"),
    "rte": ("sentence1", "sentence2"),
    "wnli": ("sentence1", "sentence2"),
    "ax": ("premise", "hypothesis"),
}


def preprocess_from_table(dataset_dict, config_name, tokenizer):
    columns = COLUMNS[config_name]
    return dataset_dict.map(
        lambda e: tokenizer(*[e[c] for c in columns], truncation=True), batched=True
    )


def preprocess_from_features(dataset_dict, config_name, tokenizer):
    """Another valid way: read the text columns from the features."""
    split = next(iter(dataset_dict.values()))
    columns = [n for n, f in split.features.items() if getattr(f, "dtype", "") == "string"]
    return dataset_dict.map(lambda e: tokenizer(*[e[c] for c in columns], truncation=True))


def test_t7b_right_answers():
    tried = []

    def recording(dataset_dict, config_name, tokenizer):
        tried.append(config_name)
        return preprocess_from_table(dataset_dict, config_name, tokenizer)

    accepted(ex.t7b, preprocess_glue=recording)
    accepted(ex.t7b, preprocess_glue=preprocess_from_features)
    assert sorted(tried) == sorted(
        ["cola", "sst2", "mrpc", "qqp", "stsb", "mnli", "qnli", "rte", "wnli", "ax"]
    )


def test_t7b_typical_mistakes():
    def first_column_only(dataset_dict, config_name, tokenizer):
        column = COLUMNS[config_name][0]
        return dataset_dict.map(lambda e: tokenizer(e[column], truncation=True), batched=True)

    def only_sentence(dataset_dict, config_name, tokenizer):
        return dataset_dict.map(lambda e: tokenizer(e["sentence"], truncation=True), batched=True)

    def returns_the_function(dataset_dict, config_name, tokenizer):
        return lambda e: tokenizer(e["sentence"])

    rejected(
        ex.t7b,
        "for 'mrpc' (`train`), only the `sentence1` column went in",
        preprocess_glue=first_column_only,
    )
    rejected(
        ex.t7b,
        "`preprocess_glue(..., 'mrpc', tokenizer)` failed with KeyError",
        preprocess_glue=only_sentence,
    )
    rejected(ex.t7b, "not a `DatasetDict`", preprocess_glue=returns_the_function)


def test_t7b_odd_inputs():
    rejected(ex.t7b, "should be a function", preprocess_glue=None)
    rejected(ex.t7b, "should be a function", preprocess_glue="preprocess")
    not_attempted(ex.t7b, preprocess_glue=____)


def test_t5_mistakes_found_by_a_learner(mrpc):
    import numpy as np

    train = mrpc["train"][15]["label"]
    accepted(ex.t5, **t5_answer(mrpc, train_15_label=np.int64(train)))
    wrong_split = mrpc["train"][87]["label"]
    valid = mrpc["validation"][87]["label"]
    if wrong_split != valid:
        rejected(
            ex.t5,
            "Take it from `raw_datasets['validation'][87]`",
            **t5_answer(mrpc, validation_87_label=wrong_split),
        )
    rejected(
        ex.t5, "should be an integer, but it is a bool", **t5_answer(mrpc, train_15_label=True)
    )


def test_t6_mistakes_found_by_a_learner(t6, mrpc):
    import numpy as np

    tokenizer = ex.bert_tokenizer()
    example = mrpc["train"][15]
    batch = tokenizer([example["sentence1"], example["sentence2"]])
    rejected(ex.t6, "holds 2 encodings, a batch", **{**t6, "pair": batch})
    joined = tokenizer(example["sentence1"] + " " + example["sentence2"])
    rejected(ex.t6, "went in as one text", **{**t6, "pair": joined})
    rejected(ex.t6, "holds text", **{**t6, "types_in_pair": {"0", "1"}})
    repeats = list(t6["pair"]["token_type_ids"])
    rejected(ex.t6, "with repeats", **{**t6, "types_in_pair": repeats})
    rejected(ex.t6, "the pair holds 1: count again", **{**t6, "cls_in_pair": 2})
    accepted(ex.t6, **{**t6, "sep_in_pair": torch.tensor(2), "cls_in_pair": np.int64(1)})


def test_t7_mistakes_found_by_a_learner(sst2):
    small, tokenized, batch = sst2
    tokenizer = ex.bert_tokenizer()
    collator = DataCollatorWithPadding(tokenizer=tokenizer)
    keep = ["input_ids", "token_type_ids", "attention_mask", "label"]
    later_rows = collator(tokenized["train"].select(range(8, 16)).select_columns(keep).to_list())
    same_shape = list(later_rows["input_ids"].shape) == list(batch["input_ids"].shape)
    message = "differs from the collated" if same_shape else "has shape"
    rejected(ex.t7, message, tokenized_sst2=tokenized, sst2_batch=later_rows)
    flipped = {**batch, "labels": 1 - batch["labels"]}
    rejected(ex.t7, "`sst2_batch['labels']` differs", tokenized_sst2=tokenized, sst2_batch=flipped)
    ones = {**batch, "attention_mask": torch.ones_like(batch["attention_mask"])}
    rejected(
        ex.t7, "`sst2_batch['attention_mask']` differs", tokenized_sst2=tokenized, sst2_batch=ones
    )
    ids = batch["input_ids"].clone()
    ids[ids == tokenizer.pad_token_id] = tokenizer.unk_token_id
    unk = {**batch, "input_ids": ids}
    rejected(ex.t7, "`sst2_batch['input_ids']` differs", tokenized_sst2=tokenized, sst2_batch=unk)
    no_mask = {**batch, "attention_mask": None}
    rejected(ex.t7, "has no `attention_mask`", tokenized_sst2=tokenized, sst2_batch=no_mask)
    as_numpy = {key: value.numpy() for key, value in batch.items()}
    accepted(ex.t7, tokenized_sst2=tokenized, sst2_batch=as_numpy)


def test_t7b_mistakes_found_by_a_learner():
    from transformers import AutoTokenizer

    def no_truncation(dataset_dict, config_name, tokenizer):
        columns = COLUMNS[config_name]
        return dataset_dict.map(lambda e: tokenizer(*[e[c] for c in columns]), batched=True)

    def padded(dataset_dict, config_name, tokenizer):
        columns = COLUMNS[config_name]
        return dataset_dict.map(
            lambda e: tokenizer(*[e[c] for c in columns], truncation=True, padding=True),
            batched=True,
        )

    def joined(dataset_dict, config_name, tokenizer):
        columns = COLUMNS[config_name]
        return dataset_dict.map(
            lambda e: tokenizer(
                [" ".join(texts) for texts in zip(*[e[c] for c in columns], strict=True)],
                truncation=True,
            ),
            batched=True,
        )

    own_tokenizer = AutoTokenizer.from_pretrained(ex.CHECKPOINT)

    def ignores_the_argument(dataset_dict, config_name, tokenizer):
        return preprocess_from_table(dataset_dict, config_name, own_tokenizer)

    def blank_body(dataset_dict, config_name, tokenizer):
        return ____

    rejected(ex.t7b, "more than the tokenizer's maximum", preprocess_glue=no_truncation)
    rejected(ex.t7b, "that is padding", preprocess_glue=padded)
    rejected(ex.t7b, "went in as one text", preprocess_glue=joined)
    rejected(ex.t7b, "use the `tokenizer` your function", preprocess_glue=ignores_the_argument)
    not_attempted(ex.t7b, preprocess_glue=blank_body)


def test_t5_more_valid_forms(mrpc):
    import numpy as np

    train = mrpc["train"][15]["label"]
    names = mrpc["train"].features["label"]
    accepted(ex.t5, **t5_answer(mrpc, train_15_label=np.array(train)))
    accepted(ex.t5, **t5_answer(mrpc, train_15_label=torch.tensor([train])))
    accepted(ex.t5, **t5_answer(mrpc, train_15_name=np.str_(names.int2str(train))))
    column = mrpc["validation"].with_format("torch")[87]["label"]
    accepted(ex.t5, **t5_answer(mrpc, validation_87_label=column))


def test_t5_beginner_mistakes_name_the_fix(mrpc):
    train = mrpc["train"][15]["label"]
    names = mrpc["train"].features["label"]
    rejected(
        ex.t5, "is the whole row (a dict)", **t5_answer(mrpc, train_15_label=mrpc["train"][15])
    )
    one = mrpc["train"][15:16]["label"]
    rejected(ex.t5, "is a list of one label", **t5_answer(mrpc, train_15_label=one))
    rejected(ex.t5, "is a list of names", **t5_answer(mrpc, train_15_name=names.names))
    capital = names.int2str(train).capitalize()
    if capital != names.int2str(train):
        rejected(ex.t5, "spelled exactly as the dataset", **t5_answer(mrpc, train_15_name=capital))
    rejected(ex.t5, "should be a label name (text)", **t5_answer(mrpc, train_15_name=None))


def test_t6_more_valid_forms(t6, mrpc):
    import numpy as np

    tokenizer = ex.bert_tokenizer()
    example = mrpc["train"][15]
    arrays = tokenizer(example["sentence1"], example["sentence2"], return_tensors="np")
    accepted(ex.t6, **{**t6, "pair": arrays})
    unique = torch.tensor(t6["pair"]["token_type_ids"]).unique()
    accepted(ex.t6, **{**t6, "types_in_pair": unique})
    accepted(ex.t6, **{**t6, "types_in_pair": {np.int64(0), np.int64(1)}})
    accepted(ex.t6, **{**t6, "types_in_separate": frozenset({0})})


def test_t6_beginner_mistakes_name_the_fix(t6, mrpc):
    tokenizer = ex.bert_tokenizer()
    example = mrpc["train"][15]
    rejected(ex.t6, "`separate_1` is the pair", **{**t6, "separate_1": t6["pair"]})
    swapped = tokenizer(example["sentence2"], example["sentence1"])
    rejected(ex.t6, "in the other order", **{**t6, "pair": swapped})
    counted = [101, 101]
    rejected(
        ex.t6,
        "should be a count (an integer), but it is a list",
        **{**t6, "cls_in_separate": counted},
    )
    ids_only = {"input_ids": t6["pair"]["input_ids"]}
    rejected(ex.t6, "has no token_type_ids", **{**t6, "pair": ids_only})
    rejected(ex.t6, "should be a count", **{**t6, "sep_in_pair": True})


def test_t7_more_valid_forms(sst2):
    small, tokenized, batch = sst2
    for form in ["torch", "numpy", "pandas"]:
        accepted(ex.t7, tokenized_sst2=tokenized.with_format(form), sst2_batch=batch)
    as_int32 = {key: value.int() for key, value in batch.items()}
    accepted(ex.t7, tokenized_sst2=tokenized, sst2_batch=as_int32)


def test_t7_beginner_mistakes_name_the_fix(sst2):
    small, tokenized, batch = sst2
    tokenizer = ex.bert_tokenizer()
    keep = ["input_ids", "token_type_ids", "attention_mask", "label"]
    rows = tokenized["train"].select(range(8)).select_columns(keep).to_list()
    rejected(
        ex.t7, "is a list of rows, before collating", tokenized_sst2=tokenized, sst2_batch=rows
    )
    by_hand = {**{k: v for k, v in batch.items() if k != "labels"}, "label": batch["labels"]}
    rejected(ex.t7, "has `'label'`, not `'labels'`", tokenized_sst2=tokenized, sst2_batch=by_hand)
    padded = small.map(
        lambda e: tokenizer(e["sentence"], padding="max_length", truncation=True), batched=True
    )
    rejected(ex.t7, "without padding", tokenized_sst2=padded.with_format("torch"), sst2_batch=batch)
    rejected(
        ex.t7, "has no `input_ids`", tokenized_sst2=small.with_format("numpy"), sst2_batch=batch
    )


def test_t7b_more_valid_forms():
    def torch_format(dataset_dict, config_name, tokenizer):
        result = preprocess_from_table(dataset_dict, config_name, tokenizer)
        result.set_format("torch")
        return result

    def text_columns_removed(dataset_dict, config_name, tokenizer):
        columns = COLUMNS[config_name]
        return dataset_dict.map(
            lambda e: tokenizer(*[e[c] for c in columns], truncation=True),
            batched=True,
            remove_columns=list(columns),
        )

    def row_by_row(dataset_dict, config_name, tokenizer):
        columns = COLUMNS[config_name]
        return dataset_dict.map(lambda e: tokenizer(*[e[c] for c in columns], truncation=True))

    accepted(ex.t7b, preprocess_glue=torch_format)
    accepted(ex.t7b, preprocess_glue=text_columns_removed)
    accepted(ex.t7b, preprocess_glue=row_by_row)


def test_t7b_beginner_mistakes_name_the_fix():
    six = {name: COLUMNS[name] for name in ["cola", "sst2", "mrpc", "stsb", "qnli", "mnli"]}

    def six_configurations(dataset_dict, config_name, tokenizer):
        columns = six[config_name]
        return dataset_dict.map(lambda e: tokenizer(*[e[c] for c in columns], truncation=True))

    def unchanged(dataset_dict, config_name, tokenizer):
        return dataset_dict

    def plain_dict(dataset_dict, config_name, tokenizer):
        return dict(preprocess_from_table(dataset_dict, config_name, tokenizer))

    def train_only(dataset_dict, config_name, tokenizer):
        result = preprocess_from_table(dataset_dict, config_name, tokenizer)
        return DatasetDict(train=result["train"]) if "train" in result else result

    def loud(dataset_dict, config_name, tokenizer):
        raise ValueError("no " * 2000)

    rejected(ex.t7b, "'qqp', tokenizer)` failed with KeyError", preprocess_glue=six_configurations)
    rejected(ex.t7b, "for 'cola', the `train` split has no `input_ids`", preprocess_glue=unchanged)
    rejected(ex.t7b, "returned a dict of length 2, not a `DatasetDict`", preprocess_glue=plain_dict)
    rejected(ex.t7b, "the result has no `test` split: map every split", preprocess_glue=train_only)
    rejected(ex.t7b, "failed with ValueError: no no", preprocess_glue=loud)


HANGUL = re.compile("[\uac00-\ud7a3]")


def verdict(task, outcome=TaskIncorrect, **answers):
    """The message a check shows for ``answers`` (without the task's name before it)."""
    with pytest.raises(outcome) as caught:
        task.check(dict(answers))
    return str(caught.value).removeprefix(f"{task.name}: ")


def test_korean_learners_get_korean_verdicts_and_confirmations(monkeypatch, mrpc, t6, sst2):
    """In the Korean edition a typical slip in each task, and each right answer, reads Korean."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    small, tokenized, batch = sst2
    train = mrpc["train"][15]["label"]
    right = t5_answer(mrpc)

    def unchanged(dataset_dict, config_name, tokenizer):
        return dataset_dict

    def blank_body(dataset_dict, config_name, tokenizer):
        return ____

    shown = {
        verdict(ex.t5, **t5_answer(mrpc, train_15_name=train)): _(
            "`{name}` is the number {value}; turn it into its name with `int2str()`.",
            name="train_15_name",
            value=train,
        ),
        verdict(ex.t6, **{**t6, "cls_in_pair": 2}): _(
            "`{name}` is {value}, but the pair holds {wanted}: count again.",
            name="cls_in_pair",
            value=2,
            wanted=1,
        ),
        verdict(ex.t7, tokenized_sst2=small, sst2_batch=batch): _(
            "the `{split}` split of `tokenized_sst2` has no `input_ids`: tokenize it with `map()`.",
            split="train",
        ),
        verdict(ex.t7b, preprocess_glue=unchanged): _(
            "for {config!r}, the `{split}` split has no `input_ids`: tokenize every split with "
            "`dataset_dict.map(...)`.",
            config="cola",
            split="train",
        ),
        verdict(ex.t7b, TaskNotAttempted, preprocess_glue=blank_body): _(
            "`preprocess_glue` still returns `____`: write its body, then run that cell and "
            "this check again."
        ),
        ex.t5.check_function(**right): _(
            "`train[15]` is {train} ({train_name}), `validation[87]` is {valid} ({valid_name}).",
            train=right["train_15_label"],
            train_name=right["train_15_name"],
            valid=right["validation_87_label"],
            valid_name=right["validation_87_name"],
        ),
        ex.t6.check_function(**t6): _(
            "two `[CLS]` apart but one as a pair, and only the pair uses segment 1."
        ),
    }
    for message, korean in shown.items():
        assert HANGUL.search(message), message
        assert message == korean
    assert "다시 세어 보세요" in _("`{name}` is {value}, but the pair holds {wanted}: count again.")
    confirmation = ex.t7.check_function(tokenized, batch)
    assert HANGUL.search(confirmation) and "`[8, " in confirmation, confirmation
