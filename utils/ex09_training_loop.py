"""Checks for the exercises of lesson 3.4, a full training loop (tasks T9 and T9b).

Both checks run the learner's function on a tiny BERT (one layer, 16 wide, a 100-token
vocabulary) and tiny random batches, so that they take seconds, and compare it with the
same work done the right way by the check itself, at run time. T9b runs it on two CPU
processes started by ``utils.local_processes`` (fork on Linux, spawn elsewhere). When the
learner's function raises, ``error_reason`` names the mistake (the whole batch given to
the model, logits given to the metric) rather than quoting a library's error text.

Every message is one whole template passed through ``utils.language._`` in the notebook's
process: the T9b processes send back plain data (a reason and the values its message names,
``describe``'s words among them, in the language the processes inherit), never a sentence.
"""

import copy
import math
import os
import tempfile
import traceback
from collections.abc import Mapping
from contextlib import contextmanager

import torch

from utils import local_processes
from utils.grading import Placeholder, Unanswered, Wrong, describe, task
from utils.grading.answers import as_list, cut, quote
from utils.language import N_, _

LEARNING_RATE = 5e-5
BATCH_SIZE = 8
VOCABULARY = 100
# T9: (batches per epoch, epochs, accumulation steps). The second case catches a function that
# ignores its arguments; every length divides by its accumulation steps.
T9_CASES = [(12, 2, 4), (12, 1, 3)]
# T9b: 100 pairs in batches of 8 on two processes: 13 batches, which do not split evenly, so
# Accelerate repeats pairs to fill the last round, and only gather_for_metrics drops them.
T9B_EXAMPLES = 100
BLANK = {"blank": "____"}  # what a T9b process reports for a function that returns ____


def tiny_model(seed=0, dropout=0.0):
    """A one-layer BERT with a two-label head, built from a config with fixed random weights."""
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(
        vocab_size=VOCABULARY,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        num_labels=2,
    )
    torch.manual_seed(seed)
    return BertForSequenceClassification(config)


def tiny_examples(count, seed=0):
    """``count`` random pairs of token IDs (lengths 6 to 20, padded) with labels 0 or 1."""
    generator = torch.Generator().manual_seed(seed)
    examples = []
    for _example in range(count):
        length = int(torch.randint(6, 21, (1,), generator=generator))
        ids = torch.randint(5, VOCABULARY, (20,), generator=generator)
        mask = (torch.arange(20) < length).long()
        label = torch.randint(0, 2, (), generator=generator)
        examples.append({"input_ids": ids * mask, "attention_mask": mask, "labels": label})
    return examples


def tiny_dataloader(batches, seed=0):
    """A DataLoader of ``batches`` batches of 8 random pairs, in a fixed order."""
    from torch.utils.data import DataLoader

    return DataLoader(tiny_examples(batches * BATCH_SIZE, seed), batch_size=BATCH_SIZE)


def flat_gradients(optimizer):
    """Every gradient the optimizer is about to apply, as one flat tensor."""
    return torch.cat(
        [
            (p.grad if p.grad is not None else torch.zeros_like(p)).detach().flatten().cpu()
            for group in optimizer.param_groups
            for p in group["params"]
        ]
    )


class StepRecorder:
    """Records every optimizer step while active: optimizer type, learning rate, gradients."""

    def __enter__(self):
        from torch.optim.optimizer import register_optimizer_step_pre_hook

        self.kinds, self.rates, self.gradients = [], [], []
        self.handle = register_optimizer_step_pre_hook(self.record)
        return self

    def record(self, optimizer, args, kwargs):
        """Called by PyTorch just before any optimizer applies a step."""
        self.kinds.append(type(optimizer).__name__)
        self.rates.append(float(optimizer.param_groups[0]["lr"]))
        self.gradients.append(flat_gradients(optimizer))

    def __exit__(self, *exc):
        self.handle.remove()


@contextmanager
def one_thread():
    """Compute with one thread for a while: faster for tiny models, and restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def reference_training(model, train_dataloader, num_epochs, accumulation_steps):
    """Gradient accumulation done right: what the learner's function should do."""
    from transformers import get_scheduler

    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    num_training_steps = num_epochs * len(train_dataloader) // accumulation_steps
    lr_scheduler = get_scheduler(
        "linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=num_training_steps
    )
    model.train()
    for _epoch in range(num_epochs):
        for step, batch in enumerate(train_dataloader):
            loss = model(**batch).loss / accumulation_steps
            loss.backward()
            if (step + 1) % accumulation_steps == 0:
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()


