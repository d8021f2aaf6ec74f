"""Checks for the exercises of lesson 2.2, behind the pipeline (task T1)."""

from functools import lru_cache

import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import (
    as_float_tensor,
    as_number,
    as_strings,
    close_numbers,
    element,
    plain,
    quote,
)

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
    _, model = sentiment_model()
    probabilities = torch.softmax(expected_logits(texts), dim=-1)
    labels = [model.config.id2label[i] for i in probabilities.argmax(dim=-1).tolist()]
    return labels, probabilities


@task(
    "T1",
    "Your own texts, through the pipeline and by hand",
    hints=[
        "Follow lesson 2.2 step by step, but with `my_texts` where it had `raw_inputs`.",
        "Tokenizer with padding=True, truncation=True, return_tensors='pt'; then "
        "AutoModelForSequenceClassification; then softmax over the last dimension.",
        "`probabilities.max(dim=-1)` gives the scores and the label numbers; "
        "`model.config.id2label[i]` turns a number into a name.",
    ],
)
def t1(my_texts, pipeline_results, my_labels, my_scores):
    """T1: own texts through the pipeline, then by hand; labels and scores agree."""
    texts = as_strings(my_texts, "my_texts")
    if len(texts) < 2 or not all(text.strip() for text in texts):
        raise Wrong("`my_texts` should hold at least two sentences, none of them empty.")
    labels, probabilities = expected_predictions(texts)
    scores, top_logits = probabilities.max(dim=-1).values, expected_logits(texts).max(-1).values
    results = as_pipeline_results(pipeline_results)
    if len(results) != len(texts):
        raise Wrong(
            f"`pipeline_results` has {len(results)} results for {len(texts)} texts: "
            "run the pipeline on `my_texts`."
        )
    if [label for label, _ in results] != labels:
        raise Wrong("`pipeline_results` does not match `my_texts`: run the pipeline on `my_texts`.")
    check_labels(my_labels, labels)
    got_scores = as_float_tensor(my_scores, "my_scores").flatten()
    if got_scores.numel() == 2 * len(texts):
        raise Wrong(
            "`my_scores` has two numbers per text: keep only the probability of the predicted "
            "label (the largest one in each row)."
        )
    if got_scores.numel() == len(texts):
        if torch.allclose(got_scores, scores * 100, atol=0.01):
            raise Wrong(
                "`my_scores` are percentages: give probabilities between 0 and 1, as softmax "
                "returns them (no * 100)."
            )
        if torch.allclose(got_scores, top_logits, atol=1e-4) or (
            ((got_scores < 0) | (got_scores > 1)).any()
        ):
            raise Wrong(
                "`my_scores` are logits, not probabilities: apply softmax to the logits first."
            )
        for column in range(probabilities.shape[1]):
            one_class = probabilities[:, column]
            if not torch.allclose(one_class, scores) and torch.allclose(got_scores, one_class):
                raise Wrong(
                    f"`my_scores` is the probability of label {column} for every text: take "
                    "the largest probability in each row, probabilities.max(dim=-1)."
                )
    close_numbers(scores, got_scores, "my_scores")
    pipeline_scores = torch.tensor([score for _, score in results])
    close_numbers(pipeline_scores, got_scores, "my_scores (compared with the pipeline)")
    return f"your three steps reproduce the pipeline on all {len(texts)} texts."


def as_pipeline_results(value):
    """The pipeline's output as (label, score) pairs: a list of dicts with 'label' and 'score'."""
    wrong = Wrong(
        "`pipeline_results` should be what the pipeline returns: a list of dicts with "
        f"'label' and 'score', but it is {describe(value)}."
    )
    if isinstance(value, dict) and {"label", "score"} <= set(value):
        raise Wrong(
            "`pipeline_results` is one result: give the pipeline the whole list `my_texts`, "
            "and keep the list it returns."
        )
    if not isinstance(value, list | tuple):
        raise wrong
    results = []
    for position, result in enumerate(value):
        if not isinstance(result, dict) or not {"label", "score"} <= set(result):
            raise Wrong(
                f"`pipeline_results` {element(position)} is {describe(result)}, not a dict with "
                "'label' and 'score': keep what the pipeline returns, unchanged."
            )
        label = result["label"]
        score = as_number(result["score"], f"pipeline_results[{position}]['score']")
        if not isinstance(label, str):
            raise Wrong(f"`pipeline_results` {element(position)} has a label that is not text.")
        results.append((label, float(score)))
    return results


def check_labels(my_labels, labels):
    """The learner's label names against the expected ones, with the usual slips named."""
    items = plain(my_labels, "my_labels")
    if isinstance(items, int) or (
        isinstance(items, list) and items and all(isinstance(i, int) for i in items)
    ):
        raise Wrong(
            "`my_labels` holds label numbers; turn them into names with `model.config.id2label`."
        )
    got = as_strings(my_labels, "my_labels")
    if got == labels:
        return
    if [label.upper() for label in got] == labels:
        raise Wrong(
            f"`my_labels` should be spelled as the model names them, {quote(labels, 60)}: "
            "take the names from `model.config.id2label`."
        )
    raise Wrong(
        f"`my_labels` should be {quote(labels, 60)} (the pipeline's labels), but it is "
        f"{quote(got, 60)}."
    )
