"""Checks for the exercises of lesson 3.2, processing the data (tasks T5, T6, T7, T7b)."""

from collections.abc import Mapping
from functools import cache, lru_cache

from utils.grading import Placeholder, Unanswered, Wrong, describe, task
from utils.grading.answers import (
    as_encoding,
    as_int,
    as_int_set,
    as_list,
    as_shape,
    cut,
    first_difference,
    plain,
    quote,
    rows_of,
)
from utils.language import N_, _

CHECKPOINT = "google-bert/bert-base-uncased"
GLUE = "nyu-mll/glue"


@lru_cache(maxsize=1)
def bert_tokenizer():
    """The tokenizer of lesson 3.2."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(CHECKPOINT)


@cache
def glue(config):
    """One GLUE configuration, loaded once."""
    from datasets import load_dataset

    return load_dataset(GLUE, config)


def check_integer_label(value, name, split, index):
    """One label as an integer, with a message for the usual slips."""
    data = glue("mrpc")[split]
    if isinstance(value, str):
        raise Wrong(
            _(
                "`{name}` is the text {value}; give the label number (0 or 1) here.",
                name=name,
                value=quote(value, 40),
            )
        )
    if isinstance(value, dict) and "label" in value:
        raise Wrong(
            _(
                "`{name}` is the whole row (a dict): take its label, "
                "`raw_datasets[{split!r}][{index}]['label']`.",
                name=name,
                split=split,
                index=index,
            )
        )
    if isinstance(value, list | tuple) and len(value) == 1:
        raise Wrong(
            _(
                "`{name}` is a list of one label: index the row with `[{index}]`, not a slice, "
                "to get the number itself.",
                name=name,
                index=index,
            )
        )
    value = as_int(value, name)
    expected = data[index]["label"]
    if value == -1:
        raise Wrong(
            _(
                "`{name}` is -1, the label of unlabelled test rows: use the `{split}` split.",
                name=name,
                split=split,
            )
        )
    if value != expected:
        raise Wrong(
            _(
                "`{name}` is {value}, but element {index} of `{split}` has label {expected}. "
                "Take it from `raw_datasets[{split!r}][{index}]`: that split, and Python counts "
                "from 0.",
                name=name,
                value=value,
                index=index,
                split=split,
                expected=expected,
            )
        )
    return expected


def check_label_name(value, name, label):
    """One label's name, checked against the dataset's ClassLabel."""
    names = glue("mrpc")["train"].features["label"]
    expected = names.int2str(label)
    item = plain(value, name) if not isinstance(value, str) else value
    if isinstance(item, int) and not isinstance(item, bool):
        raise Wrong(
            _(
                "`{name}` is the number {value}; turn it into its name with `int2str()`.",
                name=name,
                value=item,
            )
        )
    if isinstance(item, list) and item and all(isinstance(i, str) for i in item):
        raise Wrong(
            _(
                "`{name}` is a list of names; give the one name of label {label}, "
                "`features['label'].int2str({label})`.",
                name=name,
                label=label,
            )
        )
    if not isinstance(item, str):
        raise Wrong(
            _(
                "`{name}` should be a label name (text), but it is {what}.",
                name=name,
                what=describe(value),
            )
        )
    if item != expected and item.strip().lower() == expected.lower():
        raise Wrong(
            _(
                "`{name}` should be {expected!r}, spelled exactly as the dataset names it: "
                "take it from `int2str()` rather than typing it.",
                name=name,
                expected=expected,
            )
        )
    if item != expected:
        raise Wrong(
            _(
                "`{name}` should be {expected!r} (label {label}), but it is {value}.",
                name=name,
                expected=expected,
                label=label,
                value=quote(item, 40),
            )
        )


@task(
    "T5",
    N_("Labels of `train[15]` and `validation[87]`"),
    hints=[
        N_(
            "Index a split like a list: `raw_datasets['train'][15]` is a dict with a `'label'` key."
        ),
        N_(
            "The `features` know the names: "
            "`raw_datasets['train'].features['label'].int2str(number)`."
        ),
        "train_15_label = raw_datasets['train'][15]['label']",
    ],
)
def t5(train_15_label, train_15_name, validation_87_label, validation_87_name):
    """T5: the labels of train[15] and validation[87], as numbers and as names."""
    train = check_integer_label(train_15_label, "train_15_label", "train", 15)
    valid = check_integer_label(validation_87_label, "validation_87_label", "validation", 87)
    check_label_name(train_15_name, "train_15_name", train)
    check_label_name(validation_87_name, "validation_87_name", valid)
    return _(
        "`train[15]` is {train} ({train_name}), `validation[87]` is {valid} ({valid_name}).",
        train=train,
        train_name=train_15_name,
        valid=valid,
        valid_name=validation_87_name,
    )


def count_tokens(encodings, token_id):
    """How many times ``token_id`` appears in the input IDs of some encodings."""
    return sum(list(encoding["input_ids"]).count(token_id) for encoding in encodings)


def read_encoding(value, name):
    """A tokenizer's output as plain lists of input and type IDs (a batch of one unwrapped)."""
    encoding = as_encoding(value, name, ("input_ids", "token_type_ids"))
    for key, values in encoding.items():
        if len(values) == 1 and isinstance(values[0], list):
            encoding[key] = values[0]
    return encoding