def scheduled_rates(total_steps, steps_taken):
    """The learning rates get_scheduler('linear') gives at its first ``steps_taken`` steps."""
    from transformers import get_scheduler

    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([parameter], lr=LEARNING_RATE)
    scheduler = get_scheduler(
        "linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=total_steps
    )
    rates = []
    for _step in range(steps_taken):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        scheduler.step()
    return rates


def first_batch_gradient(model, dataloader):
    """The gradient of the first batch's loss at the model's starting weights."""
    model = copy.deepcopy(model)
    model.train()
    loss = model(**next(iter(dataloader))).loss
    loss.backward()
    return torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])


def same(one, two):
    """True when two gradient tensors agree up to rounding."""
    return one.shape == two.shape and torch.allclose(one, two, rtol=1e-4, atol=1e-8)


def close_rates(one, two):
    """True when two lists of learning rates agree up to rounding."""
    return len(one) == len(two) and all(
        math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12) for a, b in zip(one, two, strict=True)
    )


# --- Explaining what went wrong in the learner's function -------------------------------------


def library_of(filename):
    """The installed package a traceback frame's file belongs to, or None for the learner's."""
    parts = filename.replace("\\", "/").split("/")
    for folder in ("site-packages", "dist-packages"):
        if folder in parts[:-1]:
            return parts[parts.index(folder) + 1].removesuffix(".py")
    return None


def add_batch_locals(error):
    """The local variables of evaluate's ``add_batch`` if the error came from it, else None."""
    trace = error.__traceback__
    found = None
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_name == "add_batch" and library_of(code.co_filename) == "evaluate":
            found = trace.tb_frame.f_locals
        trace = trace.tb_next
    return found


