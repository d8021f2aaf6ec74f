"""The course's own code, 2.2 to 3.2, typed as a learner would, with the legacy ids.

The lessons use today's ids (``distilbert/…``, ``google-bert/…``, ``nyu-mll/glue``);
older text and many learners still type the short ones. This script is the
outline's code with those short ids, run offline in a fresh interpreter against
the stand-ins, with HOME moved to an empty folder. It must run unchanged.
"""

import textwrap

import pytest

# Runs a whole chapter's code in a fresh interpreter.
pytestmark = pytest.mark.integration

OUTLINE_CODE = textwrap.dedent(
    """
    import json
    facts = {}

    # 2.2 Behind the pipeline
    from transformers import pipeline
    classifier = pipeline("sentiment-analysis")
    facts["pipeline"] = [r["label"] for r in classifier([
        "I've been waiting for a HuggingFace course my whole life.",
        "I hate this so much!",
    ])]
    from transformers import AutoTokenizer
    checkpoint = "distilbert-base-uncased-finetuned-sst-2-english"
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    raw_inputs = [
        "I've been waiting for a HuggingFace course my whole life.",
        "I hate this so much!",
    ]
    inputs = tokenizer(raw_inputs, padding=True, truncation=True, return_tensors="pt")
    from transformers import AutoModel
    model = AutoModel.from_pretrained(checkpoint)
    outputs = model(**inputs)
    facts["hidden"] = list(outputs.last_hidden_state.shape)
    from transformers import AutoModelForSequenceClassification
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    outputs = model(**inputs)
    import torch
    predictions = torch.nn.functional.softmax(outputs.logits, dim=-1)
    facts["labels"] = [model.config.id2label[i] for i in predictions.argmax(-1).tolist()]

    # 2.3 Models
    from transformers import BertConfig, BertModel
    config = BertConfig()
    model = BertModel(config)
    model = BertModel.from_pretrained("bert-base-cased")
    model.save_pretrained("directory_on_my_computer")
    import os
    facts["saved"] = sorted(os.listdir("directory_on_my_computer"))
    encoded_sequences = [[101, 7592, 999, 102], [101, 4658, 1012, 102], [101, 3835, 999, 102]]
    model_inputs = torch.tensor(encoded_sequences)
    facts["inference"] = list(model(model_inputs).last_hidden_state.shape)

    # 2.4 Tokenizers
    from transformers import BertTokenizer
    tokenizer = BertTokenizer.from_pretrained("bert-base-cased")
    tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
    facts["encoding"] = tokenizer("Using a Transformer network is simple")["input_ids"]
    tokenizer.save_pretrained("directory_on_my_computer")
    tokens = tokenizer.tokenize("Using a Transformer network is simple")
    ids = tokenizer.convert_tokens_to_ids(tokens)
    facts["decoded"] = tokenizer.decode(ids)

    # 2.5 Handling multiple sequences
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    sequence = "I've been waiting for a HuggingFace course my whole life."
    tokens = tokenizer.tokenize(sequence)
    ids = tokenizer.convert_tokens_to_ids(tokens)
    try:
        model(torch.tensor(ids))
        facts["unbatched"] = "no error"
    except Exception as error:  # the course shows an IndexError; transformers 5 differs
        facts["unbatched"] = type(error).__name__
    input_ids = torch.tensor([ids])
    facts["one"] = list(model(input_ids).logits.shape)
    batched_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token_id]]
    attention_mask = [[1, 1, 1], [1, 1, 0]]
    with_mask = model(torch.tensor(batched_ids), attention_mask=torch.tensor(attention_mask))
    alone = model(torch.tensor([[200, 200]])).logits
    facts["mask_fixes"] = torch.allclose(with_mask.logits[1], alone[0], atol=1e-5)

    # 2.6 Putting it all together
    model_inputs = tokenizer(sequence)
    ids = model_inputs["input_ids"]
    facts["special"] = tokenizer.decode(ids, clean_up_tokenization_spaces=True)
    facts["special_v5"] = tokenizer.decode(model_inputs["input_ids"])
    sequences = ["I've been waiting for a HuggingFace course my whole life.", "So have I!"]
    model_inputs = tokenizer(sequences, padding="max_length", max_length=8, truncation=True,
                             return_tensors="np")
    facts["max_length"] = list(model_inputs["input_ids"].shape)

    # 3.2 Processing the data (legacy ids, torch's AdamW)
    from torch.optim import AdamW
    checkpoint = "bert-base-uncased"
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    sequences = ["I've been waiting for a HuggingFace course my whole life.",
                 "This course is amazing!"]
    batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")
    batch["labels"] = torch.tensor([1, 1])
    optimizer = AdamW(model.parameters())
    loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    facts["loss_finite"] = bool(torch.isfinite(loss))
    from datasets import load_dataset
    raw_datasets = load_dataset("glue", "mrpc")
    facts["splits"] = {name: split.num_rows for name, split in raw_datasets.items()}
    tokenized_sentences_1 = tokenizer(list(raw_datasets["train"]["sentence1"]))
    facts["sentences_1"] = len(tokenized_sentences_1["input_ids"])
    def tokenize_function(example):
        return tokenizer(example["sentence1"], example["sentence2"], truncation=True)
    tokenized_datasets = raw_datasets.map(tokenize_function, batched=True)
    from transformers import DataCollatorWithPadding
    data_collator = DataCollatorWithPadding(tokenizer=tokenizer)
    samples = tokenized_datasets["train"][:8]
    samples = {k: v for k, v in samples.items() if k not in ["idx", "sentence1", "sentence2"]}
    batch = data_collator(samples)
    facts["batch"] = {k: list(v.shape) for k, v in batch.items()}
    import evaluate
    metric = evaluate.load("glue", "mrpc")
    facts["metric"] = metric.compute(predictions=[1, 0, 1, 1], references=[1, 0, 0, 1])
    print("FACTS" + json.dumps(facts))
    """
)


@pytest.fixture(scope="module")
def facts(run_as_learner):
    """Run the outline's code offline, in an empty folder, and return what it found."""
    return run_as_learner(OUTLINE_CODE)["facts"]


def test_chapter_2_runs_offline_with_the_legacy_ids(facts):
    assert facts["pipeline"] == facts["labels"] == ["POSITIVE", "NEGATIVE"]
    assert facts["hidden"] == [2, 16, 768]
    assert facts["saved"] == ["config.json", "model.safetensors"]
    assert facts["inference"] == [3, 4, 768]
    assert facts["encoding"] == [101, 7993, 170, 13809, 23763, 2443, 1110, 3014, 102]
    assert facts["decoded"] == "Using a Transformer network is simple"
    assert facts["unbatched"] in {"IndexError", "RuntimeError"}
    assert facts["one"] == [1, 2]
    assert facts["mask_fixes"] is True
    assert (
        facts["special"] == "[CLS] i've been waiting for a huggingface course my whole life. [SEP]"
    )
    # transformers 5 no longer cleans up spaces around punctuation unless asked to
    assert facts["special_v5"].startswith("[CLS] i ' ve been")
    assert facts["max_length"] == [2, 8]


def test_chapter_3_runs_offline_with_the_legacy_ids(facts):
    assert facts["loss_finite"] is True
    assert facts["splits"] == {"train": 3668, "validation": 408, "test": 1725}
    assert facts["sentences_1"] == 3668
    assert facts["batch"] == {
        "input_ids": [8, 67],
        "token_type_ids": [8, 67],
        "attention_mask": [8, 67],
        "labels": [8],
    }
    assert facts["metric"] == pytest.approx({"accuracy": 0.75, "f1": 0.8})
