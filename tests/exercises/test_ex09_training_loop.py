"""T9 and T9b: right answers in several forms accepted, typical mistakes named."""

import math
import multiprocessing
import os
import re
import time

import evaluate
import numpy as np
import pytest
import torch
import verdicts
from transformers import get_linear_schedule_with_warmup, get_scheduler

from utils import ex09_training_loop as ex
from utils import language, local_processes
from utils.grading import Unanswered, Wrong, ____, describe
from utils.grading.answers import MESSAGE_LIMIT


def accumulating_loop(
    scale_loss=True,
    step_when=lambda step, k: (step + 1) % k == 0,
    zero_every_batch=False,
    zero_after_step=True,
    scheduler_steps=lambda epochs, batches, k: epochs * batches // k,
    scheduler_every_batch=False,
    scheduler_first=False,
    optimizer_class=torch.optim.AdamW,
    record_after_step=False,
    fixed_k=None,
    result=list,
):
    """A T9 answer, right by default; each argument makes one typical mistake or variant."""

    def train_with_accumulation(model, train_dataloader, num_epochs, accumulation_steps):
        k = fixed_k or accumulation_steps
        optimizer = optimizer_class(model.parameters(), lr=5e-5)
        total = scheduler_steps(num_epochs, len(train_dataloader), k)
        lr_scheduler = get_scheduler(
            "linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=total
        )
        rates = []
        model.train()
        for _ in range(num_epochs):
            for step, batch in enumerate(train_dataloader):
                if zero_every_batch:
                    optimizer.zero_grad()
                loss = model(**batch).loss
                (loss / k if scale_loss else loss).backward()
                if scheduler_every_batch:
                    lr_scheduler.step()
                if step_when(step, k):
                    if scheduler_first:
                        lr_scheduler.step()
                    if not record_after_step:
                        rates.append(optimizer.param_groups[0]["lr"])
                    optimizer.step()
                    if not scheduler_first and not scheduler_every_batch:
                        lr_scheduler.step()
                    if record_after_step:
                        rates.append(lr_scheduler.get_last_lr()[0])
                    if zero_after_step:
                        optimizer.zero_grad()
        return result(rates)

    return train_with_accumulation


def global_counter_loop(model, train_dataloader, num_epochs, accumulation_steps):
    """A right answer written differently: one counter over all epochs, the other scheduler."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    updates = num_epochs * len(train_dataloader) // accumulation_steps
    scheduler = get_linear_schedule_with_warmup(optimizer, 0, updates)
    rates, seen = [], 0
    model.train()
    for _ in range(num_epochs):
        for batch in train_dataloader:
            loss = model(**batch).loss
            loss = loss * (1 / accumulation_steps)
            loss.backward()
            seen += 1
            if seen % accumulation_steps == 0:
                rates.append(scheduler.get_last_lr()[0])
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
    return rates


def said(task, **answers):
    """The check's verdict on ``answers``: ("correct" | "wrong" | "unanswered", message).

    Calls the check function itself, so that the message is seen before the framework's
    cap could cut it: every message must fit the cap whole, in sentences of its own.
    """
    try:
        message, verdict = task.check_function(**answers), "correct"
    except Wrong as wrong:
        message, verdict = str(wrong), "wrong"
    except Unanswered as blank:
        message, verdict = str(blank), "unanswered"
    assert len(message) <= MESSAGE_LIMIT, f"{len(message)} characters: {message}"
    assert "Traceback" not in message and "tensor(" not in message, message
    return verdict, message


def accepted(task, **answers):
    """Assert that the check accepts the answers."""
    verdict, message = said(task, **answers)
    assert verdict == "correct", message


def rejected(task, expected_message, **answers):
    """Assert that the check rejects the answers with a message containing ``expected_message``."""
    verdict, message = said(task, **answers)
    assert verdict == "wrong" and expected_message in message, message


def not_attempted(task, **answers):
    """Assert that the check finds the task not answered yet."""
    verdict, message = said(task, **answers)
    assert verdict == "unanswered", message


def explicit_keywords(model, train_dataloader, num_epochs, accumulation_steps):
    """A right answer that names the model's arguments instead of unpacking the batch."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    total = num_epochs * len(train_dataloader) // accumulation_steps
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=0, num_training_steps=total)
    rates = []
    for _ in range(num_epochs):
        for step, batch in enumerate(train_dataloader, start=1):
            outputs = model(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                labels=batch["labels"],
            )
            (outputs.loss / accumulation_steps).backward()
            if step % accumulation_steps == 0:
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                rates.append(scheduler.get_last_lr()[0])
    return rates