def learner_line(error):
    """The last line of the learner's own code the error went through, or None."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not library_of(f.filename)]
    frames = [
        f
        for f in frames
        if not f.filename.endswith(os.path.join("utils", __name__.split(".")[-1] + ".py"))
    ]
    return frames[-1].line if frames and frames[-1].line else None


def error_reason(error, called_with_dict):
    """Why the learner's function raised ``error``: a reason (a key of ``FAILED_IN_TRAINING``
    and ``FAILED_ON_A_PROCESS``) and the values its message names.

    Plain data, so that a process of T9b can send it back and the notebook's process writes
    the message, in the learner's language.
    """
    if called_with_dict:
        return "whole batch", {}
    metric_call = add_batch_locals(error)
    if metric_call is not None:
        predictions = metric_call.get("predictions")
        if getattr(predictions, "ndim", 1) == 2:
            return "logits to the metric", {}
        references = metric_call.get("references")
        sizes = [len(v) if hasattr(v, "__len__") else None for v in (predictions, references)]
        if None not in sizes and sizes[0] != sizes[1]:
            return "uneven gather", {"predictions": sizes[0], "references": sizes[1]}
        return "odd predictions", {"what": describe(predictions)}
    kind = type(error).__name__
    library = library_of(traceback.extract_tb(error.__traceback__)[-1].filename)
    if library is None:  # the learner's own error: its text is the learner's
        return "own error", {"error": kind, "text": cut(" ".join(str(error).split()), 100)}
    line = learner_line(error)
    if line:
        return "library error at a line", {
            "error": kind,
            "library": library,
            "line": cut(line.strip(), 80),
        }
    return "library error", {"error": kind, "library": library}


# What the learner's function did wrong, by reason (see error_reason): in T9, where the call
# is named, and in T9b, where the process is. One whole template per reason and place.
FAILED_IN_TRAINING = {
    "whole batch": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: it called the model with the whole batch as one argument, `model(batch)`: "
        "unpack the batch with `model(**batch)`, so that each key goes to the argument of its "
        "name."
    ),
    "logits to the metric": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: `metric.add_batch()` was given the logits, two scores per pair: pass "
        "`predictions = logits.argmax(dim=-1)`, the label each pair gets."
    ),
    "uneven gather": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: `metric.add_batch()` got {predictions} predictions but {references} "
        "references: gather both together, "
        "`accelerator.gather_for_metrics((predictions, batch['labels']))`."
    ),
    "odd predictions": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: `metric.add_batch()` could not use predictions that are {what}: pass "
        "`predictions = logits.argmax(dim=-1)` and `references = batch['labels']`."
    ),
    "own error": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: it raised {error}: {text}"
    ),
    "library error at a line": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: it stopped at `{line}` with an error inside {library} ({error}): check what "
        "that line passes, against the lesson's loop."
    ),
    "library error": N_(
        "`train_with_accumulation(model, train_dataloader, {num_epochs}, {accumulation_steps})` "
        "failed: it stopped with an error inside {library} ({error}): check what your function "
        "passes to {library}, against the lesson's loop."
    ),
}
FAILED_ON_A_PROCESS = {
    "whole batch": N_(
        "on two processes, your function failed on process {process}: it called the model with "
        "the whole batch as one argument, `model(batch)`: unpack the batch with "
        "`model(**batch)`, so that each key goes to the argument of its name."
    ),
    "logits to the metric": N_(
        "on two processes, your function failed on process {process}: `metric.add_batch()` was "
        "given the logits, two scores per pair: pass `predictions = logits.argmax(dim=-1)`, the "
        "label each pair gets."
    ),
    "uneven gather": N_(
        "on two processes, your function failed on process {process}: `metric.add_batch()` got "
        "{predictions} predictions but {references} references: gather both together, "
        "`accelerator.gather_for_metrics((predictions, batch['labels']))`."
    ),
    "odd predictions": N_(
        "on two processes, your function failed on process {process}: `metric.add_batch()` "
        "could not use predictions that are {what}: pass "
        "`predictions = logits.argmax(dim=-1)` and `references = batch['labels']`."
    ),
    "own error": N_(
        "on two processes, your function failed on process {process}: it raised {error}: {text}"
    ),
    "library error at a line": N_(
        "on two processes, your function failed on process {process}: it stopped at `{line}` "
        "with an error inside {library} ({error}): check what that line passes, against the "
        "lesson's loop."
    ),
    "library error": N_(
        "on two processes, your function failed on process {process}: it stopped with an error "
        "inside {library} ({error}): check what your function passes to {library}, against the "
        "lesson's loop."
    ),
}


class DictCallWatcher:
    """Notes whether a model was called with a dict as its first positional argument."""

    def __init__(self, model):
        self.called_with_dict = False
        self.handle = model.register_forward_pre_hook(self.look, with_kwargs=True)

    def look(self, module, args, kwargs):
        """Called by PyTorch before every forward pass of the model."""
        if args and isinstance(args[0], Mapping):
            self.called_with_dict = True

    def remove(self):
        """Stop watching."""
        self.handle.remove()


def run_learner_training(function, batches, num_epochs, accumulation_steps):
    """Run the learner's function on a tiny model; return its result and the recorded steps."""
    model = tiny_model()
    dataloader = tiny_dataloader(batches)
    learner_model = copy.deepcopy(model)
    watcher = DictCallWatcher(learner_model)
    with StepRecorder() as got:
        try:
            returned = function(learner_model, dataloader, num_epochs, accumulation_steps)
        except Exception as error:
            reason, values = error_reason(error, watcher.called_with_dict)
            raise Wrong(
                _(
                    FAILED_IN_TRAINING[reason],
                    num_epochs=num_epochs,
                    accumulation_steps=accumulation_steps,
                    **values,
                )
            ) from None
    watcher.remove()
    if isinstance(returned, Placeholder):
        raise Unanswered(
            _(
                "`train_with_accumulation` still returns ____: write its body, then run that "
                "cell and this check again."
            )
        )
    with StepRecorder() as expected:
        reference_training(copy.deepcopy(model), dataloader, num_epochs, accumulation_steps)
    return model, dataloader, returned, got, expected


def check_step_count(got, expected, batches, num_epochs, accumulation_steps):
    """The optimizer stepped once per accumulation_steps batches."""
    wanted = len(expected.rates)
    if not got.rates:
        raise Wrong(_("the optimizer never stepped: call `optimizer.step()` inside the loop."))
    if len(got.rates) == num_epochs * batches:
        raise Wrong(
            _(
                "the optimizer stepped at every batch ({steps} times): that is no accumulation. "
                "Step it, and zero the gradients, only every `accumulation_steps` batches: "
                "`if (step + 1) % accumulation_steps == 0`. Here that makes {wanted} steps.",
                steps=len(got.rates),
                wanted=wanted,
            )
        )
    if len(got.rates) != wanted:
        raise Wrong(
            _(
                "the optimizer stepped {steps} times, but {num_epochs} epoch(s) of {batches} "
                "batches with `accumulation_steps={accumulation_steps}` make {wanted} optimizer "
                "steps: `num_epochs * len(train_dataloader) // accumulation_steps`.",
                steps=len(got.rates),
                num_epochs=num_epochs,
                batches=batches,
                accumulation_steps=accumulation_steps,
                wanted=wanted,
            )
        )
    kinds = set(got.kinds)
    if kinds != {"AdamW"}:
        raise Wrong(
            _(
                "the steps came from {optimizers}; use "
                "`torch.optim.AdamW(model.parameters(), lr={lr})` as in the lesson.",
                optimizers=", ".join(sorted(kinds)),
                lr=LEARNING_RATE,
            )
        )


