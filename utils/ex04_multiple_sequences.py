"""Checks for the exercises of lesson 2.5, handling multiple sequences (tasks T3 and T4)."""

from functools import lru_cache

import torch

from utils.grading import Wrong, task
from utils.grading.answers import as_float_tensor, as_id_rows, as_list, close_numbers, quote
from utils.language import N_, _

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
    _tokenizer, model = tokenizer_and_model()
    mask = None if attention_mask is None else torch.tensor(attention_mask)
    with torch.no_grad():
        return model(torch.tensor(ids), attention_mask=mask).logits


@task(
    "T3",
    "The same sequence twice in one batch",
    hints=[
        N_("A batch is a list of sequences; the model wants it as a tensor."),
        N_(
            "`torch.tensor(batched_ids)` has shape [2, 14]; pass it to the model and take "
            "`.logits`."
        ),
        "batched_logits = model(torch.tensor(batched_ids)).logits",
    ],
)
def t3(batched_ids, batched_logits):
    """T3: the same sequence twice in a batch gives the same logits twice."""
    tokenizer, _model = tokenizer_and_model()
    ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(SEQUENCE))
    given = as_list(batched_ids, "batched_ids")
    if given == ids:
        raise Wrong(_("`batched_ids` is a single sequence: a batch of two is a list of two lists."))
    if given == ids + ids:
        raise Wrong(
            _(
                "`batched_ids` is one list of twice the IDs (`ids + ids` joins them): a batch "
                "of two is a list of two lists, `[ids, ids]`."
            )
        )
    rows = as_id_rows(batched_ids, "batched_ids")
    with_special = tokenizer(SEQUENCE)["input_ids"]
    if rows == [with_special, with_special]:
        raise Wrong(
            _(
                "`batched_ids` holds [CLS] and [SEP]: use the lesson's `ids`, from "
                "`convert_tokens_to_ids(tokenize(sequence))`, without special tokens."
            )
        )
    if rows != [ids, ids]:
        raise Wrong(_("`batched_ids` should be `[ids, ids]`: the lesson's `ids`, twice."))
    got = as_float_tensor(batched_logits, "batched_logits")
    if got.dim() != 2 or got.shape[0] != 2:
        raise Wrong(
            _(
                "`batched_logits` has shape {shape}; a batch of two sequences gives two rows "
                "of logits, shape [2, 2]. Did you take `.logits` of the batched output?",
                shape=list(got.shape),
            )
        )
    single = logits_of([ids])[0]
    expected = torch.stack([single, single])
    refuse_probabilities(expected, got, "batched_logits")
    close_numbers(expected, got, "batched_logits")
    return _("both rows equal the logits of the sequence on its own.")


def refuse_probabilities(logits, got, name):
    """Raise ``Wrong`` if ``got`` holds the softmax of ``logits`` rather than the logits."""
    probabilities = torch.softmax(logits, dim=-1)
    if got.shape == logits.shape and torch.allclose(got, probabilities, atol=1e-4):
        raise Wrong(
            _(
                "`{name}` holds probabilities (softmax was applied): give the raw logits, "
                "the model output's `.logits`.",
                name=name,
            )
        )


def expected_batch():
    """The two 2.2 sentences with special tokens, padded, and their attention mask."""
    tokenizer, _model = tokenizer_and_model()
    rows = [tokenizer(sentence)["input_ids"] for sentence in SENTENCES]
    length = max(len(row) for row in rows)
    padded = [row + [tokenizer.pad_token_id] * (length - len(row)) for row in rows]
    mask = [[1] * len(row) + [0] * (length - len(row)) for row in rows]
    return rows, padded, mask


def check_padded_ids(padded_batch_ids, rows, padded):
    """Compare the learner's padded IDs with the expected ones, row by row."""
    tokenizer, _model = tokenizer_and_model()
    pad = tokenizer.pad_token_id
    got = as_id_rows(padded_batch_ids, "padded_batch_ids")
    if len(got) != 2:
        raise Wrong(_("`padded_batch_ids` should hold two rows, one per sentence."))
    if len(got[0]) != len(got[1]):
        raise Wrong(
            _(
                "the rows of `padded_batch_ids` have {first} and {second} IDs: pad the shorter "
                "one so both are equally long.",
                first=len(got[0]),
                second=len(got[1]),
            )
        )
    if got == padded[::-1]:
        raise Wrong(
            _(
                "the rows of `padded_batch_ids` are in the other order: sentence 1 first, "
                "then sentence 2."
            )
        )
    for number, (row, expected, unpadded) in enumerate(zip(got, padded, rows, strict=True)):
        if row == expected:
            continue
        filler = len(row) - len(unpadded)
        if filler > 0 and row[filler:] == unpadded and set(row[:filler]) == {pad}:
            raise Wrong(
                _(
                    "row {row} of `padded_batch_ids` has its padding in front: put the {pad} "
                    "IDs at the end, after {sep}.",
                    row=number,
                    pad=tokenizer.pad_token,
                    sep=tokenizer.sep_token,
                )
            )
        if row[: len(unpadded)] == unpadded and len(row) > len(expected):
            raise Wrong(
                _(
                    "row {row} of `padded_batch_ids` has {count} IDs: pad only up to the "
                    "longest sentence's length, {length}.",
                    row=number,
                    count=len(row),
                    length=len(expected),
                )
            )
        if row[: len(unpadded)] == unpadded and len(row) == len(expected):
            odd = next(value for value in row[len(unpadded) :] if value != pad)
            raise Wrong(
                _(
                    "row {row} of `padded_batch_ids` is padded with {value}; pad with "
                    "`tokenizer.pad_token_id` ({pad}).",
                    row=number,
                    value=quote(odd),
                    pad=pad,
                )
            )
        if row and row[0] != tokenizer.cls_token_id:
            raise Wrong(
                _(
                    "row {row} of `padded_batch_ids` does not start with {cls} ({cls_id}): add "
                    "the special tokens, `[tokenizer.cls_token_id] + ids + "
                    "[tokenizer.sep_token_id]`.",
                    row=number,
                    cls=tokenizer.cls_token,
                    cls_id=tokenizer.cls_token_id,
                )
            )
        raise Wrong(
            _(
                "row {row} of `padded_batch_ids` is not sentence {sentence}'s IDs.",
                row=number,
                sentence=number + 1,
            )
        )
    return got


