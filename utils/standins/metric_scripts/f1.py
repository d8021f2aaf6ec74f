"""F1, written for the offline course: the harmonic mean of precision and recall.

A stand-in for the Hub's ``evaluate-metric/f1``, with the same inputs and outputs. It is
installed into the ``evaluate`` cache by ``utils/standins/metrics.py``, so that an unchanged
``evaluate.load("f1")`` works offline.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = """
The F1 score is the harmonic mean of precision and recall:
F1 = 2 * (precision * recall) / (precision + recall) = 2 TP / (2 TP + FP + FN).
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of int): predicted labels.
    references (list of int): true labels.
    labels (list of int): the labels to average over when average is not 'binary'.
        Defaults to every label found in predictions or references.
    pos_label (int): the positive class when average='binary'. Defaults to 1.
    average (str or None): 'binary' (default: the F1 of pos_label), 'micro' (from the counts
        summed over labels), 'macro' (the plain mean of the per-label F1 scores), 'weighted'
        (their mean weighted by each label's number of references), or None (one score per label).
    sample_weight (list of float): a weight for each example. Defaults to None (all equal).
Returns:
    f1 (float, or an array with one score per label when average=None): between 0 and 1.
Examples:
    >>> f1 = evaluate.load("f1")
    >>> f1.compute(predictions=[0, 1, 1, 0], references=[0, 1, 0, 0])
    {'f1': 0.6666666666666666}
"""

_CITATION = """
Offline stand-in written for the course; it gives the same values as scikit-learn's f1_score,
which the Hub's f1 metric uses.
"""

AVERAGES = ["binary", "micro", "macro", "weighted", None]


def check_binary(present_labels, pos_label):
    """Raise ValueError unless the labels allow a binary F1 for ``pos_label``."""
    if len(present_labels) > 2:
        raise ValueError(
            "Target is multiclass but average='binary'. Please choose another average "
            "setting, one of [None, 'micro', 'macro', 'weighted']."
        )
    if len(present_labels) == 2 and pos_label not in present_labels:
        raise ValueError(
            f"pos_label={pos_label} is not a valid label. It should be one of {present_labels}"
        )


def label_counts(predictions, references, labels, weights):
    """Weighted true positives, false positives and false negatives, one of each per label."""
    true_positives, false_positives, false_negatives = [], [], []
    for label in labels:
        predicted = predictions == label
        actual = references == label
        true_positives.append(np.sum(weights * (predicted & actual)))
        false_positives.append(np.sum(weights * (predicted & ~actual)))
        false_negatives.append(np.sum(weights * (~predicted & actual)))
    return np.array(true_positives), np.array(false_positives), np.array(false_negatives)


def f1_from_counts(true_positives, false_positives, false_negatives):
    """2 TP / (2 TP + FP + FN), and 0 where that is 0 / 0."""
    numerator = 2.0 * np.asarray(true_positives, dtype=float)
    denominator = numerator + false_positives + false_negatives
    safe_denominator = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe_denominator, 0.0)


def f1_score(
    predictions, references, labels=None, pos_label=1, average="binary", sample_weight=None
):
    """The F1 score, averaged as ``average`` says (see the argument description above)."""
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, not {average!r}.")
    predictions = np.asarray(predictions)
    references = np.asarray(references)
    if sample_weight is None:
        weights = np.ones(len(references))
    else:
        weights = np.asarray(sample_weight, dtype=float)

    present_labels = np.union1d(references, predictions).tolist()
    if average == "binary":
        check_binary(present_labels, pos_label)
        labels = [pos_label]
    elif labels is None:
        labels = present_labels
    true_positives, false_positives, false_negatives = label_counts(
        predictions, references, labels, weights
    )

    if average == "micro":
        return f1_from_counts(true_positives.sum(), false_positives.sum(), false_negatives.sum())
    scores = f1_from_counts(true_positives, false_positives, false_negatives)
    if average == "binary":
        return scores[0]
    if average == "macro":
        return scores.mean()
    if average == "weighted":
        support = true_positives + false_negatives
        return np.average(scores, weights=support) if support.sum() > 0 else 0.0
    return scores  # average=None: one score per label


class F1(evaluate.Metric):
    """The F1 metric, as ``evaluate.load("f1")`` returns it."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(
        self,
        predictions,
        references,
        labels=None,
        pos_label=1,
        average="binary",
        sample_weight=None,
    ):
        score = f1_score(predictions, references, labels, pos_label, average, sample_weight)
        return {"f1": float(score) if np.size(score) == 1 else score}