def check_gradients(model, dataloader, got, expected, accumulation_steps):
    """Each optimizer step applied the sum of loss / accumulation_steps over its batches."""
    for position, (mine, right) in enumerate(zip(got.gradients, expected.gradients, strict=True)):
        if same(mine, right):
            continue
        if same(mine, right * accumulation_steps):
            raise Wrong(
                _(
                    "the gradients are {accumulation_steps} times too large: divide the loss by "
                    "`accumulation_steps` before `backward()`, so that the summed gradients "
                    "average the batches: `loss = outputs.loss / accumulation_steps`.",
                    accumulation_steps=accumulation_steps,
                )
            )
        if position == 0:
            single = first_batch_gradient(model, dataloader)
            if same(mine, single / accumulation_steps) or same(mine, single):
                raise Wrong(
                    _(
                        "your first optimizer step came after a single batch. `enumerate()` "
                        "counts from 0, so step when `(step + 1) % accumulation_steps == 0`, "
                        "not `step % accumulation_steps == 0`."
                    )
                )
        if position > 0 and same(mine, right + expected.gradients[position - 1]):
            raise Wrong(
                _(
                    "at optimizer step {step} the gradients still hold those of the step "
                    "before: call `optimizer.zero_grad()` after each `optimizer.step()`.",
                    step=position + 1,
                )
            )
        raise Wrong(
            _(
                "the gradients applied at optimizer step {step} are not the sum of "
                "`loss / accumulation_steps` over its `accumulation_steps` batches. Call "
                "`loss.backward()` at every batch, and `optimizer.zero_grad()` only right after "
                "`optimizer.step()`.",
                step=position + 1,
            )
        )


def scheduler_stepped_every_batch(rates, batches, accumulation_steps, steps):
    """True when ``rates`` are what a scheduler stepped once per batch gives at each update."""
    for planned in (steps, batches):
        per_batch = scheduled_rates(planned, batches + 1)
        for offset in (accumulation_steps - 1, accumulation_steps):
            seen = [per_batch[min(i * accumulation_steps + offset, batches)] for i in range(steps)]
            if close_rates(rates, seen):
                return True
    return False


def rate_list(rates):
    """Learning rates as a message shows them: ``5e-05, 2.5e-05, 0``."""
    return ", ".join(f"{rate:.3g}" for rate in rates)


def check_rates(got, expected, batches, num_epochs, accumulation_steps):
    """The learning rate followed the linear schedule over the optimizer steps, ending at 0."""
    if close_rates(got.rates, expected.rates):
        return
    steps = len(expected.rates)
    if close_rates(got.rates, scheduled_rates(steps, steps + 1)[1:]):
        raise Wrong(
            _(
                "each optimizer step used the learning rate meant for the next one: call "
                "`lr_scheduler.step()` after `optimizer.step()`, not before."
            )
        )
    if scheduler_stepped_every_batch(got.rates, num_epochs * batches, accumulation_steps, steps):
        raise Wrong(
            _(
                "the learning rate falls at every batch, not at every optimizer step: the "
                "scheduler stepped at every batch. Call `lr_scheduler.step()` only next to "
                "`optimizer.step()`."
            )
        )
    if not math.isclose(got.rates[0], LEARNING_RATE):
        raise Wrong(
            _(
                "the first optimizer step used learning rate {rate:.3g}; start at `lr={lr}` "
                "with no warmup (`num_warmup_steps=0`).",
                rate=got.rates[0],
                lr=LEARNING_RATE,
            )
        )
    if close_rates(got.rates, scheduled_rates(num_epochs * batches, steps)):
        raise Wrong(
            _(
                "your scheduler plans {planned} steps, one per batch, but the optimizer steps "
                "only {steps} times, so the learning rate never gets near 0. Build it with "
                "`num_training_steps = num_epochs * len(train_dataloader) // accumulation_steps`.",
                planned=num_epochs * batches,
                steps=steps,
            )
        )
    if any(rate == 0 for rate in got.rates):
        raise Wrong(
            _(
                "the learning rate reached 0 before the last optimizer step: the scheduler "
                "stepped at every batch. Call `lr_scheduler.step()` only next to "
                "`optimizer.step()`."
            )
        )
    raise Wrong(
        _(
            "the learning rates of your optimizer steps ({rates}) do not follow the linear "
            "schedule over {steps} steps ({expected}).",
            rates=rate_list(got.rates),
            steps=steps,
            expected=rate_list(expected.rates),
        )
    )


