"""T3 and T4: right answers in several forms are accepted, typical mistakes get their message."""

import re

import numpy as np
import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex04_multiple_sequences as ex
from utils.grading import TaskIncorrect, ____
from utils.language import LANGUAGE_VARIABLE, _

HANGUL = re.compile("[가-힣]")


@pytest.fixture(scope="module")
def lesson():
    tokenizer, model = ex.tokenizer_and_model()
    ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(ex.SEQUENCE))
    return tokenizer, model, ids


def test_t3_right_answers(lesson):
    _, model, ids = lesson
    logits = model(torch.tensor([ids, ids])).logits
    accepted(ex.t3, batched_ids=[ids, ids], batched_logits=logits)
    accepted(ex.t3, batched_ids=torch.tensor([ids, ids]), batched_logits=logits.tolist())
    accepted(ex.t3, batched_ids=np.array([ids, ids]), batched_logits=logits.detach().numpy())


def test_t3_typical_mistakes(lesson):
    _, model, ids = lesson
    logits = model(torch.tensor([ids, ids])).logits
    rejected(ex.t3, "is a single sequence", batched_ids=ids, batched_logits=logits)
    rejected(ex.t3, "should be `[ids, ids]`", batched_ids=[ids], batched_logits=logits)
    changed = ids[:-1] + [1029]
    rejected(ex.t3, "should be `[ids, ids]`", batched_ids=[ids, changed], batched_logits=logits)
    rejected(ex.t3, "two rows of logits", batched_ids=[ids, ids], batched_logits=logits[0])
    wrong = model(torch.tensor([ids, changed])).logits
    rejected(
        ex.t3,
        "`batched_logits` differs at position row 1",
        batched_ids=[ids, ids],
        batched_logits=wrong,
    )


def test_t3_odd_inputs(lesson):
    _, _, ids = lesson
    rejected(ex.t3, "should be a list or a tensor", batched_ids=None, batched_logits=None)
    rejected(
        ex.t3, "should be a list or a tensor", batched_ids=[ids, ids], batched_logits="[[1, 2]]"
    )
    rejected(ex.t3, "should be a list or a tensor", batched_ids="ids, ids", batched_logits=None)
    not_attempted(ex.t3, batched_ids=____, batched_logits=____)


@pytest.fixture(scope="module")
def t4():
    """A right answer to T4, and the pieces to break it."""
    rows, padded, mask = ex.expected_batch()
    alone = torch.cat([ex.logits_of([row]) for row in rows])
    batch = ex.logits_of(padded, mask)
    return {
        "padded_batch_ids": padded,
        "batch_attention_mask": mask,
        "alone_logits": alone,
        "batch_logits": batch,
        "rows": rows,
    }


def answer(t4, **changes):
    names = ["padded_batch_ids", "batch_attention_mask", "alone_logits", "batch_logits"]
    return {name: changes.get(name, t4[name]) for name in names}


def test_t4_right_answers(t4):
    accepted(ex.t4, **answer(t4))
    accepted(
        ex.t4,
        **answer(
            t4,
            padded_batch_ids=torch.tensor(t4["padded_batch_ids"]),
            batch_attention_mask=torch.tensor(t4["batch_attention_mask"]),
        ),
    )
    as_list_of_results = [t4["alone_logits"][:1], t4["alone_logits"][1:]]
    accepted(
        ex.t4,
        **answer(t4, alone_logits=as_list_of_results, batch_logits=t4["batch_logits"].numpy()),
    )


def test_t4_typical_mistakes(t4):
    rows = t4["rows"]
    no_mask = ex.logits_of(t4["padded_batch_ids"])
    rejected(ex.t4, "*without* the attention mask", **answer(t4, batch_logits=no_mask))
    all_ones = [[1] * len(t4["padded_batch_ids"][0])] * 2
    rejected(
        ex.t4,
        "row 1, position 8 is 1, but that position holds a padding token",
        **answer(t4, batch_attention_mask=all_ones),
    )
    rejected(ex.t4, "pad the shorter one", **answer(t4, padded_batch_ids=rows))
    without_special = [row[1:-1] for row in t4["padded_batch_ids"]]
    rejected(ex.t4, "does not start with [CLS]", **answer(t4, padded_batch_ids=without_special))
    length = len(rows[0])
    padded_with_ones = [rows[0], rows[1] + [1] * (length - len(rows[1]))]
    rejected(
        ex.t4, "pad with `tokenizer.pad_token_id`", **answer(t4, padded_batch_ids=padded_with_ones)
    )
    swapped = t4["alone_logits"].flip(0)
    rejected(ex.t4, "`alone_logits` differs at position", **answer(t4, alone_logits=swapped))


def test_t4_odd_inputs(t4):
    rejected(ex.t4, "should be a list or a tensor", **answer(t4, padded_batch_ids=None))
    rejected(ex.t4, "should be a list of rows", **answer(t4, padded_batch_ids=[1, 2, 3]))
    rejected(ex.t4, "has 1 row of 16 values", **answer(t4, batch_attention_mask=[[1] * 16]))
    rejected(ex.t4, "should hold numbers only", **answer(t4, batch_logits=[[1.0], [1.0, 2.0]]))
    not_attempted(ex.t4, **answer(t4, batch_logits=____))


def test_t3_mistakes_found_by_a_learner(lesson):
    _, model, ids = lesson
    logits = model(torch.tensor([ids, ids])).logits
    floats = torch.tensor([ids, ids], dtype=torch.float32)
    rejected(ex.t3, "holds decimal numbers", batched_ids=floats, batched_logits=logits)
    rejected(ex.t3, "row 1, position 0 is 1045.0", batched_ids=[ids, [1045.0]], batched_logits=1)