T9_VALID = {
    "the solution's loop": accumulating_loop(),
    "one counter over all epochs": global_counter_loop,
    "the rate read after each step": accumulating_loop(record_after_step=True),
    "a tensor of rates": accumulating_loop(result=torch.tensor),
    "a NumPy array of rates": accumulating_loop(result=np.array),
    "the model's arguments by name": explicit_keywords,
}


@pytest.mark.parametrize("answer", T9_VALID.values(), ids=T9_VALID.keys())
def test_t9_right_answers(answer):
    accepted(ex.t9, train_with_accumulation=answer)


def whole_batch_call(model, train_dataloader, num_epochs, accumulation_steps):
    """The batch handed to the model as one argument, model(batch)."""
    for batch in train_dataloader:
        model(batch)


T9_WRONG = {
    "stepped at every batch": accumulating_loop(step_when=lambda step, k: True),
    "times too large": accumulating_loop(scale_loss=False),
    "(step + 1) % accumulation_steps": accumulating_loop(step_when=lambda step, k: step % k == 0),
    "call `optimizer.zero_grad()` after": accumulating_loop(zero_after_step=False),
    "zero_grad()` only right after": accumulating_loop(zero_every_batch=True),
    "// accumulation_steps": accumulating_loop(
        scheduler_steps=lambda epochs, batches, k: epochs * batches
    ),
    "only next to `optimizer.step()`": accumulating_loop(scheduler_every_batch=True),
    "after `optimizer.step()`, not before": accumulating_loop(scheduler_first=True),
    "use `torch.optim.AdamW": accumulating_loop(optimizer_class=torch.optim.SGD),
    "use the function's arguments": accumulating_loop(fixed_k=4),
    "unpack the batch with `model(**batch)`": whole_batch_call,
    "start at `lr=5e-05`": accumulating_loop(
        optimizer_class=lambda parameters, lr: torch.optim.AdamW(parameters, lr=1e-4)
    ),
}


@pytest.mark.parametrize("message, answer", T9_WRONG.items(), ids=T9_WRONG.keys())
def test_t9_typical_mistakes(message, answer):
    rejected(ex.t9, message, train_with_accumulation=answer)


def raises_own_error(model, train_dataloader, num_epochs, accumulation_steps):
    raise KeyError("labels")


def blank_body(model, train_dataloader, num_epochs, accumulation_steps):
    return ____


T9_ODD = {
    "returned None": accumulating_loop(result=lambda r: None),
    "returned 1 learning rate": accumulating_loop(result=lambda r: r[:1]),
    "should be a function": [5e-5],
    "it raised KeyError: 'labels'": raises_own_error,
    "include nan": accumulating_loop(result=lambda r: [math.nan] * len(r)),
    "holding str": accumulating_loop(result=lambda r: [str(rate) for rate in r]),
    "a dict": accumulating_loop(result=lambda r: {"rates": r}),
    "include inf": accumulating_loop(result=lambda r: [math.inf] + r[1:]),
}


@pytest.mark.parametrize("message, answer", T9_ODD.items(), ids=T9_ODD.keys())
def test_t9_odd_inputs(message, answer):
    rejected(ex.t9, message, train_with_accumulation=answer)


def test_t9_not_answered():
    not_attempted(ex.t9, train_with_accumulation=blank_body)
    verdicts.not_attempted(ex.t9, train_with_accumulation=____)  # the framework finds the blank


