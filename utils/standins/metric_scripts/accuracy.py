"""Accuracy, written for the offline course: the share of predictions equal to their reference.

A stand-in for the Hub's ``evaluate-metric/accuracy``, with the same inputs and outputs. It is
installed into the ``evaluate`` cache by ``utils/standins/metrics.py``, so that an unchanged
``evaluate.load("accuracy")`` works offline.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = """
Accuracy is the proportion of correct predictions among all predictions:
(number of correct predictions) / (number of predictions). It ranges from 0 to 1.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of int): predicted labels.
    references (list of int): true labels.
    normalize (bool): if False, return the number of correct predictions (or their total
        weight) instead of the proportion. Defaults to True.
    sample_weight (list of float): a weight for each example. Defaults to None (all equal).
Returns:
    accuracy (float): the proportion (or, with normalize=False, the number) of correct predictions.
Examples:
    >>> accuracy = evaluate.load("accuracy")
    >>> accuracy.compute(predictions=[0, 1, 1, 0], references=[0, 1, 0, 0])
    {'accuracy': 0.75}
"""

_CITATION = """
Offline stand-in written for the course; it gives the same values as scikit-learn's
accuracy_score, which the Hub's accuracy metric uses.
"""


def accuracy(predictions, references, normalize=True, sample_weight=None):
    """The (weighted) proportion, or with ``normalize=False`` the number, of correct predictions."""
    correct = np.asarray(predictions) == np.asarray(references)
    if sample_weight is None:
        weights = np.ones(len(correct))
    else:
        weights = np.asarray(sample_weight, dtype=float)
    if normalize:
        return float(np.average(correct, weights=weights))
    return float(np.sum(correct * weights))


class Accuracy(evaluate.Metric):
    """The accuracy metric, as ``evaluate.load("accuracy")`` returns it."""

    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, normalize=True, sample_weight=None):
        return {"accuracy": accuracy(predictions, references, normalize, sample_weight)}
