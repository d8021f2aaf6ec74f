"""T9 and T9b: right answers in several forms accepted, typical mistakes named."""

import evaluate
import numpy as np
import torch
from transformers import get_linear_schedule_with_warmup, get_scheduler
from verdicts import accepted, not_attempted, rejected

from utils import ex09_training_loop as ex
from utils.grading import ____


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


def test_t9_right_answers():
    accepted(ex.t9, train_with_accumulation=accumulating_loop())
    accepted(ex.t9, train_with_accumulation=global_counter_loop)
    accepted(ex.t9, train_with_accumulation=accumulating_loop(record_after_step=True))
    accepted(ex.t9, train_with_accumulation=accumulating_loop(result=torch.tensor))
    accepted(ex.t9, train_with_accumulation=accumulating_loop(result=np.array))


def test_t9_typical_mistakes():
    every_batch = accumulating_loop(step_when=lambda step, k: True)
    rejected(ex.t9, "stepped at every batch", train_with_accumulation=every_batch)
    rejected(ex.t9, "times too large", train_with_accumulation=accumulating_loop(scale_loss=False))
    off_by_one = accumulating_loop(step_when=lambda step, k: step % k == 0)
    rejected(ex.t9, "(step + 1) % accumulation_steps", train_with_accumulation=off_by_one)
    never_zeroed = accumulating_loop(zero_after_step=False)
    rejected(ex.t9, "call optimizer.zero_grad() after", train_with_accumulation=never_zeroed)
    zero_each_batch = accumulating_loop(zero_every_batch=True)
    rejected(ex.t9, "zero_grad() only right after", train_with_accumulation=zero_each_batch)
    per_batch_plan = accumulating_loop(scheduler_steps=lambda epochs, batches, k: epochs * batches)
    rejected(ex.t9, "// accumulation_steps", train_with_accumulation=per_batch_plan)
    rejected(
        ex.t9,
        "only next to optimizer.step()",
        train_with_accumulation=accumulating_loop(scheduler_every_batch=True),
    )
    rejected(
        ex.t9,
        "after optimizer.step(), not before",
        train_with_accumulation=accumulating_loop(scheduler_first=True),
    )
    rejected(
        ex.t9,
        "use torch.optim.AdamW",
        train_with_accumulation=accumulating_loop(optimizer_class=torch.optim.SGD),
    )
    rejected(
        ex.t9, "use the function's arguments", train_with_accumulation=accumulating_loop(fixed_k=4)
    )


def test_t9_odd_inputs():
    rejected(
        ex.t9, "returned None", train_with_accumulation=accumulating_loop(result=lambda r: None)
    )
    rejected(
        ex.t9,
        "returned 1 learning rate",
        train_with_accumulation=accumulating_loop(result=lambda r: r[:1]),
    )
    rejected(ex.t9, "should be a function", train_with_accumulation=[5e-5])

    def broken(model, train_dataloader, num_epochs, accumulation_steps):
        raise KeyError("labels")

    rejected(ex.t9, "failed with KeyError", train_with_accumulation=broken)

    def blank(model, train_dataloader, num_epochs, accumulation_steps):
        return ____

    not_attempted(ex.t9, train_with_accumulation=blank)
    not_attempted(ex.t9, train_with_accumulation=____)


def evaluation(gather="gather_for_metrics", switch_to_eval=True, result="metrics"):
    """A T9b answer, right by default; each argument makes one typical mistake or variant."""

    def evaluate_distributed(accelerator, model, eval_dataloader):
        metric = evaluate.load("glue", "mrpc")
        if switch_to_eval:
            model.eval()
        for batch in eval_dataloader:
            with torch.no_grad():
                logits = model(**batch).logits
            predictions, references = logits.argmax(dim=-1), batch["labels"]
            if gather == "separately":
                predictions = accelerator.gather_for_metrics(predictions)
                references = accelerator.gather_for_metrics(references)
            elif gather:
                predictions, references = getattr(accelerator, gather)((predictions, references))
            metric.add_batch(predictions=predictions, references=references)
        if result == "numpy":
            return {key: np.float64(value) for key, value in metric.compute().items()}
        return metric.compute() if result == "metrics" else result

    return evaluate_distributed


def test_t9b_right_answers():
    accepted(ex.t9b, evaluate_distributed=evaluation())
    accepted(ex.t9b, evaluate_distributed=evaluation(gather="separately", result="numpy"))


def test_t9b_typical_mistakes():
    rejected(
        ex.t9b, "Use accelerator.gather_for_metrics", evaluate_distributed=evaluation("gather")
    )
    rejected(ex.t9b, "only the first process's", evaluate_distributed=evaluation(gather=None))
    rejected(
        ex.t9b, "Call model.eval() first", evaluate_distributed=evaluation(switch_to_eval=False)
    )


def test_t9b_odd_inputs():
    rejected(
        ex.t9b,
        "returned a list of length 1, not a dict. Return metric.compute()",
        evaluate_distributed=evaluation(result=[0.5]),
    )
    rejected(ex.t9b, "without 'f1'", evaluate_distributed=evaluation(result={"accuracy": 0.5}))

    def broken(accelerator, model, eval_dataloader):
        raise RuntimeError("no metric")

    rejected(ex.t9b, "raised RuntimeError: no metric", evaluate_distributed=broken)
    rejected(ex.t9b, "should be a function", evaluate_distributed={"accuracy": 1.0})

    def blank(accelerator, model, eval_dataloader):
        return ____

    not_attempted(ex.t9b, evaluate_distributed=blank)


def test_t9b_mistake_changes_the_numbers():
    """The check's data is chosen so that gather, local-only and right evaluations all differ."""
    results = ex.run_on_processes(evaluation(), 2)
    assert results["processes"] == 2
    assert results["gather_for_metrics"]["examples"] == ex.T9B_EXAMPLES
    assert results["gather"]["examples"] > ex.T9B_EXAMPLES
    assert results["local"]["examples"] < ex.T9B_EXAMPLES
    right = ex.one_process_metrics()
    assert ex.same_metrics(results["learner"], right)
    assert not ex.same_metrics(results["gather"], right)
    assert not ex.same_metrics(results["local"], right)
