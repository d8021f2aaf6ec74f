"""The offline metric modules: unchanged ``evaluate.load`` calls give the standard values.

The metrics are built into a temporary HF_HOME, then the learner code runs in a fresh
interpreter, offline, with HOME moved to an empty folder (so nothing may go to ~/.cache).
The expected values are worked out by hand in each test, or, for glue/mrpc, computed with
scikit-learn, as the Hub's glue metric does online.
"""

import textwrap

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from utils import REPO_ROOT

LEARNER_CODE = textwrap.dedent(
    """
    import json
    import evaluate

    facts = {}
    predictions, references = [0, 1, 1, 0], [0, 1, 0, 0]

    accuracy = evaluate.load("accuracy")
    facts["module"] = type(accuracy).__module__
    facts["accuracy"] = accuracy.compute(predictions=predictions, references=references)
    facts["accuracy_weighted"] = accuracy.compute(
        predictions=[0, 1, 1, 2, 1, 0],
        references=[0, 1, 2, 0, 1, 2],
        sample_weight=[0.5, 2, 0.7, 0.5, 9, 0.4],
    )
    facts["accuracy_count"] = accuracy.compute(
        predictions=[0, 1, 1, 2, 1, 0], references=[0, 1, 2, 0, 1, 2], normalize=False
    )

    f1 = evaluate.load("f1")
    facts["f1"] = f1.compute(predictions=predictions, references=references)
    facts["f1_pos_1"] = f1.compute(predictions=[0, 0, 1, 1, 0], references=[0, 1, 0, 1, 0])
    facts["f1_pos_0"] = f1.compute(
        predictions=[0, 0, 1, 1, 0], references=[0, 1, 0, 1, 0], pos_label=0
    )
    three_classes = {"predictions": [0, 0, 1, 1, 2, 2], "references": [0, 0, 0, 1, 1, 2]}
    for average in ["macro", "micro", "weighted"]:
        facts["f1_" + average] = f1.compute(**three_classes, average=average)
    facts["f1_none"] = f1.compute(**three_classes, average=None)["f1"].tolist()
    try:
        f1.compute(**three_classes)
        facts["f1_binary_on_three_classes"] = "no error"
    except ValueError as error:
        facts["f1_binary_on_three_classes"] = str(error)

    for task in ["mrpc", "qqp", "sst2", "mnli", "rte"]:
        glue = evaluate.load("glue", task)
        facts["glue_" + task] = glue.compute(predictions=predictions, references=references)
    stsb = evaluate.load("glue", "stsb")
    facts["stsb_ties"] = stsb.compute(
        predictions=[0.5, 0.7, 0.9, 0.8], references=[1.0, 2.0, 2.0, 4.0]
    )
    facts["stsb"] = stsb.compute(
        predictions=[2.5, 0.0, 4.0, 1.5, 3.0], references=[3.0, 1.0, 5.0, 0.5, 2.0]
    )
    cola = evaluate.load("glue", "cola")
    facts["cola"] = cola.compute(predictions=[1, 1, 0, 0, 0, 1], references=[1, 1, 1, 0, 0, 0])
    facts["cola_constant"] = cola.compute(predictions=[1, 1, 1], references=[0, 1, 0])
    try:
        evaluate.load("glue", "not_a_task")
        facts["unknown_config"] = "no error"
    except KeyError as error:
        facts["unknown_config"] = str(error)

    mrpc = evaluate.load("glue", "mrpc")
    facts["mrpc_sets"] = {
        name: mrpc.compute(predictions=predictions, references=REFERENCES)
        for name, predictions in PREDICTION_SETS.items()
    }
    for start in range(0, len(REFERENCES), 32):  # as an evaluation loop feeds it
        mrpc.add_batch(
            predictions=PREDICTION_SETS["mostly right"][start : start + 32],
            references=REFERENCES[start : start + 32],
        )
    facts["mrpc_batches"] = mrpc.compute()

    print("FACTS" + json.dumps(facts))
    """
)


def mrpc_prediction_sets():
    """Validation-sized labels (279 of 408 equivalent) and prediction sets of several kinds."""
    rng = np.random.default_rng(0)
    references = rng.permutation([1] * 279 + [0] * 129)
    mostly_right = np.where(rng.random(408) < 0.9, references, 1 - references)
    sets = {
        "random": rng.integers(0, 2, 408),
        "all one": np.ones(408, dtype=int),
        "all zero": np.zeros(408, dtype=int),
        "mostly right": mostly_right,
        "all right": references,
    }
    return references.tolist(), {name: values.tolist() for name, values in sets.items()}


REFERENCES, PREDICTION_SETS = mrpc_prediction_sets()
LEARNER_CODE = LEARNER_CODE.replace("PREDICTION_SETS", repr(PREDICTION_SETS)).replace(
    "REFERENCES", repr(REFERENCES)
)


BUILD_CODE = (
    "import os, pathlib; from utils.standins.metrics import build_metrics; "
    "build_metrics(pathlib.Path(os.environ['HF_HOME']))"
)


@pytest.fixture(scope="module")
def learner_run(run_as_learner, tmp_path_factory):
    """Build the metrics into a fresh HF_HOME, then run the learner code there once."""
    hf_home = tmp_path_factory.mktemp("hf")
    run_as_learner(BUILD_CODE, hf_home=hf_home, cwd=REPO_ROOT)
    return {**run_as_learner(LEARNER_CODE, hf_home=hf_home), "hf_home": hf_home}


