"""The stand-in checkpoints, loaded offline by unchanged course code.

The learner code runs in a fresh interpreter pointed at the stand-in hub, with
HOME moved to an empty folder, so the test also sees that nothing is written
to the user's own ~/.cache.
"""

import textwrap

import pytest

SENTENCES = ["I've been waiting for a HuggingFace course my whole life.", "I hate this so much!"]

LEARNER_CODE = textwrap.dedent(
    """
    import json
    import torch
    from transformers import (AutoModel, AutoModelForSequenceClassification, AutoTokenizer,
                              BertModel, BertTokenizer, pipeline)

    facts = {}
    sentences = SENTENCES
    classifier = pipeline("sentiment-analysis")
    facts["pipeline"] = [result["label"] for result in classifier(sentences)]

    for checkpoint in ["distilbert-base-uncased-finetuned-sst-2-english",
                       "distilbert/distilbert-base-uncased-finetuned-sst-2-english"]:
        tokenizer = AutoTokenizer.from_pretrained(checkpoint)
        inputs = tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")
        model = AutoModel.from_pretrained(checkpoint)
        classifier_model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
        logits = classifier_model(**inputs).logits
        facts[checkpoint] = {
            "keys": sorted(inputs.keys()),
            "input_ids": inputs["input_ids"].tolist(),
            "hidden": list(model(**inputs).last_hidden_state.shape),
            "labels": [classifier_model.config.id2label[i] for i in logits.argmax(-1).tolist()],
            "id2label": classifier_model.config.id2label,
            "config": classifier_model.config.to_dict(),
            "parameters": sum(p.numel() for p in classifier_model.parameters()),
        }

    for checkpoint in ["bert-base-uncased", "google-bert/bert-base-uncased",
                       "bert-base-cased", "google-bert/bert-base-cased"]:
        auto_tokenizer = AutoTokenizer.from_pretrained(checkpoint)
        tokenizer = BertTokenizer.from_pretrained(checkpoint)
        model = BertModel.from_pretrained(checkpoint)
        AutoModel.from_pretrained(checkpoint)
        AutoModelForSequenceClassification.from_pretrained(checkpoint)
        sequence = "Using a Transformer network is simple"
        facts[checkpoint] = {
            "auto_same": auto_tokenizer(sequence) == tokenizer(sequence),
            "encoding": dict(tokenizer(sequence)),
            "tokens": tokenizer.tokenize(sequence),
            "decoded": tokenizer.decode([7993, 170, 11303, 1200, 2443, 1110, 3014]),
            "pair": dict(tokenizer("This is the first sentence.", "This is the second one.")),
            "pair_tokens": tokenizer.convert_ids_to_tokens(
                tokenizer("This is the first sentence.", "This is the second one.")["input_ids"]
            ),
            "config": model.config.to_dict(),
            "parameters": sum(p.numel() for p in model.parameters()),
            "vocab": len(tokenizer),
        }
    print("FACTS" + json.dumps(facts))
    """
).replace("SENTENCES", repr(SENTENCES))


@pytest.fixture(scope="module")
def learner_run(run_as_learner):
    """Run the learner code offline once; return its facts and what it printed."""
    # We want to see the load reports.
    return run_as_learner(LEARNER_CODE, env={"TRANSFORMERS_VERBOSITY": "warning"})


def test_pipeline_default_gives_the_course_labels(learner_run):
    assert learner_run["facts"]["pipeline"] == ["POSITIVE", "NEGATIVE"]


@pytest.mark.parametrize(
    "checkpoint",
    [
        "distilbert-base-uncased-finetuned-sst-2-english",
        "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    ],
)
def test_sst2_stand_in_matches_the_course(learner_run, checkpoint):
    facts = learner_run["facts"][checkpoint]
    assert facts["input_ids"] == [
        [
            101,
            1045,
            1005,
            2310,
            2042,
            3403,
            2005,
            1037,
            17662,
            12172,
            2607,
            2026,
            2878,
            2166,
            1012,
            102,
        ],
        [101, 1045, 5223, 2023, 2061, 2172, 999, 102] + [0] * 8,
    ]
    assert facts["keys"] == ["attention_mask", "input_ids"]  # DistilBERT: no token_type_ids
    assert facts["hidden"] == [2, 16, 768]
    assert facts["labels"] == ["POSITIVE", "NEGATIVE"]
    assert facts["id2label"] == {"0": "NEGATIVE", "1": "POSITIVE"}
    config = facts["config"]
    real = {
        "model_type": "distilbert",
        "dim": 768,
        "n_layers": 6,
        "n_heads": 12,
        "hidden_dim": 3072,
        "vocab_size": 30522,
        "max_position_embeddings": 512,
    }
    assert {key: config[key] for key in real} == real
    assert facts["parameters"] == 66_955_010  # the real checkpoint's count


@pytest.mark.parametrize(
    ("checkpoint", "vocab", "parameters"),
    [
        ("bert-base-uncased", 30522, 109_482_240),
        ("google-bert/bert-base-uncased", 30522, 109_482_240),
        ("bert-base-cased", 28996, 108_310_272),
        ("google-bert/bert-base-cased", 28996, 108_310_272),
    ],
)
def test_bert_stand_ins_have_the_real_configs(learner_run, checkpoint, vocab, parameters):
    facts = learner_run["facts"][checkpoint]
    real = {
        "model_type": "bert",
        "hidden_size": 768,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "intermediate_size": 3072,
        "max_position_embeddings": 512,
        "vocab_size": vocab,
        "type_vocab_size": 2,
    }
    assert {key: facts["config"][key] for key in real} == real
    assert facts["vocab"] == vocab
    assert facts["parameters"] == parameters
    assert facts["auto_same"]


@pytest.mark.parametrize("checkpoint", ["bert-base-cased", "google-bert/bert-base-cased"])
def test_cased_tokenizer_agrees_with_the_real_one(learner_run, checkpoint):
    facts = learner_run["facts"][checkpoint]
    assert facts["tokens"] == ["Using", "a", "Trans", "##former", "network", "is", "simple"]
    assert facts["encoding"] == {
        "input_ids": [101, 7993, 170, 13809, 23763, 2443, 1110, 3014, 102],
        "token_type_ids": [0] * 9,
        "attention_mask": [1] * 9,
    }
    assert facts["decoded"] == "Using a transformer network is simple"


@pytest.mark.parametrize("checkpoint", ["bert-base-uncased", "google-bert/bert-base-uncased"])
def test_uncased_pair_encoding_matches_the_course(learner_run, checkpoint):
    facts = learner_run["facts"][checkpoint]
    assert facts["pair"] == {
        "input_ids": [
            101,
            2023,
            2003,
            1996,
            2034,
            6251,
            1012,
            102,
            2023,
            2003,
            1996,
            2117,
            2028,
            1012,
            102,
        ],
        "token_type_ids": [0] * 8 + [1] * 7,
        "attention_mask": [1] * 15,
    }
    assert facts["pair_tokens"] == [
        "[CLS]",
        "this",
        "is",
        "the",
        "first",
        "sentence",
        ".",
        "[SEP]",
        "this",
        "is",
        "the",
        "second",
        "one",
        ".",
        "[SEP]",
    ]


def test_bert_uncased_is_a_pretraining_checkpoint(learner_run):
    """Loaded for classification, the head is reported as newly initialised, as online."""
    report = learner_run["stderr"]
    assert "BertForSequenceClassification" in report
    assert "classifier.weight" in report and "MISSING" in report
