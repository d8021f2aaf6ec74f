"""The chapter 3 quiz (section 3.7): ten questions, answered in code, graded like tasks.

As in the chapter 2 quiz (``utils.ex06_quiz``), each question lives here once: its
text, its options, and for every option, right or wrong, an explanation.
``show("Q1")`` displays a question; the learner answers ``q1 = "b"`` (or a list of
letters when more than one option is right) and runs ``ex.q1.check()``.

Three questions are about what today's libraries do, so their right options are worked
out at run time: Q3 and Q5 carry a test per option (does ``TrainingArguments`` take this
keyword? does this import work?), and Q6 computes the number of training steps of MRPC in
batches of 8, which the learner may also give as a number. The grading itself is
``utils.grading.quiz``'s, as for chapter 2's quiz.
"""

import importlib
import inspect
import math
from functools import cache

from utils.grading import quiz
from utils.language import N_

GLUE = "nyu-mll/glue"


def accepts(class_name, keyword):
    """Whether the transformers class ``class_name`` takes ``keyword`` when it is built."""
    import transformers

    built = getattr(transformers, class_name)
    target = built if class_name == "TrainingArguments" else built.__init__
    return keyword in inspect.signature(target).parameters


def importable(module, name):
    """Whether ``from module import name`` works."""
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


@cache
def mrpc_training_steps(batch_size=8, epochs=3):
    """Optimizer steps for MRPC's training split in batches of ``batch_size``, ``epochs`` times."""
    from datasets import load_dataset

    rows = len(load_dataset(GLUE, "mrpc")["train"])
    return math.ceil(rows / batch_size) * epochs


