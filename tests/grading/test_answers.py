"""The conversion layer: every reasonable form of a value is read; everything else is explained."""

import numpy as np
import pytest
import torch
from datasets import Dataset

from utils.grading import Unanswered, Wrong, ____
from utils.grading import answers as a
from utils.language import LANGUAGE_VARIABLE


def refusal(function, *arguments):
    """The message ``function`` refuses ``arguments`` with."""
    with pytest.raises(Wrong) as caught:
        function(*arguments)
    return str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        3,
        np.int64(3),
        np.int8(3),
        np.uint16(3),
        np.array(3),
        np.array([3]),
        torch.tensor(3),
        torch.tensor([3]),
        torch.tensor([[3]], dtype=torch.int32),
    ],
)
def test_as_int_reads_every_form_of_a_whole_number(value):
    assert a.as_int(value, "n") == 3 and type(a.as_int(value, "n")) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "but it is a bool (True)"),
        (np.bool_(True), "but it is a bool (True)"),
        (1.0, "a decimal number (1.0): use int(...)"),
        (torch.tensor(1.0), "a decimal number (1.0)"),
        ("3", "but it is a str of length 1 ('3')"),
        (None, "but it is None"),
        (torch.zeros(2), "but it is a Tensor of shape [2]"),
        (torch.empty(1, device="meta"), "on the meta device"),
    ],
)
def test_as_int_names_what_it_got(value, message):
    assert message in refusal(a.as_int, value, "n")


@pytest.mark.parametrize(
    "value", [True, np.bool_(True), torch.tensor(True), torch.tensor([True]), np.array(True)]
)
def test_as_bool_reads_numpy_and_torch_booleans(value):
    assert a.as_bool(value, "flag") is True


def test_as_bool_refuses_numbers_and_text():
    assert "should be True or False, but it is an int (1)" in refusal(a.as_bool, 1, "flag")
    assert "should be True or False" in refusal(a.as_bool, "True", "flag")


def test_as_number_refuses_nan_and_infinity():
    assert "is nan, not a number you can compare" in refusal(a.as_number, float("nan"), "x")
    assert "is inf" in refusal(a.as_number, np.float32("inf"), "x")
    assert a.as_number(np.float32(0.5), "x") == 0.5


@pytest.mark.parametrize(
    "value",
    [
        [1, 2, 3],
        (1, 2, 3),
        np.array([1, 2, 3]),
        np.array([1, 2, 3], dtype=np.int16),
        torch.tensor([1, 2, 3]),
        torch.tensor([1, 2, 3], dtype=torch.uint8),
        [np.int64(1), torch.tensor(2), np.array(3)],
        Dataset.from_dict({"ids": [1, 2, 3]})["ids"],
    ],
)
def test_as_int_list_reads_every_sequence_of_integers(value):
    assert a.as_int_list(value, "ids") == [1, 2, 3]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1, 2, 3, None], "element 3 is None"),
        ([1, "2"], "element 1 is '2' (str)"),
        ([1, 2.5], "element 1 is 2.5 (float)"),
        ([[1, 2]], "extra pair of brackets"),
        ([1, [2]], "element 1 is itself a list"),
        ({1, 2}, "is a set, which keeps no order"),
        (torch.tensor([1.0, 2.0]), "holds decimal numbers"),
        ((i for i in range(3)), "can be read only once: make a list of it with list(...)"),
        ("[1, 2]", "it is the text '[1, 2]'"),
        ({"input_ids": [1, 2]}, "is the tokenizer's whole output (dict): take the IDs from it"),
        (torch.zeros(1000, 1000, dtype=torch.long), "holds 1,000,000 values"),
    ],
)
def test_as_int_list_explains_odd_sequences(value, message):
    assert message in refusal(a.as_int_list, value, "ids")


def test_a_model_output_where_numbers_are_asked_says_take_logits():
    from transformers.modeling_outputs import SequenceClassifierOutput

    output = SequenceClassifierOutput(logits=torch.zeros(2, 2))
    message = refusal(a.as_float_tensor, output, "logits")
    assert "is the model's whole output (SequenceClassifierOutput)" in message
    assert "take its `.logits`" in message


def test_as_float_tensor_reads_lists_of_tensors_and_refuses_nan():
    rows = [torch.tensor([[0.5, 1.5]]), np.array([[2.0, 3.0]])]
    assert a.as_float_tensor(rows, "x").tolist() == [[[0.5, 1.5]], [[2.0, 3.0]]]
    assert "holds NaN or infinity" in refusal(a.as_float_tensor, [0.1, float("nan")], "x")
    assert "row 1, position 0 is None" in refusal(a.as_float_tensor, [[1.0], [None]], "x")
    assert "rows of equal length" in refusal(a.as_float_tensor, [[1.0], [1.0, 2.0]], "x")
    assert "(complex)" in refusal(a.as_float_tensor, torch.tensor([1j]), "x")


def test_as_int_set_reads_sets_of_numpy_integers_and_tensors():
    assert a.as_int_set({np.int64(0), np.int64(1)}, "types") == {0, 1}
    assert a.as_int_set(torch.tensor([0, 1]).unique(), "types") == {0, 1}
    assert a.as_int_set(np.array([0]), "types") == {0}
    assert "with repeats" in refusal(a.as_int_set, [0, 0, 1], "types")
    assert "holds text" in refusal(a.as_int_set, {"0", "1"}, "types")


