"""P1 and P2: right answers in several forms are accepted, typical mistakes get their message."""

import pytest
from verdicts import accepted, not_attempted, rejected

from utils import ex05_putting_it_together as ex
from utils.grading import ____


@pytest.fixture(scope="module")
def tokenizer():
    return ex.lesson_tokenizer()


def test_p1_right_answers(tokenizer):
    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    accepted(ex.p1, padded_to_24=padded, shape_24=padded["input_ids"].shape)
    accepted(ex.p1, padded_to_24=dict(padded), shape_24=(2, 24))
    accepted(ex.p1, padded_to_24=padded, shape_24=list(padded["attention_mask"].shape))


def test_p1_typical_mistakes(tokenizer):
    longest = tokenizer(ex.SEQUENCES, padding=True, return_tensors="pt")
    rejected(ex.p1, "padded to the longest sentence", padded_to_24=longest, shape_24=(2, 16))
    lists = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24)
    rejected(ex.p1, "add return_tensors='pt'", padded_to_24=lists, shape_24=(2, 24))
    twenty = tokenizer(ex.SEQUENCES, padding="max_length", max_length=20, return_tensors="pt")
    rejected(ex.p1, "has shape [2, 20]", padded_to_24=twenty, shape_24=(2, 20))
    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    rejected(ex.p1, "`shape_24` is [24, 2]", padded_to_24=padded, shape_24=(24, 2))
    others = tokenizer(
        ["Hello!", "So have I!"], padding="max_length", max_length=24, return_tensors="pt"
    )
    rejected(ex.p1, "other IDs", padded_to_24=others, shape_24=(2, 24))


def test_p1_odd_inputs(tokenizer):
    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    rejected(ex.p1, "should be what the tokenizer returns", padded_to_24=None, shape_24=(2, 24))
    rejected(ex.p1, "should be what the tokenizer returns", padded_to_24="ids", shape_24=(2, 24))
    rejected(ex.p1, "should be a shape", padded_to_24=padded, shape_24="2x24")
    not_attempted(ex.p1, padded_to_24=____, shape_24=____)


def test_p2_right_answers(tokenizer):
    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    accepted(ex.p2, truncated_ids=ids, truncated_tokens=tokens)
    tensor = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8, return_tensors="pt")
    accepted(ex.p2, truncated_ids=tensor["input_ids"][0], truncated_tokens=tuple(tokens))
    encoded = tokenizer.encode(ex.LONG_TEXT, truncation=True, max_length=8)
    accepted(ex.p2, truncated_ids=encoded, truncated_tokens=tokens)


def test_p2_typical_mistakes(tokenizer):
    full = tokenizer(ex.LONG_TEXT)["input_ids"]
    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    rejected(
        ex.p2, "drops the final special token", truncated_ids=full[:8], truncated_tokens=tokens
    )
    rejected(ex.p2, "is the whole text", truncated_ids=full, truncated_tokens=tokens)
    nine = tokenizer(ex.LONG_TEXT, truncation=True, max_length=9)["input_ids"]
    rejected(ex.p2, "has 9 IDs", truncated_ids=nine, truncated_tokens=tokens)
    rejected(
        ex.p2,
        "has no [CLS]/[SEP]",
        truncated_ids=ids,
        truncated_tokens=tokenizer.tokenize(ex.LONG_TEXT)[:8],
    )


def test_p2_odd_inputs(tokenizer):
    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    rejected(ex.p2, "should be a list or a tensor", truncated_ids=None, truncated_tokens=[])
    rejected(ex.p2, "should hold integers", truncated_ids=["[CLS]"] * 8, truncated_tokens=[])
    rejected(ex.p2, "should be a list of strings", truncated_ids=ids, truncated_tokens="[CLS]")
    not_attempted(ex.p2, truncated_ids=ids, truncated_tokens=____)
