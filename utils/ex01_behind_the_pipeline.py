"""Checks for the exercises of lesson 2.2, behind the pipeline (task T1)."""

import math
from functools import lru_cache

import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import (
    as_float_tensor,
    as_number,
    as_strings,
    close_numbers,
    plain,
    quote,
)
from utils.language import N_, _

CHECKPOINT = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"


@lru_cache(maxsize=1)
def sentiment_model():
    """The tokenizer and model the sentiment-analysis pipeline uses by default."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)
    return tokenizer, model.eval()


def expected_logits(texts):
    """The model's logits for ``texts``, tokenized as lesson 2.2 does, computed now."""
    tokenizer, model = sentiment_model()
    inputs = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits


def expected_predictions(texts):
    """The labels and the probabilities (one row per text) the three steps give for ``texts``."""
    _tokenizer, model = sentiment_model()
    probabilities = torch.softmax(expected_logits(texts), dim=-1)
    labels = [model.config.id2label[i] for i in probabilities.argmax(dim=-1).tolist()]
    return labels, probabilities


@task(
    "T1",
    N_("Your own texts, through the pipeline and by hand"),
    hints=[
        N_("Follow lesson 2.2 step by step, but with `my_texts` where it had `raw_inputs`."),
        N_(
            "Tokenizer with `padding=True, truncation=True, return_tensors='pt'`; then "
            "`AutoModelForSequenceClassification`; then softmax over the last dimension."
        ),
        N_(
            "`probabilities.max(dim=-1)` gives the scores and the label numbers; "
            "`model.config.id2label[i]` turns a number into a name."
        ),
    ],
)
def t1(my_texts, pipeline_results, my_labels, my_scores):
    """T1: own texts through the pipeline, then by hand; labels and scores agree."""
    texts = as_strings(my_texts, "my_texts")
    if len(texts) < 2 or not all(text.strip() for text in texts):
        raise Wrong(_("`my_texts` should hold at least two sentences, none of them empty."))
    labels, probabilities = expected_predictions(texts)
    scores, top_logits = probabilities.max(dim=-1).values, expected_logits(texts).max(-1).values
    results = as_pipeline_results(pipeline_results)
    if len(results) == 1:
        raise Wrong(
            _(
                "`pipeline_results` has 1 result for {texts} texts: run the pipeline on "
                "`my_texts`.",
                texts=len(texts),
            )
        )
    if len(results) != len(texts):
        raise Wrong(
            _(
                "`pipeline_results` has {results} results for {texts} texts: run the pipeline "
                "on `my_texts`.",
                results=len(results),
                texts=len(texts),
            )
        )
    if [label for label, _score in results] != labels:
        raise Wrong(
            _("`pipeline_results` does not match `my_texts`: run the pipeline on `my_texts`.")
        )
    check_labels(my_labels, labels)
    got_scores = as_float_tensor(my_scores, "my_scores").flatten()
    if got_scores.numel() == 2 * len(texts):
        raise Wrong(
            _(
                "`my_scores` has two numbers per text: keep only the probability of the "
                "predicted label (the largest one in each row)."
            )
        )
    if got_scores.numel() == len(texts):
        if torch.allclose(got_scores, scores * 100, atol=0.01):
            raise Wrong(
                _(
                    "`my_scores` are percentages: give probabilities between 0 and 1, as softmax "
                    "returns them (no `* 100`)."
                )
            )
        if torch.allclose(got_scores, top_logits, atol=1e-4) or (
            ((got_scores < 0) | (got_scores > 1)).any()
        ):
            raise Wrong(
                _("`my_scores` are logits, not probabilities: apply softmax to the logits first.")
            )
        for column in range(probabilities.shape[1]):
            one_class = probabilities[:, column]
            if not torch.allclose(one_class, scores) and torch.allclose(got_scores, one_class):
                raise Wrong(
                    _(
                        "`my_scores` is the probability of label {column} for every text: take "
                        "the largest probability in each row, `probabilities.max(dim=-1)`.",
                        column=column,
                    )
                )
    close_numbers(scores, got_scores, "my_scores")
    check_pipeline_scores(results, got_scores)
    return _("your three steps reproduce the pipeline on all {count} texts.", count=len(texts))


def check_pipeline_scores(results, scores):
    """The pipeline's scores against the learner's ``scores``, already found right."""
    for position, (_label, score) in enumerate(results):
        expected = float(scores[position])
        if not math.isclose(score, expected, rel_tol=1e-5, abs_tol=1e-4):  # as close_numbers
            raise Wrong(
                _(
                    "`pipeline_results[{position}]` has the score {score:.4f}, but the right "
                    "one is {expected:.4f}, as in `my_scores`: run the pipeline on `my_texts` "
                    "with the lesson's checkpoint.",
                    position=position,
                    score=score,
                    expected=expected,
                )
            )


def as_pipeline_results(value):
    """The pipeline's output as (label, score) pairs: a list of dicts with 'label' and 'score'."""
    if isinstance(value, dict) and {"label", "score"} <= set(value):
        raise Wrong(
            _(
                "`pipeline_results` is one result: give the pipeline the whole list "
                "`my_texts`, and keep the list it returns."
            )
        )
    if not isinstance(value, list | tuple):
        raise Wrong(
            _(
                "`pipeline_results` should be what the pipeline returns: a list of dicts with "
                "`'label'` and `'score'`, but it is {value}.",
                value=describe(value),
            )
        )
    results = []
    for position, result in enumerate(value):
        if not isinstance(result, dict) or not {"label", "score"} <= set(result):
            raise Wrong(
                _(
                    "`pipeline_results[{position}]` is {value}, not a dict with `'label'` and "
                    "`'score'`: keep what the pipeline returns, unchanged.",
                    position=position,
                    value=describe(result),
                )
            )
        label = result["label"]
        score = as_number(result["score"], f"pipeline_results[{position}]['score']")
        if not isinstance(label, str):
            raise Wrong(
                _(
                    "`pipeline_results[{position}]` has a label that is not text: keep what "
                    "the pipeline returns, unchanged.",
                    position=position,
                )
            )
        results.append((label, float(score)))
    return results


def check_labels(my_labels, labels):
    """The learner's label names against the expected ones, with the usual slips named."""
    items = plain(my_labels, "my_labels")
    if isinstance(items, int) or (
        isinstance(items, list) and items and all(isinstance(i, int) for i in items)
    ):
        raise Wrong(
            _("`my_labels` holds label numbers; turn them into names with `model.config.id2label`.")
        )
    got = as_strings(my_labels, "my_labels")
    if got == labels:
        return
    if [label.upper() for label in got] == labels:
        raise Wrong(
            _(
                "`my_labels` should be spelled as the model names them, {names}: take the "
                "names from `model.config.id2label`.",
                names=quote(labels, 60),
            )
        )
    raise Wrong(
        _(
            "`my_labels` should be {expected} (the pipeline's labels), but it is {got}.",
            expected=quote(labels, 60),
            got=quote(got, 60),
        )
    )
