"""Stand-in checkpoints for the offline course.

Each stand-in has the real checkpoint's configuration and tokenizer layout, so
shapes, parameter counts and printed configs match the course. The weights are
random (seeded), except the SST-2 classifier head, which is fitted so that the
course's two example sentences come out POSITIVE and NEGATIVE.

The files are written the way the Hugging Face Hub cache stores them:
``hub/models--ORG--NAME/snapshots/<commit>/...`` plus ``refs/main``, so that
unchanged ``from_pretrained("ORG/NAME")`` calls find them with
``HF_HUB_OFFLINE=1``.
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import torch

from utils.standins.cased_vocab import build_cased_vocab, load_uncased_vocab

SST2_ID = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
BERT_UNCASED_ID = "google-bert/bert-base-uncased"
BERT_CASED_ID = "google-bert/bert-base-cased"
# Chapter 3's checkpoint for a CPU: BERT-Mini, 4 layers of width 256 (Turc et al., 2019).
BERT_MINI_ID = "google/bert_uncased_L-4_H-256_A-4"
BERT_MINI_SIZE = {
    "hidden_size": 256,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "intermediate_size": 1024,
}

# Legacy ids the course's older text uses, mapped to today's namespaced ids.
LEGACY_IDS = {
    "distilbert-base-uncased-finetuned-sst-2-english": SST2_ID,
    "bert-base-uncased": BERT_UNCASED_ID,
    "bert-base-cased": BERT_CASED_ID,
}

# The course's two sentences and the label the SST-2 stand-in must give each.
SST2_EXAMPLES = {
    "I've been waiting for a HuggingFace course my whole life.": 1,
    "I hate this so much!": 0,
}


def repo_folder(hub_dir, repo_id):
    """Return the cache folder the Hub client uses for a model id."""
    return Path(hub_dir) / ("models--" + repo_id.replace("/", "--"))


def commit_hash(repo_id, recipe):
    """A made-up but stable 40-hex commit name for one stand-in snapshot."""
    return hashlib.sha1(f"{recipe}:{repo_id}".encode()).hexdigest()


def sst2_default_revision():
    """The revision that ``pipeline("sentiment-analysis")`` asks for by default."""
    from transformers.pipelines import SUPPORTED_TASKS

    model_id, revision = SUPPORTED_TASKS["text-classification"]["default"]["model"]
    if model_id != SST2_ID:
        raise RuntimeError(f"The sentiment pipeline now defaults to {model_id}, not {SST2_ID}.")
    return revision


def make_tokenizer(kind):
    """Build the tokenizer of a stand-in: 'sst2', 'uncased' or 'cased'."""
    from transformers import BertTokenizer, DistilBertTokenizer

    uncased = load_uncased_vocab()
    if kind == "cased":
        vocab = build_cased_vocab(uncased)
        tokenizer_class, lower = BertTokenizer, False
    else:
        vocab = uncased
        tokenizer_class = DistilBertTokenizer if kind == "sst2" else BertTokenizer
        lower = True
    vocab_dict = {token: index for index, token in enumerate(vocab)}
    return tokenizer_class(vocab=vocab_dict, do_lower_case=lower, model_max_length=512)


def make_bert(vocab_size, seed, **size):
    """A random BERT pretraining model (MLM + NSP heads): BERT-base unless ``size`` says."""
    from transformers import BertConfig, BertForPreTraining

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=vocab_size, architectures=["BertForMaskedLM"], **size)
    return BertForPreTraining(config).eval()


def make_sst2_model(tokenizer, seed):
    """A random DistilBERT classifier whose head is fitted to the course's two sentences."""
    from transformers import DistilBertConfig, DistilBertForSequenceClassification

    torch.manual_seed(seed)
    config = DistilBertConfig(
        architectures=["DistilBertForSequenceClassification"],
        finetuning_task="sst-2",
        id2label={0: "NEGATIVE", 1: "POSITIVE"},
        label2id={"NEGATIVE": 0, "POSITIVE": 1},
    )
    model = DistilBertForSequenceClassification(config).eval()
    fit_classifier_head(model, tokenizer)
    return model


