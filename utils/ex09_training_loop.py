"""Checks for the exercises of lesson 3.4, a full training loop (tasks T9 and T9b).

Both checks run the learner's function on a tiny BERT (one layer, 16 wide, a 100-token
vocabulary) and tiny random batches, so that they take seconds, and compare it with the
same work done the right way by the check itself, at run time.
"""

import copy
import json
import math
import os
import tempfile
from contextlib import contextmanager

import torch

from utils.grading import Placeholder, Unanswered, Wrong, describe, task
from utils.grading.answers import as_list

LEARNING_RATE = 5e-5
BATCH_SIZE = 8
VOCABULARY = 100
# T9: (batches per epoch, epochs, accumulation steps). The second case catches a function that
# ignores its arguments; every length divides by its accumulation steps.
T9_CASES = [(12, 2, 4), (12, 1, 3)]
# T9b: 100 pairs in batches of 8 on two processes: 13 batches, which do not split evenly, so
# Accelerate repeats pairs to fill the last round, and only gather_for_metrics drops them.
T9B_EXAMPLES = 100
BLANK = "the blank ____"


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
    for _ in range(count):
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
    for _ in range(num_epochs):
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
    for _ in range(steps_taken):
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


def run_learner_training(function, batches, num_epochs, accumulation_steps):
    """Run the learner's function on a tiny model; return its result and the recorded steps."""
    model = tiny_model()
    dataloader = tiny_dataloader(batches)
    with StepRecorder() as got:
        try:
            returned = function(copy.deepcopy(model), dataloader, num_epochs, accumulation_steps)
        except Exception as error:
            raise Wrong(
                f"train_with_accumulation(model, train_dataloader, {num_epochs}, "
                f"{accumulation_steps}) failed with {type(error).__name__}: {error}"
            ) from None
    if isinstance(returned, Placeholder):
        raise Unanswered(
            "`train_with_accumulation` still returns ____: write its body, then run that cell "
            "and this check again."
        )
    with StepRecorder() as expected:
        reference_training(copy.deepcopy(model), dataloader, num_epochs, accumulation_steps)
    return model, dataloader, returned, got, expected


def check_step_count(got, expected, batches, num_epochs, accumulation_steps):
    """The optimizer stepped once per accumulation_steps batches."""
    wanted = len(expected.rates)
    if not got.rates:
        raise Wrong("the optimizer never stepped: call optimizer.step() inside the loop.")
    if len(got.rates) == num_epochs * batches:
        raise Wrong(
            f"the optimizer stepped at every batch ({len(got.rates)} times): that is no "
            f"accumulation. Step it, and zero the gradients, only every accumulation_steps "
            f"batches: if (step + 1) % accumulation_steps == 0. Here that makes {wanted} steps."
        )
    if len(got.rates) != wanted:
        raise Wrong(
            f"the optimizer stepped {len(got.rates)} times, but {num_epochs} epoch(s) of "
            f"{batches} batches with accumulation_steps={accumulation_steps} make {wanted} "
            "optimizer steps: num_epochs * len(train_dataloader) // accumulation_steps."
        )
    kinds = set(got.kinds)
    if kinds != {"AdamW"}:
        raise Wrong(
            f"the steps came from {', '.join(sorted(kinds))}; use "
            f"torch.optim.AdamW(model.parameters(), lr={LEARNING_RATE}) as in the lesson."
        )


