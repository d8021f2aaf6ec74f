"""Turning a learner's answer into something a check can compare, with beginner messages.

Every check reads the learner's values through these functions and compares
only what they return: plain Python values (int, float, bool, str, lists,
sets, dicts) or, for numbers compared with a tolerance, a float tensor. Each
function takes the value and the variable's name (as the learner wrote it, for
example ``"ids_1"`` or ``"sst2_batch['labels']"``) and either returns the
converted value or raises ``Wrong`` with a short message naming the fix.

What they accept, so that no check has to think about it again:

- numbers: Python ``int``/``float``/``bool``, NumPy scalars (``np.int64``,
  ``np.float32``, ``np.bool_``), 0-d arrays, one-element tensors and arrays;
- sequences: lists, tuples, NumPy arrays, tensors of any integer dtype,
  ``datasets`` columns, and lists holding any of these (a list of tensors);
- sets: ``set``, ``frozenset``, or a list/tuple/tensor without repeats;
- mappings: ``dict``, ``BatchEncoding`` and other mappings of the above;
- datasets in any format (``set_format("torch")``, ``"numpy"`` or none):
  read them with ``rows_of``.

What they explain instead of crashing: ``None`` (also inside a list: "element
3 is None"), a model's whole output where logits are asked ("take its
``.logits``"), generators, sets where an order matters, meta tensors, values
too large to be an answer, nesting that is ragged or too deep, NaN and inf,
and objects that refuse to be read (their ``__len__`` or ``__iter__`` raises).

Messages quote learner values with ``quote`` (at most ``QUOTE_LIMIT``
characters, cut with "…"); ``limit`` keeps a whole message under
``MESSAGE_LIMIT`` characters and is applied to every published verdict.
"""

import math
import numbers
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import torch

from utils.grading.task import Placeholder, Unanswered, Wrong

MESSAGE_LIMIT = 300  # characters in a whole verdict message
QUOTE_LIMIT = 80  # characters of a learner value quoted in a message
MAX_VALUES = 100_000  # more numbers than any answer in this course holds
MAX_DEPTH = 6  # lists nested deeper than this are not an answer here


# --- Messages -------------------------------------------------------------------------------


def cut(text, size):
    """``text`` if it has at most ``size`` characters, else its start and "…".

    The cut falls between words, never inside one (a single long word is cut where it must).
    """
    text = str(text)
    if len(text) <= size:
        return text
    head = text[: size - 1]
    if not text[size - 1].isspace() and " " in head.strip():
        head = head.rstrip().rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def limit(message, size=MESSAGE_LIMIT):
    """A whole message cut to at most ``size`` characters (with "…"), on one line."""
    return cut(" ".join(str(message).split()), size)


def quote(value, size=QUOTE_LIMIT):
    """A learner's value as the learner would write it (its repr), cut to ``size`` characters.

    A value whose ``repr`` fails or is huge is still quoted safely: a tensor or
    array is shown by its kind and shape, anything unprintable by ``describe``.
    """
    if isinstance(value, torch.Tensor | np.ndarray) and (
        value.ndim > 1 or getattr(value, "is_meta", False) or _size(value) > 20
    ):
        return describe(value)
    try:
        text = repr(value)
    except Exception:  # a learner's object whose __repr__ raises
        return describe(value)
    return cut(" ".join(text.split()), size)


def describe(value):
    """A short description of a value for messages: its type, and shape or length."""
    kind = type(value).__name__
    article = "an" if kind[0].lower() in "aeiou" else "a"
    if value is None:
        return "None"
    if is_model_output(value):
        return f"{article} {kind} (a model's whole output)"
    try:
        shape = getattr(value, "shape", None)
        if shape is not None and not isinstance(shape, property):
            extra = " on the meta device" if getattr(value, "is_meta", False) else ""
            return f"{article} {kind} of shape {list(shape)}{extra}"
        if isinstance(value, list | tuple | dict | str | set | frozenset):
            return f"{article} {kind} of length {len(value)}"
    except Exception:  # an object whose shape or len() raises: its type is all we can say
        pass
    return f"{article} {kind}"


def element(position):
    """'element 3' or 'row 1, position 2': where something sits, for messages."""
    if isinstance(position, tuple):
        if len(position) == 2:
            return f"row {position[0]}, position {position[1]}"
        return f"position {list(position)}"
    return f"element {position}"