def test_objects_that_refuse_to_be_read_get_a_message():
    class NoLength(list):
        def __len__(self):
            raise RuntimeError("no")

    assert "`x` could not be read: it is a NoLength" in refusal(a.as_list, NoLength([1]), "x")
    nested = [1]
    for _ in range(10):
        nested = [nested]
    assert "nested more than" in refusal(a.as_list, nested, "x")


def test_a_blank_inside_a_list_is_not_attempted():
    with pytest.raises(Unanswered):
        a.as_int_list([1, ____], "ids")


def test_as_folder_explains_a_weights_file_path(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"")
    message = refusal(a.as_folder, str(weights), "save_directory")
    assert "is the file 'model.safetensors', but a folder is asked" in message
    assert str(tmp_path) in message
    missing = refusal(a.as_folder, str(tmp_path / "gone" / "model.safetensors"), "save_directory")
    assert "names a file ('model.safetensors')" in missing
    assert a.as_folder(tmp_path, "save_directory") == tmp_path


@pytest.mark.parametrize("form", [None, "numpy", "torch", "pandas"])
def test_rows_of_reads_a_dataset_in_any_format(form):
    data = Dataset.from_dict({"input_ids": [[1, 2], [3], [4, 5, 6]]})
    data.set_format(form)
    assert a.rows_of(data, "input_ids", 2) == [[1, 2], [3]]


def test_quote_and_limit_keep_messages_short():
    assert a.quote("x" * 500) == "'" + "x" * 78 + "…"
    assert len(a.quote(list(range(1000)))) <= a.QUOTE_LIMIT
    assert a.quote(torch.zeros(3, 3)) == "a Tensor of shape [3, 3]"
    long = "word " * 200
    assert len(a.limit(long)) <= a.MESSAGE_LIMIT and a.limit(long).endswith("…")
    assert set(a.limit(long).removesuffix("…").split()) == {"word"}


@pytest.mark.parametrize("start", range(280, 300))
def test_limit_cuts_between_words_never_inside_one(start):
    message = "x" * start + " Too high a rate makes the training loss jump around."
    cut = a.limit(message)
    assert len(cut) <= a.MESSAGE_LIMIT and cut.endswith("…")
    kept = cut.removesuffix("…").split()
    assert kept == message.split()[: len(kept)]  # whole words only, in order
    assert a.limit("y" * 400) == "y" * 299 + "…"  # one long word is cut where it must be
    assert a.limit("short.") == "short."


def test_describe_never_fails():
    class Odd:
        @property
        def shape(self):
            raise RuntimeError("no shape")

    assert a.describe(Odd()) == "an Odd"
    assert a.describe(None) == "None"
    assert a.describe(torch.empty(2, device="meta")) == "a Tensor of shape [2] on the meta device"


def test_descriptions_places_and_refusals_are_korean_when_the_learner_chose_korean(monkeypatch):
    """In Korean, describe() and element() give Korean noun phrases (type names stay code),
    and the converters refuse with whole Korean sentences that hold them."""
    from transformers.modeling_outputs import SequenceClassifierOutput

    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    output = SequenceClassifierOutput(logits=torch.zeros(2, 2))
    assert a.describe([1, 2, 3]) == "길이 3인 list"
    assert a.describe(torch.zeros(2, 3)) == "shape [2, 3]인 Tensor"
    assert a.describe(torch.empty(2, device="meta")) == "meta 장치에 있는 shape [2]인 Tensor"
    assert a.describe(7) == "int 객체" and a.describe(0.5) == "float 객체"
    assert a.describe(output) == "SequenceClassifierOutput(모델의 출력 전체)"
    assert a.element(3) == "3번 요소" and a.element((1, 2)) == "1번 행 2번 위치"
    assert a.element((1, 0, 2)) == "[1, 0, 2] 위치"
    refusals = {
        refusal(a.as_int, True, "n"): "`n` 변수는 정수이어야 하는데, 지금은 bool(True)입니다.",
        refusal(a.as_int, "3", "n"): (
            "`n` 변수는 정수이어야 하는데, 지금은 길이 1인 str('3')입니다."
        ),
        refusal(a.as_int_list, [1, 2, 3, None], "ids"): (
            "`ids` 변수에는 정수가 들어 있어야 하는데, 3번 요소의 값이 None입니다."
        ),
        refusal(a.as_float_tensor, [[1.0], [None]], "x"): (
            "`x` 변수에는 숫자만 들어 있어야 하는데, 1번 행 0번 위치의 값이 None입니다."
        ),
        refusal(a.as_float_tensor, output, "logits"): (
            "`logits` 변수는 숫자가 아니라 모델의 출력 전체(SequenceClassifierOutput)입니다: "
            "`model(...).logits`처럼 `.logits` 속성을 꺼내세요."
        ),
        refusal(a.close_numbers, torch.zeros(2, 2), torch.eye(2), "x"): (
            "`x` 변수가 0행 0열에서 다릅니다: 기댓값은 0.0000인데 받은 값은 1.0000입니다."
        ),
    }
    for message, korean in refusals.items():
        assert message == korean and len(message) <= a.MESSAGE_LIMIT
