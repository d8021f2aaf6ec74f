"""P1 and P2: right answers in several forms are accepted, typical mistakes get their message."""

import re

import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex05_putting_it_together as ex
from utils.grading import TaskIncorrect, ____
from utils.grading.solutions import solution_code
from utils.language import LANGUAGE_VARIABLE, _

HANGUL = re.compile("[가-힣]")


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
    rejected(ex.p1, "add `return_tensors='pt'`", padded_to_24=lists, shape_24=(2, 24))
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


def test_p1_more_valid_forms(tokenizer):
    import numpy as np

    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    accepted(ex.p1, padded_to_24=padded, shape_24=[2, 24])
    accepted(ex.p1, padded_to_24=padded, shape_24=np.array([2, 24]))
    as_int32 = {key: value.int() for key, value in padded.items()}
    accepted(ex.p1, padded_to_24=as_int32, shape_24=torch.tensor([2, 24]))


def test_p1_beginner_mistakes_name_the_fix(tokenizer):
    to_512 = tokenizer(ex.SEQUENCES, padding="max_length", return_tensors="pt")
    rejected(ex.p1, "padded to the model's maximum (512)", padded_to_24=to_512, shape_24=(2, 512))
    arrays = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="np")
    rejected(ex.p1, "holds NumPy arrays", padded_to_24=arrays, shape_24=(2, 24))
    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    rejected(ex.p1, "one tensor", padded_to_24=padded["input_ids"], shape_24=(2, 24))
    left = tokenizer(
        ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt", padding_side="left"
    )
    rejected(ex.p1, "has its padding in front", padded_to_24=left, shape_24=(2, 24))
    rejected(ex.p1, "is one number (24)", padded_to_24=padded, shape_24=24)
    ids_only = {"input_ids": padded["input_ids"]}
    rejected(ex.p1, "has no attention_mask", padded_to_24=ids_only, shape_24=(2, 24))


def test_p2_more_valid_forms(tokenizer):
    import numpy as np

    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    accepted(ex.p2, truncated_ids=np.array(ids), truncated_tokens=np.array(tokens))
    accepted(ex.p2, truncated_ids=[np.int64(i) for i in ids], truncated_tokens=tokens)
    accepted(ex.p2, truncated_ids=torch.tensor([ids])[0], truncated_tokens=list(tokens))


def test_p2_beginner_mistakes_name_the_fix(tokenizer):
    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    plain = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8, add_special_tokens=False)
    rejected(
        ex.p2, "has no [CLS] and [SEP]", truncated_ids=plain["input_ids"], truncated_tokens=tokens
    )
    whole = tokenizer.convert_ids_to_tokens(tokenizer(ex.LONG_TEXT)["input_ids"])
    rejected(ex.p2, "tokens of the whole text", truncated_ids=ids, truncated_tokens=whole)
    decoded = tokenizer.decode(ids)
    rejected(
        ex.p2, "it is one string: convert the IDs", truncated_ids=ids, truncated_tokens=decoded
    )
    encoding = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)
    rejected(
        ex.p2, "is the tokenizer's whole output", truncated_ids=encoding, truncated_tokens=tokens
    )
    rejected(ex.p2, "element 7 is None", truncated_ids=ids[:7] + [None], truncated_tokens=tokens)


def korean_verdict(task, **answers):
    """The message a wrong answer gets, without the task's name in front."""
    with pytest.raises(TaskIncorrect) as caught:
        task.check(dict(answers))
    return str(caught.value).removeprefix(f"{task.name}: ")


def test_korean_learners_get_korean_verdicts_hints_and_confirmations(monkeypatch, tokenizer):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    lists = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24)
    no_tensors = korean_verdict(ex.p1, padded_to_24=lists, shape_24=(2, 24))
    assert no_tensors == _("`padded_to_24` holds lists, not tensors: add `return_tensors='pt'`.")
    assert "텐서가 아니라 리스트가" in no_tensors
    full = tokenizer(ex.LONG_TEXT)["input_ids"]
    cut_by_hand = korean_verdict(ex.p2, truncated_ids=full[:8], truncated_tokens=[])
    assert cut_by_hand == _(
        "`truncated_ids` ends with {last}, not {sep} ({sep_id}): cutting the list by hand drops "
        "the final special token; let the tokenizer truncate (`truncation=True, max_length=8`).",
        last=full[7],
        sep=tokenizer.sep_token,
        sep_id=tokenizer.sep_token_id,
    )
    assert f"{tokenizer.sep_token} 토큰({tokenizer.sep_token_id})이 아니라" in cut_by_hand
    assert HANGUL.search(_(ex.p2.hints[0])) and not HANGUL.search(ex.p2.hints[2])
    padded = tokenizer(ex.SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    assert "ID가 24개이고" in ex.p1.check_function(padded, (2, 24))
    ids = tokenizer(ex.LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    confirmation = ex.p2.check_function(ids, tokenizer.convert_ids_to_tokens(ids))
    assert "토큰 8개이고" in confirmation
    assert solution_code("05_putting_it_together", "P9") == "P9 문제에는 표시된 풀이가 없습니다."
