"""The GLUE benchmark's metrics, written for the offline course.

A stand-in for the Hub's ``evaluate-metric/glue``, with the same configurations, inputs and
outputs. It is installed into the ``evaluate`` cache by ``utils/standins/metrics.py``, so that
an unchanged ``evaluate.load("glue", "mrpc")`` works offline.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = """
The metrics of the GLUE benchmark (https://gluebenchmark.com/), one configuration per task:
accuracy for most tasks, accuracy and F1 for MRPC and QQP, Pearson and Spearman correlations
for STS-B, and the Matthews correlation for CoLA.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions (list of int, or of float for stsb): the model's predictions.
    references (list of int, or of float for stsb): the true labels or scores.
Returns: depending on the configuration,
    "accuracy": the proportion of correct predictions;
    "f1": the F1 score of the positive class (label 1);
    "pearson": the Pearson correlation;
    "spearmanr": the Spearman rank correlation;
    "matthews_correlation": the Matthews correlation.
Examples:
    >>> glue_metric = evaluate.load("glue", "mrpc")
    >>> glue_metric.compute(predictions=[0, 1, 1, 0], references=[0, 1, 0, 0])
    {'accuracy': 0.75, 'f1': 0.6666666666666666}
"""

_CITATION = """
Wang et al., GLUE: A Multi-Task Benchmark and Analysis Platform for Natural Language
Understanding, ICLR 2019. Offline stand-in written for the course.
"""

ACCURACY_TASKS = ["sst2", "mnli", "mnli_mismatched", "mnli_matched", "qnli", "rte", "wnli", "hans"]
ACCURACY_AND_F1_TASKS = ["mrpc", "qqp"]
CONFIGURATIONS = ["cola", "stsb", *ACCURACY_AND_F1_TASKS, *ACCURACY_TASKS]


def simple_accuracy(predictions, references):
    """The proportion of predictions equal to their reference."""
    return float(np.mean(np.asarray(predictions) == np.asarray(references)))


def binary_f1(predictions, references):
    """The F1 score of label 1: 2 TP / (2 TP + FP + FN), or 0 when nothing is positive."""
    predicted = np.asarray(predictions) == 1
    actual = np.asarray(references) == 1
    true_positives = np.sum(predicted & actual)
    wrong = np.sum(predicted != actual)  # false positives plus false negatives
    if true_positives + wrong == 0:
        return 0.0
    return float(2 * true_positives / (2 * true_positives + wrong))


def pearson(x, y):
    """The Pearson correlation of two lists of numbers (NaN if either is constant)."""
    x = np.asarray(x, dtype=float) - np.mean(x)
    y = np.asarray(y, dtype=float) - np.mean(y)
    scale = np.sqrt(np.sum(x * x) * np.sum(y * y))
    if scale == 0:
        return float("nan")
    return float(np.sum(x * y) / scale)


def average_ranks(values):
    """Ranks from 1 to n; tied values share the average of their ranks."""
    values = np.asarray(values, dtype=float)
    ordered = np.sort(values)
    smaller = np.searchsorted(ordered, values, side="left")  # how many values are smaller
    smaller_or_equal = np.searchsorted(ordered, values, side="right")
    # A value's ties take the ranks smaller + 1, ..., smaller_or_equal: average them.
    return (smaller + 1 + smaller_or_equal) / 2


def spearman(x, y):
    """The Spearman rank correlation: the Pearson correlation of the ranks."""
    return pearson(average_ranks(x), average_ranks(y))


def matthews_correlation(predictions, references):
    """The Matthews correlation coefficient, for two or more classes (0 when undefined)."""
    predictions = np.asarray(predictions)
    references = np.asarray(references)
    labels = np.union1d(references, predictions)
    true_counts = np.array([np.sum(references == label) for label in labels], dtype=float)
    predicted_counts = np.array([np.sum(predictions == label) for label in labels], dtype=float)
    correct = float(np.sum(predictions == references))
    total = float(len(references))
    covariance = correct * total - np.dot(true_counts, predicted_counts)
    true_spread = total * total - np.dot(true_counts, true_counts)
    predicted_spread = total * total - np.dot(predicted_counts, predicted_counts)
    if true_spread * predicted_spread == 0:
        return 0.0
    return float(covariance / np.sqrt(true_spread * predicted_spread))


class Glue(evaluate.Metric):
    """The GLUE metric, as ``evaluate.load("glue", task)`` returns it."""

    def _info(self):
        if self.config_name not in CONFIGURATIONS:
            raise KeyError(
                "You should supply a configuration name selected in "
                f"{CONFIGURATIONS}, not {self.config_name!r}."
            )
        value_type = "float32" if self.config_name == "stsb" else "int64"
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {
                    "predictions": datasets.Value(value_type),
                    "references": datasets.Value(value_type),
                }
            ),
            format="numpy",
        )

    def _compute(self, predictions, references):
        if self.config_name == "cola":
            return {"matthews_correlation": matthews_correlation(predictions, references)}
        if self.config_name == "stsb":
            return {
                "pearson": pearson(predictions, references),
                "spearmanr": spearman(predictions, references),
            }
        if self.config_name in ACCURACY_AND_F1_TASKS:
            return {
                "accuracy": simple_accuracy(predictions, references),
                "f1": binary_f1(predictions, references),
            }
        return {"accuracy": simple_accuracy(predictions, references)}