EXAMPLE_SET = "set(encoding['token_type_ids'])"


@task(
    "T6",
    N_("Two separate sentences or one pair"),
    hints=[
        N_(
            "`tokenizer(sentence1)` and `tokenizer(sentence2)` are two calls; "
            "`tokenizer(sentence1, sentence2)` is one."
        ),
        N_(
            "Count with `list(encoding['input_ids']).count(tokenizer.cls_token_id)`; a set of "
            "the `token_type_ids` shows which segments appear."
        ),
        "types_in_pair = set(pair['token_type_ids'])",
    ],
)
def t6(
    separate_1,
    separate_2,
    pair,
    cls_in_separate,
    cls_in_pair,
    sep_in_separate,
    sep_in_pair,
    types_in_separate,
    types_in_pair,
):
    """T6: element 15 tokenized as two sentences and as a pair, and what differs."""
    tokenizer = bert_tokenizer()
    example = glue("mrpc")["train"][15]
    expected = [
        tokenizer(example["sentence1"]),
        tokenizer(example["sentence2"]),
        tokenizer(example["sentence1"], example["sentence2"]),
    ]
    got = [
        read_encoding(value, name)
        for value, name in [(separate_1, "separate_1"), (separate_2, "separate_2"), (pair, "pair")]
    ]
    swapped = tokenizer(example["sentence2"], example["sentence1"])["input_ids"]
    joined = tokenizer(example["sentence1"] + " " + example["sentence2"])["input_ids"]
    for value, wanted, name in zip(
        got, expected, ["separate_1", "separate_2", "pair"], strict=True
    ):
        ids = value["input_ids"]
        if ids and isinstance(ids[0], list) and name == "pair":
            raise Wrong(
                _(
                    "`pair` holds {count} encodings, a batch. For a pair, give the two sentences "
                    "as two arguments, `tokenizer(sentence1, sentence2)`, not as one list.",
                    count=len(ids),
                )
            )
        if ids and isinstance(ids[0], list):
            raise Wrong(
                _(
                    "`{name}` holds {count} encodings, a batch. Tokenize just one sentence here.",
                    name=name,
                    count=len(ids),
                )
            )
        if name == "pair" and ids == joined:
            raise Wrong(
                _(
                    "`pair` has a single `[SEP]` and no segment 1: the two sentences went in as "
                    "one text. Give them as two arguments, `tokenizer(sentence1, sentence2)`."
                )
            )
        if name != "pair" and ids == expected[2]["input_ids"]:
            raise Wrong(_("`{name}` is the pair: tokenize one sentence alone here.", name=name))
        if name == "pair" and ids == swapped:
            raise Wrong(
                _(
                    "`pair` has the sentences in the other order: `sentence1` first, "
                    "`tokenizer(sentence1, sentence2)`."
                )
            )
        if ids != wanted["input_ids"]:
            raise Wrong(
                _(
                    "`{name}` does not encode element 15 of the training set as asked: "
                    "`sentence1`, `sentence2`, then both together in one call.",
                    name=name,
                )
            )
    counts = {
        "cls_in_separate": (cls_in_separate, count_tokens(expected[:2], tokenizer.cls_token_id)),
        "cls_in_pair": (cls_in_pair, count_tokens(expected[2:], tokenizer.cls_token_id)),
        "sep_in_separate": (sep_in_separate, count_tokens(expected[:2], tokenizer.sep_token_id)),
        "sep_in_pair": (sep_in_pair, count_tokens(expected[2:], tokenizer.sep_token_id)),
    }
    for name, (value, wanted) in counts.items():
        if isinstance(value, list | tuple | str | set):
            raise Wrong(
                _(
                    "`{name}` should be a count (an integer), but it is {what}: count with "
                    "`list(encoding['input_ids']).count(token_id)`.",
                    name=name,
                    what=describe(value),
                )
            )
        value = as_int(value, name, _("a count (an integer)"))
        if value != wanted and "separate" in name:
            raise Wrong(
                _(
                    "`{name}` is {value}, but both separate encodings together hold {wanted}: "
                    "count again.",
                    name=name,
                    value=value,
                    wanted=wanted,
                )
            )
        if value != wanted:
            raise Wrong(
                _(
                    "`{name}` is {value}, but the pair holds {wanted}: count again.",
                    name=name,
                    value=value,
                    wanted=wanted,
                )
            )
    separate_types = set(expected[0]["token_type_ids"]) | set(expected[1]["token_type_ids"])
    if as_int_set(types_in_separate, "types_in_separate", EXAMPLE_SET) != separate_types:
        raise Wrong(
            _(
                "`types_in_separate` should be {expected}: every token is segment 0.",
                expected=separate_types,
            )
        )
    pair_types = set(expected[2]["token_type_ids"])
    if as_int_set(types_in_pair, "types_in_pair", EXAMPLE_SET) != pair_types:
        raise Wrong(_("`types_in_pair` should be {expected}.", expected=pair_types))
    return _("two `[CLS]` apart but one as a pair, and only the pair uses segment 1.")


