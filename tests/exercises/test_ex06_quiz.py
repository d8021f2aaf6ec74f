"""The chapter 2 quiz: more valid forms, computed answers, more mistakes (and test_quizzes.py)."""

import pytest
from verdicts import accepted, rejected

from utils import ex06_quiz as ex

NAMES = list(ex.QUESTIONS)


def task(name):
    return getattr(ex, name.lower())


def test_computed_questions_follow_the_library():
    tokenizer = ex.bert_tokenizer()
    options = ex.QUESTIONS["Q7"]["options"]
    assert {options[letter][1] for letter in ex.right_letters("Q7")} == {len(tokenizer)}
    options = ex.QUESTIONS["Q8"]["options"]
    assert {options[letter][1] for letter in ex.right_letters("Q8")} == {tokenizer.cls_token_id}


@pytest.mark.parametrize("name", NAMES)
def test_more_valid_forms(name):
    import numpy as np

    right = sorted(ex.right_letters(name))
    variable = name.lower()
    accepted(task(name), **{variable: ", ".join(f"({letter})" for letter in right)})
    accepted(task(name), **{variable: np.array(right)})
    accepted(task(name), **{variable: tuple(right)})


@pytest.mark.parametrize("name", NAMES)
def test_more_mistakes(name):
    options = ex.QUESTIONS[name]["options"]
    right = sorted(ex.right_letters(name))
    wrong = sorted(set(options) - set(right))
    variable = name.lower()
    text = options[wrong[0]][0]
    rejected(task(name), f"Option {wrong[0]} is not right", **{variable: text})
    rejected(task(name), "should be a letter", **{variable: (letter for letter in right)})
    rejected(task(name), "which is not an option", **{variable: "option " + right[0]})


def test_the_questions_name_the_checkpoint_the_answers_are_computed_from():
    # The texts write the checkpoint out (a catalog needs literal text), so they must follow it.
    for name in ("Q7", "Q8"):
        assert f"`{ex.CHECKPOINT}`" in ex.QUESTIONS[name]["text"]
    assert ex.CHECKPOINT in ex.q7.hints[-1]
