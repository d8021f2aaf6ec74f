"""T2: right answers in several forms are accepted, typical mistakes get their message."""

import re

import pytest
import torch
from transformers import AutoTokenizer
from verdicts import accepted, not_attempted, rejected

from utils import ex03_tokenizers as ex
from utils.grading import ____
from utils.language import LANGUAGE_VARIABLE, _


@pytest.fixture(scope="module")
def answer():
    tokenizer = ex.tokenizer_of_lesson_2_2()
    tokens = [tokenizer.tokenize(sentence) for sentence in ex.SENTENCES]
    ids = [tokenizer.convert_tokens_to_ids(t) for t in tokens]
    return {"tokens_1": tokens[0], "tokens_2": tokens[1], "ids_1": ids[0], "ids_2": ids[1]}


def given(answer, **changes):
    return {**answer, **changes}


def test_right_answers_in_several_forms(answer):
    accepted(ex.t2, **answer)
    accepted(
        ex.t2, **given(answer, ids_1=torch.tensor(answer["ids_1"]), ids_2=tuple(answer["ids_2"]))
    )
    tokenizer = ex.tokenizer_of_lesson_2_2()
    full = tokenizer(ex.SENTENCES)["input_ids"]
    accepted(ex.t2, **given(answer, ids_1=full[0][1:-1], ids_2=full[1][1:-1]))


def test_typical_mistakes(answer):
    tokenizer = ex.tokenizer_of_lesson_2_2()
    full = tokenizer(ex.SENTENCES[0])["input_ids"]
    rejected(ex.t2, "includes the special tokens", **given(answer, ids_1=full))
    rejected(ex.t2, "did you swap them", **given(answer, ids_1=answer["ids_2"]))
    cased = AutoTokenizer.from_pretrained("google-bert/bert-base-cased")
    rejected(
        ex.t2, "has capital letters", **given(answer, tokens_1=cased.tokenize(ex.SENTENCES[0]))
    )
    rejected(
        ex.t2,
        "starts with `[CLS]`",
        **given(answer, tokens_1=tokenizer.convert_ids_to_tokens(full)),
    )
    rejected(
        ex.t2, "differs at position 2", **given(answer, ids_2=[1045, 5223, 0, 2061, 2172, 999])
    )


def test_odd_inputs(answer):
    rejected(ex.t2, "should hold integers", **given(answer, ids_1=answer["tokens_1"]))
    rejected(ex.t2, "should be a list of strings", **given(answer, tokens_1="i ' ve been"))
    rejected(ex.t2, "extra pair of brackets", **given(answer, ids_2=[answer["ids_2"]]))
    rejected(ex.t2, "should be a list or a tensor", **given(answer, ids_2=None))
    rejected(
        ex.t2, "should hold integers", **given(answer, ids_2=torch.tensor(answer["ids_2"]) * 1.0)
    )
    not_attempted(ex.t2, **given(answer, ids_1=____))


def test_more_valid_forms(answer):
    import numpy as np

    accepted(
        ex.t2, **given(answer, ids_1=np.array(answer["ids_1"]), tokens_1=tuple(answer["tokens_1"]))
    )
    accepted(ex.t2, **given(answer, ids_2=[np.int64(i) for i in answer["ids_2"]]))
    accepted(ex.t2, **given(answer, tokens_2=np.array(answer["tokens_2"])))
    accepted(ex.t2, **given(answer, ids_1=torch.tensor(answer["ids_1"], dtype=torch.int32)))


def test_beginner_mistakes_name_the_fix(answer):
    sentence = ex.SENTENCES[0]
    rejected(ex.t2, "split at spaces (`str.split()`)", **given(answer, tokens_1=sentence.split()))
    rejected(ex.t2, "holds single characters", **given(answer, tokens_1=list(sentence.lower())))
    rejected(ex.t2, "tokens of the other sentence", **given(answer, tokens_1=answer["tokens_2"]))
    glued = ["i've", "been", "waiting"]  # words the vocabulary cuts into pieces
    rejected(ex.t2, '"i\'ve", which is not in the vocabulary', **given(answer, tokens_1=glued))
    whole = ex.tokenizer_of_lesson_2_2()(sentence)
    rejected(ex.t2, "is the tokenizer's whole output", **given(answer, ids_1=whole))
    with_none = answer["ids_1"][:3] + [None] + answer["ids_1"][4:]
    rejected(ex.t2, "element 3 is None", **given(answer, ids_1=with_none))


def test_the_hint_names_the_checkpoint_the_check_uses():
    assert f"AutoTokenizer.from_pretrained({ex.CHECKPOINT!r})" in ex.t2.hints[1]


def test_korean_edition_speaks_korean(answer, monkeypatch, verdicts_fit):
    """With COURSE_LANGUAGE=ko a typical mistake and the confirmation of T2 read in Korean."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    mistake = _("`{name}` are the IDs of the other sentence: did you swap them?", name="ids_1")
    rejected(ex.t2, mistake, **given(answer, ids_1=answer["ids_2"]))
    accepted(ex.t2, **answer)
    confirmation = _("the same IDs as lesson 2.2, without `[CLS]` and `[SEP]`.")
    assert verdicts_fit == [mistake, confirmation]
    assert all(re.search("[가-힣]", message) for message in verdicts_fit), verdicts_fit
