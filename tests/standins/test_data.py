"""The GLUE stand-ins, loaded offline by unchanged course code.

Like the model tests, the learner code runs in a fresh interpreter pointed at
the stand-in hub with an empty HOME, so it cannot lean on anything else.
"""

import collections
import random
import textwrap

import pytest

from utils.standins import data as standin_data
from utils.standins import synthetic_text

LEARNER_CODE = textwrap.dedent(
    """
    import json
    from datasets import load_dataset
    from transformers import AutoTokenizer, DataCollatorWithPadding

    facts = {}
    for name in CONFIGS:
        for repo in ["glue", "nyu-mll/glue"]:
            data = load_dataset(repo, name)
            facts[f"{repo}/{name}"] = {
                split: {
                    "rows": part.num_rows,
                    "features": {key: repr(value) for key, value in part.features.items()},
                    "labels": sorted(set(part["label"])) if split.startswith("test") else None,
                    "first": part[0],
                }
                for split, part in data.items()
            }

    raw_datasets = load_dataset("glue", "mrpc")
    facts["element_labels"] = [raw_datasets["train"][15]["label"],
                               raw_datasets["validation"][87]["label"]]
    facts["train_labels"] = list(raw_datasets["train"]["label"])
    facts["mrpc_pairs"] = {
        split: [[row["sentence1"], row["sentence2"], row["label"]] for row in raw_datasets[split]]
        for split in ["train", "validation"]
    }
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")

    def tokenize_function(example):
        return tokenizer(example["sentence1"], example["sentence2"], truncation=True)

    tokenized_datasets = raw_datasets.map(tokenize_function, batched=True)
    samples = tokenized_datasets["train"][:8]
    samples = {k: v for k, v in samples.items() if k not in ["idx", "sentence1", "sentence2"]}
    facts["lengths"] = [len(x) for x in samples["input_ids"]]
    batch = DataCollatorWithPadding(tokenizer=tokenizer)(samples)
    facts["batch"] = {k: list(v.shape) for k, v in batch.items()}
    facts["all_lengths"] = [len(x) for x in tokenized_datasets["train"]["input_ids"]]
    print("FACTS" + json.dumps(facts))
    """
).replace("CONFIGS", repr(list(standin_data.SPLIT_SIZES)))


