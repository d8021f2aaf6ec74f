"""Checks for the exercises of lesson 2.3, models (tasks M1 and M2)."""

from pathlib import Path

import torch

from utils.grading import Wrong, describe, task

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
    "A BERT of your own size",
    hints=[
        "BertConfig takes the sizes as keyword arguments, e.g. BertConfig(num_hidden_layers=4).",
        "Build the model with BertModel(my_config); count with a sum over model.parameters().",
        "my_parameter_count = sum(p.numel() for p in my_model.parameters())",
    ],
)
def m1(my_config, my_model, my_parameter_count):
    """M1: a BERT built from a config of your own, and its parameter count."""
    from transformers import BertConfig, BertModel

    if not isinstance(my_config, BertConfig):
        raise Wrong(f"`my_config` should be a BertConfig, but it is {describe(my_config)}.")
    default = BertConfig()
    changed = [key for key in SHAPE_SETTINGS if getattr(my_config, key) != getattr(default, key)]
    if not changed:
        raise Wrong(
            "`my_config` has BERT-base's default sizes: change at least one of "
            f"{', '.join(SHAPE_SETTINGS[:3])}, …"
        )
    if not isinstance(my_model, BertModel):
        raise Wrong(f"`my_model` should be a BertModel, but it is {describe(my_model)}.")
    for key in SHAPE_SETTINGS:
        if getattr(my_model.config, key) != getattr(my_config, key):
            raise Wrong(
                f"`my_model` was not built from `my_config`: its {key} is "
                f"{getattr(my_model.config, key)}, the config says {getattr(my_config, key)}."
            )
    parameters = list(my_model.parameters())
    expected = sum(parameter.numel() for parameter in parameters)
    if isinstance(my_parameter_count, torch.Tensor) and my_parameter_count.numel() == 1:
        my_parameter_count = my_parameter_count.item()
    if isinstance(my_parameter_count, bool) or not isinstance(my_parameter_count, int):
        raise Wrong(
            f"`my_parameter_count` should be an integer, but it is {describe(my_parameter_count)}."
        )
    if my_parameter_count == len(parameters):
        raise Wrong(
            f"`my_parameter_count` is {my_parameter_count}, the number of parameter *tensors*. "
            "Count the numbers inside them: add up `parameter.numel()`."
        )
    if my_parameter_count != expected:
        raise Wrong(
            f"`my_parameter_count` is {my_parameter_count:,}, but `my_model` has {expected:,}."
        )
    return f"your BERT has {expected:,} parameters (BERT-base has about 110 million)."


@task(
    "M2",
    "Save, reload, compare",
    hints=[
        "save_pretrained(folder) writes, from_pretrained(folder) reads.",
        "Run both models on the same input IDs (a tensor with a batch dimension) and compare "
        "their last_hidden_state with torch.equal().",
        "A model you built from a config starts in training mode, where dropout changes every "
        "output: call my_model.eval() before comparing.",
    ],
)
def m2(save_directory, reloaded_model, same_outputs):
    """M2: save a model, load it back, and show the outputs are identical."""
    from safetensors.torch import load_file
    from transformers import PreTrainedModel

    if not isinstance(save_directory, str | Path):
        raise Wrong(
            f"`save_directory` should be a folder name, but it is {describe(save_directory)}."
        )
    folder = Path(save_directory)
    if not folder.is_dir():
        raise Wrong(f"there is no folder {folder}: call `save_pretrained({str(folder)!r})` first.")
    for name in ["config.json", "model.safetensors"]:
        if not (folder / name).exists():
            raise Wrong(f"{folder} has no {name}: did `save_pretrained()` write into it?")
    if not isinstance(reloaded_model, PreTrainedModel):
        raise Wrong(
            f"`reloaded_model` should be a model loaded with from_pretrained(), but it is "
            f"{describe(reloaded_model)}."
        )
    saved = load_file(str(folder / "model.safetensors"))
    state = reloaded_model.state_dict()
    for name, tensor in saved.items():
        if name in state and not torch.equal(state[name], tensor):
            raise Wrong(
                f"`reloaded_model`'s weight {name} differs from the one saved in {folder}: "
                "load it with from_pretrained() from that same folder."
            )
    if not isinstance(same_outputs, bool | torch.Tensor) or (
        isinstance(same_outputs, torch.Tensor) and same_outputs.numel() != 1
    ):
        raise Wrong(
            "`same_outputs` should be True or False: the result of comparing the two outputs, "
            f"for example with torch.equal(), but it is {describe(same_outputs)}."
        )
    if not bool(same_outputs):
        raise Wrong(
            "`same_outputs` is False. If the weights are equal, the difference comes from "
            "dropout: a model you built yourself is in training mode; call `.eval()` on it."
        )
    return "the reloaded model is the same model: same weights, same outputs."
