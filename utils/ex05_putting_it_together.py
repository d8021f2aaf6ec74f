"""Checks for the exercises of lesson 2.6, putting it all together (tasks P1 and P2)."""

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import (
    as_encoding,
    as_id_rows,
    as_int_list,
    as_shape,
    as_strings,
    quote,
    same_items,
)
from utils.language import N_, _

CHECKPOINT = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
SEQUENCES = ["I've been waiting for a HuggingFace course my whole life.", "So have I!"]
LONG_TEXT = (
    "Transformers models read text as tokens, and every model has a limit on how many tokens "
    "it can take at once, so long texts must be cut."
)


@lru_cache(maxsize=1)
def lesson_tokenizer():
    """The tokenizer of lesson 2.6."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(CHECKPOINT)


@task(
    "P1",
    "Pad to a length you choose",
    hints=[
        N_("One tokenizer call, with three arguments besides the sentences."),
        N_("`padding='max_length'` pads to `max_length`; `return_tensors='pt'` gives tensors."),
        "padded_to_24 = tokenizer(sequences, padding='max_length', max_length=24, "
        "return_tensors='pt')",
    ],
)
def p1(padded_to_24, shape_24):
    """P1: the two sentences padded to exactly 24 tokens, as PyTorch tensors."""
    tokenizer = lesson_tokenizer()
    expected = tokenizer(SEQUENCES, padding="max_length", max_length=24)
    if isinstance(padded_to_24, torch.Tensor | np.ndarray):
        raise Wrong(
            _(
                "`padded_to_24` is {value}, one tensor: keep the tokenizer's whole output, "
                "with both `'input_ids'` and `'attention_mask'`.",
                value=describe(padded_to_24),
            )
        )
    if not isinstance(padded_to_24, Mapping):
        raise Wrong(
            _(
                "`padded_to_24` should be what the tokenizer returns (with `'input_ids'` and "
                "`'attention_mask'`), but it is {value}.",
                value=describe(padded_to_24),
            )
        )
    ids = padded_to_24.get("input_ids")
    if isinstance(ids, np.ndarray):
        raise Wrong(
            _("`padded_to_24` holds NumPy arrays: ask for PyTorch ones, `return_tensors='pt'`.")
        )
    if ids is not None and not isinstance(ids, torch.Tensor):
        raise Wrong(_("`padded_to_24` holds lists, not tensors: add `return_tensors='pt'`."))
    got = as_encoding(padded_to_24, "padded_to_24", ("input_ids", "attention_mask"))
    rows = as_id_rows(got["input_ids"], "padded_to_24['input_ids']")
    shape = [len(rows), len(rows[0]) if rows else 0]
    if shape == [2, 16]:
        raise Wrong(
            _(
                "`padded_to_24` is padded to the longest sentence (16 tokens): use "
                "`padding='max_length'` with `max_length=24`."
            )
        )
    if shape == [2, tokenizer.model_max_length]:
        raise Wrong(
            _(
                "`padded_to_24` is padded to the model's maximum ({maximum}): add `max_length=24`.",
                maximum=tokenizer.model_max_length,
            )
        )
    if shape != [2, 24]:
        raise Wrong(_("`padded_to_24` has shape {shape}, but [2, 24] was expected.", shape=shape))
    if rows != expected["input_ids"]:
        pad = tokenizer.pad_token_id
        moved = [
            [i for i in row if i == pad] + [i for i in row if i != pad]
            for row in expected["input_ids"]
        ]
        if rows == moved:
            raise Wrong(
                _(
                    "`padded_to_24` has its padding in front: keep the tokenizer's default, "
                    "padding on the right (no `padding_side='left'`)."
                )
            )
        raise Wrong(_("`padded_to_24` has the right shape but other IDs: tokenize `sequences`."))
    if got["attention_mask"] != expected["attention_mask"]:
        raise Wrong(_("the attention mask of `padded_to_24` does not mark the padding with 0s."))
    if isinstance(shape_24, int | np.integer) and not isinstance(shape_24, bool):
        raise Wrong(
            _(
                "`shape_24` is one number ({number}): give the whole shape, "
                "`padded_to_24['input_ids'].shape`.",
                number=int(shape_24),
            )
        )
    shape = as_shape(shape_24, "shape_24")
    if shape != [2, 24]:
        raise Wrong(
            _(
                "`shape_24` is {value}; read it from `padded_to_24['input_ids'].shape`.",
                value=quote(shape, 40),
            )
        )
    return _("two rows of 24 IDs each, padding marked 0 in the attention mask.")


@task(
    "P2",
    "Truncate and keep the special tokens",
    hints=[
        N_("Let the tokenizer do the cutting rather than slicing the list yourself."),
        N_("`truncation=True` with `max_length=8`; then `convert_ids_to_tokens()` on the IDs."),
        "truncated_ids = tokenizer(long_text, truncation=True, max_length=8)['input_ids']",
    ],
)
def p2(truncated_ids, truncated_tokens):
    """P2: a long text truncated to 8 tokens, special tokens kept."""
    tokenizer = lesson_tokenizer()
    expected = tokenizer(LONG_TEXT, truncation=True, max_length=8)["input_ids"]
    ids = as_int_list(truncated_ids, "truncated_ids")
    full = tokenizer(LONG_TEXT)["input_ids"]
    if ids == full:
        raise Wrong(
            _("`truncated_ids` is the whole text: add `truncation=True` and `max_length=8`.")
        )
    if ids == full[:8]:
        raise Wrong(
            _(
                "`truncated_ids` ends with {last}, not {sep} ({sep_id}): cutting the list by "
                "hand drops the final special token; let the tokenizer truncate "
                "(`truncation=True, max_length=8`).",
                last=ids[-1],
                sep=tokenizer.sep_token,
                sep_id=tokenizer.sep_token_id,
            )
        )
    plain_ids = tokenizer(LONG_TEXT, add_special_tokens=False, truncation=True, max_length=8)
    if ids == plain_ids["input_ids"]:
        raise Wrong(
            _(
                "`truncated_ids` has no [CLS] and [SEP]: keep the special tokens (leave out "
                "`add_special_tokens=False`)."
            )
        )
    if len(ids) != 8:
        raise Wrong(
            _("`truncated_ids` has {count} IDs, but `max_length=8` gives 8.", count=len(ids))
        )
    same_items(expected, ids, "truncated_ids")
    if isinstance(truncated_tokens, str):
        raise Wrong(
            _(
                "`truncated_tokens` should be a list of strings, but it is one string: convert "
                "the IDs one by one, `tokenizer.convert_ids_to_tokens(truncated_ids)`."
            )
        )
    tokens = as_strings(truncated_tokens, "truncated_tokens")
    if tokens == tokenizer.tokenize(LONG_TEXT)[:8]:
        raise Wrong(
            _(
                "`truncated_tokens` has no [CLS]/[SEP]: convert `truncated_ids` back with "
                "`tokenizer.convert_ids_to_tokens()`."
            )
        )
    if tokens == tokenizer.convert_ids_to_tokens(full):
        raise Wrong(
            _(
                "`truncated_tokens` are the tokens of the whole text: convert `truncated_ids`, "
                "`tokenizer.convert_ids_to_tokens(truncated_ids)`."
            )
        )
    same_items(tokenizer.convert_ids_to_tokens(expected), tokens, "truncated_tokens")
    return _("8 tokens, still opening with [CLS] and closing with [SEP].")