def test_the_cache_has_the_hub_layout(learner_run):
    metrics = learner_run["hf_home"] / "modules" / "evaluate_modules" / "metrics"
    for name in ["accuracy", "f1", "glue"]:
        scripts = list((metrics / f"evaluate-metric--{name}").glob(f"*/{name}.py"))
        assert len(scripts) == 1 and len(scripts[0].parent.name) == 64
    assert "evaluate-metric--accuracy" in learner_run["facts"]["module"]


def test_accuracy(learner_run):
    facts = learner_run["facts"]
    assert facts["accuracy"] == {"accuracy": 0.75}
    # Correct at positions 0, 1 and 4: weights 0.5 + 2 + 9 out of 13.1.
    assert facts["accuracy_weighted"]["accuracy"] == pytest.approx(11.5 / 13.1)
    assert facts["accuracy_count"] == {"accuracy": 3.0}


def test_binary_f1(learner_run):
    facts = learner_run["facts"]
    # TP = 1, FP = 1, FN = 0: F1 = 2 TP / (2 TP + FP + FN) = 2 / 3.
    assert facts["f1"]["f1"] == pytest.approx(2 / 3)
    assert facts["f1_pos_1"]["f1"] == pytest.approx(2 / 4)  # TP 1, FP 1, FN 1
    assert facts["f1_pos_0"]["f1"] == pytest.approx(4 / 6)  # TP 2, FP 1, FN 1
    assert "multiclass" in facts["f1_binary_on_three_classes"]


def test_averaged_f1(learner_run):
    facts = learner_run["facts"]
    # Per label: 0 -> TP 2, FN 1: 4/5; 1 -> TP 1, FP 1, FN 1: 2/4; 2 -> TP 1, FP 1: 2/3.
    per_label = [4 / 5, 2 / 4, 2 / 3]
    supports = [3, 2, 1]
    assert facts["f1_none"] == pytest.approx(per_label)
    assert facts["f1_macro"]["f1"] == pytest.approx(sum(per_label) / 3)
    assert facts["f1_micro"]["f1"] == pytest.approx(4 / 6)  # equals the accuracy
    weighted = sum(s * f for s, f in zip(supports, per_label, strict=True)) / sum(supports)
    assert facts["f1_weighted"]["f1"] == pytest.approx(weighted)


def test_glue_classification_tasks(learner_run):
    facts = learner_run["facts"]
    for task in ["mrpc", "qqp"]:
        assert facts["glue_" + task] == {"accuracy": 0.75, "f1": pytest.approx(2 / 3)}
        assert isinstance(facts["glue_" + task]["f1"], float)
    for task in ["sst2", "mnli", "rte"]:
        assert facts["glue_" + task] == {"accuracy": 0.75}


def test_glue_mrpc_equals_scikit_learn_as_online(learner_run):
    """The Hub's glue metric returns float(accuracy_score(...)) and float(f1_score(...))."""
    found = learner_run["facts"]["mrpc_sets"]
    assert list(found) == list(PREDICTION_SETS)
    for name, predictions in PREDICTION_SETS.items():
        online = {
            "accuracy": float(accuracy_score(REFERENCES, predictions)),
            "f1": float(f1_score(y_true=REFERENCES, y_pred=predictions)),
        }
        assert found[name] == online, name  # the same floats, to the last bit
    assert found["all zero"]["f1"] == 0.0 and found["all right"] == {"accuracy": 1.0, "f1": 1.0}
    assert found["all one"]["accuracy"] == 279 / 408
    batches = learner_run["facts"]["mrpc_batches"]
    assert batches == found["mostly right"]


def test_glue_stsb_correlations(learner_run):
    facts = learner_run["facts"]
    predictions, references = [2.5, 0.0, 4.0, 1.5, 3.0], [3.0, 1.0, 5.0, 0.5, 2.0]
    pearson = np.corrcoef(predictions, references)[0, 1]
    spearman = np.corrcoef(np.argsort(np.argsort(predictions)), np.argsort(np.argsort(references)))
    assert facts["stsb"]["pearson"] == pytest.approx(pearson, abs=1e-6)
    assert facts["stsb"]["spearmanr"] == pytest.approx(spearman[0, 1])
    # With ties, the two 2.0 share the ranks 2 and 3: references rank as [1, 2.5, 2.5, 4].
    spearman_ties = np.corrcoef([1, 2, 4, 3], [1, 2.5, 2.5, 4])[0, 1]
    assert facts["stsb_ties"]["spearmanr"] == pytest.approx(spearman_ties)
    assert sorted(facts["stsb_ties"]) == ["pearson", "spearmanr"]


def test_glue_cola_matthews_correlation(learner_run):
    facts = learner_run["facts"]
    # TP 2, TN 2, FP 1, FN 1: (2*2 - 1*1) / sqrt(3 * 3 * 3 * 3) = 1/3.
    assert facts["cola"] == {"matthews_correlation": pytest.approx(1 / 3)}
    assert facts["cola_constant"] == {"matthews_correlation": 0.0}


def test_unknown_glue_configuration_is_rejected(learner_run):
    message = learner_run["facts"]["unknown_config"]
    assert "configuration name" in message and "not_a_task" in message and "mrpc" in message
