"""M1 and M2: right answers in several forms are accepted, typical mistakes get their message."""

import re

import pytest
import torch
from transformers import AutoModel, BertConfig, BertModel
from verdicts import accepted, not_attempted, rejected

from utils import ex02_models as ex
from utils.grading import ____
from utils.language import LANGUAGE_VARIABLE, _


@pytest.fixture(scope="module")
def small():
    """A small BERT, the kind of answer M1 expects."""
    torch.manual_seed(0)
    config = BertConfig(num_hidden_layers=2, hidden_size=64, num_attention_heads=2)
    return config, BertModel(config)


def test_m1_right_answers(small):
    config, model = small
    count = sum(p.numel() for p in model.parameters())
    accepted(ex.m1, my_config=config, my_model=model, my_parameter_count=count)
    accepted(ex.m1, my_config=config, my_model=model, my_parameter_count=torch.tensor(count))
    other = BertConfig(vocab_size=1000, hidden_size=32, num_attention_heads=4, num_hidden_layers=1)
    model = BertModel(other)
    count = model.num_parameters()
    accepted(ex.m1, my_config=other, my_model=model, my_parameter_count=count)


def test_m1_typical_mistakes(small):
    config, model = small
    count = sum(p.numel() for p in model.parameters())
    tensors = len(list(model.parameters()))
    rejected(
        ex.m1,
        "number of parameter *tensors*",
        my_config=config,
        my_model=model,
        my_parameter_count=tensors,
    )
    rejected(
        ex.m1,
        "has BERT-base's default sizes",
        my_config=BertConfig(),
        my_model=model,
        my_parameter_count=count,
    )
    other = BertConfig(num_hidden_layers=3, hidden_size=64, num_attention_heads=2)
    rejected(
        ex.m1,
        "was not built from `my_config`",
        my_config=other,
        my_model=model,
        my_parameter_count=count,
    )
    rejected(
        ex.m1,
        f"is {count + 1:,}, but `my_model` has {count:,}",
        my_config=config,
        my_model=model,
        my_parameter_count=count + 1,
    )


def test_m1_odd_inputs(small):
    config, model = small
    rejected(
        ex.m1,
        "should be a `BertConfig`",
        my_config={"hidden_size": 64},
        my_model=model,
        my_parameter_count=1,
    )
    rejected(
        ex.m1, "should be a `BertModel`", my_config=config, my_model=None, my_parameter_count=1
    )
    rejected(
        ex.m1, "should be an integer", my_config=config, my_model=model, my_parameter_count="110M"
    )
    rejected(
        ex.m1, "should be an integer", my_config=config, my_model=model, my_parameter_count=1.5
    )
    not_attempted(ex.m1, my_config=config, my_model=____, my_parameter_count=____)


@pytest.fixture(scope="module")
def saved(small, tmp_path_factory):
    """The small model saved to a folder and loaded back."""
    _config, model = small
    folder = tmp_path_factory.mktemp("saved") / "my_small_bert"
    model.save_pretrained(folder)
    return folder, AutoModel.from_pretrained(folder)


def test_m2_right_answers(saved):
    folder, reloaded = saved
    accepted(ex.m2, save_directory=str(folder), reloaded_model=reloaded, same_outputs=True)
    accepted(ex.m2, save_directory=folder, reloaded_model=reloaded, same_outputs=torch.tensor(True))
    accepted(
        ex.m2,
        save_directory=folder,
        reloaded_model=BertModel.from_pretrained(folder),
        same_outputs=True,
    )


def test_m2_typical_mistakes(saved, small, tmp_path):
    folder, reloaded = saved
    config, _model = small
    rejected(ex.m2, "dropout", save_directory=folder, reloaded_model=reloaded, same_outputs=False)
    rejected(
        ex.m2,
        "there is no folder",
        save_directory=tmp_path / "missing",
        reloaded_model=reloaded,
        same_outputs=True,
    )
    rejected(
        ex.m2,
        "has no `config.json`",
        save_directory=tmp_path,
        reloaded_model=reloaded,
        same_outputs=True,
    )
    config.save_pretrained(tmp_path)  # a config without weights
    rejected(
        ex.m2,
        "has no `model.safetensors`",
        save_directory=tmp_path,
        reloaded_model=reloaded,
        same_outputs=True,
    )
    torch.manual_seed(1)
    rejected(
        ex.m2,
        "differs from the one saved",
        save_directory=folder,
        reloaded_model=BertModel(config),
        same_outputs=True,
    )