@pytest.fixture(scope="module")
def facts(run_as_learner):
    """Run the learner code offline once and return what it found."""
    quiet = {"DATASETS_VERBOSITY": "error", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    return run_as_learner(LEARNER_CODE, env=quiet)["facts"]


def test_every_config_has_the_real_splits_and_row_counts(facts):
    for name, sizes in standin_data.SPLIT_SIZES.items():
        for repo in ["glue", "nyu-mll/glue"]:
            found = {split: info["rows"] for split, info in facts[f"{repo}/{name}"].items()}
            assert found == sizes, (repo, name)
    assert facts["glue/mrpc"]["train"]["rows"] == 3668
    assert list(facts["glue/mnli"]) == [
        "train",
        "validation_matched",
        "validation_mismatched",
        "test_matched",
        "test_mismatched",
    ]
    assert list(facts["glue/ax"]) == ["test"]


def test_columns_dtypes_and_label_names_are_glues(facts):
    mrpc = facts["glue/mrpc"]["train"]["features"]
    assert mrpc == {
        "sentence1": "Value('string')",
        "sentence2": "Value('string')",
        "label": "ClassLabel(names=['not_equivalent', 'equivalent'])",
        "idx": "Value('int32')",
    }
    assert facts["glue/sst2"]["train"]["features"]["label"] == (
        "ClassLabel(names=['negative', 'positive'])"
    )
    assert facts["glue/stsb"]["train"]["features"]["label"] == "Value('float32')"
    for name, columns in standin_data.PAIR_NAMES.items():
        assert list(facts[f"glue/{name}"][next(iter(facts[f"glue/{name}"]))]["features"]) == [
            *columns,
            "label",
            "idx",
        ]


def test_test_splits_are_unlabelled(facts):
    for name in standin_data.SPLIT_SIZES:
        for split, info in facts[f"glue/{name}"].items():
            if split.startswith("test"):
                assert info["labels"] == [-1], (name, split)


def test_mrpc_keeps_what_the_course_prints(facts):
    assert facts["element_labels"] == [0, 1]
    assert facts["lengths"] == [50, 59, 47, 67, 59, 50, 62, 32]
    assert facts["batch"] == {
        "input_ids": [8, 67],
        "token_type_ids": [8, 67],
        "attention_mask": [8, 67],
        "labels": [8],
    }
    ones = sum(facts["train_labels"]) / len(facts["train_labels"])
    assert 0.6 < ones < 0.72, ones


def test_mrpc_has_the_real_label_counts(facts):
    """2474 of 3668 and 279 of 408 pairs are paraphrases, as on the Hub.

    So always answering "equivalent" scores 68.4 % on validation, the baseline the
    course quotes (F1 0.812).
    """
    labels = {split: [label for *_, label in rows] for split, rows in facts["mrpc_pairs"].items()}
    assert (sum(labels["train"]), len(labels["train"])) == (2474, 3668)
    assert (sum(labels["validation"]), len(labels["validation"])) == (279, 408)
    assert round(100 * sum(labels["validation"]) / 408, 1) == 68.4


def words_shared(first, second):
    """The share of their distinct lower-cased words that two sentences have in common."""
    one, two = set(first.lower().split()), set(second.lower().split())
    return len(one & two) / len(one | two)


def test_near_misses_share_fewer_words_than_paraphrases(facts):
    """A proxy for what a small model can learn: one overlap number separates the classes.

    The threshold is chosen on the training split and scored on validation, where
    always answering "equivalent" gets 68.4 %.
    """
    overlap = {
        split: [(words_shared(first, second), label) for first, second, label in rows]
        for split, rows in facts["mrpc_pairs"].items()
    }

    def accuracy(split, threshold):
        rows = overlap[split]
        return sum((share >= threshold) == label for share, label in rows) / len(rows)

    threshold = max({share for share, _ in overlap["train"]}, key=lambda t: accuracy("train", t))
    assert accuracy("validation", threshold) > 0.684 + 0.10


def test_a_bag_of_words_model_learns_mrpc(facts):
    """Another cheap proxy: a linear model on which words a pair contains beats the baseline."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    pairs = {
        split: ([f"{first} {second}" for first, second, _ in rows], [row[2] for row in rows])
        for split, rows in facts["mrpc_pairs"].items()
    }
    words = CountVectorizer(binary=True).fit(pairs["train"][0])
    model = LogisticRegression(max_iter=1000).fit(
        words.transform(pairs["train"][0]), pairs["train"][1]
    )
    accuracy = model.score(words.transform(pairs["validation"][0]), pairs["validation"][1])
    assert accuracy > 0.684 + 0.15, accuracy


def test_mrpc_lengths_look_like_real_sentence_pairs(facts):
    lengths = facts["all_lengths"]
    mean = sum(lengths) / len(lengths)
    assert 40 < mean < 70, mean
    assert min(lengths) < 35 and 85 < max(lengths) < 512


def test_mrpc_text_is_varied(facts):
    first = facts["glue/mrpc"]["train"]["first"]
    assert first["sentence1"] != first["sentence2"]
    rng = random.Random(0)
    sentences = [synthetic_text.sentence_pair(rng, True)[0] for _ in range(500)]
    assert len(set(sentences)) > 450
    words = collections.Counter(word for sentence in sentences for word in sentence.split())
    assert len(words) > 200


def test_near_misses_differ_and_paraphrases_share_their_facts():
    rng = random.Random(1)
    doubts = {doubt.split("{")[0] for doubt in synthetic_text.DOUBTS}
    pairs, doubted = collections.Counter(), collections.Counter()
    for _ in range(400):
        equivalent = rng.random() < 0.5
        first, second = synthetic_text.sentence_pair(rng, equivalent)
        assert first != second and first.endswith(" .") and second.endswith(" .")
        assert first[0].isupper() and second[0].isupper()
        pairs[equivalent] += 1
        doubted[equivalent] += any(doubt in first + second for doubt in doubts)
    assert doubted[True] == 0  # a paraphrase never doubts itself
    assert 0.65 < doubted[False] / pairs[False] < 0.85  # three near-misses in four do


def test_a_near_miss_changes_facts_both_sentences_mention():
    rng = random.Random(2)
    for _ in range(200):
        facts = synthetic_text.event(rng)
        mentioned = {"pct", "money", "person"}
        new = synthetic_text.changed(facts, rng, mentioned)
        differing = {key for key in facts if facts[key] != new[key]}
        assert len(differing) == 2 and differing <= mentioned, differing
        alone = synthetic_text.changed(facts, rng, {"day"})
        assert {key for key in facts if facts[key] != alone[key]} == {"day"}


def test_generation_is_deterministic():
    one = standin_data.split_rows("sst2", "validation", 50, seed=0, tokenizer=None)
    two = standin_data.split_rows("sst2", "validation", 50, seed=0, tokenizer=None)
    other = standin_data.split_rows("sst2", "validation", 50, seed=1, tokenizer=None)
    assert one == two and one != other
    assert {len(sentence.split()) for sentence in one["sentence"]} != {1}