def check_returned_rates(returned, got):
    """The function returned the learning rate of each optimizer step, in order."""
    if returned is None:
        raise Wrong(
            _(
                "`train_with_accumulation` returned None: return the list of learning rates, "
                "one per optimizer step."
            )
        )
    values = as_list(returned, "train_with_accumulation(...)")
    if not all(isinstance(value, float | int) and not isinstance(value, bool) for value in values):
        raise Wrong(  # (values[0] exists: all() of an empty list is True)
            _(
                "the returned list should hold numbers (learning rates), but it is {what} "
                "holding {kind}.",
                what=describe(returned),
                kind=type(values[0]).__name__,
            )
        )
    odd = next((value for value in values if not math.isfinite(value)), None)
    if odd is not None:
        raise Wrong(
            _(
                "the returned learning rates include {value}: return the numbers the scheduler "
                "gives, `lr_scheduler.get_last_lr()[0]`, once per optimizer step.",
                value=odd,
            )
        )
    after_each_step = got.rates[1:] + [scheduled_rates(len(got.rates), len(got.rates) + 1)[-1]]
    if not (close_rates(values, got.rates) or close_rates(values, after_each_step)):
        raise Wrong(
            _(
                "your function returned {count} learning rate(s), but the optimizer stepped "
                "{steps} times with rates {rates}: append `lr_scheduler.get_last_lr()[0]` once "
                "per optimizer step.",
                count=len(values),
                steps=len(got.rates),
                rates=rate_list(got.rates),
            )
        )
    return values


def other_values(first, then):
    """The message for a function right with the first values tried and wrong with others."""
    return _(
        "your function works with `num_epochs={first_epochs}, accumulation_steps={first_steps}` "
        "but not with `num_epochs={epochs}, accumulation_steps={steps}`: use the function's "
        "arguments rather than fixed numbers.",
        first_epochs=first[1],
        first_steps=first[2],
        epochs=then[1],
        steps=then[2],
    )


@task(
    "T9",
    N_("Gradient accumulation"),
    hints=[
        N_(
            "Keep calling `loss.backward()` at every batch: PyTorch adds the new gradients to "
            "the ones already there until you call `optimizer.zero_grad()`."
        ),
        N_(
            "Count the batches with `enumerate()`; when `(step + 1) % accumulation_steps == 0`, "
            "call `optimizer.step()`, `lr_scheduler.step()`, `optimizer.zero_grad()`, and append "
            "the learning rate. Divide each loss by `accumulation_steps` so that the sum is an "
            "average."
        ),
        N_(
            "The scheduler counts optimizer steps: `num_training_steps = num_epochs * "
            "len(train_dataloader) // accumulation_steps`."
        ),
    ],
)
def t9(train_with_accumulation):
    """T9: a training loop that accumulates gradients, and the learning rates it used."""
    if not callable(train_with_accumulation):
        raise Wrong(
            _(
                "`train_with_accumulation` should be a function, but it is {what}.",
                what=describe(train_with_accumulation),
            )
        )
    for number, (batches, num_epochs, accumulation_steps) in enumerate(T9_CASES):
        with one_thread():
            model, dataloader, returned, got, expected = run_learner_training(
                train_with_accumulation, batches, num_epochs, accumulation_steps
            )
        try:
            check_step_count(got, expected, batches, num_epochs, accumulation_steps)
            check_rates(got, expected, batches, num_epochs, accumulation_steps)
            check_gradients(model, dataloader, got, expected, accumulation_steps)
            rates = check_returned_rates(returned, got)
        except Wrong:
            if number == 0:
                raise
            raise Wrong(other_values(T9_CASES[0], T9_CASES[number])) from None
        if number == 0:
            summary = _(
                "{num_epochs} epochs of {batches} batches with "
                "`accumulation_steps={accumulation_steps}`: {steps} optimizer steps, each on "
                "gradients averaged over {accumulation_steps} batches, and a learning rate "
                "falling from {rate:.2g} to 0 over them; the same with other values.",
                num_epochs=num_epochs,
                batches=batches,
                accumulation_steps=accumulation_steps,
                steps=len(rates),
                rate=rates[0],
            )
    return summary


