"""The quiz: every option explained, every wrong option rejected with its own explanation."""

import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex06_quiz as ex
from utils.grading import ____

NAMES = list(ex.QUESTIONS)


def task(name):
    return getattr(ex, name.lower())


def test_there_are_ten_questions_each_option_explained():
    assert NAMES == [f"Q{n}" for n in range(1, 11)]
    for name in NAMES:
        options = ex.QUESTIONS[name]["options"]
        assert len(options) >= 4
        assert all(text and explanation for text, _, explanation in options.values())
        assert ex.right_letters(name), f"{name} has no right option"


def test_computed_questions_follow_the_library():
    tokenizer = ex.bert_tokenizer()
    options = ex.QUESTIONS["Q7"]["options"]
    assert {options[letter][1] for letter in ex.right_letters("Q7")} == {len(tokenizer)}
    options = ex.QUESTIONS["Q8"]["options"]
    assert {options[letter][1] for letter in ex.right_letters("Q8")} == {tokenizer.cls_token_id}


@pytest.mark.parametrize("name", NAMES)
def test_right_answer_in_several_spellings(name):
    right = sorted(ex.right_letters(name))
    variable = name.lower()
    accepted(task(name), **{variable: right if len(right) > 1 else right[0]})
    accepted(task(name), **{variable: ", ".join(letter.upper() for letter in reversed(right))})
    accepted(task(name), **{variable: set(right)})
    accepted(task(name), **{variable: f"  {' '.join(right)} "})


@pytest.mark.parametrize("name", NAMES)
def test_each_wrong_option_gets_its_own_explanation(name):
    options = ex.QUESTIONS[name]["options"]
    right = sorted(ex.right_letters(name))
    wrong = sorted(set(options) - set(right))
    mistakes = [(letter, f"option {letter} is not right. {options[letter][2]}") for letter in wrong]
    if len(right) > 1:
        mistakes.append((right[:1], "more right option"))
        mistakes.append((right + wrong[:1], f"option {wrong[0]} is not right."))
    else:
        mistakes.append(([right[0], wrong[0]], "only one option is right"))
    assert len(mistakes) >= 3
    for answer, message in mistakes:
        rejected(task(name), message, **{name.lower(): answer})


@pytest.mark.parametrize("name", NAMES)
def test_odd_answers_get_a_message(name):
    variable = name.lower()
    rejected(task(name), "should be a letter", **{variable: None})
    rejected(task(name), "should be a letter", **{variable: 2})
    rejected(task(name), "should be a letter", **{variable: torch.tensor(1)})
    rejected(task(name), "is not an option", **{variable: "z"})
    rejected(task(name), "is empty", **{variable: "  "})
    rejected(task(name), "should hold letters", **{variable: [1, 2]})
    not_attempted(task(name), **{variable: ____})


@pytest.mark.parametrize("name", NAMES)
def test_more_valid_forms(name):
    import numpy as np

    right = sorted(ex.right_letters(name))
    variable = name.lower()
    accepted(task(name), **{variable: ", ".join(f"({letter})" for letter in right)})
    accepted(task(name), **{variable: np.array(right)})
    accepted(task(name), **{variable: tuple(right)})
    if len(right) == 1:
        text = ex.QUESTIONS[name]["options"][right[0]][0]
        accepted(task(name), **{variable: text})  # the option's own text


@pytest.mark.parametrize("name", ["Q7", "Q8"])
def test_a_computed_question_accepts_the_computed_value(name):
    import numpy as np

    value = ex.QUESTIONS[name]["compute"]()
    accepted(task(name), **{name.lower(): value})
    accepted(task(name), **{name.lower(): np.int64(value)})
    accepted(task(name), **{name.lower(): torch.tensor(value)})
    options = ex.QUESTIONS[name]["options"]
    wrong = next(letter for letter, (_, v, _) in options.items() if v != value)
    rejected(task(name), f"option {wrong} is not right", **{name.lower(): options[wrong][1]})


@pytest.mark.parametrize("name", NAMES)
def test_more_mistakes(name):
    options = ex.QUESTIONS[name]["options"]
    right = sorted(ex.right_letters(name))
    wrong = sorted(set(options) - set(right))
    variable = name.lower()
    text = options[wrong[0]][0]
    rejected(task(name), f"option {wrong[0]} is not right", **{variable: text})
    rejected(task(name), "should be a letter", **{variable: (letter for letter in right)})
    rejected(task(name), "which is not an option", **{variable: "option " + right[0]})
