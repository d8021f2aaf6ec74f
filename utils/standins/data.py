"""Offline stand-ins for the GLUE data sets, served to unchanged ``load_dataset`` calls.

Every configuration of GLUE (cola, sst2, mrpc, qqp, stsb, mnli, qnli, rte, wnli, ax)
is written with the real column names, dtypes, label names and split names, and
synthetic text from ``utils.standins.synthetic_text``. MRPC and SST-2 keep the real row
counts; the others are smaller.

How it gets served (measured with datasets 5.2, see the course brief): the data
is written as parquet files into a local folder named ``glue`` with a README
whose YAML lists the configurations. Loading each configuration once from that
folder fills ``$HF_HOME/datasets/glue/<config>/...``; from then on, an unchanged
``load_dataset("glue", "mrpc")`` finds it offline. A copy of that cache folder
named ``nyu-mll___glue`` serves ``load_dataset("nyu-mll/glue", "mrpc")``.
"""

import random
import shutil
from pathlib import Path

from utils.standins import synthetic_text as text

PAIR_NAMES = {
    "mrpc": ("sentence1", "sentence2"),
    "stsb": ("sentence1", "sentence2"),
    "rte": ("sentence1", "sentence2"),
    "wnli": ("sentence1", "sentence2"),
    "qqp": ("question1", "question2"),
    "qnli": ("question", "sentence"),
    "mnli": ("premise", "hypothesis"),
    "ax": ("premise", "hypothesis"),
    "cola": ("sentence",),
    "sst2": ("sentence",),
}
LABEL_NAMES = {
    "cola": ["unacceptable", "acceptable"],
    "sst2": ["negative", "positive"],
    "mrpc": ["not_equivalent", "equivalent"],
    "qqp": ["not_duplicate", "duplicate"],
    "stsb": None,  # a similarity score from 0 to 5, stored as float32
    "mnli": ["entailment", "neutral", "contradiction"],
    "qnli": ["entailment", "not_entailment"],
    "rte": ["entailment", "not_entailment"],
    "wnli": ["not_entailment", "entailment"],
    "ax": ["entailment", "neutral", "contradiction"],
}
# Rows per split. MRPC and SST-2 as on the Hub; the others smaller than the real ones.
SPLIT_SIZES = {
    "cola": {"train": 8551, "validation": 1043, "test": 1063},
    "sst2": {"train": 67349, "validation": 872, "test": 1821},
    "mrpc": {"train": 3668, "validation": 408, "test": 1725},
    "qqp": {"train": 2000, "validation": 400, "test": 400},
    "stsb": {"train": 5749, "validation": 1500, "test": 1379},
    "mnli": {
        "train": 2000,
        "validation_matched": 400,
        "validation_mismatched": 400,
        "test_matched": 400,
        "test_mismatched": 400,
    },
    "qnli": {"train": 2000, "validation": 400, "test": 400},
    "rte": {"train": 2490, "validation": 277, "test": 3000},
    "wnli": {"train": 635, "validation": 71, "test": 146},
    "ax": {"test": 1104},
}
# Share of label 1 in the labelled splits.
SHARE_OF_ONES = {"sst2": 0.558, "cola": 0.70, "qqp": 0.37}
# MRPC's real label counts: 2474 of 3668 training pairs and 279 of 408 validation pairs are
# paraphrases, so always answering "equivalent" scores 68.4 % on validation, as in the course.
MRPC_ONES = {"train": 2474, "validation": 279}

# What the course prints from MRPC's training split, kept so that the printed
# shapes hold offline: the labels and tokenized pair lengths of the first 8 rows,
# and the labels of the rows the exercises ask about.
MRPC_FIRST_LABELS = [1, 0, 1, 0, 1, 1, 0, 1]
MRPC_FIRST_LENGTHS = [50, 59, 47, 67, 59, 50, 62, 32]
MRPC_PINNED_LABELS = {"train": {15: 0}, "validation": {87: 1}}
PAIR_TOKENIZER = "bert-base-uncased"


def labels_for(config, split, size, rng):
    """The label column of one split: -1 for test splits, else shuffled with a realistic mix."""
    if split.startswith("test"):
        return [-1.0] * size if config == "stsb" else [-1] * size
    if config == "stsb":
        return [round(rng.uniform(0, 5), 3) for _ in range(size)]
    classes = len(LABEL_NAMES[config])
    share = SHARE_OF_ONES.get(config)
    if config == "mrpc":
        ones = MRPC_ONES[split]
        labels = [1] * ones + [0] * (size - ones)
    elif share is None:
        labels = [index % classes for index in range(size)]
    else:
        ones = round(size * share)
        labels = [1] * ones + [0] * (size - ones)
    rng.shuffle(labels)
    return labels


def pin(labels, wanted):
    """Set ``labels[i] = wanted[i]``, swapping with another row so the label counts stay."""
    fixed = set(wanted)
    for index, label in wanted.items():
        if labels[index] != label:
            swap = next(j for j in range(len(labels)) if j not in fixed and labels[j] == label)
            labels[swap], labels[index] = labels[index], label