def fit_classifier_head(model, tokenizer, margin=3.0):
    """Set the last linear layer so each example sentence gets its label by ``margin`` logits.

    The features feeding the last layer are computed by the random body; a
    least-squares solve then finds the smallest weights that give each sentence
    the logits ``+margin/2`` for its label and ``-margin/2`` for the other.
    """
    sentences = list(SST2_EXAMPLES)
    labels = torch.tensor(list(SST2_EXAMPLES.values()))
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model.distilbert(**batch).last_hidden_state[:, 0]
        features = torch.relu(model.pre_classifier(hidden))
        targets = torch.full((len(sentences), 2), -margin / 2)
        targets[torch.arange(len(sentences)), labels] = margin / 2
        # Append a column of ones so the bias is solved together with the weights.
        design = torch.cat([features, torch.ones(len(sentences), 1)], dim=1).double()
        solution = torch.linalg.lstsq(design, targets.double(), driver="gelsd").solution
        model.classifier.weight.copy_(solution[:-1].T.float())
        model.classifier.bias.copy_(solution[-1].float())


def write_snapshot(hub_dir, repo_id, recipe, model, tokenizer, extra_refs=()):
    """Save a model and its tokenizer as one Hub-cache snapshot of ``repo_id``."""
    folder = repo_folder(hub_dir, repo_id)
    commit = commit_hash(repo_id, recipe)
    snapshot = folder / "snapshots" / commit
    model.save_pretrained(snapshot, safe_serialization=True)
    tokenizer.save_pretrained(snapshot)
    refs = folder / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    for ref in ("main", *extra_refs):
        (refs / ref).write_text(commit)
    return snapshot


def link_folder(folder, link):
    """Make ``link`` show ``folder``'s files: a symbolic link where the system allows one.

    Windows refuses symbolic links without Developer Mode or admin rights: there the files
    are hard-linked (no extra space), and copied where hard links are refused too.
    """
    try:
        os.symlink(folder.name, link, target_is_directory=True)
        return
    except OSError:
        pass
    try:
        shutil.copytree(folder, link, copy_function=os.link)
    except OSError:
        shutil.rmtree(link, ignore_errors=True)
        shutil.copytree(folder, link)


def link_legacy_ids(hub_dir):
    """Make each legacy id (``bert-base-cased``) show its namespaced folder."""
    for legacy, current in LEGACY_IDS.items():
        link = repo_folder(hub_dir, legacy)
        if link.is_symlink() or link.exists():
            continue
        link_folder(repo_folder(hub_dir, current), link)


def build_models(hub_dir, recipe, progress=None):
    """Write the four stand-in checkpoints and the legacy aliases into ``hub_dir``."""
    say = progress or (lambda message: None)

    say("SST-2 sentiment model (DistilBERT)")
    tokenizer = make_tokenizer("sst2")
    model = make_sst2_model(tokenizer, seed=0)
    write_snapshot(hub_dir, SST2_ID, recipe, model, tokenizer, [sst2_default_revision()])

    say("bert-base-uncased")
    tokenizer = make_tokenizer("uncased")
    write_snapshot(hub_dir, BERT_UNCASED_ID, recipe, make_bert(len(tokenizer), 1), tokenizer)

    say("bert-base-cased")
    tokenizer = make_tokenizer("cased")
    write_snapshot(hub_dir, BERT_CASED_ID, recipe, make_bert(len(tokenizer), 2), tokenizer)

    say("BERT-Mini (chapter 3 on a CPU)")
    tokenizer = make_tokenizer("uncased")
    model = make_bert(len(tokenizer), 3, **BERT_MINI_SIZE)
    write_snapshot(hub_dir, BERT_MINI_ID, recipe, model, tokenizer)

    link_legacy_ids(hub_dir)
    manifest = {"models": sorted([*LEGACY_IDS, *LEGACY_IDS.values(), BERT_MINI_ID])}
    (Path(hub_dir) / "standin-models.json").write_text(json.dumps(manifest, indent=1))
