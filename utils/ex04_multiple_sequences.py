"""Checks for the exercises of lesson 2.5, handling multiple sequences (tasks T3 and T4)."""

from functools import lru_cache

import torch

from utils.grading import Wrong, task
from utils.grading.answers import as_float_tensor, as_id_rows, as_list, close_numbers

CHECKPOINT = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
SEQUENCE = "I've been waiting for a HuggingFace course my whole life."
SENTENCES = ["I've been waiting for a HuggingFace course my whole life.", "I hate this so much!"]


@lru_cache(maxsize=1)
def tokenizer_and_model():
    """The tokenizer and model of lessons 2.2 and 2.5."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)
    return tokenizer, model.eval()


def logits_of(ids, attention_mask=None):
    """The model's logits for a batch of IDs (lists of lists)."""
    _, model = tokenizer_and_model()
    mask = None if attention_mask is None else torch.tensor(attention_mask)
    with torch.no_grad():
        return model(torch.tensor(ids), attention_mask=mask).logits


@task(
    "T3",
    "The same sequence twice in one batch",
    hints=[
        "A batch is a list of sequences; the model wants it as a tensor.",
        "torch.tensor(batched_ids) has shape [2, 14]; pass it to the model and take .logits.",
        "batched_logits = model(torch.tensor(batched_ids)).logits",
    ],
)
def t3(batched_ids, batched_logits):
    """T3: the same sequence twice in a batch gives the same logits twice."""
    tokenizer, _ = tokenizer_and_model()
    ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(SEQUENCE))
    given = as_list(batched_ids, "batched_ids")
    if given == ids:
        raise Wrong("`batched_ids` is a single sequence: a batch of two is a list of two lists.")
    if given == ids + ids:
        raise Wrong(
            "`batched_ids` is one list of twice the IDs (`ids + ids` joins them): a batch of "
            "two is a list of two lists, `[ids, ids]`."
        )
    rows = as_id_rows(batched_ids, "batched_ids")
    with_special = tokenizer(SEQUENCE)["input_ids"]
    if rows == [with_special, with_special]:
        raise Wrong(
            "`batched_ids` holds [CLS] and [SEP]: use the lesson's `ids`, from "
            "convert_tokens_to_ids(tokenize(sequence)), without special tokens."
        )
    if rows != [ids, ids]:
        raise Wrong("`batched_ids` should be `[ids, ids]`: the lesson's `ids`, twice.")
    got = as_float_tensor(batched_logits, "batched_logits")
    if got.dim() != 2 or got.shape[0] != 2:
        raise Wrong(
            f"`batched_logits` has shape {list(got.shape)}; a batch of two sequences gives "
            "two rows of logits, shape [2, 2]. Did you take `.logits` of the batched output?"
        )
    single = logits_of([ids])[0]
    expected = torch.stack([single, single])
    refuse_probabilities(expected, got, "batched_logits")
    close_numbers(expected, got, "batched_logits")
    return "both rows equal the logits of the sequence on its own."


def refuse_probabilities(logits, got, name):
    """Raise ``Wrong`` if ``got`` holds the softmax of ``logits`` rather than the logits."""
    probabilities = torch.softmax(logits, dim=-1)
    if got.shape == logits.shape and torch.allclose(got, probabilities, atol=1e-4):
        raise Wrong(
            f"`{name}` holds probabilities (softmax was applied): give the raw logits, "
            "the model output's `.logits`."
        )


def expected_batch():
    """The two 2.2 sentences with special tokens, padded, and their attention mask."""
    tokenizer, _ = tokenizer_and_model()
    rows = [tokenizer(sentence)["input_ids"] for sentence in SENTENCES]
    length = max(len(row) for row in rows)
    padded = [row + [tokenizer.pad_token_id] * (length - len(row)) for row in rows]
    mask = [[1] * len(row) + [0] * (length - len(row)) for row in rows]
    return rows, padded, mask


