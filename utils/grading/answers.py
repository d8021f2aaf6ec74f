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

Every message is one whole ``_()`` template, shown in the learner's language. ``describe``
and ``element`` give noun phrases that other modules' templates take as placeholder values
("a list of length 3", "element 3"; in Korean "길이 3인 list", "3번 요소"): each of their
forms is a whole template of its own, so that no translation has to follow an English
article.
"""

import math
import numbers
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import torch

from utils.grading.task import Placeholder, Unanswered, Wrong
from utils.language import N_, _

MESSAGE_LIMIT = 300  # characters in a whole verdict message
QUOTE_LIMIT = 80  # characters of a learner value quoted in a message
MAX_VALUES = 100_000  # more numbers than any answer in this course holds
MAX_DEPTH = 6  # lists nested deeper than this are not an answer here

# What as_number, as_int and as_bool say is asked, unless a check names it better.
A_NUMBER = N_("a number")
AN_INTEGER = N_("an integer")
TRUE_OR_FALSE = N_("True or False")


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


# What ``describe`` says of a value, with "a" and with "an" before its type's name: whole
# templates, so that a language without articles translates each one on its own.
DESCRIPTIONS = {
    "type": (N_("a {kind}"), N_("an {kind}")),
    "output": (N_("a {kind} (a model's whole output)"), N_("an {kind} (a model's whole output)")),
    "shape": (N_("a {kind} of shape {shape}"), N_("an {kind} of shape {shape}")),
    "meta": (
        N_("a {kind} of shape {shape} on the meta device"),
        N_("an {kind} of shape {shape} on the meta device"),
    ),
    "length": (N_("a {kind} of length {length}"), N_("an {kind} of length {length}")),
}


def describe(value):
    """A short description of a value for messages: its type, and shape or length.

    A noun phrase in the learner's language ("a list of length 3", "an int"; in Korean
    "길이 3인 list"), for other templates to take as a placeholder value. The type's name
    stays as Python writes it.
    """
    if value is None:
        return "None"
    kind = type(value).__name__
    if is_model_output(value):
        return _described("output", kind)
    try:
        shape = getattr(value, "shape", None)
        if shape is not None and not isinstance(shape, property):
            form = "meta" if getattr(value, "is_meta", False) else "shape"
            return _described(form, kind, shape=list(shape))
        if isinstance(value, list | tuple | dict | str | set | frozenset):
            return _described("length", kind, length=len(value))
    except Exception:  # an object whose shape or len() raises: its type is all we can say
        pass
    return _described("type", kind)


def _described(form, kind, **values):
    """The description ``form`` of DESCRIPTIONS, with "an" before a vowel, filled in."""
    with_a, with_an = DESCRIPTIONS[form]
    template = with_an if kind[0].lower() in "aeiou" else with_a
    return _(template, kind=kind, **values)


def element(position):
    """'element 3' or 'row 1, position 2': where something sits, for messages.

    A noun phrase in the learner's language (in Korean "3번 요소").
    """
    if isinstance(position, tuple):
        if len(position) == 2:
            return _("row {row}, position {column}", row=position[0], column=position[1])
        return _("position {position}", position=list(position))
    return _("element {position}", position=position)


# --- Reading any value as plain Python --------------------------------------------------------


def is_model_output(value):
    """True for a model's output object (``SequenceClassifierOutput`` and the like)."""
    return any(cls.__name__ == "ModelOutput" for cls in type(value).__mro__)