# --- Reading any value as plain Python --------------------------------------------------------


def is_model_output(value):
    """True for a model's output object (``SequenceClassifierOutput`` and the like)."""
    return any(cls.__name__ == "ModelOutput" for cls in type(value).__mro__)


def model_output_fix(value, name):
    """The message for a model's whole output given where numbers are asked."""
    fields = [key for key in ("logits", "last_hidden_state") if _has_key(value, key)]
    take = f"`.{fields[0]}`" if fields else "the tensor you need from it"
    return (
        f"`{name}` is the model's whole output ({type(value).__name__}), not numbers: "
        f"take its {take}, as in `model(...){'.' + fields[0] if fields else ''}`."
    )


def _has_key(value, key):
    try:
        return key in value.keys()
    except Exception:
        return False


def _size(value):
    try:
        return int(value.numel()) if isinstance(value, torch.Tensor) else int(value.size)
    except Exception:
        return 0


def plain(value, name, depth=0):
    """``value`` as plain Python: numbers, strings, None, and lists, sets and dicts of them.

    Tensors and arrays become (nested) lists, or a number when they are 0-d;
    NumPy scalars become Python numbers; tuples and dataset columns become
    lists. Any other object is returned unchanged, for the caller to describe.
    Raises ``Wrong`` for what cannot be an answer (a generator, a model's whole
    output, a meta tensor, more than ``MAX_VALUES`` numbers, deep nesting) and
    ``Unanswered`` for a blank ``____`` left inside a list.
    """
    if depth > MAX_DEPTH:
        raise Wrong(f"`{name}` is nested more than {MAX_DEPTH} levels deep: not an answer here.")
    if value is None or isinstance(value, bool | int | float | complex | str):
        return value
    if isinstance(value, Placeholder):
        raise Unanswered(f"`{name}` still holds a ____: replace it with your answer.")
    if isinstance(value, np.generic):  # a NumPy scalar: np.int64, np.float32, np.bool_, np.str_
        return value.item()
    if is_model_output(value):
        raise Wrong(model_output_fix(value, name))
    if isinstance(value, torch.Tensor | np.ndarray):
        return _from_array(value, name, depth)
    if isinstance(value, Iterator):  # a generator or map(): it would be used up by reading it
        raise Wrong(
            f"`{name}` is {describe(value)}, which can be read only once: "
            "make a list of it with list(...)."
        )
    try:
        if isinstance(value, Mapping):
            return {key: plain(item, f"{name}[{key!r}]", depth + 1) for key, item in value.items()}
        if isinstance(value, set | frozenset):
            return {_hashable(plain(item, name, depth + 1), name) for item in value}
        if isinstance(value, list | tuple) or type(value).__name__ == "Column":
            if len(value) > MAX_VALUES:
                raise Wrong(_too_many(name, len(value)))
            return [plain(item, f"{name}[{i}]", depth + 1) for i, item in enumerate(value)]
    except (Wrong, Unanswered):
        raise
    except Exception:  # __len__, __iter__ or __getitem__ of the learner's object raised
        raise Wrong(f"`{name}` could not be read: it is {describe(value)}.") from None
    return value


def _hashable(item, name):
    if isinstance(item, list):
        raise Wrong(f"`{name}` is a set of lists: give one flat collection of numbers.")
    return item


def _too_many(name, count):
    return (
        f"`{name}` holds {count:,} values, far more than this task's answer: "
        "check which variable you assigned."
    )


def _from_array(value, name, depth):
    """A tensor or NumPy array as a number (0-d) or nested list."""
    if getattr(value, "is_meta", False):
        raise Wrong(
            f"`{name}` is a tensor on the meta device, which holds no values: "
            "compute it from real data (not on device='meta')."
        )
    size = _size(value)
    if size > MAX_VALUES:
        raise Wrong(_too_many(name, size))
    try:
        if isinstance(value, torch.Tensor):
            value = value.detach()
            if value.layout != torch.strided:
                value = value.to_dense()
            value = value.cpu()
        items = value.tolist()
    except Exception:
        raise Wrong(f"`{name}` could not be read as numbers: it is {describe(value)}.") from None
    if isinstance(value, np.ndarray) and value.dtype == object:
        return plain(items, name, depth + 1) if isinstance(items, list) else items
    return items