def evaluation(
    gather="gather_for_metrics",
    switch_to_eval=True,
    result="metrics",
    predictions="argmax",
    call="unpacked",
):
    """A T9b answer, right by default; each argument makes one typical mistake or variant."""

    def evaluate_distributed(accelerator, model, eval_dataloader):
        metric = evaluate.load("glue", "mrpc")
        if switch_to_eval:
            model.eval()
        for batch in eval_dataloader:
            with torch.no_grad():
                logits = model(**batch).logits if call == "unpacked" else model(batch).logits
            chosen = {
                "argmax": logits.argmax(dim=-1),
                "logits": logits,
                "argmax over the batch": logits.argmax(dim=0).repeat(len(logits))[: len(logits)],
            }[predictions]
            predictions_, references = chosen, batch["labels"]
            if gather == "separately":
                predictions_ = accelerator.gather_for_metrics(predictions_)
                references = accelerator.gather_for_metrics(references)
            elif gather == "predictions only":
                predictions_ = accelerator.gather_for_metrics(predictions_)
            elif gather in ("main only", "gather on main only"):
                method = "gather" if gather.startswith("gather") else "gather_for_metrics"
                if accelerator.is_main_process:
                    predictions_, references = getattr(accelerator, method)(
                        (predictions_, references)
                    )
            elif gather:
                predictions_, references = getattr(accelerator, gather)((predictions_, references))
            metric.add_batch(predictions=predictions_, references=references)
        if result == "numpy":
            return {key: np.float64(value) for key, value in metric.compute().items()}
        if result == "tensors":
            return {key: torch.tensor(value) for key, value in metric.compute().items()}
        if result == "extra key":
            return metric.compute() | {"examples": len(eval_dataloader.dataset)}
        if result == "model":
            return model
        return metric.compute() if result == "metrics" else result

    return evaluate_distributed


def gathered_as_dict(accelerator, model, eval_dataloader):
    """A right answer that gathers a dict and computes once, from Python lists."""
    predictions, references = [], []
    model.eval()
    for batch in eval_dataloader:
        with torch.inference_mode():
            logits = model(**batch).logits
        both = accelerator.gather_for_metrics({"p": logits.argmax(-1), "r": batch["labels"]})
        predictions += both["p"].tolist()
        references += both["r"].tolist()
    metric = evaluate.load("glue", "mrpc")
    return metric.compute(predictions=predictions, references=references)


def unwrapped_with_lists(accelerator, model, eval_dataloader):
    """A right answer on the unwrapped model, handing the metric Python lists."""
    metric = evaluate.load("glue", "mrpc")
    plain_model = accelerator.unwrap_model(model)
    plain_model.eval()
    for batch in eval_dataloader:
        with torch.no_grad():
            predictions = torch.argmax(plain_model(**batch).logits, dim=1)
        predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
        metric.add_batch(predictions=predictions.tolist(), references=references.tolist())
    results = metric.compute()
    return {"accuracy": float(results["accuracy"]), "f1": float(results["f1"])}


T9B_VALID = {
    "the solution's function": evaluation(),
    "each tensor gathered alone, NumPy numbers": evaluation(gather="separately", result="numpy"),
    "a gathered dict, one compute": gathered_as_dict,
    "tensor numbers": evaluation(result="tensors"),
    "the unwrapped model, Python lists": unwrapped_with_lists,
    "metric.compute() plus a key of its own": evaluation(result="extra key"),
}


@pytest.mark.parametrize("answer", T9B_VALID.values(), ids=T9B_VALID.keys())
def test_t9b_right_answers(answer):
    accepted(ex.t9b, evaluate_distributed=answer)


def gathers_and_adds_on_main_only(accelerator, model, eval_dataloader):
    """The gather and add_batch both under is_main_process: process 1's compute() has nothing."""
    metric = evaluate.load("glue", "mrpc")
    model.eval()
    for batch in eval_dataloader:
        with torch.no_grad():
            predictions = model(**batch).logits.argmax(dim=-1)
        if accelerator.is_main_process:
            predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
            metric.add_batch(predictions=predictions, references=references)
    return metric.compute()


T9B_WRONG = {
    "Use `accelerator.gather_for_metrics`": evaluation("gather"),
    "only the first process's": evaluation(gather=None),
    "Call `model.eval()` first": evaluation(switch_to_eval=False),
    "do not put the gather under `if accelerator.is_main_process`": evaluation(gather="main only"),
    "process 0 called `accelerator.gather` but": evaluation(gather="gather on main only"),
    "under `if accelerator.is_main_process`.": gathers_and_adds_on_main_only,
    "pass `predictions = logits.argmax(dim=-1)`": evaluation(predictions="logits"),
    "unpack the batch with `model(**batch)`": evaluation(call="whole batch"),
    "gather both together": evaluation(gather="predictions only"),
    "one process gives": evaluation(predictions="argmax over the batch"),
}


@pytest.mark.parametrize("message, answer", T9B_WRONG.items(), ids=T9B_WRONG.keys())
def test_t9b_typical_mistakes(message, answer):
    rejected(ex.t9b, message, evaluate_distributed=answer)


