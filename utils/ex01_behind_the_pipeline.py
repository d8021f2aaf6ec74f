"""Checks for the exercises of lesson 2.2, behind the pipeline (task T1)."""

from functools import lru_cache

import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import as_float_tensor, as_strings, close_numbers

CHECKPOINT = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"


@lru_cache(maxsize=1)
def sentiment_model():
    """The tokenizer and model the sentiment-analysis pipeline uses by default."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)
    return tokenizer, model.eval()


def expected_predictions(texts):
    """The labels and scores the three steps give for ``texts``, computed now."""
    tokenizer, model = sentiment_model()
    inputs = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**inputs).logits
    scores, label_ids = torch.softmax(logits, dim=-1).max(dim=-1)
    labels = [model.config.id2label[i] for i in label_ids.tolist()]
    return labels, scores, logits.max(dim=-1).values


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
    labels, scores, top_logits = expected_predictions(texts)
    if not isinstance(pipeline_results, list) or not all(
        isinstance(result, dict) and {"label", "score"} <= set(result)
        for result in pipeline_results
    ):
        raise Wrong(
            "`pipeline_results` should be what the pipeline returns: a list of dicts with "
            f"'label' and 'score', but it is {describe(pipeline_results)}."
        )
    if len(pipeline_results) != len(texts):
        raise Wrong(
            f"`pipeline_results` has {len(pipeline_results)} results for {len(texts)} texts: "
            "run the pipeline on `my_texts`."
        )
    if [result["label"] for result in pipeline_results] != labels:
        raise Wrong("`pipeline_results` does not match `my_texts`: run the pipeline on `my_texts`.")
    if isinstance(my_labels, torch.Tensor) or (
        isinstance(my_labels, list) and my_labels and isinstance(my_labels[0], int)
    ):
        raise Wrong(
            "`my_labels` holds label numbers; turn them into names with `model.config.id2label`."
        )
    got_labels = as_strings(my_labels, "my_labels")
    if got_labels != labels:
        raise Wrong(
            f"`my_labels` should be {labels} (the pipeline's labels), but it is {got_labels}."
        )
    got_scores = as_float_tensor(my_scores, "my_scores").flatten()
    if got_scores.numel() == 2 * len(texts):
        raise Wrong(
            "`my_scores` has two numbers per text: keep only the probability of the predicted "
            "label (the largest one in each row)."
        )
    if got_scores.numel() == len(texts) and (
        ((got_scores < 0) | (got_scores > 1)).any() or torch.allclose(got_scores, top_logits)
    ):
        raise Wrong("`my_scores` are logits, not probabilities: apply softmax to the logits first.")
    close_numbers(scores, got_scores, "my_scores")
    pipeline_scores = torch.tensor([float(result["score"]) for result in pipeline_results])
    close_numbers(pipeline_scores, got_scores, "my_scores (compared with the pipeline)")
    return f"your three steps reproduce the pipeline on all {len(texts)} texts."
