"""Checks for the exercises of lesson 2.3, models (tasks M1 and M2)."""

from pathlib import Path

import numpy as np
import torch

from utils.grading import Wrong, describe, task
from utils.grading.answers import as_bool, as_folder, as_int, quote
from utils.language import N_, _

SHAPE_SETTINGS = [
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "vocab_size",
    "max_position_embeddings",
]


@task(
    "M1",
    N_("A BERT of your own size"),
    hints=[
        N_(
            "`BertConfig` takes the sizes as keyword arguments, e.g. "
            "`BertConfig(num_hidden_layers=4)`."
        ),
        N_(
            "Build the model with `BertModel(my_config)`; count with a sum over "
            "`model.parameters()`."
        ),
        "my_parameter_count = sum(p.numel() for p in my_model.parameters())",
    ],
)
def m1(my_config, my_model, my_parameter_count):
    """M1: a BERT built from a config of your own, and its parameter count."""
    from transformers import BertModel, PreTrainedModel

    check_config(my_config)
    if my_model is BertModel:
        raise Wrong(
            _("`my_model` is the class `BertModel` itself: build one, `BertModel(my_config)`.")
        )
    if isinstance(my_model, PreTrainedModel) and not isinstance(my_model, BertModel):
        raise Wrong(
            _(
                "`my_model` is {value}; the task asks for the bare body: `BertModel(my_config)`.",
                value=describe(my_model),
            )
        )
    if not isinstance(my_model, BertModel):
        raise Wrong(
            _(
                "`my_model` should be a `BertModel`, but it is {value}.",
                value=describe(my_model),
            )
        )
    for key in SHAPE_SETTINGS:
        if getattr(my_model.config, key) != getattr(my_config, key):
            raise Wrong(
                _(
                    "`my_model` was not built from `my_config`: its `{key}` is {got}, "
                    "`my_config` says {wanted}.",
                    key=key,
                    got=getattr(my_model.config, key),
                    wanted=getattr(my_config, key),
                )
            )
    parameters = list(my_model.parameters())
    expected = sum(parameter.numel() for parameter in parameters)
    if isinstance(my_parameter_count, str):
        raise Wrong(
            _(
                "`my_parameter_count` should be an integer, but it is the text {text}: "
                "compute it, `sum(p.numel() for p in ...)`.",
                text=quote(my_parameter_count, 30),
            )
        )
    count = as_int(my_parameter_count, "my_parameter_count")
    if count == len(parameters):
        raise Wrong(
            _(
                "`my_parameter_count` is {count}, the number of parameter *tensors*. "
                "Count the numbers inside them: add up `parameter.numel()`.",
                count=count,
            )
        )
    if count != expected:
        raise Wrong(
            _(
                "`my_parameter_count` is {count:,}, but `my_model` has {expected:,}.",
                count=count,
                expected=expected,
            )
        )
    return _(
        "your BERT has {count:,} parameters (BERT-base has about 110 million).", count=expected
    )


def check_config(my_config):
    """``my_config`` is a BertConfig with at least one size changed from BERT-base's."""
    from transformers import BertConfig

    if my_config is BertConfig:
        raise Wrong(
            _(
                "`my_config` is the class `BertConfig` itself: call it with your sizes, "
                "`BertConfig(num_hidden_layers=4, ...)`."
            )
        )
    if isinstance(my_config, dict):
        raise Wrong(
            _(
                "`my_config` should be a `BertConfig`, but it is a dict: pass the sizes as "
                "keyword arguments, `BertConfig(**sizes)`."
            )
        )
    if not isinstance(my_config, BertConfig):
        raise Wrong(
            _(
                "`my_config` should be a `BertConfig`, but it is {value}.",
                value=describe(my_config),
            )
        )
    default = BertConfig()
    changed = [key for key in SHAPE_SETTINGS if getattr(my_config, key) != getattr(default, key)]
    if not changed:
        raise Wrong(
            _(
                "`my_config` has BERT-base's default sizes: change at least one of them, "
                "such as {names}.",
                names=", ".join(f"`{key}`" for key in SHAPE_SETTINGS[:3]),
            )
        )