def check_mask(batch_attention_mask, mask):
    """Compare the learner's attention mask with the expected one, naming the first wrong cell."""
    got = as_list(batch_attention_mask, "batch_attention_mask")
    wanted = [len(mask), len(mask[0])]
    if not got or not all(isinstance(row, list) for row in got):
        raise Wrong(
            _(
                "`batch_attention_mask` should be a list of rows, one per sentence, each with "
                "one value per ID in `padded_batch_ids` (shape {shape}).",
                shape=wanted,
            )
        )
    lengths = [len(row) for row in got]
    if len(got) != len(mask) or any(length != wanted[1] for length in lengths):
        raise Wrong(mask_shape_message(lengths, wanted))
    if got == [[1 - value for value in row] for row in mask]:
        raise Wrong(
            _(
                "`batch_attention_mask` is the other way round: 1 marks a real token, "
                "0 a padding token."
            )
        )
    for row, (got_row, row_mask) in enumerate(zip(got, mask, strict=True)):
        for position, (value, expected) in enumerate(zip(got_row, row_mask, strict=True)):
            if value != expected:
                raise Wrong(mask_value_message(row, position, value, expected))


def mask_shape_message(lengths, wanted):
    """What to say when the mask's rows (of ``lengths`` values) do not have the shape ``wanted``."""
    if len(lengths) == 1:
        return _(
            "`batch_attention_mask` has 1 row of {length} values; it needs one value per ID in "
            "`padded_batch_ids`, shape {shape}.",
            length=lengths[0],
            shape=wanted,
        )
    if len(lengths) == 2:
        return _(
            "`batch_attention_mask` has 2 rows of {first} and {second} values; it needs one "
            "value per ID in `padded_batch_ids`, shape {shape}.",
            first=lengths[0],
            second=lengths[1],
            shape=wanted,
        )
    return _(
        "`batch_attention_mask` has {rows} rows, of lengths {lengths}; it needs one value per ID "
        "in `padded_batch_ids`, shape {shape}.",
        rows=len(lengths),
        lengths=quote(lengths),
        shape=wanted,
    )


def mask_value_message(row, position, value, expected):
    """What to say when the mask holds ``value`` where ``expected`` (1 or 0) belongs."""
    if expected == 0:
        return _(
            "`batch_attention_mask` row {row}, position {position} is {value}, but that "
            "position holds a padding token: it should be 0.",
            row=row,
            position=position,
            value=quote(value),
        )
    return _(
        "`batch_attention_mask` row {row}, position {position} is {value}, but that position "
        "holds a real token: it should be 1.",
        row=row,
        position=position,
        value=quote(value),
    )


@task(
    "T4",
    "Two sentences, padded, with an attention mask",
    hints=[
        N_(
            "Tokenize and convert each sentence, put `tokenizer.cls_token_id` in front and "
            "`tokenizer.sep_token_id` at the end, and run each alone as a batch of one."
        ),
        N_(
            "Pad the shorter list with `tokenizer.pad_token_id` up to the longer one's length; "
            "the mask has a 1 for each real token and a 0 for each padding token."
        ),
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
                _(
                    "`batch_logits` match a run *without* the attention mask: pass "
                    "`attention_mask=` to the model too."
                )
            )
    close_numbers(alone, got, "batch_logits")
    tokenizer, _model = tokenizer_and_model()
    lesson = tokenizer(SENTENCES, padding=True, truncation=True, return_tensors="pt")
    lesson_logits = logits_of(lesson["input_ids"].tolist(), lesson["attention_mask"].tolist())
    close_numbers(lesson_logits, got, "batch_logits")
    return _("padded and masked, the batch gives each sentence's own logits, as in lesson 2.2.")