# --- T9b ------------------------------------------------------------------------------------


def as_metrics(value):
    """The learner's result as {'accuracy': float, 'f1': float}, or why it is not one.

    Why is a dict of plain data: ``refused`` (a key of ``NOT_METRICS``) and the values its
    message names, so that a process of T9b can send it back to the notebook's process.
    """
    if isinstance(value, torch.nn.Module):
        return {"refused": "the model", "kind": type(value).__name__}
    if not isinstance(value, dict):
        return {"refused": "not a dict", "what": describe(value)}
    missing = [key for key in ("accuracy", "f1") if key not in value]
    keys = quote(sorted(map(str, value)))
    if len(missing) == 2:
        return {"refused": "neither key", "keys": keys}
    if missing:
        return {"refused": "a key missing", "key": repr(missing[0]), "keys": keys}
    metrics = {}
    for key in ("accuracy", "f1"):
        try:
            metrics[key] = float(value[key])
        except (TypeError, ValueError, RuntimeError):  # a list, a string, a tensor of several
            return {"refused": "not one number", "key": repr(key), "what": describe(value[key])}
        if not math.isfinite(metrics[key]):
            return {"refused": "not a score", "key": repr(key), "value": metrics[key]}
    return metrics


# What ``evaluate_distributed`` returned instead of metrics, by the reason as_metrics gives.
NOT_METRICS = {
    "the model": N_(
        "on two processes, `evaluate_distributed` returned the model itself ({kind}), not a "
        "dict. Return `metric.compute()`: a dict with `'accuracy'` and `'f1'`."
    ),
    "not a dict": N_(
        "on two processes, `evaluate_distributed` returned {what}, not a dict. Return "
        "`metric.compute()`: a dict with `'accuracy'` and `'f1'`."
    ),
    "neither key": N_(
        "on two processes, `evaluate_distributed` returned a dict with neither `'accuracy'` "
        "nor `'f1'`: its keys are {keys}. Return `metric.compute()`."
    ),
    "a key missing": N_(
        "on two processes, `evaluate_distributed` returned a dict without `{key}`: its keys "
        "are {keys}. Return `metric.compute()`: a dict with `'accuracy'` and `'f1'`."
    ),
    "not one number": N_(
        "on two processes, `evaluate_distributed` returned a dict whose `{key}` is {what}, not "
        "one number. Return `metric.compute()`: a dict with `'accuracy'` and `'f1'`."
    ),
    "not a score": N_(
        "on two processes, `evaluate_distributed` returned a dict whose `{key}` is {value}, not "
        "a score between 0 and 1. Return `metric.compute()`: a dict with `'accuracy'` and "
        "`'f1'`."
    ),
}


def mrpc_metrics(predictions, references):
    """Accuracy and F1 of MRPC's metric, computed by evaluate."""
    import evaluate
    from evaluate.utils import logging

    level = logging.get_verbosity()
    logging.set_verbosity_error()  # no "Using the latest cached version" offline
    try:
        # In memory: no cache file, so no wait for a lock that a learner's metric still holds.
        metric = evaluate.load("glue", "mrpc", keep_in_memory=True)
    finally:
        logging.set_verbosity(level)
    return {
        key: float(value)
        for key, value in metric.compute(predictions=predictions, references=references).items()
    }


def reference_evaluations(accelerator, model, dataloader):
    """Predictions and labels three ways: gathered for metrics, plainly gathered, this process's."""
    model.eval()
    kept, gathered, local = [], [], []
    for batch in dataloader:
        with torch.no_grad():
            predictions = model(**batch).logits.argmax(dim=-1)
        pair = (predictions, batch["labels"])
        kept.append(accelerator.gather_for_metrics(pair))
        gathered.append(accelerator.gather(pair))
        local.append(pair)
    return {
        name: mrpc_metrics(
            torch.cat([p for p, _r in pairs]).tolist(), torch.cat([r for _p, r in pairs]).tolist()
        )
        | {"examples": sum(len(r) for _p, r in pairs)}
        for name, pairs in [("gather_for_metrics", kept), ("gather", gathered), ("local", local)]
    }


GATHERS = ("gather_for_metrics", "gather", "reduce", "pad_across_processes")


def count_gathers(accelerator):
    """Make ``accelerator`` count the calls of its methods that wait for every process."""
    calls = []

    def counted(method):
        def call(*args, **kwargs):
            calls.append(method.__name__)
            return method(*args, **kwargs)

        return call

    for name in GATHERS:
        setattr(accelerator, name, counted(getattr(accelerator, name)))
    return calls