# --- Typed answers --------------------------------------------------------------------------


def _one_value(value, name):
    """A one-element tensor or array as its single value; anything else unchanged."""
    if isinstance(value, torch.Tensor | np.ndarray) and _size(value) == 1:
        if getattr(value, "is_meta", False):
            return plain(value, name)
        return plain(
            value.reshape(()) if isinstance(value, np.ndarray) else value.reshape([]), name
        )
    return plain(value, name)


def as_number(value, name, what="a number"):
    """One real number (int or float): Python, NumPy scalar, 0-d or one-element tensor/array.

    NaN and infinity are refused with their own message; so are True/False.
    """
    item = _one_value(value, name)
    if isinstance(item, bool) or not isinstance(item, numbers.Real):
        raise Wrong(f"`{name}` should be {what}, but it is {_shown(value, item)}.")
    if isinstance(item, float) and not math.isfinite(item):
        raise Wrong(f"`{name}` is {item}, not a number you can compare: compute it again.")
    return item


def as_int(value, name, what="an integer"):
    """One whole number: a Python int, a NumPy integer, or a one-element integer tensor/array.

    Booleans and decimal numbers (even 1.0) are refused: the message says what
    was given and how to turn it into an integer.
    """
    item = _one_value(value, name)
    if isinstance(item, bool):
        raise Wrong(f"`{name}` should be {what}, but it is a bool ({item}).")
    if isinstance(item, float) and math.isfinite(item) and item.is_integer():
        raise Wrong(
            f"`{name}` should be {what}, but it is a decimal number ({item}): "
            f"use int(...) or take the value from the integer data."
        )
    if not isinstance(item, numbers.Integral):
        raise Wrong(f"`{name}` should be {what}, but it is {_shown(value, item)}.")
    return int(item)


def as_bool(value, name, what="True or False"):
    """True or False: a Python bool, ``np.bool_``, or a one-element boolean tensor/array."""
    item = _one_value(value, name)
    if not isinstance(item, bool):
        raise Wrong(f"`{name}` should be {what}, but it is {_shown(value, item)}.")
    return item


def _shown(original, item):
    """How a refused value is named in a message: its description, and its value if short."""
    text = describe(original)
    if isinstance(item, str | int | float | complex) and not isinstance(original, torch.Tensor):
        text += f" ({quote(item, 40)})"
    elif item is None:
        text = "None"
    return text


def as_list(value, name):
    """A tensor, NumPy array, tuple, list or dataset column as a (nested) Python list."""
    items = plain(value, name)
    if isinstance(items, set):
        raise Wrong(
            f"`{name}` is a set, which keeps no order and drops repeats: give a list "
            "(or a tensor) in order."
        )
    if isinstance(items, str):
        raise Wrong(
            f"`{name}` should be a list or a tensor, but it is the text {quote(items, 40)}: "
            "assign the value itself, not its printout."
        )
    if isinstance(items, dict) and "input_ids" in items:
        raise Wrong(
            f"`{name}` is the tokenizer's whole output ({type(value).__name__}): "
            f"take the IDs from it, {name}['input_ids']."
        )
    if not isinstance(items, list):
        raise Wrong(f"`{name}` should be a list or a tensor, but it is {describe(value)}.")
    return items


def as_int_list(value, name):
    """A flat list of integers (token IDs, for example)."""
    _refuse_decimals(value, name)
    items = as_list(value, name)
    if len(items) == 1 and isinstance(items[0], list):
        raise Wrong(f"`{name}` has an extra pair of brackets: give a flat list, not [[...]].")
    for position, item in enumerate(items):
        if isinstance(item, list):
            raise Wrong(
                f"`{name}` should be one flat list, but {element(position)} is itself a list."
            )
        if item is None:
            raise Wrong(f"`{name}` should hold integers, but {element(position)} is None.")
        if isinstance(item, bool) or not isinstance(item, int):
            raise Wrong(
                f"`{name}` should hold integers, but {element(position)} is {quote(item, 40)} "
                f"({type(item).__name__})."
            )
    return items