def model_output_fix(value, name):
    """The message for a model's whole output given where numbers are asked."""
    fields = [key for key in ("logits", "last_hidden_state") if _has_key(value, key)]
    kind = type(value).__name__
    if not fields:
        return _(
            "`{name}` is the model's whole output ({kind}), not numbers: take from it the "
            "tensor you need.",
            name=name,
            kind=kind,
        )
    return _(
        "`{name}` is the model's whole output ({kind}), not numbers: take its `.{field}`, "
        "as in `model(...).{field}`.",
        name=name,
        kind=kind,
        field=fields[0],
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
        raise Wrong(
            _(
                "`{name}` is nested more than {depth} levels deep: not an answer here.",
                name=name,
                depth=MAX_DEPTH,
            )
        )
    if value is None or isinstance(value, bool | int | float | complex | str):
        return value
    if isinstance(value, Placeholder):
        raise Unanswered(_("`{name}` still holds a ____: replace it with your answer.", name=name))
    if isinstance(value, np.generic):  # a NumPy scalar: np.int64, np.float32, np.bool_, np.str_
        return value.item()
    if is_model_output(value):
        raise Wrong(model_output_fix(value, name))
    if isinstance(value, torch.Tensor | np.ndarray):
        return _from_array(value, name, depth)
    if isinstance(value, Iterator):  # a generator or map(): it would be used up by reading it
        raise Wrong(
            _(
                "`{name}` is {what}, which can be read only once: "
                "make a list of it with list(...).",
                name=name,
                what=describe(value),
            )
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
        raise Wrong(_unreadable(value, name)) from None
    return value


def _unreadable(value, name):
    """The message for an object whose length, items or keys cannot be read."""
    return _("`{name}` could not be read: it is {what}.", name=name, what=describe(value))


def _hashable(item, name):
    if isinstance(item, list):
        raise Wrong(
            _("`{name}` is a set of lists: give one flat collection of numbers.", name=name)
        )
    return item


def _too_many(name, count):
    return _(
        "`{name}` holds {count:,} values, far more than this task's answer: "
        "check which variable you assigned.",
        name=name,
        count=count,
    )


def _from_array(value, name, depth):
    """A tensor or NumPy array as a number (0-d) or nested list."""
    if getattr(value, "is_meta", False):
        raise Wrong(
            _(
                "`{name}` is a tensor on the meta device, which holds no values: "
                "compute it from real data (not on device='meta').",
                name=name,
            )
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
        raise Wrong(
            _(
                "`{name}` could not be read as numbers: it is {what}.",
                name=name,
                what=describe(value),
            )
        ) from None
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


def as_number(value, name, what=A_NUMBER):
    """One real number (int or float): Python, NumPy scalar, 0-d or one-element tensor/array.

    NaN and infinity are refused with their own message; so are True/False. ``what`` is
    what the message says is asked: a noun phrase marked with ``N_()`` (or already shown
    with ``_()``), as are ``as_int``'s and ``as_bool``'s.
    """
    item = _one_value(value, name)
    if isinstance(item, bool) or not isinstance(item, numbers.Real):
        raise Wrong(_not_what(value, item, name, what))
    if isinstance(item, float) and not math.isfinite(item):
        raise Wrong(
            _(
                "`{name}` is {value}, not a number you can compare: compute it again.",
                name=name,
                value=item,
            )
        )
    return item


def as_int(value, name, what=AN_INTEGER):
    """One whole number: a Python int, a NumPy integer, or a one-element integer tensor/array.

    Booleans and decimal numbers (even 1.0) are refused: the message says what
    was given and how to turn it into an integer.
    """
    item = _one_value(value, name)
    if isinstance(item, bool):
        raise Wrong(
            _(
                "`{name}` should be {what}, but it is a bool ({value}).",
                name=name,
                what=_(what),
                value=item,
            )
        )
    if isinstance(item, float) and math.isfinite(item) and item.is_integer():
        raise Wrong(
            _(
                "`{name}` should be {what}, but it is a decimal number ({value}): "
                "use int(...) or take the value from the integer data.",
                name=name,
                what=_(what),
                value=item,
            )
        )
    if not isinstance(item, numbers.Integral):
        raise Wrong(_not_what(value, item, name, what))
    return int(item)


def as_bool(value, name, what=TRUE_OR_FALSE):
    """True or False: a Python bool, ``np.bool_``, or a one-element boolean tensor/array."""
    item = _one_value(value, name)
    if not isinstance(item, bool):
        raise Wrong(_not_what(value, item, name, what))
    return item


def _not_what(original, item, name, what):
    """The message for a value that is not ``what``: its description, and its value if short."""
    if isinstance(item, str | int | float | complex) and not isinstance(original, torch.Tensor):
        return _(
            "`{name}` should be {what}, but it is {got} ({value}).",
            name=name,
            what=_(what),
            got=describe(original),
            value=quote(item, 40),
        )
    return _(
        "`{name}` should be {what}, but it is {got}.",
        name=name,
        what=_(what),
        got="None" if item is None else describe(original),  # None, also inside an array
    )


def as_list(value, name):
    """A tensor, NumPy array, tuple, list or dataset column as a (nested) Python list."""
    items = plain(value, name)
    if isinstance(items, set):
        raise Wrong(
            _(
                "`{name}` is a set, which keeps no order and drops repeats: give a list "
                "(or a tensor) in order.",
                name=name,
            )
        )
    if isinstance(items, str):
        raise Wrong(
            _(
                "`{name}` should be a list or a tensor, but it is the text {text}: "
                "assign the value itself, not its printout.",
                name=name,
                text=quote(items, 40),
            )
        )
    if isinstance(items, dict) and "input_ids" in items:
        raise Wrong(
            _(
                "`{name}` is the tokenizer's whole output ({kind}): "
                "take the IDs from it, {name}['input_ids'].",
                name=name,
                kind=type(value).__name__,
            )
        )
    if not isinstance(items, list):
        raise Wrong(_not_a_list(value, name))
    return items


def _not_a_list(value, name):
    return _(
        "`{name}` should be a list or a tensor, but it is {what}.",
        name=name,
        what=describe(value),
    )


def as_int_list(value, name):
    """A flat list of integers (token IDs, for example)."""
    _refuse_decimals(value, name)
    items = as_list(value, name)
    if len(items) == 1 and isinstance(items[0], list):
        raise Wrong(
            _(
                "`{name}` has an extra pair of brackets: give a flat list, not [[...]].",
                name=name,
            )
        )
    for position, item in enumerate(items):
        where = element(position)
        if isinstance(item, list):
            raise Wrong(
                _(
                    "`{name}` should be one flat list, but {where} is itself a list.",
                    name=name,
                    where=where,
                )
            )
        if item is None:
            raise Wrong(
                _("`{name}` should hold integers, but {where} is None.", name=name, where=where)
            )
        if isinstance(item, bool) or not isinstance(item, int):
            raise Wrong(
                _(
                    "`{name}` should hold integers, but {where} is {value} ({kind}).",
                    name=name,
                    where=where,
                    value=quote(item, 40),
                    kind=type(item).__name__,
                )
            )
    return items


def _holds_decimals(value):
    """The dtype of a float tensor or array (where whole numbers are asked), else None."""
    dtype = getattr(value, "dtype", None)
    floating = isinstance(value, torch.Tensor) and value.is_floating_point()
    return dtype if floating or getattr(dtype, "kind", "") == "f" else None


def _refuse_decimals(value, name):
    """Refuse a float tensor or array where whole numbers (IDs) are asked."""
    dtype = _holds_decimals(value)
    if dtype is not None:
        raise Wrong(
            _(
                "`{name}` should hold integers, but it holds decimal numbers ({dtype}): input "
                "IDs are whole numbers; make the tensor from the integer IDs, as "
                "torch.tensor(ids) does.",
                name=name,
                dtype=dtype,
            )
        )


def as_id_rows(value, name):
    """Rows of token IDs (a batch): a list of lists, or an integer tensor or array."""
    dtype = _holds_decimals(value)
    if dtype is not None:
        raise Wrong(
            _(
                "`{name}` holds decimal numbers ({dtype}), but input IDs are whole numbers: "
                "make the tensor from the integer IDs, as torch.tensor(ids) does.",
                name=name,
                dtype=dtype,
            )
        )
    rows = as_list(value, name)
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            raise Wrong(
                _(
                    "`{name}` should be a list of rows (lists of IDs), but row {row} is {value}.",
                    name=name,
                    row=number,
                    value=quote(row, 40),
                )
            )
        for position, item in enumerate(row):
            place = {"name": name, "row": number, "position": position}
            if isinstance(item, list):
                raise Wrong(
                    _("`{name}` row {row}, position {position} is a list, not an ID.", **place)
                )
            if item is None:
                raise Wrong(
                    _("`{name}` row {row}, position {position} is None, not an ID.", **place)
                )
            if isinstance(item, bool) or not isinstance(item, int):
                raise Wrong(
                    _(
                        "`{name}` row {row}, position {position} is {value}; input IDs are "
                        "whole numbers.",
                        value=quote(item, 40),
                        **place,
                    )
                )
    return rows


def as_strings(value, name):
    """A flat list of strings (tokens, labels, texts): a list, tuple or NumPy array of str."""
    if isinstance(value, str):
        raise Wrong(
            _(
                "`{name}` should be a list of strings, but it is one string ({value}): "
                "put the strings in a list, [...].",
                name=name,
                value=quote(value, 40),
            )
        )
    items = plain(value, name) if isinstance(value, list | tuple | np.ndarray) else value
    if isinstance(items, set | frozenset):
        raise Wrong(
            _(
                "`{name}` is a set, which keeps no order: give a list of strings, in order.",
                name=name,
            )
        )
    if not isinstance(items, list):
        raise Wrong(
            _(
                "`{name}` should be a list of strings, but it is {what}.",
                name=name,
                what=describe(value),
            )
        )
    for position, item in enumerate(items):
        if item is None:
            raise Wrong(
                _(
                    "`{name}` should hold strings, but {where} is None.",
                    name=name,
                    where=element(position),
                )
            )
        if not isinstance(item, str):
            raise Wrong(
                _(
                    "`{name}` should hold strings, but {where} is {value}.",
                    name=name,
                    where=element(position),
                    value=quote(item, 40),
                )
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
            raise Wrong(_not_a_list(value, name))
        _refuse_non_numbers(items, name)
        try:
            tensor = torch.tensor(items, dtype=torch.float32)
        except (TypeError, ValueError):
            raise Wrong(
                _("`{name}` should hold numbers only, in rows of equal length.", name=name)
            ) from None
    if not torch.isfinite(tensor).all():
        raise Wrong(
            _(
                "`{name}` holds NaN or infinity: compute it again from the model's output.",
                name=name,
            )
        )
    return tensor


def _refuse_non_numbers(items, name, path=()):
    """Raise ``Wrong`` at the first item of a nested list that is not a real number."""
    for position, item in enumerate(items):
        where = (*path, position)
        if isinstance(item, list):
            _refuse_non_numbers(item, name, where)
            continue
        place = element(where if len(where) > 1 else where[0])
        if item is None:
            raise Wrong(
                _(
                    "`{name}` should hold numbers only, but {where} is None.",
                    name=name,
                    where=place,
                )
            )
        if isinstance(item, str | complex) or not isinstance(item, numbers.Real):
            raise Wrong(
                _(
                    "`{name}` should hold numbers only, but {where} is {value} ({kind}).",
                    name=name,
                    where=place,
                    value=quote(item, 40),
                    kind=type(item).__name__,
                )
            )


def as_shape(value, name):
    """A shape given as torch.Size, tuple, list, array or tensor, as a list of integers."""
    items = plain(value, name) if isinstance(value, tuple | list | torch.Tensor) else value
    if isinstance(value, np.ndarray):
        items = plain(value, name)
    if isinstance(items, list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in items
    ):
        return items
    raise Wrong(
        _(
            "`{name}` should be a shape such as (2, 16), but it is {what}.",
            name=name,
            what=describe(value),
        )
    )


def as_int_set(value, name, example="set(...)"):
    """A set of integers: a set or frozenset, or a list, tuple, array or tensor without repeats."""
    if isinstance(value, str):
        raise Wrong(
            _(
                "`{name}` should be a set of integers, as {example} gives, but it is the text "
                "{text}.",
                name=name,
                example=example,
                text=quote(value, 40),
            )
        )
    items = plain(value, name)
    if isinstance(items, int | float) and not isinstance(items, bool):
        items = [items]
    if not isinstance(items, set | list):
        raise Wrong(
            _(
                "`{name}` should be a set of integers, as {example} gives, but it is {what}.",
                name=name,
                example=example,
                what=describe(value),
            )
        )
    listed = list(items)
    if any(isinstance(item, str) for item in listed):
        raise Wrong(
            _(
                "`{name}` holds text ({value}); the values are integers, such as 0 and 1, "
                "without quotes.",
                name=name,
                value=quote(value, 40),
            )
        )
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in listed):
        odd = next(i for i in listed if not isinstance(i, int) or isinstance(i, bool))
        raise Wrong(
            _(
                "`{name}` should hold integers only, but it holds {value}.",
                name=name,
                value=quote(odd, 40),
            )
        )
    if len(set(listed)) != len(listed):
        raise Wrong(
            _(
                "`{name}` lists {count} values with repeats; the task asks which values "
                "appear: make it a set with {example}.",
                name=name,
                count=len(listed),
                example=example,
            )
        )
    return set(listed)


def as_encoding(value, name, keys=("input_ids",)):
    """A tokenizer's output (``BatchEncoding`` or dict) as a dict of plain lists, by key.

    Only ``keys`` are read (each must be there); the values may be lists,
    tensors or arrays. Extra keys are ignored.
    """
    if is_model_output(value):
        raise Wrong(
            _(
                "`{name}` is a model's output ({kind}); give what the tokenizer returns, "
                "before the model.",
                name=name,
                kind=type(value).__name__,
            )
        )
    if not isinstance(value, Mapping) and not hasattr(value, "keys"):
        raise Wrong(
            _(
                "`{name}` should be what the tokenizer returns (with {keys}), but it is {what}.",
                name=name,
                keys=", ".join(keys),
                what=describe(value),
            )
        )
    try:
        present = set(value.keys())
    except Exception:
        raise Wrong(_unreadable(value, name)) from None
    missing = [key for key in keys if key not in present]
    if missing:
        raise Wrong(
            _(
                "`{name}` should be what the tokenizer returns (with {keys}), but it has no {key}.",
                name=name,
                keys=", ".join(keys),
                key=missing[0],
            )
        )
    try:
        return {key: as_list(value[key], f"{name}['{key}']") for key in keys}
    except (Wrong, Unanswered):
        raise
    except Exception:
        raise Wrong(_unreadable(value, name)) from None


def as_folder(value, name, hint="save_pretrained(folder)"):
    """A folder given as str or Path, that exists; a file's path gets its own message."""
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if not isinstance(value, str | Path):
        raise Wrong(
            _(
                "`{name}` should be a folder name, but it is {what}.",
                name=name,
                what=describe(value),
            )
        )
    try:
        folder = Path(value)
        is_file, is_dir = folder.is_file(), folder.is_dir()
    except (OSError, ValueError):
        raise Wrong(
            _("`{name}` is not a usable path: {path}.", name=name, path=quote(str(value), 60))
        ) from None
    if is_file:
        raise Wrong(
            _(
                "`{name}` is the file {file}, but a folder is asked: give the folder that "
                "holds it, {folder}.",
                name=name,
                file=quote(folder.name, 50),
                folder=quote(str(folder.parent), 80),
            )
        )
    if not is_dir:
        if folder.suffix in {".safetensors", ".json", ".bin", ".pt", ".pth"}:
            raise Wrong(
                _(
                    "`{name}` names a file ({file}), but {call} takes a folder name: give the "
                    "folder, without a file name.",
                    name=name,
                    file=quote(folder.name, 50),
                    call=hint,
                )
            )
        raise Wrong(
            _(
                "there is no folder {folder}: call {call} with this name first.",
                folder=quote(str(folder), 80),
                call=hint,
            )
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
        raise Wrong(
            _(
                "`{name}` has {got} elements, but {expected} were expected.",
                name=name,
                got=len(got),
                expected=len(expected),
            )
        )
    position = first_difference(expected, got)
    raise Wrong(
        _(
            "`{name}` differs at position {position}: expected {expected}, got {got}.",
            name=name,
            position=position,
            expected=quote(expected[position], 40),
            got=quote(got[position], 40),
        )
    )


def close_numbers(expected, got, name, atol=1e-4):
    """Raise Wrong unless two float tensors have the same shape and values (within ``atol``)."""
    if list(got.shape) != list(expected.shape):
        raise Wrong(
            _(
                "`{name}` has shape {got}, but shape {expected} was expected.",
                name=name,
                got=list(got.shape),
                expected=list(expected.shape),
            )
        )
    if not torch.allclose(got, expected, atol=atol):
        flat = int((got - expected).abs().argmax())
        # NumPy's unravel_index: torch's imports SymPy (a second) on its first call
        position = tuple(int(i) for i in np.unravel_index(flat, tuple(got.shape)))
        values = {
            "name": name,
            "expected": expected[position].item(),
            "got": got[position].item(),
        }
        if len(position) == 2:
            raise Wrong(
                _(
                    "`{name}` differs at position row {row}, column {column}: "
                    "expected {expected:.4f}, got {got:.4f}.",
                    row=position[0],
                    column=position[1],
                    **values,
                )
            )
        raise Wrong(
            _(
                "`{name}` differs at position {position}: expected {expected:.4f}, got {got:.4f}.",
                position=position[0] if len(position) == 1 else list(position),
                **values,
            )
        )