def row_text(config, label, rng):
    """The text columns of one row, matching its label where the label is known."""
    if config == "sst2":
        return (text.review(rng, positive=label != 0 if label != -1 else rng.random() < 0.5),)
    if config == "cola":
        sentence = text.sentence_pair(rng, True)[0]
        return (sentence if label != 0 else text.scrambled(sentence, rng),)
    if config == "qqp":
        first = text.question(rng)
        return first, (text.reworded(first) if label == 1 else text.question(rng))
    if config == "qnli":
        return text.question(rng), text.sentence_pair(rng, True)[0]
    if config == "stsb":
        return text.sentence_pair(rng, equivalent=label >= 2.5)
    if config in ("mnli", "ax") and label == 1:  # neutral: two events about different things
        return text.sentence_pair(rng, True)[0], text.sentence_pair(rng, True)[1]
    entailed = {"mnli": 0, "ax": 0, "rte": 0, "wnli": 1}.get(config, 1)
    return text.sentence_pair(
        rng, equivalent=label == entailed or label == -1 and rng.random() < 0.6
    )


def token_count(tokenizer, pair):
    """The length of ``pair`` once tokenized the way chapter 3 does it."""
    return len(tokenizer(*pair, truncation=True)["input_ids"])


def pair_of_length(tokenizer, length, label, rng, tries=20000):
    """An MRPC pair with ``label`` that tokenizes to exactly ``length`` tokens."""
    for _ in range(tries):
        pair = row_text("mrpc", label, rng)
        if token_count(tokenizer, pair) == length:
            return pair
    raise RuntimeError(f"no synthetic MRPC pair of {length} tokens in {tries} tries")


def split_rows(config, split, size, seed, tokenizer):
    """All rows of one split as a dict of columns."""
    rng = random.Random(f"{seed}-{config}-{split}")
    labels = labels_for(config, split, size, rng)
    if config == "mrpc":
        wanted = dict(MRPC_PINNED_LABELS.get(split, {}))
        if split == "train":
            wanted.update(enumerate(MRPC_FIRST_LABELS))
        pin(labels, wanted)
    rows = []
    for index, label in enumerate(labels):
        pair = row_text(config, label, rng)
        if config == "mrpc" and split == "train" and index < len(MRPC_FIRST_LENGTHS):
            pair = pair_of_length(tokenizer, MRPC_FIRST_LENGTHS[index], label, rng)
        rows.append(pair)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(PAIR_NAMES[config])}
    columns["label"] = labels
    columns["idx"] = list(range(size))
    return columns


def features_for(config):
    """The ``datasets.Features`` of a configuration, as on the Hub."""
    from datasets import ClassLabel, Features, Value

    columns = {name: Value("string") for name in PAIR_NAMES[config]}
    names = LABEL_NAMES[config]
    columns["label"] = Value("float32") if names is None else ClassLabel(names=names)
    columns["idx"] = Value("int32")
    return Features(columns)


def readme(configs):
    """The dataset card: YAML that tells ``datasets`` which parquet file is which split."""
    lines = ["---", "configs:"]
    for config in configs:
        lines += [f"- config_name: {config}", "  data_files:"]
        for split in SPLIT_SIZES[config]:
            lines += [f"  - split: {split}", f"    path: {config}/{split}-00000-of-00001.parquet"]
    lines += [
        "---",
        "",
        "# GLUE (offline stand-in)",
        "",
        "Synthetic text; see utils/standins/data.py.",
    ]
    return "\n".join(lines) + "\n"


def write_glue_folder(folder, tokenizer, seed=0, progress=None):
    """Write every configuration as parquet files plus README into ``folder``."""
    from datasets import Dataset

    folder.mkdir(parents=True, exist_ok=True)
    for config, sizes in SPLIT_SIZES.items():
        for split, size in sizes.items():
            columns = split_rows(config, split, size, seed, tokenizer)
            data = Dataset.from_dict(columns, features=features_for(config))
            (folder / config).mkdir(exist_ok=True)
            data.to_parquet(str(folder / config / f"{split}-00000-of-00001.parquet"))
    (folder / "README.md").write_text(readme(SPLIT_SIZES))


def build_glue(hf_home, work_dir, progress):
    """Build the GLUE stand-in into ``hf_home``'s datasets cache, one progress step per config.

    ``HF_HOME`` must already point at ``hf_home`` (``standin_hub.activate()``),
    and the stand-in tokenizers must exist: MRPC's first rows are sized with
    the bert-base-uncased tokenizer.
    """
    import datasets
    from transformers import AutoTokenizer

    cache = Path(datasets.config.HF_DATASETS_CACHE)
    if cache.resolve() != (Path(hf_home) / "datasets").resolve():
        raise RuntimeError(f"datasets caches in {cache}: set HF_HOME before importing datasets.")
    datasets.disable_progress_bars()  # the stand-in build shows its own bar
    tokenizer = AutoTokenizer.from_pretrained(PAIR_TOKENIZER)
    source = Path(work_dir) / "glue"
    shutil.rmtree(source, ignore_errors=True)
    write_glue_folder(source, tokenizer)
    for config in SPLIT_SIZES:
        datasets.load_dataset(str(source), config)
        progress(f"glue/{config}")
    shutil.copytree(cache / "glue", cache / "nyu-mll___glue", symlinks=True)
    shutil.rmtree(source)