def test_t4_mistakes_found_by_a_learner(t4):
    rows, padded, mask = t4["rows"], t4["padded_batch_ids"], t4["batch_attention_mask"]
    ragged = [[1] * len(row) for row in rows]
    rejected(ex.t4, "has 2 rows of 16 and 8 values", **answer(t4, batch_attention_mask=ragged))
    flat = [1] * len(padded[0])
    rejected(ex.t4, "should be a list of rows", **answer(t4, batch_attention_mask=flat))
    pad = ex.tokenizer_and_model()[0].pad_token_id
    filler = len(padded[0]) - len(rows[1])
    left_padded = [padded[0], [pad] * filler + rows[1]]
    rejected(ex.t4, "has its padding in front", **answer(t4, padded_batch_ids=left_padded))
    too_long = [row + [pad] * 4 for row in padded]
    rejected(ex.t4, "pad only up to the longest", **answer(t4, padded_batch_ids=too_long))
    accepted(ex.t4, **answer(t4, batch_attention_mask=torch.tensor(mask, dtype=torch.bool)))


def test_t3_more_valid_forms(lesson):
    _, model, ids = lesson
    logits = model(torch.tensor([ids, ids])).logits.detach()
    accepted(ex.t3, batched_ids=(tuple(ids), tuple(ids)), batched_logits=logits)
    accepted(ex.t3, batched_ids=[torch.tensor(ids), torch.tensor(ids)], batched_logits=list(logits))
    accepted(
        ex.t3,
        batched_ids=torch.tensor([ids, ids], dtype=torch.int32),
        batched_logits=logits.double(),
    )


def test_t3_beginner_mistakes_name_the_fix(lesson):
    from transformers.modeling_outputs import SequenceClassifierOutput

    tokenizer, model, ids = lesson
    logits = model(torch.tensor([ids, ids])).logits.detach()
    rejected(ex.t3, "`ids + ids` joins them", batched_ids=ids + ids, batched_logits=logits)
    full = tokenizer(ex.SEQUENCE)["input_ids"]
    rejected(ex.t3, "holds [CLS] and [SEP]", batched_ids=[full, full], batched_logits=logits)
    probabilities = torch.softmax(logits, dim=-1)
    rejected(ex.t3, "holds probabilities", batched_ids=[ids, ids], batched_logits=probabilities)
    output = SequenceClassifierOutput(logits=logits)
    rejected(ex.t3, "take its `.logits`", batched_ids=[ids, ids], batched_logits=output)
    nan = logits.clone()
    nan[0, 0] = float("nan")
    rejected(ex.t3, "holds NaN or infinity", batched_ids=[ids, ids], batched_logits=nan)


def test_t4_more_valid_forms(t4):
    import numpy as np

    mask = np.array(t4["batch_attention_mask"], dtype=np.int8)
    accepted(ex.t4, **answer(t4, batch_attention_mask=mask))
    accepted(ex.t4, **answer(t4, padded_batch_ids=tuple(t4["padded_batch_ids"])))
    accepted(ex.t4, **answer(t4, alone_logits=t4["alone_logits"].tolist()))
    accepted(ex.t4, **answer(t4, batch_logits=t4["batch_logits"].numpy().astype(np.float64)))


def test_t4_beginner_mistakes_name_the_fix(t4):
    from transformers.modeling_outputs import SequenceClassifierOutput

    padded, mask = t4["padded_batch_ids"], t4["batch_attention_mask"]
    rejected(ex.t4, "in the other order", **answer(t4, padded_batch_ids=padded[::-1]))
    inverted = [[1 - value for value in row] for row in mask]
    rejected(ex.t4, "the other way round", **answer(t4, batch_attention_mask=inverted))
    probabilities = torch.softmax(t4["batch_logits"], dim=-1)
    rejected(ex.t4, "`batch_logits` holds probabilities", **answer(t4, batch_logits=probabilities))
    output = SequenceClassifierOutput(logits=t4["batch_logits"])
    rejected(ex.t4, "take its `.logits`", **answer(t4, batch_logits=output))
    holey = [mask[0], mask[1][:3] + [None] + mask[1][4:]]
    rejected(ex.t4, "row 1, position 3 is None", **answer(t4, batch_attention_mask=holey))


def korean_verdict(task, **answers):
    """The message a wrong answer gets, without the task's name in front."""
    with pytest.raises(TaskIncorrect) as caught:
        task.check(dict(answers))
    return str(caught.value).removeprefix(f"{task.name}: ")


def test_korean_learners_get_korean_verdicts_hints_and_confirmations(monkeypatch, lesson, t4):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    ids = lesson[2]
    logits = ex.logits_of([ids, ids])
    single = korean_verdict(ex.t3, batched_ids=ids, batched_logits=logits)
    assert single == _("`batched_ids` is a single sequence: a batch of two is a list of two lists.")
    assert "시퀀스가 하나뿐입니다" in single
    all_ones = [[1] * len(t4["padded_batch_ids"][0])] * 2
    padding = korean_verdict(ex.t4, **answer(t4, batch_attention_mask=all_ones))
    assert padding == _(
        "`batch_attention_mask` row {row}, position {position} is {value}, but that "
        "position holds a padding token: it should be 0.",
        row=1,
        position=len(t4["rows"][1]),
        value=1,
    )
    assert f"1번 행 {len(t4['rows'][1])}번 위치는 1 값인데" in padding and "패딩 토큰" in padding
    assert HANGUL.search(_(ex.t4.hints[1])) and not HANGUL.search(ex.t4.hints[2])
    assert "로짓과 같습니다" in ex.t3.check_function([ids, ids], logits)
    right = answer(t4)
    assert "레슨 2.2" in ex.t4.check_function(*(right[name] for name in ex.t4.names))