@task(
    "M2",
    N_("Save, reload, compare"),
    hints=[
        N_("`save_pretrained(folder)` writes, `from_pretrained(folder)` reads."),
        N_(
            "Run both models on the same input IDs (a tensor with a batch dimension) and "
            "compare their `last_hidden_state` with `torch.equal()`."
        ),
        N_(
            "A model you built from a config starts in training mode, where dropout changes "
            "every output: call `my_model.eval()` before comparing."
        ),
    ],
)
def m2(save_directory, reloaded_model, same_outputs):
    """M2: save a model, load it back from disk, and show the outputs are identical."""
    from safetensors.torch import load_file
    from transformers import PreTrainedModel

    folder = as_folder(save_directory, "save_directory", "save_pretrained(save_directory)")
    for name in ["config.json", "model.safetensors"]:
        if not (folder / name).exists():
            raise Wrong(
                _(
                    "The folder {folder} has no `{name}`: did `save_pretrained()` write into it?",
                    folder=quote(str(folder), 60),
                    name=name,
                )
            )
    if isinstance(reloaded_model, type):
        raise Wrong(
            _(
                "`reloaded_model` is the class `{kind}` itself: load a model, "
                "`AutoModel.from_pretrained(save_directory)`.",
                kind=reloaded_model.__name__,
            )
        )
    if not isinstance(reloaded_model, PreTrainedModel):
        raise Wrong(
            _(
                "`reloaded_model` should be a model loaded with `from_pretrained()`, but it "
                "is {value}.",
                value=describe(reloaded_model),
            )
        )
    saved = load_file(str(folder / "model.safetensors"))
    state = reloaded_model.state_dict()
    if any(tensor.is_meta for tensor in state.values()):
        raise Wrong(
            _(
                "`reloaded_model` has weights on the meta device (no values): load it with "
                "`from_pretrained(save_directory)`, without `device_map='meta'`."
            )
        )
    for name, tensor in saved.items():
        if name in state and (
            state[name].shape != tensor.shape or not torch.equal(state[name].cpu(), tensor)
        ):
            raise Wrong(
                _(
                    "`reloaded_model` has a weight `{weight}` that differs from the one saved "
                    "in {folder}: load it with `from_pretrained()` from that same folder.",
                    weight=name,
                    folder=quote(str(folder), 60),
                )
            )
    check_loaded_from(reloaded_model, folder)
    if isinstance(same_outputs, str):
        raise Wrong(
            _(
                "`same_outputs` should be True or False, but it is the text {text}: give "
                "the comparison's result itself, without quotes.",
                text=quote(same_outputs, 20),
            )
        )
    if isinstance(same_outputs, torch.Tensor | np.ndarray) and np.prod(same_outputs.shape) != 1:
        raise Wrong(
            _(
                "`same_outputs` should be True or False, but it is {value}, one comparison "
                "per number: use `torch.equal(outputs, reloaded_outputs)`.",
                value=describe(same_outputs),
            )
        )
    if not as_bool(same_outputs, "same_outputs"):
        raise Wrong(
            _(
                "`same_outputs` is False. If the weights are equal, the difference comes from "
                "dropout: a model you built yourself is in training mode; call `.eval()` on it."
            )
        )
    return _("the reloaded model is the same model: same weights, same outputs.")


def check_loaded_from(reloaded_model, folder):
    """Raise ``Wrong`` unless ``reloaded_model`` was loaded from ``folder`` (not kept in memory).

    ``from_pretrained(folder)`` records the folder in the model's config
    (``name_or_path``); a model built in memory, or the saved model itself,
    has no such record (or another folder's).
    """
    source = str(getattr(reloaded_model.config, "name_or_path", "") or "")
    if not source:
        raise Wrong(
            _(
                "`reloaded_model` was not loaded from disk: it is a model built in memory "
                "(perhaps the one you saved). Load it back, "
                "`AutoModel.from_pretrained(save_directory)`."
            )
        )
    try:
        same = Path(source).resolve() == folder.resolve()
    except (OSError, ValueError):
        same = False
    if not same:
        raise Wrong(
            _(
                "`reloaded_model` was loaded from {source}, not from {folder}: load it from "
                "`save_directory`.",
                source=quote(source, 60),
                folder=quote(str(folder), 60),
            )
        )
