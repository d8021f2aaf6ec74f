"""T1: every check accepts right answers, rejects typical mistakes with the right message."""

import re

import pytest
import torch
from verdicts import accepted, not_attempted, rejected

from utils import ex01_behind_the_pipeline as ex
from utils.grading import ____
from utils.language import LANGUAGE_VARIABLE, _

TEXTS = ["This lesson was clear and fun.", "The bus was late again and I missed my train."]


@pytest.fixture(scope="module")
def answer():
    """A right answer, computed the way the lesson does it."""
    from transformers import pipeline

    tokenizer, model = ex.sentiment_model()
    results = pipeline("sentiment-analysis", model=model, tokenizer=tokenizer)(TEXTS)
    inputs = tokenizer(TEXTS, padding=True, truncation=True, return_tensors="pt")
    logits = model(**inputs).logits.detach()
    probabilities = torch.softmax(logits, dim=-1)
    scores, ids = probabilities.max(dim=-1)
    labels = [model.config.id2label[i] for i in ids.tolist()]
    return {
        "my_texts": TEXTS,
        "pipeline_results": results,
        "my_labels": labels,
        "my_scores": scores,
        "logits": logits,
        "ids": ids,
        "probabilities": probabilities,
    }


def given(answer, **changes):
    names = ["my_texts", "pipeline_results", "my_labels", "my_scores"]
    return {name: changes.get(name, answer[name]) for name in names}


def test_right_answers_in_several_forms(answer):
    accepted(ex.t1, **given(answer))
    accepted(ex.t1, **given(answer, my_scores=answer["my_scores"].tolist()))
    accepted(ex.t1, **given(answer, my_scores=answer["my_scores"].numpy()))
    scores = [result["score"] for result in answer["pipeline_results"]]
    accepted(ex.t1, **given(answer, my_scores=tuple(scores)))


def test_typical_mistakes(answer):
    rejected(
        ex.t1,
        "logits, not probabilities",
        **given(answer, my_scores=answer["logits"].max(-1).values),
    )
    rejected(ex.t1, "two numbers per text", **given(answer, my_scores=answer["probabilities"]))
    rejected(ex.t1, "id2label", **given(answer, my_labels=answer["ids"].tolist()))
    rejected(ex.t1, "run the pipeline on `my_texts`", **given(answer, pipeline_results=[]))
    rejected(ex.t1, "at least two sentences", **given(answer, my_texts=["Only one."]))
    one_result = answer["pipeline_results"][:1]
    rejected(ex.t1, "has 1 result for 2 texts", **given(answer, pipeline_results=one_result))
    halved = [dict(result, score=result["score"] / 2) for result in answer["pipeline_results"]]
    rejected(ex.t1, "`pipeline_results[0]` has the score", **given(answer, pipeline_results=halved))
    flipped = [1 - score for score in answer["my_scores"].tolist()]
    rejected(ex.t1, "`my_scores` differs at position", **given(answer, my_scores=flipped))
    labels = list(reversed(answer["my_labels"]))
    if labels != answer["my_labels"]:
        rejected(ex.t1, "`my_labels` should be", **given(answer, my_labels=labels))


def test_odd_inputs_get_messages(answer):
    rejected(ex.t1, "should be a list of strings", **given(answer, my_texts="One text."))
    rejected(ex.t1, "should be a list of strings", **given(answer, my_texts=None))
    rejected(ex.t1, "should be what the pipeline returns", **given(answer, pipeline_results=None))
    rejected(ex.t1, "should be a list or a tensor", **given(answer, my_scores="0.9"))
    rejected(ex.t1, "holds label numbers", **given(answer, my_labels=answer["ids"]))


def test_blank_is_not_attempted(answer):
    not_attempted(ex.t1, **given(answer, my_labels=____))
    not_attempted(ex.t1, my_texts=TEXTS)


def test_more_valid_forms(answer):
    scores = answer["my_scores"]
    accepted(ex.t1, **given(answer, my_scores=scores.numpy().astype("float32")))
    accepted(ex.t1, **given(answer, my_scores=[score for score in scores]))  # 0-d tensors
    accepted(ex.t1, **given(answer, my_scores=scores.unsqueeze(-1)))  # max(keepdim=True)
    accepted(ex.t1, **given(answer, my_texts=tuple(TEXTS), my_labels=tuple(answer["my_labels"])))
    accepted(ex.t1, **given(answer, pipeline_results=tuple(answer["pipeline_results"])))


def test_beginner_mistakes_name_the_fix(answer):
    percent = answer["my_scores"] * 100
    rejected(
        ex.t1,
        "are percentages: give probabilities between 0 and 1",
        **given(answer, my_scores=percent),
    )
    probabilities = answer["probabilities"]
    for column in range(probabilities.shape[1]):
        if not torch.allclose(probabilities[:, column], answer["my_scores"]):
            rejected(
                ex.t1,
                f"is the probability of label {column} for every text",
                **given(answer, my_scores=probabilities[:, column]),
            )
    lower = [label.lower() for label in answer["my_labels"]]
    rejected(ex.t1, "spelled as the model names them", **given(answer, my_labels=lower))
    from transformers.modeling_outputs import SequenceClassifierOutput

    output = SequenceClassifierOutput(logits=answer["logits"])
    rejected(ex.t1, "take its `.logits`", **given(answer, my_scores=output))
    rejected(ex.t1, "element 1 is None", **given(answer, my_labels=[answer["my_labels"][0], None]))
    one = answer["pipeline_results"][0]
    rejected(ex.t1, "is one result", **given(answer, pipeline_results=one))


def test_korean_edition_speaks_korean(answer, monkeypatch, verdicts_fit):
    """With COURSE_LANGUAGE=ko a typical mistake and the confirmation of T1 read in Korean."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    logits = answer["logits"].max(-1).values
    mistake = _("`my_scores` are logits, not probabilities: apply softmax to the logits first.")
    rejected(ex.t1, mistake, **given(answer, my_scores=logits))
    accepted(ex.t1, **given(answer))
    confirmation = _("your three steps reproduce the pipeline on all {count} texts.", count=2)
    assert verdicts_fit == [mistake, confirmation]
    assert all(re.search("[가-힣]", message) for message in verdicts_fit), verdicts_fit