def _refuse_decimals(value, name):
    """Refuse a float tensor or array where whole numbers (IDs) are asked."""
    dtype = getattr(value, "dtype", None)
    floating = isinstance(value, torch.Tensor) and value.is_floating_point()
    if floating or getattr(dtype, "kind", "") == "f":
        raise Wrong(
            f"`{name}` should hold integers, but it holds decimal numbers ({dtype}): input IDs "
            "are whole numbers; make the tensor from the integer IDs, as torch.tensor(ids) does."
        )


def as_id_rows(value, name):
    """Rows of token IDs (a batch): a list of lists, or an integer tensor or array."""
    dtype = getattr(value, "dtype", None)
    if (isinstance(value, torch.Tensor) and value.is_floating_point()) or (
        getattr(dtype, "kind", "") == "f"
    ):
        raise Wrong(
            f"`{name}` holds decimal numbers ({dtype}), but input IDs are whole numbers: "
            "make the tensor from the integer IDs, as torch.tensor(ids) does."
        )
    rows = as_list(value, name)
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            raise Wrong(
                f"`{name}` should be a list of rows (lists of IDs), but row {number} is "
                f"{quote(row, 40)}."
            )
        for position, item in enumerate(row):
            if isinstance(item, list):
                raise Wrong(f"`{name}` row {number}, position {position} is a list, not an ID.")
            if item is None:
                raise Wrong(f"`{name}` row {number}, position {position} is None, not an ID.")
            if isinstance(item, bool) or not isinstance(item, int):
                raise Wrong(
                    f"`{name}` row {number}, position {position} is {quote(item, 40)}; input "
                    "IDs are whole numbers."
                )
    return rows


def as_strings(value, name):
    """A flat list of strings (tokens, labels, texts): a list, tuple or NumPy array of str."""
    if isinstance(value, str):
        raise Wrong(
            f"`{name}` should be a list of strings, but it is one string "
            f"({quote(value, 40)}): put the strings in a list, [...]."
        )
    items = plain(value, name) if isinstance(value, list | tuple | np.ndarray) else value
    if isinstance(items, set | frozenset):
        raise Wrong(f"`{name}` is a set, which keeps no order: give a list of strings, in order.")
    if not isinstance(items, list):
        raise Wrong(f"`{name}` should be a list of strings, but it is {describe(value)}.")
    for position, item in enumerate(items):
        if item is None:
            raise Wrong(f"`{name}` should hold strings, but {element(position)} is None.")
        if not isinstance(item, str):
            raise Wrong(
                f"`{name}` should hold strings, but {element(position)} is {quote(item, 40)}."
            )
    return items


def as_float_tensor(value, name):
    """Numbers as a float tensor: tensors of any dtype, arrays, lists of either, nested lists.

    Refuses NaN and infinity, complex numbers, None, text and ragged rows, each
    with its own message.
    """
    if isinstance(value, torch.Tensor) and not value.is_complex() and not value.is_meta:
        if _size(value) > MAX_VALUES:
            raise Wrong(_too_many(name, _size(value)))
        tensor = value.detach().cpu().to(torch.float32)
    else:
        items = plain(value, name)
        if isinstance(items, bool | int | float):
            items = [items]
        if not isinstance(items, list):
            raise Wrong(f"`{name}` should be a list or a tensor, but it is {describe(value)}.")
        _refuse_non_numbers(items, name)
        try:
            tensor = torch.tensor(items, dtype=torch.float32)
        except (TypeError, ValueError):
            raise Wrong(f"`{name}` should hold numbers only, in rows of equal length.") from None
    if not torch.isfinite(tensor).all():
        raise Wrong(f"`{name}` holds NaN or infinity: compute it again from the model's output.")
    return tensor


def _refuse_non_numbers(items, name, path=()):
    """Raise ``Wrong`` at the first item of a nested list that is not a real number."""
    for position, item in enumerate(items):
        where = (*path, position)
        if isinstance(item, list):
            _refuse_non_numbers(item, name, where)
            continue
        if item is None or isinstance(item, str | complex) or not isinstance(item, numbers.Real):
            shown = "None" if item is None else f"{quote(item, 40)} ({type(item).__name__})"
            place = element(where if len(where) > 1 else where[0])
            raise Wrong(f"`{name}` should hold numbers only, but {place} is {shown}.")