def distributed_worker(function, state):
    """One process of the T9b check: the check's own evaluations first, then the learner's.

    The check's gathers come first, so that a learner's gather that only one process calls
    can leave nothing of the check waiting. Returns plain values only, no message: the
    notebook's process writes those, in the learner's language.
    """
    import evaluate
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, GradientState
    from evaluate.utils import logging

    logging.set_verbosity_error()  # no "Using the latest cached version" from any metric
    # A notebook that already made an Accelerator hands its state to the forked processes.
    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()
    accelerator = Accelerator(cpu=True)
    torch.set_num_threads(1)
    model = tiny_model(dropout=0.3)
    model.load_state_dict(state)
    watcher = DictCallWatcher(model)
    dataloader = tiny_dataloader_of(T9B_EXAMPLES)
    model, dataloader = accelerator.prepare(model, dataloader)
    results = reference_evaluations(accelerator, model, dataloader)
    model.train()  # as it is after training: the learner's function must switch to eval
    calls = count_gathers(accelerator)
    with tempfile.TemporaryDirectory() as folder:
        # Each process keeps its metric files in a folder of its own: in one shared folder,
        # the metrics of the two processes wait a second for each other's file lock.
        evaluate.config.HF_METRICS_CACHE = folder
        try:
            returned = function(accelerator, model, dataloader)
            learner = BLANK if isinstance(returned, Placeholder) else as_metrics(returned)
        except Exception as error:
            reason, values = error_reason(error, watcher.called_with_dict)
            learner = {"failed": reason, "values": values}  # reasons of FAILED_ON_A_PROCESS
    results["learner"] = learner
    results["gathers"] = calls  # the names of the methods called, in order
    results["processes"] = accelerator.num_processes
    return results


def tiny_dataloader_of(count):
    """A DataLoader of ``count`` random pairs in batches of 8 (the last one may be short)."""
    from torch.utils.data import DataLoader

    return DataLoader(tiny_examples(count, seed=1), batch_size=BATCH_SIZE)


def process_failure(outcomes):
    """The message for processes that did not report (raised inside the check, died, too slow)."""
    late = [o.rank for o in outcomes if o.kind == "late"]
    if late:
        return _(
            "on two processes, process {process} did not finish within {seconds} seconds: a "
            "process may wait in a gather that the other never calls. Every process must call "
            "`accelerator.gather_for_metrics` the same number of times.",
            process=late[0],
            seconds=local_processes.RUN_TIMEOUT,
        )
    died = [o for o in outcomes if o.kind == "died"]
    if died:
        return _(
            "on two processes, process {process} stopped (exit code {code}) while running your "
            "function. Run your cell again; if the check says the same, look for code that ends "
            "the process.",
            process=died[0].rank,
            code=died[0].value,
        )
    raised = [o for o in outcomes if o.kind == "raised"]
    return _(
        "the check's own part of the two processes stopped on an error ({error}), so your "
        "function could not be judged: restart the kernel, run the notebook's cells, then this "
        "check again.",
        error=raised[0].value,
    )


def learner_failure(rank, learner):
    """The message for the learner's function that raised on process ``rank``."""
    return _(FAILED_ON_A_PROCESS[learner["failed"]], process=rank, **learner["values"])


def one_gathering(results):
    """A message if the processes called gathers a different number of times, else None."""
    counts = {rank: len(result["gathers"]) for rank, result in results.items()}
    if len(set(counts.values())) == 1:
        return None
    more, fewer = max(counts, key=counts.get), min(counts, key=counts.get)
    learner = results[fewer]["learner"]
    # A process that raised an error of the learner's own stopped before gathering. One that
    # stopped inside a library (evaluate's compute() with no batches added, when the gather and
    # add_batch sit under `if accelerator.is_main_process`) only shows the skipped gathers.
    if isinstance(learner, dict) and learner.get("failed") == "own error":
        return learner_failure(fewer, learner)
    return _(
        "process {process} called `accelerator.{method}` but the other process did not do the "
        "same, so it waited for a partner that had finished. Every process must gather its own "
        "predictions: do not put the gather under `if accelerator.is_main_process`.",
        process=more,
        method=results[more]["gathers"][counts[fewer]],  # the first call left without a partner
    )


