"""What both quizzes (2.8 and 3.6) do: every option explained, any spelling of the right letters
accepted, each wrong option rejected with its own explanation, odd answers given a message."""

import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex06_quiz, ex11_quiz
from utils.grading import ____

QUIZZES = [ex06_quiz, ex11_quiz]
QUESTIONS = [
    pytest.param(quiz, name, id=f"{quiz.__name__.split('.')[-1]}-{name}")
    for quiz in QUIZZES
    for name in quiz.QUESTIONS
]


@pytest.mark.parametrize("quiz", QUIZZES, ids=lambda quiz: quiz.__name__.split(".")[-1])
def test_there_are_ten_questions_each_option_explained(quiz):
    assert list(quiz.QUESTIONS) == [f"Q{n}" for n in range(1, 11)]
    for name, question in quiz.QUESTIONS.items():
        assert len(question["options"]) >= 4
        assert all(text and why for text, _, why in question["options"].values())
        assert quiz.right_letters(name), f"{name} has no right option"


@pytest.mark.parametrize("quiz, name", QUESTIONS)
def test_right_answer_in_several_spellings(quiz, name):
    task, variable = getattr(quiz, name.lower()), name.lower()
    right = sorted(quiz.right_letters(name))
    accepted(task, **{variable: right if len(right) > 1 else right[0]})
    accepted(task, **{variable: ", ".join(letter.upper() for letter in reversed(right))})
    accepted(task, **{variable: set(right)})
    accepted(task, **{variable: f"  {' '.join(right)} "})


@pytest.mark.parametrize("quiz, name", QUESTIONS)
def test_each_wrong_option_gets_its_own_explanation(quiz, name):
    task, variable = getattr(quiz, name.lower()), name.lower()
    options = quiz.QUESTIONS[name]["options"]
    right = sorted(quiz.right_letters(name))
    wrong = sorted(set(options) - set(right))
    mistakes = [(letter, f"option {letter} is not right. {options[letter][2]}") for letter in wrong]
    if len(right) > 1:
        mistakes.append((right[:1], "more right option"))
        mistakes.append((right + wrong[:1], f"option {wrong[0]} is not right."))
    else:
        mistakes.append(([right[0], wrong[0]], "only one option is right"))
    assert len(mistakes) >= 3
    for answer, message in mistakes:
        rejected(task, message, **{variable: answer})


@pytest.mark.parametrize("quiz, name", QUESTIONS)
def test_odd_answers_get_a_message(quiz, name):
    task, variable = getattr(quiz, name.lower()), name.lower()
    rejected(task, "should be a letter", **{variable: None})
    rejected(task, "should be a letter", **{variable: 2})
    rejected(task, "should be a letter", **{variable: torch.tensor(1)})
    rejected(task, "is not an option", **{variable: "z"})
    rejected(task, "is empty", **{variable: "  "})
    rejected(task, "should hold letters", **{variable: [1, 2]})
    not_attempted(task, **{variable: ____})