def check_padded_ids(padded_batch_ids, rows, padded):
    """Compare the learner's padded IDs with the expected ones, row by row."""
    tokenizer, _ = tokenizer_and_model()
    pad = tokenizer.pad_token_id
    got = as_id_rows(padded_batch_ids, "padded_batch_ids")
    if len(got) != 2:
        raise Wrong("`padded_batch_ids` should hold two rows, one per sentence.")
    if len(got[0]) != len(got[1]):
        raise Wrong(
            f"the rows of `padded_batch_ids` have {len(got[0])} and {len(got[1])} IDs: pad the "
            "shorter one so both are equally long."
        )
    if got == padded[::-1]:
        raise Wrong(
            "the rows of `padded_batch_ids` are in the other order: sentence 1 first, "
            "then sentence 2."
        )
    for number, (row, expected, unpadded) in enumerate(zip(got, padded, rows, strict=True)):
        if row == expected:
            continue
        filler = len(row) - len(unpadded)
        if filler > 0 and row[filler:] == unpadded and set(row[:filler]) == {pad}:
            raise Wrong(
                f"row {number} of `padded_batch_ids` has its padding in front: put the "
                f"{tokenizer.pad_token} IDs at the end, after {tokenizer.sep_token}."
            )
        if row[: len(unpadded)] == unpadded and len(row) > len(expected):
            raise Wrong(
                f"row {number} of `padded_batch_ids` has {len(row)} IDs: pad only up to the "
                f"longest sentence's length, {len(expected)}."
            )
        if row[: len(unpadded)] == unpadded and len(row) == len(expected):
            odd = next(value for value in row[len(unpadded) :] if value != pad)
            raise Wrong(
                f"row {number} of `padded_batch_ids` is padded with {odd!r}; "
                f"pad with `tokenizer.pad_token_id` ({pad})."
            )
        if row and row[0] != tokenizer.cls_token_id:
            raise Wrong(
                f"row {number} of `padded_batch_ids` does not start with {tokenizer.cls_token} "
                f"({tokenizer.cls_token_id}): add the special tokens, "
                "[tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id]."
            )
        raise Wrong(f"row {number} of `padded_batch_ids` is not sentence {number + 1}'s IDs.")
    return got


def check_mask(batch_attention_mask, mask):
    """Compare the learner's attention mask with the expected one, naming the first wrong cell."""
    got = as_list(batch_attention_mask, "batch_attention_mask")
    wanted = [len(mask), len(mask[0])]
    if not got or not all(isinstance(row, list) for row in got):
        raise Wrong(
            "`batch_attention_mask` should be a list of rows, one per sentence, each with one "
            f"value per ID in `padded_batch_ids` (shape {wanted})."
        )
    lengths = [len(row) for row in got]
    if len(got) != len(mask) or any(length != wanted[1] for length in lengths):
        rows = "1 row" if len(got) == 1 else f"{len(got)} rows"
        raise Wrong(
            f"`batch_attention_mask` has {rows} of {' and '.join(map(str, lengths))} values; "
            f"it needs one value per ID in `padded_batch_ids`, shape {wanted}."
        )
    if got == [[1 - value for value in row] for row in mask]:
        raise Wrong(
            "`batch_attention_mask` is the other way round: 1 marks a real token, "
            "0 a padding token."
        )
    for row, (got_row, row_mask) in enumerate(zip(got, mask, strict=True)):
        for position, (value, expected) in enumerate(zip(got_row, row_mask, strict=True)):
            if value != expected:
                what = "a padding token" if expected == 0 else "a real token"
                raise Wrong(
                    f"`batch_attention_mask` row {row}, position {position} is {value!r}, "
                    f"but that position holds {what}: it should be {expected}."
                )


@task(
    "T4",
    "Two sentences, padded, with an attention mask",
    hints=[
        "Tokenize and convert each sentence, put tokenizer.cls_token_id in front and "
        "tokenizer.sep_token_id at the end, and run each alone as a batch of one.",
        "Pad the shorter list with tokenizer.pad_token_id up to the longer one's length; the "
        "mask has a 1 for each real token and a 0 for each padding token.",
        "batch_logits = model(torch.tensor(padded_batch_ids), "
        "attention_mask=torch.tensor(batch_attention_mask)).logits",
    ],
)
def t4(padded_batch_ids, batch_attention_mask, alone_logits, batch_logits):
    """T4: the 2.2 sentences padded into a batch with a mask give the logits of each alone."""
    rows, padded, mask = expected_batch()
    check_padded_ids(padded_batch_ids, rows, padded)
    check_mask(batch_attention_mask, mask)
    alone = torch.cat([logits_of([row]) for row in rows])
    got_alone = as_float_tensor(alone_logits, "alone_logits")
    if got_alone.numel() == alone.numel():  # a list of two [1, 2] results is fine too
        got_alone = got_alone.reshape(alone.shape)
    refuse_probabilities(alone, got_alone, "alone_logits")
    close_numbers(alone, got_alone, "alone_logits")
    got = as_float_tensor(batch_logits, "batch_logits")
    refuse_probabilities(alone, got, "batch_logits")
    if got.shape == alone.shape and torch.allclose(got, logits_of(padded), atol=1e-4):
        if not torch.allclose(got, alone, atol=1e-4):
            raise Wrong(
                "`batch_logits` match a run *without* the attention mask: pass "
                "`attention_mask=` to the model too."
            )
    close_numbers(alone, got, "batch_logits")
    tokenizer, _ = tokenizer_and_model()
    lesson = tokenizer(SENTENCES, padding=True, truncation=True, return_tensors="pt")
    close_numbers(
        logits_of(lesson["input_ids"].tolist(), lesson["attention_mask"].tolist()),
        got,
        "batch_logits (compared with lesson 2.2)",
    )
    return "padded and masked, the batch gives each sentence's own logits, as in lesson 2.2."
