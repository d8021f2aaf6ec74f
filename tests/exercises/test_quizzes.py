"""What both quizzes (2.8 and 3.7) do, with one engine (utils/grading/quiz.py): every option
explained, any spelling of the right letters (or texts) accepted, each wrong option rejected
with its own explanation, odd answers given a message, nothing of one quiz in the other;
in Korean as in English."""

import re
from functools import cache

import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex06_quiz, ex11_quiz
from utils.grading import ____, quiz
from utils.instructors import translations
from utils.language import LANGUAGE_VARIABLE, _, in_every_language

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
    mistakes = [(letter, f"Option {letter} is not right. {options[letter][2]}") for letter in wrong]
    if len(right) > 1:
        mistakes.append((right[:1], "more right option"))
        mistakes.append((right + wrong[:1], f"Option {wrong[0]} is not right."))
    else:
        mistakes.append(([right[0], wrong[0]], "Only one option is right"))
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


@pytest.mark.parametrize("quiz_module, name", QUESTIONS)
def test_the_right_options_whole_text_is_accepted(quiz_module, name):
    task, variable = getattr(quiz_module, name.lower()), name.lower()
    options = quiz_module.QUESTIONS[name]["options"]
    texts = [options[letter][0] for letter in sorted(quiz_module.right_letters(name))]
    accepted(task, **{variable: texts if len(texts) > 1 else texts[0]})
    plain_texts = [f"  {quiz.normal(text).upper()}. " for text in texts]  # no `code` marks
    accepted(task, **{variable: plain_texts if len(texts) > 1 else plain_texts[0]})
    wrong = sorted(set(options) - quiz_module.right_letters(name))[0]
    rejected(task, f"Option {wrong} is not right", **{variable: options[wrong][0]})


COMPUTED = [
    pytest.param(ex06_quiz, "Q7", id="ex06_quiz-Q7"),
    pytest.param(ex06_quiz, "Q8", id="ex06_quiz-Q8"),
    pytest.param(ex11_quiz, "Q6", id="ex11_quiz-Q6"),
]


@pytest.mark.parametrize("quiz_module, name", COMPUTED)
def test_a_computed_question_accepts_the_number_computed_now(quiz_module, name):
    import numpy as np

    task, variable = getattr(quiz_module, name.lower()), name.lower()
    value = quiz_module.QUESTIONS[name]["compute"]()
    for answer in (value, np.int64(value), torch.tensor(value), torch.tensor([value]), str(value)):
        accepted(task, **{variable: answer})
    options = quiz_module.QUESTIONS[name]["options"]
    wrong = next(letter for letter, (_, number, _) in options.items() if number != value)
    rejected(task, f"Option {wrong} is not right", **{variable: options[wrong][1]})
    rejected(task, "should be a letter", **{variable: 7.5})


def test_nothing_of_one_quiz_leaks_into_the_other():
    # Chapter 2's Q8 has an option "0"; chapter 3's Q8 is about gather_for_metrics.
    rejected(ex11_quiz.q8, "should be a letter", q8=0)
    rejected(ex11_quiz.q8, "should be a letter", q8=torch.tensor(0))
    rejected(ex11_quiz.q8, "is not an option", q8="0")
    rejected(ex06_quiz.q8, "Option a is not right", q8="0")
    # Chapter 2's Q1 right text is no answer to chapter 3's Q1, and the other way round.
    chapter_2 = ex06_quiz.QUESTIONS["Q1"]["options"]["b"][0]
    rejected(ex11_quiz.q1, "is not an option", q1=chapter_2)
    chapter_3 = ex11_quiz.QUESTIONS["Q1"]["options"]["b"][0]
    rejected(ex06_quiz.q1, "is not an option", q1=chapter_3)
    # A number is only an answer to a question that computes one.
    rejected(ex11_quiz.q2, "should be a letter", q2=67)


HANGUL = re.compile("[\uac00-\ud7a3]")


@cache
def korean(english):
    """The Korean of a quiz text, read from the catalogs (not through the engine)."""
    return translations.finished_messages("ko")[english]


def has_words(text):
    """Whether a text has words outside its `code` (an option such as "512" has none)."""
    return re.search("[A-Za-z]", re.sub("`[^`]*`", "", text)) is not None


@pytest.fixture
def in_korean(monkeypatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")


@pytest.mark.parametrize("quiz_module, name", QUESTIONS)
def test_the_right_options_korean_text_is_accepted_with_a_korean_confirmation(
    quiz_module, name, in_korean
):
    task, variable = getattr(quiz_module, name.lower()), name.lower()
    question = quiz_module.QUESTIONS[name]
    right = sorted(quiz_module.right_letters(name))
    texts = [korean(question["options"][letter][0]) for letter in right]
    for letter, text in zip(right, texts, strict=True):
        assert HANGUL.search(text) or not has_words(question["options"][letter][0]), text
    answer = texts if len(texts) > 1 else texts[0]
    accepted(task, **{variable: answer})
    confirmation = quiz.grade(question, variable, answer)
    explanations = " ".join(korean(question["options"][letter][2]) for letter in right)
    if len(right) > 1:
        found_all = korean("You found every right option. {explanations}")
        explanations = found_all.format(explanations=explanations)
    assert confirmation == explanations and HANGUL.search(confirmation)


@pytest.mark.parametrize("quiz_module, name", QUESTIONS)
def test_a_wrong_option_gets_a_korean_verdict_with_its_korean_explanation(
    quiz_module, name, in_korean
):
    task, variable = getattr(quiz_module, name.lower()), name.lower()
    options = quiz_module.QUESTIONS[name]["options"]
    wrong = sorted(set(options) - quiz_module.right_letters(name))[0]
    why = korean(options[wrong][2])
    verdict = _("Option {letter} is not right. {why} Try again.", letter=wrong, why=why)
    assert HANGUL.search(why) and "Try again" not in verdict
    rejected(task, verdict, **{variable: wrong})
    rejected(task, verdict, **{variable: korean(options[wrong][0])})  # its Korean text


@pytest.mark.parametrize("quiz_module, name", QUESTIONS)
def test_a_question_is_shown_in_korean(quiz_module, name, in_korean, capsys):
    question = quiz_module.QUESTIONS[name]
    quiz_module.show(name)
    shown = capsys.readouterr().out
    assert f"**{name}.** {korean(question['text'])}" in shown
    assert question["text"] not in shown and HANGUL.search(shown)
    for letter, (text, _right, _why) in question["options"].items():
        assert f"- **{letter}**: {korean(text)}" in shown
    variable = f"`{name.lower()}`"
    if quiz.several_right(question):
        how = _(
            'Answer with a list of letters, e.g. `["a", "c"]`, in {variable}.', variable=variable
        )
    else:
        how = _('Answer with one letter, e.g. `"a"`, in {variable}.', variable=variable)
    assert HANGUL.search(how) and how in shown


@pytest.mark.parametrize("quiz_module", QUIZZES, ids=lambda quiz: quiz.__name__.split(".")[-1])
def test_no_text_in_any_language_stands_for_two_options(quiz_module):
    """Else answering with an option's text would be ambiguous."""
    for name, question in quiz_module.QUESTIONS.items():
        koreans = [quiz.normal(korean(text)) for text, _right, _why in question["options"].values()]
        assert len(set(koreans)) == len(koreans), f"{name}: two options read the same in Korean"
        letters = {}
        for letter, (text, _right, _why) in question["options"].items():
            for written in in_every_language(text):
                assert letters.setdefault(quiz.normal(written), letter) == letter, (name, written)