def raises_runtime_error(accelerator, model, eval_dataloader):
    raise RuntimeError("no metric")


def fails_on_process_1(accelerator, model, eval_dataloader):
    """Process 1 fails before it gathers, so process 0 waits in its gather for nothing."""
    if accelerator.process_index == 1:
        raise ValueError("only here")
    return evaluation()(accelerator, model, eval_dataloader)


def ends_process_1(accelerator, model, eval_dataloader):
    if accelerator.process_index == 1:
        os._exit(3)
    return {"accuracy": 1.0, "f1": 1.0}


def returns_blank(accelerator, model, eval_dataloader):
    return ____


def defined_in_a_notebook(cell):
    """The function as a notebook cell defines it: in ``__main__``, shipped whole by cloudpickle."""
    namespace = {"__name__": "__main__"}
    exec(cell, namespace)
    return namespace["evaluate_distributed"]


HOLDS_A_LOCK = """
import threading

lock = threading.Lock()


def evaluate_distributed(accelerator, model, eval_dataloader):
    with lock:
        return {}
"""

NOTEBOOK_CELL = """
import evaluate
import torch


def evaluate_distributed(accelerator, model, eval_dataloader):
    metric = evaluate.load("glue", "mrpc")
    model.eval()
    for batch in eval_dataloader:
        with torch.no_grad():
            outputs = model(**batch)
        predictions = outputs.logits.argmax(dim=-1)
        predictions, references = accelerator.GATHER((predictions, batch["labels"]))
        metric.add_batch(predictions=predictions, references=references)
    return metric.compute()
"""


T9B_ODD = {
    "returned a list of length 1, not a dict. Return `metric.compute()`": evaluation(result=[0.5]),
    "without `'f1'`": evaluation(result={"accuracy": 0.5}),
    "failed on process 0: it raised RuntimeError: no metric": raises_runtime_error,
    "returned None": evaluation(result=None),
    "whose `'accuracy'` is nan": evaluation(result={"accuracy": math.nan, "f1": 0.5}),
    "whose `'f1'` is inf": evaluation(result={"accuracy": 0.5, "f1": math.inf}),
    "whose `'f1'` is a Tensor of shape [2]": evaluation(
        result={"accuracy": 0.5, "f1": torch.tensor([0.1, 0.2])}
    ),
    "returned the model itself": evaluation(result="model"),
    "returned a str of length 4": evaluation(result="0.56"),
    "process 1 stopped (exit code 3)": ends_process_1,
    "failed on process 1: it raised ValueError: only here": fails_on_process_1,
    "could not be copied to the two processes": defined_in_a_notebook(HOLDS_A_LOCK),
}


@pytest.mark.parametrize("message, answer", T9B_ODD.items(), ids=T9B_ODD.keys())
def test_t9b_odd_inputs(message, answer):
    rejected(ex.t9b, message, evaluate_distributed=answer)


def test_t9b_not_a_function_or_not_answered():
    rejected(ex.t9b, "should be a function", evaluate_distributed={"accuracy": 1.0})
    not_attempted(ex.t9b, evaluate_distributed=returns_blank)
    verdicts.not_attempted(ex.t9b, evaluate_distributed=____)


def test_t9b_a_process_that_never_ends_is_stopped(monkeypatch):
    monkeypatch.setattr(local_processes, "RUN_TIMEOUT", 2)

    def waits(accelerator, model, eval_dataloader):
        time.sleep(60)

    rejected(ex.t9b, "did not finish within", evaluate_distributed=waits)


def test_t9b_check_cells_stay_quiet(capfd):
    """Nothing the processes print reaches the notebook: not gloo, accelerate or evaluate."""
    said(ex.t9b, evaluate_distributed=evaluation())
    said(ex.t9b, evaluate_distributed=evaluation(gather="main only"))
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == "", captured


def test_the_processes_meet_on_the_loopback_interface(monkeypatch):
    interfaces = {"linux": [(1, "lo"), (2, "eth0")], "darwin": [(1, "lo0"), (4, "en0")]}
    for platform, names in interfaces.items():
        monkeypatch.setattr(local_processes.sys, "platform", platform)
        monkeypatch.setattr(local_processes.socket, "if_nameindex", lambda names=names: names)
        expected = names[0][1]
        assert local_processes.loopback_interface() == expected
        assert local_processes.process_environment(2)["GLOO_SOCKET_IFNAME"] == expected
    monkeypatch.setattr(local_processes.sys, "platform", "win32")
    assert "GLOO_SOCKET_IFNAME" not in local_processes.process_environment(2)
    assert local_processes.process_environment(2)["MASTER_ADDR"] == "127.0.0.1"