def text_columns(dataset):
    """The text columns of a GLUE split, read from its features (strings other than idx)."""
    return [
        name
        for name, feature in dataset.features.items()
        if getattr(feature, "dtype", "") == "string"
    ]


def expected_ids(dataset, rows=8, tokenizer=None):
    """Input IDs of the first rows of a split, tokenized from its text columns."""
    columns = [list(dataset[column][:rows]) for column in text_columns(dataset)]
    return (tokenizer or bert_tokenizer())(*columns, truncation=True)["input_ids"]


@task(
    "T7",
    N_("The same preprocessing for SST-2"),
    hints=[
        N_("SST-2 has one text column, `sentence`, so the tokenize function takes one argument."),
        N_(
            "`sst2.map(tokenize_function, batched=True)`, then `DataCollatorWithPadding` on the "
            "first 8 training rows without the `sentence` and `idx` columns."
        ),
        "def tokenize_function(example): return tokenizer(example['sentence'], truncation=True)",
    ],
)
def t7(tokenized_sst2, sst2_batch):
    """T7: SST-2 mapped with the tokenizer, and a dynamically padded batch."""
    from datasets import DatasetDict

    if not isinstance(tokenized_sst2, DatasetDict):
        raise Wrong(
            _(
                "`tokenized_sst2` should be the `DatasetDict` returned by `sst2.map(...)`, but it "
                "is {what}.",
                what=describe(tokenized_sst2),
            )
        )
    sst2 = glue("sst2")
    if set(tokenized_sst2) != set(sst2):
        raise Wrong(
            _(
                "`tokenized_sst2` has splits {splits}; map every split.",
                splits=sorted(tokenized_sst2),
            )
        )
    for split in sst2:
        if "input_ids" not in tokenized_sst2[split].column_names:
            raise Wrong(
                _(
                    "the `{split}` split of `tokenized_sst2` has no `input_ids`: tokenize it "
                    "with `map()`.",
                    split=split,
                )
            )
        got = rows_of(tokenized_sst2[split], "input_ids", 8)
        if got != expected_ids(sst2[split]):
            raise Wrong(
                _(
                    "the input IDs in the `{split}` split differ from "
                    "`tokenizer(sentence, truncation=True)`: tokenize the `sentence` column, "
                    "without padding.",
                    split=split,
                )
            )
    rows = plain(sst2_batch, "sst2_batch") if isinstance(sst2_batch, list | tuple) else None
    if rows and isinstance(rows[0], dict):
        raise Wrong(
            _(
                "`sst2_batch` is a list of rows, before collating: pass that list to the "
                "collator, `data_collator(rows)`, and keep what it returns."
            )
        )
    if not isinstance(sst2_batch, Mapping) or "input_ids" not in sst2_batch:
        raise Wrong(
            _(
                "`sst2_batch` should be the collator's output, but it is {what}.",
                what=describe(sst2_batch),
            )
        )
    expected = expected_sst2_batch()
    ids = sst2_batch["input_ids"]
    if not hasattr(ids, "shape"):
        raise Wrong(
            _("`sst2_batch['input_ids']` is not a tensor: build the batch with the collator.")
        )
    shape = as_shape(tuple(ids.shape), "sst2_batch['input_ids'].shape")
    longest = expected["input_ids"].shape[1]
    if shape != [8, longest]:
        raise Wrong(
            _(
                "`sst2_batch['input_ids']` has shape {shape}; the first 8 training rows padded "
                "to their longest ({longest} tokens) give `[8, {longest}]`.",
                shape=shape,
                longest=longest,
            )
        )
    if "labels" not in sst2_batch and "label" in sst2_batch:
        raise Wrong(
            _(
                "`sst2_batch` has `'label'`, not `'labels'`: build the batch with the collator, "
                "`DataCollatorWithPadding`, which renames it."
            )
        )
    if "labels" not in sst2_batch:
        raise Wrong(_("`sst2_batch` has no labels: keep the label column when you collate."))
    for key, wanted in expected.items():
        if sst2_batch.get(key) is None:
            raise Wrong(_("`sst2_batch` has no `{key}`: the collator makes it, keep it.", key=key))
        name = f"sst2_batch['{key}']"
        values = as_list(sst2_batch[key], name)
        if values != wanted.tolist():
            raise Wrong(batch_difference(name, wanted.tolist(), values))
    return _(
        "SST-2 tokenized, and the first 8 rows batched to shape `[8, {longest}]`.",
        longest=longest,
    )