def check_gradients(model, dataloader, got, expected, accumulation_steps):
    """Each optimizer step applied the sum of loss / accumulation_steps over its batches."""
    for position, (mine, right) in enumerate(zip(got.gradients, expected.gradients, strict=True)):
        if same(mine, right):
            continue
        if same(mine, right * accumulation_steps):
            raise Wrong(
                f"the gradients are {accumulation_steps} times too large: divide the loss by "
                "accumulation_steps before backward(), so that the summed gradients average "
                "the batches: loss = outputs.loss / accumulation_steps."
            )
        if position == 0:
            single = first_batch_gradient(model, dataloader)
            if same(mine, single / accumulation_steps) or same(mine, single):
                raise Wrong(
                    "your first optimizer step came after a single batch. enumerate() counts "
                    "from 0, so step when (step + 1) % accumulation_steps == 0, not "
                    "step % accumulation_steps == 0."
                )
        if position > 0 and same(mine, right + expected.gradients[position - 1]):
            raise Wrong(
                f"at optimizer step {position + 1} the gradients still hold those of the step "
                "before: call optimizer.zero_grad() after each optimizer.step()."
            )
        raise Wrong(
            f"the gradients applied at optimizer step {position + 1} are not the sum of "
            "loss / accumulation_steps over its accumulation_steps batches. Call "
            "loss.backward() at every batch, and optimizer.zero_grad() only right after "
            "optimizer.step()."
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


def check_rates(got, expected, batches, num_epochs, accumulation_steps):
    """The learning rate followed the linear schedule over the optimizer steps, ending at 0."""
    if close_rates(got.rates, expected.rates):
        return
    steps = len(expected.rates)
    if close_rates(got.rates, scheduled_rates(steps, steps + 1)[1:]):
        raise Wrong(
            "each optimizer step used the learning rate meant for the next one: call "
            "lr_scheduler.step() after optimizer.step(), not before."
        )
    if scheduler_stepped_every_batch(got.rates, num_epochs * batches, accumulation_steps, steps):
        raise Wrong(
            "the learning rate falls at every batch, not at every optimizer step: the scheduler "
            "stepped at every batch. Call lr_scheduler.step() only next to optimizer.step()."
        )
    if not math.isclose(got.rates[0], LEARNING_RATE):
        raise Wrong(
            f"the first optimizer step used learning rate {got.rates[0]:.3g}; start at "
            f"lr={LEARNING_RATE} with no warmup (num_warmup_steps=0)."
        )
    if close_rates(got.rates, scheduled_rates(num_epochs * batches, steps)):
        raise Wrong(
            f"your scheduler plans {num_epochs * batches} steps, one per batch, but the "
            f"optimizer steps only {steps} times, so the learning rate never gets near 0. "
            "Build it with num_training_steps = num_epochs * len(train_dataloader) // "
            "accumulation_steps."
        )
    if any(rate == 0 for rate in got.rates):
        raise Wrong(
            "the learning rate reached 0 before the last optimizer step: the scheduler "
            "stepped at every batch. Call lr_scheduler.step() only next to optimizer.step()."
        )
    raise Wrong(
        f"the learning rates of your optimizer steps ({', '.join(f'{r:.3g}' for r in got.rates)}) "
        f"do not follow the linear schedule over {steps} steps "
        f"({', '.join(f'{r:.3g}' for r in expected.rates)})."
    )


def check_returned_rates(returned, got):
    """The function returned the learning rate of each optimizer step, in order."""
    if returned is None:
        raise Wrong(
            "`train_with_accumulation` returned None: return the list of learning rates, "
            "one per optimizer step."
        )
    values = as_list(returned, "the returned learning rates")
    if not all(isinstance(value, float | int) and not isinstance(value, bool) for value in values):
        raise Wrong(
            "the returned list should hold numbers (learning rates), but it is "
            f"{describe(returned)} holding {type(values[0]).__name__ if values else 'nothing'}."
        )
    after_each_step = got.rates[1:] + [scheduled_rates(len(got.rates), len(got.rates) + 1)[-1]]
    if not (close_rates(values, got.rates) or close_rates(values, after_each_step)):
        raise Wrong(
            f"your function returned {len(values)} learning rate(s), but the optimizer stepped "
            f"{len(got.rates)} times with rates {', '.join(f'{r:.3g}' for r in got.rates)}: "
            "append lr_scheduler.get_last_lr()[0] once per optimizer step."
        )
    return values


@task(
    "T9",
    "Gradient accumulation",
    hints=[
        "Keep calling loss.backward() at every batch: PyTorch adds the new gradients to the ones "
        "already there until you call optimizer.zero_grad().",
        "Count the batches with enumerate(); when (step + 1) % accumulation_steps == 0, call "
        "optimizer.step(), lr_scheduler.step(), optimizer.zero_grad(), and append the learning "
        "rate. Divide each loss by accumulation_steps so that the sum is an average.",
        "The scheduler counts optimizer steps: num_training_steps = num_epochs * "
        "len(train_dataloader) // accumulation_steps.",
    ],
)
def t9(train_with_accumulation):
    """T9: a training loop that accumulates gradients, and the learning rates it used."""
    if not callable(train_with_accumulation):
        raise Wrong(
            "`train_with_accumulation` should be a function, but it is "
            f"{describe(train_with_accumulation)}."
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
        except Wrong as wrong:
            if number == 0:
                raise
            raise Wrong(
                f"with accumulation_steps={accumulation_steps} and num_epochs={num_epochs}, {wrong}"
                " (It worked with the first values tried: use the function's arguments rather "
                "than fixed numbers.)"
            ) from None
        if number == 0:
            summary = (
                f"{num_epochs} epochs of {batches} batches with accumulation_steps="
                f"{accumulation_steps}: {len(rates)} optimizer steps, each on gradients averaged "
                f"over {accumulation_steps} batches, and a learning rate falling from "
                f"{rates[0]:.2g} to 0 over them"
            )
    return summary + "; the same with other values."


def as_metrics(value):
    """The learner's result as {'accuracy': float, 'f1': float}, or a string saying what it is."""
    if not isinstance(value, dict):
        return f"{describe(value)}, not a dict"
    missing = [key for key in ("accuracy", "f1") if key not in value]
    if missing:
        return f"a dict without {' and '.join(repr(key) for key in missing)}: {sorted(value)}"
    try:
        return {key: float(value[key]) for key in ("accuracy", "f1")}
    except (TypeError, ValueError):
        return f"a dict whose accuracy and f1 are not numbers: {value!r}"


def mrpc_metrics(predictions, references):
    """Accuracy and F1 of MRPC's metric, computed by evaluate."""
    import evaluate

    # In memory: no cache file, so no wait for a lock that a learner's metric still holds.
    metric = evaluate.load("glue", "mrpc", keep_in_memory=True)
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
            torch.cat([p for p, _ in pairs]).tolist(), torch.cat([r for _, r in pairs]).tolist()
        )
        | {"examples": sum(len(r) for _, r in pairs)}
        for name, pairs in [("gather_for_metrics", kept), ("gather", gathered), ("local", local)]
    }