def test_m2_odd_inputs(saved):
    folder, reloaded = saved
    rejected(
        ex.m2,
        "should be a folder name",
        save_directory=None,
        reloaded_model=reloaded,
        same_outputs=True,
    )
    rejected(
        ex.m2,
        "should be a model loaded",
        save_directory=folder,
        reloaded_model="model",
        same_outputs=True,
    )
    rejected(
        ex.m2,
        "should be True or False",
        save_directory=folder,
        reloaded_model=reloaded,
        same_outputs=torch.zeros(3),
    )
    rejected(
        ex.m2,
        "should be True or False",
        save_directory=folder,
        reloaded_model=reloaded,
        same_outputs="yes",
    )
    not_attempted(ex.m2, save_directory=folder, reloaded_model=reloaded, same_outputs=____)


def test_m1_more_valid_forms(small):
    import numpy as np

    config, model = small
    count = sum(p.numel() for p in model.parameters())
    for form in [np.int64(count), torch.tensor([count]), np.array(count)]:
        accepted(ex.m1, my_config=config, my_model=model, my_parameter_count=form)
    bare = BertModel(config, add_pooling_layer=False)
    accepted(ex.m1, my_config=config, my_model=bare, my_parameter_count=bare.num_parameters())


def test_m1_beginner_mistakes_name_the_fix(small):
    from transformers import BertForSequenceClassification

    config, model = small
    count = sum(p.numel() for p in model.parameters())
    answer = {"my_config": config, "my_model": model, "my_parameter_count": count}
    rejected(ex.m1, "a decimal number", **{**answer, "my_parameter_count": count * 1.0})
    rejected(ex.m1, "the text '11M'", **{**answer, "my_parameter_count": "11M"})
    rejected(ex.m1, "the class `BertConfig` itself", **{**answer, "my_config": BertConfig})
    rejected(ex.m1, "the class `BertModel` itself", **{**answer, "my_model": BertModel})
    rejected(ex.m1, "BertConfig(**sizes)", **{**answer, "my_config": {"hidden_size": 64}})
    headed = BertForSequenceClassification(config)
    rejected(ex.m1, "the bare body", **{**answer, "my_model": headed})


def test_m2_more_valid_forms(saved):
    import numpy as np

    folder, reloaded = saved
    for flag in [np.bool_(True), torch.tensor([True]), np.array(True)]:
        accepted(ex.m2, save_directory=folder, reloaded_model=reloaded, same_outputs=flag)
    accepted(ex.m2, save_directory=f"{folder}/", reloaded_model=reloaded, same_outputs=True)


def test_m2_beginner_mistakes_name_the_fix(saved, small, tmp_path):
    folder, reloaded = saved
    _config, model = small
    answer = {"save_directory": folder, "reloaded_model": reloaded, "same_outputs": True}
    weights = str(folder / "model.safetensors")
    rejected(
        ex.m2,
        "is the file 'model.safetensors', but a folder is asked",
        **{**answer, "save_directory": weights},
    )
    rejected(ex.m2, "was not loaded from disk", **{**answer, "reloaded_model": model})
    model.save_pretrained(tmp_path / "copy")
    from_copy = AutoModel.from_pretrained(tmp_path / "copy")
    rejected(ex.m2, "load it from `save_directory`", **{**answer, "reloaded_model": from_copy})
    rejected(
        ex.m2, "one comparison per number", **{**answer, "same_outputs": torch.ones(1, 4, 64) == 1}
    )
    rejected(ex.m2, "without quotes", **{**answer, "same_outputs": "True"})
    rejected(ex.m2, "the class `BertModel` itself", **{**answer, "reloaded_model": BertModel})


def test_korean_edition_speaks_korean(small, saved, monkeypatch, verdicts_fit):
    """With COURSE_LANGUAGE=ko a typical mistake and the confirmation of M1, M2 read in Korean."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    config, model = small
    tensors, count = len(list(model.parameters())), model.num_parameters()
    m1 = {"my_config": config, "my_model": model}
    rejected(ex.m1, "*텐서*", **m1, my_parameter_count=tensors)
    accepted(ex.m1, **m1, my_parameter_count=count)
    folder, reloaded = saved
    m2 = {"save_directory": folder, "reloaded_model": reloaded}
    rejected(ex.m2, "드롭아웃", **m2, same_outputs=False)
    accepted(ex.m2, **m2, same_outputs=True)
    assert verdicts_fit == [
        _(
            "`my_parameter_count` is {count}, the number of parameter *tensors*. "
            "Count the numbers inside them: add up `parameter.numel()`.",
            count=tensors,
        ),
        _("your BERT has {count:,} parameters (BERT-base has about 110 million).", count=count),
        _(
            "`same_outputs` is False. If the weights are equal, the difference comes from "
            "dropout: a model you built yourself is in training mode; call `.eval()` on it."
        ),
        _("the reloaded model is the same model: same weights, same outputs."),
    ]
    assert all(re.search("[가-힣]", message) for message in verdicts_fit), verdicts_fit