def batch_difference(name, expected, got):
    """The message for a batch column ``name`` that differs from the collated first 8 rows."""
    row, position = first_difference_2d(expected, got)
    if position is None:
        return _(
            "`{name}` differs from the collated first 8 training rows at row {row}: build it "
            "from `tokenized_sst2['train'][:8]`, in order, with "
            "`DataCollatorWithPadding(tokenizer=tokenizer)`.",
            name=name,
            row=row,
        )
    return _(
        "`{name}` differs from the collated first 8 training rows at row {row}, position "
        "{position}: build it from `tokenized_sst2['train'][:8]`, in order, with "
        "`DataCollatorWithPadding(tokenizer=tokenizer)`.",
        name=name,
        row=row,
        position=position,
    )


def expected_sst2_batch():
    """The first 8 SST-2 training rows, tokenized with truncation and collated with padding."""
    from transformers import DataCollatorWithPadding

    tokenizer = bert_tokenizer()
    rows = glue("sst2")["train"][:8]
    features = [
        {**tokenizer(sentence, truncation=True), "label": label}
        for sentence, label in zip(rows["sentence"], rows["label"], strict=True)
    ]
    return DataCollatorWithPadding(tokenizer=tokenizer)(features)


def first_difference_2d(expected, got):
    """(row, position) where two lists of rows first differ; position is None for labels."""
    row = first_difference(expected, got)
    if row < min(len(expected), len(got)):
        one, two = expected[row], got[row]
        if isinstance(one, list) and isinstance(two, list):
            return row, first_difference(one, two)
    return row, None


# Every configuration of GLUE, as the task promises. A few rows of two splits of each (the
# first and the last) keep the check fast: each split costs a map() call.
T7B_CONFIGS = ["cola", "sst2", "mrpc", "qqp", "stsb", "mnli", "qnli", "rte", "wnli", "ax"]
T7B_ROWS = 4
# T7b hands the function a tokenizer with a short maximum length, so that a
# missing truncation=True (or a tokenizer other than the argument) shows.
T7B_MAX_LENGTH = 24