def distributed_worker(function, state, result_path):
    """One process of the T9b check: the learner's evaluation, then the check's own."""
    import evaluate
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, GradientState

    # A notebook that already made an Accelerator hands its state to the forked processes.
    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()
    accelerator = Accelerator(cpu=True)
    # Each process keeps its metric files in a folder of its own: in one shared folder, the
    # metrics of the two processes wait a second for each other's file lock at every use.
    evaluate.config.HF_METRICS_CACHE = os.path.join(
        os.path.dirname(result_path), f"metrics-{accelerator.process_index}"
    )
    # PyTorch's thread pool does not survive a fork: a forked process computing with several
    # threads can hang, so each process of the check computes with one.
    torch.set_num_threads(1)
    model = tiny_model(dropout=0.3)
    model.load_state_dict(state)
    dataloader = tiny_dataloader_of(T9B_EXAMPLES)
    model, dataloader = accelerator.prepare(model, dataloader)
    model.train()  # as it is after training: the learner's function must switch to eval
    try:
        returned = function(accelerator, model, dataloader)
        learner = BLANK if isinstance(returned, Placeholder) else as_metrics(returned)
    except Exception as error:
        learner = f"raised {type(error).__name__}: {error}"
    results = {"learner": learner, **reference_evaluations(accelerator, model, dataloader)}
    results["processes"] = accelerator.num_processes
    results["rank"] = accelerator.process_index
    if accelerator.is_main_process:
        with open(result_path, "w") as file:
            json.dump(results, file)