# Each option: (text, right, explanation); see utils/grading/quiz.py. ``right`` is True or
# False, a function that says now whether the option is right, or (Q6, computed) the number
# the option stands for.
QUESTIONS = {
    "Q1": {
        "text": N_(
            "`raw_datasets.map(tokenize_function, batched=True)`: what does "
            "`tokenize_function` receive each time it is called?"
        ),
        "options": {
            "a": (
                N_("One example: a dict whose values are single strings and numbers."),
                False,
                N_("That is what it receives without `batched=True`."),
            ),
            "b": (
                N_("A batch: a dict whose values are lists, one entry per example."),
                True,
                N_(
                    "Up to 1,000 examples at a time by default, which lets the fast tokenizer "
                    "work on many texts at once."
                ),
            ),
            "c": (
                N_("A pandas DataFrame of the batch."),
                False,
                N_("map passes plain Python dicts of lists, not DataFrames."),
            ),
            "d": (
                N_("The whole split at once."),
                False,
                N_(
                    "map works in batches (1,000 examples by default), so data larger than your "
                    "RAM still fits."
                ),
            ),
        },
    },
    "Q2": {
        "text": N_(
            "`DataCollatorWithPadding(tokenizer)` builds a batch of 8 tokenized pairs whose "
            "lengths are 50, 59, 47, 67, 59, 50, 62 and 32. How long are its rows?"
        ),
        "options": {
            "a": (
                N_("512"),
                False,
                N_("That would be padding to the model's maximum: a lot of waste."),
            ),
            "b": (
                N_("67"),
                True,
                N_("Dynamic padding: each batch is padded to its own longest example."),
            ),
            "c": (
                N_("The longest example of the whole dataset."),
                False,
                N_(
                    "That would be padding everything to one length up front; the collator only "
                    "sees the batch it builds."
                ),
            ),
            "d": (
                N_("Their own lengths: no padding is needed."),
                False,
                N_("A batch is one tensor, so its rows must have the same length."),
            ),
        },
    },
    "Q3": {
        "text": N_(
            "Which of these are accepted by transformers 5? Find out with code. "
            "(More than one may be.)"
        ),
        "options": {
            "a": (
                N_('`TrainingArguments("test-trainer", eval_strategy="epoch")`'),
                lambda: accepts("TrainingArguments", "eval_strategy"),
                N_(
                    "`eval_strategy` is today's name for evaluating every epoch (or every "
                    "`eval_steps`)."
                ),
            ),
            "b": (
                N_('`TrainingArguments("test-trainer", evaluation_strategy="epoch")`'),
                lambda: accepts("TrainingArguments", "evaluation_strategy"),
                N_("The old name: today it raises a TypeError (unexpected keyword argument)."),
            ),
            "c": (
                N_("`Trainer(model, args, processing_class=tokenizer)`"),
                lambda: accepts("Trainer", "processing_class"),
                N_(
                    "`processing_class` takes the tokenizer (or another processor); the Trainer "
                    "saves it with the model and builds a collator from it."
                ),
            ),
            "d": (
                N_("`Trainer(model, args, tokenizer=tokenizer)`"),
                lambda: accepts("Trainer", "tokenizer"),
                N_(
                    "The old keyword: today it raises a TypeError; pass `processing_class=` "
                    "instead."
                ),
            ),
        },
    },
    "Q4": {
        "text": N_(
            "The Trainer evaluates a 2-label model on MRPC's 408 validation pairs and calls "
            "`compute_metrics(eval_preds)`. What does `logits, labels = eval_preds` hold?"
        ),
        "options": {
            "a": (
                N_("logits of shape (408, 2), labels of shape (408,)"),
                True,
                N_(
                    "One row of 2 scores per pair; `np.argmax(logits, axis=-1)` gives the "
                    "predicted labels to compare with `labels`."
                ),
            ),
            "b": (
                N_("logits of shape (408,), labels of shape (408,)"),
                False,
                N_(
                    "Those would already be predictions; the Trainer hands over raw logits, one "
                    "score per label."
                ),
            ),
            "c": (
                N_("probabilities of shape (408, 2) that add up to 1 per row"),
                False,
                N_("The model returns logits; apply a softmax yourself if you need probabilities."),
            ),
            "d": (
                N_("logits of shape (8, 2): the last batch only"),
                False,
                N_(
                    "The Trainer gathers the predictions of every batch before calling "
                    "compute_metrics."
                ),
            ),
        },
    },
    "Q5": {
        "text": N_(
            "Where does the AdamW optimizer for a training loop come from today? Try the imports."
        ),
        "options": {
            "a": (
                N_("`from transformers import AdamW`"),
                lambda: importable("transformers", "AdamW"),
                N_(
                    "Older code did this; transformers removed its copy, so today it raises an "
                    "ImportError."
                ),
            ),
            "b": (
                N_("`from torch.optim import AdamW`"),
                lambda: importable("torch.optim", "AdamW"),
                N_("PyTorch's own AdamW: `torch.optim.AdamW(model.parameters(), lr=5e-5)`."),
            ),
            "c": (
                N_("`from accelerate import AdamW`"),
                lambda: importable("accelerate", "AdamW"),
                N_("Accelerate wraps your optimizer in `prepare()`; it does not provide one."),
            ),
            "d": (
                N_("`from transformers.optimization import AdamW`"),
                lambda: importable("transformers.optimization", "AdamW"),
                N_(
                    "That module keeps the schedulers (`get_scheduler`), but AdamW is gone from it "
                    "too."
                ),
            ),
        },
    },
    "Q6": {
        "text": N_(
            "A training loop goes over MRPC's training split in batches of 8, for 3 epochs. "
            "What `num_training_steps` should `get_scheduler` get? Compute it."
        ),
        "compute": mrpc_training_steps,
        "options": {
            "a": (
                N_("1,377"),
                1377,
                N_("`len(train_dataloader) * num_epochs`: one scheduler step per optimizer step."),
            ),
            "b": (
                N_("459"),
                459,
                N_("That is one epoch; the rate would reach 0 after the first epoch."),
            ),
            "c": (
                N_("11,004"),
                11004,
                N_("That counts examples, not batches: the scheduler steps once per batch."),
            ),
            "d": (
                N_("3"),
                3,
                N_("That counts epochs; the scheduler steps after every batch."),
            ),
        },
    },
    "Q7": {
        "text": N_(
            "About `model.train()`, `model.eval()` and `torch.no_grad()`: which statements "
            "are true? (More than one may be.)"
        ),
        "options": {
            "a": (
                N_("`model.eval()` switches dropout off, so evaluation is deterministic."),
                True,
                N_("Right: eval mode changes how layers such as dropout behave."),
            ),
            "b": (
                N_("`model.eval()` stops PyTorch from computing gradients."),
                False,
                N_(
                    "It only sets the mode; gradients are still tracked unless you use "
                    "`torch.no_grad()`."
                ),
            ),
            "c": (
                N_("`with torch.no_grad():` around evaluation saves memory and time."),
                True,
                N_("Right: no graph is kept for a backward pass that will never come."),
            ),
            "d": (
                N_("`model.train()` runs the training loop."),
                False,
                N_(
                    "It only switches the model to training mode (dropout on); your loop does "
                    "the training."
                ),
            ),
        },
    },
    "Q8": {
        "text": N_(
            "Two processes evaluate MRPC's 408 validation pairs with Accelerate. Why call "
            "`accelerator.gather_for_metrics(...)` rather than `accelerator.gather(...)`?"
        ),
        "options": {
            "a": (
                N_(
                    "It drops the examples Accelerate repeated to even out the last batches, so "
                    "the metric sees exactly 408."
                ),
                True,
                N_("`gather` would return them too, and a few pairs would count twice."),
            ),
            "b": (
                N_("`gather` only works on GPUs."),
                False,
                N_("Both work on CPUs (over gloo) as well as GPUs."),
            ),
            "c": (
                N_("`gather_for_metrics` computes the metric for you."),
                False,
                N_(
                    "It only collects predictions and labels from every process; "
                    "`metric.add_batch` and `compute` still do the counting."
                ),
            ),
            "d": (
                N_("It sends every process's predictions to process 0 only."),
                False,
                N_("Every process receives everything gathered, not just process 0."),
            ),
        },
    },
    "Q9": {
        "text": N_(
            "In a notebook, `notebook_launcher(training_function, num_processes=2)` stops "
            "with a ValueError about the Accelerator. What is the usual cause?"
        ),
        "options": {
            "a": (
                N_("A cell of the notebook already created an `Accelerator()`."),
                True,
                N_(
                    "The Accelerator must be created inside `training_function` only; restart "
                    "the kernel and remove that cell."
                ),
            ),
            "b": (
                N_("`num_processes` must be 1 without a GPU."),
                False,
                N_("Two processes run on a CPU too (over gloo), one thread each."),
            ),
            "c": (
                N_("`training_function` must take the model as an argument."),
                False,
                N_("It can take arguments (`args=`), but none are required."),
            ),
            "d": (
                N_("Accelerate only works from a terminal with `accelerate launch`."),
                False,
                N_("`notebook_launcher` exists precisely to launch from a notebook."),
            ),
        },
    },
    "Q10": {
        "text": N_("Which readings of learning curves are right? (More than one may be.)"),
        "options": {
            "a": (
                N_(
                    "Training loss keeps falling while validation loss, lowest at epoch 2, rises "
                    "through epoch 6: the model overfits, and `load_best_model_at_end` with "
                    "early stopping would keep the epoch-2 model."
                ),
                True,
                N_(
                    "Right: the model memorises its training set; more data or regularisation "
                    "help too."
                ),
            ),
            "b": (
                N_(
                    "Training loss jumps up and down and ends higher than it started: the "
                    "learning rate is probably too high."
                ),
                True,
                N_("Right: lower it, or warm up with `warmup_steps`."),
            ),
            "c": (
                N_("Both losses stay flat from the first step: the learning rate is too high."),
                False,
                N_(
                    "Flat curves that barely move mean underfitting: a learning rate too *low*, "
                    "too few steps or too small a model."
                ),
            ),
            "d": (
                N_("Validation loss rises while training loss falls: train for more epochs."),
                False,
                N_("More epochs make overfitting worse: stop earlier or get more data."),
            ),
        },
    },
}


def right_letters(name):
    """The letters of the right options of a question (worked out now where needed)."""
    return quiz.right_letters(QUESTIONS[name])


def several_right(name):
    """Whether the question says more than one option may be right."""
    return quiz.several_right(QUESTIONS[name])


def show(name):
    """Display a question and its options in the notebook."""
    quiz.show(QUESTIONS, name)


q1, q2, q3, q4, q5, q6, q7, q8, q9, q10 = quiz.make_tasks(
    QUESTIONS,
    "11_quiz",
    N_("Rule out options one at a time; each wrong one contradicts something in chapter 3."),
    N_(
        "Run the code of each option in a cell of your own: what raises an error, and what "
        "does it compute?"
    ),
)