@lru_cache(maxsize=1)
def short_tokenizer():
    """The tokenizer of lesson 3.2, with model_max_length lowered for the T7b check."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(CHECKPOINT, model_max_length=T7B_MAX_LENGTH)


@task(
    "T7b",
    N_("One preprocessing function for any GLUE task"),
    hints=[
        N_("Keep a small table from configuration name to its text column(s)."),
        N_(
            "Pairs: `mrpc`, `stsb`, `rte`, `wnli` (`sentence1`, `sentence2`); `qqp` "
            "(`question1`, `question2`); `qnli` (`question`, `sentence`); `mnli` and `ax` "
            "(`premise`, `hypothesis`). `cola` and `sst2`: `sentence`."
        ),
        N_(
            "Inside, define `tokenize_function(example)` that passes `example[column]` for each "
            "column to the tokenizer, and return "
            "`dataset_dict.map(tokenize_function, batched=True)`."
        ),
    ],
)
def t7b(preprocess_glue):
    """T7b: one function that tokenizes any GLUE configuration (all ten are tried)."""
    from datasets import Dataset, DatasetDict

    if not callable(preprocess_glue):
        raise Wrong(
            _(
                "`preprocess_glue` should be a function, but it is {what}.",
                what=describe(preprocess_glue),
            )
        )
    tokenizer = short_tokenizer()
    for config in T7B_CONFIGS:
        splits = glue(config)
        first_and_last = dict.fromkeys([next(iter(splits)), list(splits)[-1]])  # ax: one split
        small = DatasetDict(
            {split: splits[split].select(range(T7B_ROWS)) for split in first_and_last}
        )
        try:
            result = preprocess_glue(small, config, tokenizer)
        except Exception as error:  # the learner's own function failed: its error is theirs
            raise Wrong(
                _(
                    "`preprocess_glue(..., {config!r}, tokenizer)` failed with {error}: {text}",
                    config=config,
                    error=type(error).__name__,
                    text=cut(" ".join(str(error).split()), 80),
                )
            ) from None
        if isinstance(result, Placeholder):
            raise Unanswered(
                _(
                    "`preprocess_glue` still returns `____`: write its body, then run that cell "
                    "and this check again."
                )
            )
        if not isinstance(result, DatasetDict):
            raise Wrong(
                _(
                    "for {config!r}, `preprocess_glue` returned {what}, not a `DatasetDict`.",
                    config=config,
                    what=describe(result),
                )
            )
        for split, data in small.items():
            if split not in result:
                raise Wrong(
                    _(
                        "for {config!r}, the result has no `{split}` split: map every split.",
                        config=config,
                        split=split,
                    )
                )
            if not isinstance(result[split], Dataset):
                raise Wrong(
                    _(
                        "for {config!r}, the `{split}` split is {what}, not a `Dataset`: return "
                        "what `dataset_dict.map(...)` gives.",
                        config=config,
                        split=split,
                        what=describe(result[split]),
                    )
                )
            if "input_ids" not in result[split].column_names:
                raise Wrong(
                    _(
                        "for {config!r}, the `{split}` split has no `input_ids`: tokenize every "
                        "split with `dataset_dict.map(...)`.",
                        config=config,
                        split=split,
                    )
                )
            expected = expected_ids(data, rows=T7B_ROWS, tokenizer=tokenizer)
            got = rows_of(result[split], "input_ids", T7B_ROWS)
            if got != expected:
                raise Wrong(t7b_difference(result[split], data, expected, config, split, tokenizer))
    return _("one function handles all {count} GLUE configurations.", count=len(T7B_CONFIGS))


def t7b_difference(result, data, expected, config, split, tokenizer):
    """Why the learner's tokenized ``split`` of ``config`` differs from the ``expected`` IDs.

    The message says as much as can be told: no truncation, padding, only the first of two
    columns, two columns joined into one text, or else the wrong columns.
    """
    got = rows_of(result, "input_ids", len(expected))
    lengths = {len(ids) if isinstance(ids, list) else 0 for ids in got}
    columns = text_columns(data)
    if lengths and max(lengths) > T7B_MAX_LENGTH:
        return _(
            "for {config!r} (`{split}`), some rows have {longest} tokens, more than the "
            "tokenizer's maximum ({maximum} in this check): tokenize with `truncation=True`, "
            "and use the `tokenizer` your function receives.",
            config=config,
            split=split,
            longest=max(lengths),
            maximum=T7B_MAX_LENGTH,
        )
    expected_lengths = {len(ids) for ids in expected}
    if len(lengths) == 1 and len(expected_lengths) > 1:
        return _(
            "for {config!r} (`{split}`), every row has {length} tokens: that is padding. "
            "Tokenize without padding; the collator pads each batch later.",
            config=config,
            split=split,
            length=lengths.pop(),
        )
    if len(columns) == 2:
        first_only = tokenizer(list(data[columns[0]][: len(expected)]), truncation=True)
        if got == first_only["input_ids"]:
            return _(
                "for {config!r} (`{split}`), only the `{first}` column went in: give the "
                "tokenizer both columns, `{first}` and `{second}`, as two arguments.",
                config=config,
                split=split,
                first=columns[0],
                second=columns[1],
            )
    has_types = "token_type_ids" in result.column_names
    types = rows_of(result, "token_type_ids", len(expected)) if has_types else []
    if len(columns) == 2 and types and all(isinstance(r, list) and set(r) == {0} for r in types):
        return _(
            "for {config!r} (`{split}`), no token is in segment 1, so `{first}` and `{second}` "
            "went in as one text: give the two columns to the tokenizer as two arguments.",
            config=config,
            split=split,
            first=columns[0],
            second=columns[1],
        )
    return _(
        "for {config!r} (`{split}`), the input IDs differ from tokenizing the columns {columns} "
        "with `truncation=True`: check which columns you pick for this task, and their order.",
        config=config,
        split=split,
        columns=", ".join(f"`{column}`" for column in columns),
    )
