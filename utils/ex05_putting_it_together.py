"""Checks for the exercises of lesson 2.6, putting it all together (tasks P1 and P2)."""

from functools import lru_cache

import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import as_int_list, as_shape, as_strings, same_items

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
        "One tokenizer call, with three arguments besides the sentences.",
        "padding='max_length' pads to max_length; return_tensors='pt' gives tensors.",
        "padded_to_24 = tokenizer(sequences, padding='max_length', max_length=24, "
        "return_tensors='pt')",
    ],
)
def p1(padded_to_24, shape_24):
    """P1: the two sentences padded to exactly 24 tokens, as PyTorch tensors."""
    tokenizer = lesson_tokenizer()
    expected = tokenizer(SEQUENCES, padding="max_length", max_length=24, return_tensors="pt")
    if not hasattr(padded_to_24, "keys") or "input_ids" not in padded_to_24.keys():
        raise Wrong(
            "`padded_to_24` should be what the tokenizer returns (with 'input_ids' and "
            f"'attention_mask'), but it is {describe(padded_to_24)}."
        )
    ids = padded_to_24["input_ids"]
    if not isinstance(ids, torch.Tensor):
        raise Wrong("`padded_to_24` holds lists, not tensors: add return_tensors='pt'.")
    if list(ids.shape) == [2, 16]:
        raise Wrong(
            "`padded_to_24` is padded to the longest sentence (16 tokens): use "
            "padding='max_length' with max_length=24."
        )
    if list(ids.shape) != [2, 24]:
        raise Wrong(f"`padded_to_24` has shape {list(ids.shape)}, but [2, 24] was expected.")
    if not torch.equal(ids, expected["input_ids"]):
        raise Wrong("`padded_to_24` has the right shape but other IDs: tokenize `sequences`.")
    if not torch.equal(padded_to_24["attention_mask"], expected["attention_mask"]):
        raise Wrong("the attention mask of `padded_to_24` does not mark the padding with 0s.")
    shape = as_shape(shape_24, "shape_24")
    if shape != [2, 24]:
        raise Wrong(f"`shape_24` is {shape}; read it from padded_to_24['input_ids'].shape.")
    return "two rows of 24 IDs each, padding marked 0 in the attention mask."


@task(
    "P2",
    "Truncate and keep the special tokens",
    hints=[
        "Let the tokenizer do the cutting rather than slicing the list yourself.",
        "truncation=True with max_length=8; then convert_ids_to_tokens() on the IDs.",
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
        raise Wrong("`truncated_ids` is the whole text: add truncation=True and max_length=8.")
    if ids == full[:8]:
        raise Wrong(
            f"`truncated_ids` ends with {ids[-1]}, not {tokenizer.sep_token} "
            f"({tokenizer.sep_token_id}): cutting the list by hand drops the final special "
            "token; let the tokenizer truncate (truncation=True, max_length=8)."
        )
    if len(ids) != 8:
        raise Wrong(f"`truncated_ids` has {len(ids)} IDs, but max_length=8 gives 8.")
    same_items(expected, ids, "truncated_ids")
    tokens = as_strings(truncated_tokens, "truncated_tokens")
    if tokens == tokenizer.tokenize(LONG_TEXT)[:8]:
        raise Wrong(
            "`truncated_tokens` has no [CLS]/[SEP]: convert `truncated_ids` back with "
            "tokenizer.convert_ids_to_tokens()."
        )
    same_items(tokenizer.convert_ids_to_tokens(expected), tokens, "truncated_tokens")
    return "8 tokens, still opening with [CLS] and closing with [SEP]."