def as_shape(value, name):
    """A shape given as torch.Size, tuple, list, array or tensor, as a list of integers."""
    items = plain(value, name) if isinstance(value, tuple | list | torch.Tensor) else value
    if isinstance(value, np.ndarray):
        items = plain(value, name)
    if isinstance(items, list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in items
    ):
        return items
    raise Wrong(f"`{name}` should be a shape such as (2, 16), but it is {describe(value)}.")


def as_int_set(value, name, example="set(...)"):
    """A set of integers: a set or frozenset, or a list, tuple, array or tensor without repeats."""
    if isinstance(value, str):
        raise Wrong(
            f"`{name}` should be a set of integers, as {example} gives, but it is the text "
            f"{quote(value, 40)}."
        )
    items = plain(value, name)
    if isinstance(items, int | float) and not isinstance(items, bool):
        items = [items]
    if not isinstance(items, set | list):
        raise Wrong(
            f"`{name}` should be a set of integers, as {example} gives, but it is "
            f"{describe(value)}."
        )
    listed = list(items)
    if any(isinstance(item, str) for item in listed):
        raise Wrong(
            f"`{name}` holds text ({quote(value, 40)}); the values are integers, "
            "such as 0 and 1, without quotes."
        )
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in listed):
        odd = next(i for i in listed if not isinstance(i, int) or isinstance(i, bool))
        raise Wrong(f"`{name}` should hold integers only, but it holds {quote(odd, 40)}.")
    if len(set(listed)) != len(listed):
        raise Wrong(
            f"`{name}` lists {len(listed)} values with repeats; the task asks which values "
            f"appear: make it a set with {example}."
        )
    return set(listed)


def as_encoding(value, name, keys=("input_ids",)):
    """A tokenizer's output (``BatchEncoding`` or dict) as a dict of plain lists, by key.

    Only ``keys`` are read (each must be there); the values may be lists,
    tensors or arrays. Extra keys are ignored.
    """
    if is_model_output(value):
        raise Wrong(
            f"`{name}` is a model's output ({type(value).__name__}); give what the tokenizer "
            "returns, before the model."
        )
    if not isinstance(value, Mapping) and not hasattr(value, "keys"):
        raise Wrong(
            f"`{name}` should be what the tokenizer returns (with {', '.join(keys)}), "
            f"but it is {describe(value)}."
        )
    try:
        present = set(value.keys())
    except Exception:
        raise Wrong(f"`{name}` could not be read: it is {describe(value)}.") from None
    missing = [key for key in keys if key not in present]
    if missing:
        raise Wrong(
            f"`{name}` should be what the tokenizer returns (with {', '.join(keys)}), "
            f"but it has no {missing[0]}."
        )
    try:
        return {key: as_list(value[key], f"{name}['{key}']") for key in keys}
    except (Wrong, Unanswered):
        raise
    except Exception:
        raise Wrong(f"`{name}` could not be read: it is {describe(value)}.") from None


def as_folder(value, name, hint="save_pretrained(folder)"):
    """A folder given as str or Path, that exists; a file's path gets its own message."""
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if not isinstance(value, str | Path):
        raise Wrong(f"`{name}` should be a folder name, but it is {describe(value)}.")
    try:
        folder = Path(value)
        is_file, is_dir = folder.is_file(), folder.is_dir()
    except (OSError, ValueError):
        raise Wrong(f"`{name}` is not a usable path: {quote(str(value), 60)}.") from None
    if is_file:
        raise Wrong(
            f"`{name}` is the file {quote(folder.name, 50)}, but a folder is asked: give the "
            f"folder that holds it, {quote(str(folder.parent), 80)}."
        )
    if not is_dir:
        if folder.suffix in {".safetensors", ".json", ".bin", ".pt", ".pth"}:
            raise Wrong(
                f"`{name}` names a file ({quote(folder.name, 50)}), but {hint} takes a folder "
                "name: give the folder, without a file name."
            )
        raise Wrong(
            f"there is no folder {quote(str(folder), 80)}: call {hint} with this name first."
        )
    return folder


def rows_of(dataset, column, count):
    """The first ``count`` values of a dataset's column, as plain Python, whatever its format."""
    small = dataset.select(range(min(count, len(dataset))))
    return plain(small.with_format(None)[column], column)


# --- Comparing ------------------------------------------------------------------------------


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
        f"`{name}` differs at position {position}: expected {quote(expected[position], 40)}, "
        f"got {quote(got[position], 40)}."
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
