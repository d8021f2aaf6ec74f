"""Turning a learner's answer into something a check can compare, with beginner messages.

Each function takes the learner's value and the variable's name, and either
returns a plain Python value or raises ``Wrong`` saying what is off.
"""

import numbers

import torch

from utils.grading.task import Wrong


def describe(value):
    """A short description of a value for messages: its type, and shape or length."""
    kind = type(value).__name__
    article = "an" if kind[0].lower() in "aeiou" else "a"
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{article} {kind} of shape {list(shape)}"
    if isinstance(value, list | tuple | dict | str):
        return f"{article} {kind} of length {len(value)}"
    return f"{article} {kind}"


def as_list(value, name):
    """A tensor, NumPy array, tuple or list as a (nested) Python list."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    if hasattr(value, "tolist") and hasattr(value, "shape"):  # a NumPy array
        return value.tolist()
    if isinstance(value, list | tuple):
        return [
            item if isinstance(item, int | float | str) else as_list(item, name) for item in value
        ]
    raise Wrong(f"`{name}` should be a list or a tensor, but it is {describe(value)}.")


def as_int(value, name, what="an integer"):
    """One whole number: a Python int, a NumPy integer, or a one-element integer tensor/array."""
    if hasattr(value, "numel") and value.numel() == 1 and not value.is_floating_point():
        value = value.item()
    elif hasattr(value, "dtype") and getattr(value, "size", 0) == 1 and value.dtype.kind in "iu":
        value = value.item()  # a NumPy integer or one-element integer array
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise Wrong(f"`{name}` should be {what}, but it is {describe(value)}.")
    return int(value)


def as_id_rows(value, name):
    """Rows of token IDs (a batch): a list of lists, or an integer tensor or array."""
    dtype = getattr(value, "dtype", None)
    floating = getattr(value, "is_floating_point", None)
    if (floating is not None and floating()) or getattr(dtype, "kind", "") == "f":
        raise Wrong(
            f"`{name}` holds decimal numbers ({dtype}), but input IDs are whole numbers: "
            "make the tensor from the integer IDs, as torch.tensor(ids) does."
        )
    rows = as_list(value, name)
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            raise Wrong(
                f"`{name}` should be a list of rows (lists of IDs), but row {number} is {row!r}."
            )
        for position, item in enumerate(row):
            if isinstance(item, bool) or not isinstance(item, int):
                raise Wrong(
                    f"`{name}` row {number}, position {position} is {item!r}; input IDs are "
                    "whole numbers."
                )
    return rows


def as_int_list(value, name):
    """A flat list of integers (token IDs, for example)."""
    items = as_list(value, name)
    if items and isinstance(items[0], list) and len(items) == 1:
        raise Wrong(f"`{name}` has an extra pair of brackets: give a flat list, not [[...]].")
    for position, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int):
            raise Wrong(
                f"`{name}` should hold integers, but element {position} is {item!r} "
                f"({type(item).__name__})."
            )
    return items


def as_strings(value, name):
    """A flat list of strings (tokens, labels, texts)."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise Wrong(f"`{name}` should be a list of strings, but it is {describe(value)}.")
    for position, item in enumerate(value):
        if not isinstance(item, str):
            raise Wrong(f"`{name}` should hold strings, but element {position} is {item!r}.")
    return list(value)


def as_float_tensor(value, name):
    """Numbers as a float tensor: accepts tensors of any dtype, arrays and nested lists."""
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float32)
    try:
        return torch.tensor(as_list(value, name), dtype=torch.float32)
    except (TypeError, ValueError):
        raise Wrong(f"`{name}` should hold numbers only, in rows of equal length.") from None


def as_shape(value, name):
    """A shape given as torch.Size, tuple or list, as a list of integers."""
    if isinstance(value, torch.Size | tuple | list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        return list(value)
    raise Wrong(f"`{name}` should be a shape such as (2, 16), but it is {describe(value)}.")


def first_difference(expected, got):
    """The first position where two sequences differ (or the shorter length)."""
    for position, (one, two) in enumerate(zip(expected, got, strict=False)):
        if one != two:
            return position
    return min(len(expected), len(got))


def same_items(expected, got, name):
    """Raise Wrong naming the first differing element when two lists differ."""
    if got == expected:
        return
    if len(got) != len(expected):
        raise Wrong(f"`{name}` has {len(got)} elements, but {len(expected)} were expected.")
    position = first_difference(expected, got)
    raise Wrong(
        f"`{name}` differs at position {position}: expected {expected[position]!r}, "
        f"got {got[position]!r}."
    )


def close_numbers(expected, got, name, atol=1e-4):
    """Raise Wrong unless two float tensors have the same shape and values (within ``atol``)."""
    if list(got.shape) != list(expected.shape):
        raise Wrong(
            f"`{name}` has shape {list(got.shape)}, but shape {list(expected.shape)} was expected."
        )
    if not torch.allclose(got, expected, atol=atol):
        flat = (got - expected).abs().argmax()
        position = tuple(int(i) for i in torch.unravel_index(flat, got.shape))
        if len(position) == 1:
            where = str(position[0])
        elif len(position) == 2:
            where = f"row {position[0]}, column {position[1]}"
        else:
            where = str(list(position))
        raise Wrong(
            f"`{name}` differs at position {where}: expected {expected[position].item():.4f}, "
            f"got {got[position].item():.4f}."
        )