METRIC_FROM_ANOTHER_CELL = """
import evaluate
import torch

metric = evaluate.load("glue", "mrpc")


def evaluate_distributed(accelerator, model, eval_dataloader):
    model.eval()
    for batch in eval_dataloader:
        with torch.no_grad():
            predictions = model(**batch).logits.argmax(dim=-1)
        predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
        metric.add_batch(predictions=predictions, references=references)
    return metric.compute()
"""


def test_t9b_a_metric_made_in_another_cell():
    """The processes get a copy of a metric the notebook made: a right answer still."""
    accepted(ex.t9b, evaluate_distributed=defined_in_a_notebook(METRIC_FROM_ANOTHER_CELL))


@pytest.mark.integration  # two spawned processes import torch anew: 10 to 40 s a check
def test_t9b_without_fork_judges_right_and_wrong(monkeypatch):
    """Where there is no fork (Windows) the check spawns its processes, and judges the same."""
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert local_processes.start_method() == "spawn"
    accepted(
        ex.t9b,
        evaluate_distributed=defined_in_a_notebook(
            NOTEBOOK_CELL.replace("GATHER", "gather_for_metrics")
        ),
    )
    wrong = defined_in_a_notebook(NOTEBOOK_CELL.replace("GATHER", "gather"))
    rejected(ex.t9b, "pairs twice", evaluate_distributed=wrong)


def test_t9b_mistake_changes_the_numbers():
    """The check's data is chosen so that gather, local-only and right evaluations all differ."""
    results = ex.run_on_two_processes(evaluation())
    right = ex.one_process_metrics()
    for rank, result in results.items():
        assert result["processes"] == 2
        assert result["gather_for_metrics"]["examples"] == ex.T9B_EXAMPLES
        assert result["gather"]["examples"] > ex.T9B_EXAMPLES
        assert result["local"]["examples"] < ex.T9B_EXAMPLES
        assert ex.same_metrics(result["learner"], right), rank
        assert ex.same_metrics(result["gather_for_metrics"], right)
        assert not ex.same_metrics(result["gather"], right)
        assert not ex.same_metrics(result["local"], right)


HANGUL = re.compile("[\uac00-\ud7a3]")


def test_korean_edition_tells_mistakes_and_right_answers_in_korean(monkeypatch):
    """With COURSE_LANGUAGE=ko each check speaks Korean: verdicts, confirmations, titles, hints.

    T9b's processes send back plain data, and the notebook's process writes the message; what
    they describe (a returned list) is described in the language they inherit.
    """
    monkeypatch.setenv(language.LANGUAGE_VARIABLE, "ko")
    korean = {
        "T9 mistake": (
            said(ex.t9, train_with_accumulation=whole_batch_call),
            language._(ex.FAILED_IN_TRAINING["whole batch"], num_epochs=2, accumulation_steps=4),
        ),
        "T9b mistake": (
            said(ex.t9b, evaluate_distributed=evaluation(gather="main only")),
            language._(
                "process {process} called `accelerator.{method}` but the other process did not "
                "do the same, so it waited for a partner that had finished. Every process must "
                "gather its own predictions: do not put the gather under "
                "`if accelerator.is_main_process`.",
                process=0,
                method="gather_for_metrics",
            ),
        ),
        "T9b value described by a process": (
            said(ex.t9b, evaluate_distributed=evaluation(result=[0.5])),
            language._(ex.NOT_METRICS["not a dict"], what=describe([0.5])),
        ),
    }
    for case, ((verdict, message), expected) in korean.items():
        assert verdict == "wrong" and message == expected, (case, message)
        assert HANGUL.search(message), (case, message)
    for task, answer in [(ex.t9, accumulating_loop()), (ex.t9b, evaluation())]:
        verdict, message = said(task, **dict(zip(task.names, [answer], strict=True)))
        assert verdict == "correct" and HANGUL.search(message), message
    shown = [ex.t9.title, ex.t9b.title, *ex.t9.hints, *ex.t9b.hints]
    assert all(HANGUL.search(language._(text)) for text in shown)