def tiny_dataloader_of(count):
    """A DataLoader of ``count`` random pairs in batches of 8 (the last one may be short)."""
    from torch.utils.data import DataLoader

    return DataLoader(tiny_examples(count, seed=1), batch_size=BATCH_SIZE)


def run_on_processes(function, processes):
    """Run the T9b worker on ``processes`` CPU processes; return what process 0 recorded."""
    from accelerate import debug_launcher
    from torch.multiprocessing.spawn import ProcessRaisedException

    state = tiny_model(dropout=0.3).state_dict()
    with tempfile.TemporaryDirectory() as folder:
        result_path = os.path.join(folder, "results.json")
        try:
            debug_launcher(
                distributed_worker, args=(function, state, result_path), num_processes=processes
            )
        except ProcessRaisedException as error:
            raise Wrong(
                f"running your function on {processes} processes failed: {error}".strip()
            ) from None
        with open(result_path) as file:
            return json.load(file)


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
    """True when two metric dicts agree on accuracy and F1 up to rounding."""
    return isinstance(one, dict) and all(
        math.isclose(one[key], two[key], abs_tol=1e-9) for key in ("accuracy", "f1")
    )


@task(
    "T9b",
    "Distributed evaluation that agrees with one process",
    hints=[
        "Start with model.eval(), then loop over eval_dataloader under torch.no_grad(); the "
        "batches are already on the right device.",
        "Each process sees only its share of the batches. Collect predictions and labels from "
        "every process before the metric sees them.",
        "predictions, references = accelerator.gather_for_metrics((predictions, "
        "batch['labels'])); accelerator.gather would keep the pairs Accelerate repeats to even "
        "out the last batches.",
    ],
)
def t9b(evaluate_distributed):
    """T9b: an evaluation function that gives on two processes what one process gives."""
    if not callable(evaluate_distributed):
        raise Wrong(
            f"`evaluate_distributed` should be a function, but it is "
            f"{describe(evaluate_distributed)}."
        )
    with one_thread():
        # First, so that the processes start with the metric's libraries already imported.
        expected = one_process_metrics()
    results = run_on_processes(evaluate_distributed, 2)
    learner = results["learner"]
    if learner == BLANK:
        raise Unanswered(
            "`evaluate_distributed` still returns ____: write its body, then run that cell and "
            "this check again."
        )
    if isinstance(learner, str):
        raise Wrong(
            "on two processes, `evaluate_distributed(accelerator, model, eval_dataloader)` "
            f"{learner if learner.startswith('raised') else 'returned ' + learner}. Return "
            "metric.compute(): a dict with 'accuracy' and 'f1'."
        )
    if same_metrics(learner, expected):
        return (
            f"on two processes your function gives accuracy {expected['accuracy']:.4f} and F1 "
            f"{expected['f1']:.4f} over {T9B_EXAMPLES} pairs, exactly what one process gives."
        )
    extra = results["gather"]["examples"] - T9B_EXAMPLES
    if same_metrics(learner, results["gather"]):
        raise Wrong(
            f"your metrics count {extra} pairs twice: accelerator.gather keeps the pairs "
            "Accelerate repeats to fill the last batches of the processes. Use "
            "accelerator.gather_for_metrics, which drops them."
        )
    if same_metrics(learner, results["local"]):
        raise Wrong(
            f"your metrics cover only the first process's {results['local']['examples']} pairs "
            f"of {T9B_EXAMPLES}: gather the predictions and labels of every process with "
            "accelerator.gather_for_metrics before metric.add_batch()."
        )
    raise Wrong(
        f"on two processes you get accuracy {learner['accuracy']:.4f} and F1 "
        f"{learner['f1']:.4f}, but one process gives {expected['accuracy']:.4f} and "
        f"{expected['f1']:.4f}. Call model.eval() first (dropout must be off), take "
        "logits.argmax(dim=-1) as predictions, and gather them with their labels."
    )