def run_on_two_processes(function):
    """Run the T9b worker on two CPU processes; return {rank: results} or raise Wrong."""
    state = tiny_model(dropout=0.3).state_dict()
    try:
        outcomes = local_processes.run_on_processes(distributed_worker, (function, state), 2)
    except local_processes.NotCopyable as error:
        raise Wrong(
            _(
                "your function could not be copied to the two processes ({error}): it uses an "
                "object from the notebook that cannot be copied. Create what it needs inside "
                "the function.",
                error=error,
            )
        ) from None
    results = {o.rank: o.value for o in outcomes if o.kind == "returned"}
    if len(results) < 2:
        raise Wrong(process_failure(outcomes))
    message = one_gathering(results)
    if message:
        raise Wrong(message)
    return results


def one_process_metrics():
    """The check's own evaluation of the T9b model, in this process, without Accelerate."""
    model = tiny_model(dropout=0.3)
    model.eval()
    predictions, references = [], []
    for batch in tiny_dataloader_of(T9B_EXAMPLES):
        with torch.no_grad():
            predictions += model(**batch).logits.argmax(dim=-1).tolist()
        references += batch["labels"].tolist()
    return mrpc_metrics(predictions, references)


def same_metrics(one, two):
    """True when two metric dicts agree on accuracy and F1 up to rounding (float32 too)."""
    return isinstance(one, dict) and all(
        math.isclose(one[key], two[key], abs_tol=1e-6) for key in ("accuracy", "f1")
    )


@task(
    "T9b",
    N_("Distributed evaluation that agrees with one process"),
    hints=[
        N_(
            "Start with `model.eval()`, then loop over `eval_dataloader` under "
            "`torch.no_grad()`; the batches are already on the right device."
        ),
        N_(
            "Each process sees only its share of the batches. Collect predictions and labels "
            "from every process before the metric sees them."
        ),
        N_(
            "`predictions, references = accelerator.gather_for_metrics((predictions, "
            "batch['labels']))`: `accelerator.gather` would keep the pairs Accelerate repeats "
            "to even out the last batches."
        ),
    ],
)
def t9b(evaluate_distributed):
    """T9b: an evaluation function that gives on two processes what one process gives."""
    if not callable(evaluate_distributed):
        raise Wrong(
            _(
                "`evaluate_distributed` should be a function, but it is {what}.",
                what=describe(evaluate_distributed),
            )
        )
    with one_thread():
        # First, so that the processes start with the metric's libraries already imported.
        expected = one_process_metrics()
    results = run_on_two_processes(evaluate_distributed)
    for rank, result in sorted(results.items()):
        if "failed" in result["learner"]:
            raise Wrong(learner_failure(rank, result["learner"]))
    learner = results[0]["learner"]
    if learner == BLANK:
        raise Unanswered(
            _(
                "`evaluate_distributed` still returns ____: write its body, then run that cell "
                "and this check again."
            )
        )
    if "refused" in learner:
        values = {key: value for key, value in learner.items() if key != "refused"}
        raise Wrong(_(NOT_METRICS[learner["refused"]], **values))
    if same_metrics(learner, expected):
        return _(
            "on two processes your function gives accuracy {accuracy:.4f} and F1 {f1:.4f} over "
            "{examples} pairs, exactly what one process gives.",
            accuracy=expected["accuracy"],
            f1=expected["f1"],
            examples=T9B_EXAMPLES,
        )
    first = results[0]
    if same_metrics(learner, first["gather"]):
        raise Wrong(
            _(
                "your metrics count {extra} pairs twice: `accelerator.gather` keeps the pairs "
                "Accelerate repeats to fill the last batches of the processes. Use "
                "`accelerator.gather_for_metrics`, which drops them.",
                extra=first["gather"]["examples"] - T9B_EXAMPLES,
            )
        )
    if same_metrics(learner, first["local"]):
        raise Wrong(
            _(
                "your metrics cover only the first process's {local} pairs of {examples}: "
                "gather the predictions and labels of every process with "
                "`accelerator.gather_for_metrics` before `metric.add_batch()`.",
                local=first["local"]["examples"],
                examples=T9B_EXAMPLES,
            )
        )
    raise Wrong(
        _(
            "on two processes you get accuracy {accuracy:.4f} and F1 {f1:.4f}, but one process "
            "gives {expected_accuracy:.4f} and {expected_f1:.4f}. Call `model.eval()` first "
            "(dropout must be off), take `logits.argmax(dim=-1)` as predictions, and gather "
            "them with their labels.",
            accuracy=learner["accuracy"],
            f1=learner["f1"],
            expected_accuracy=expected["accuracy"],
            expected_f1=expected["f1"],
        )
    )
