"""Lesson 3.4's Accelerate script, run as the lesson runs it: two synchronised CPU processes.

The script is taken from the lesson's ``%%writefile ch3_runs/train.py`` cell, written where the
lesson writes it (``notebooks/ch3_runs/`` of a temporary course folder) and started from that
course folder with the terminal command the lesson shows. The
two processes must each get half of the training batches, end with the same weights (the
fingerprint each prints, which only agree if their gradients were averaged, since they saw
different batches), and their gathered evaluation must equal a one-process evaluation of
the saved model on the same data.
"""

import contextlib
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import types

import nbformat
import pytest
import torch

from utils import notebook_path

# Starts two training processes (about 20 s on an idle 2-core machine).
pytestmark = pytest.mark.integration

MAGIC = "%%writefile ch3_runs/train.py"


def lesson_script():
    """The source of the script lesson 3.4 writes, without its %%writefile line."""
    notebook = nbformat.read(notebook_path("notebooks", "09_training_loop"), as_version=4)
    cells = [cell.source for cell in notebook.cells if cell.source.startswith(MAGIC)]
    assert len(cells) == 1, "lesson 3.4 should write ch3_runs/train.py in exactly one cell"
    return cells[0].removeprefix(MAGIC).lstrip("\n")


def terminal_command():
    """The command lesson 3.4 tells a learner to type in a terminal, in the course folder."""
    notebook = nbformat.read(notebook_path("notebooks", "09_training_loop"), as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    commands = re.findall(r"^\.venv/bin/accelerate launch .*$", text, flags=re.MULTILINE)
    assert len(commands) == 1, "lesson 3.4 should show one `accelerate launch` command"
    return commands[0].split()


def import_script(path):
    """The script as a module, for its constants and helper functions."""
    spec = importlib.util.spec_from_file_location("lesson_train_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    """Run the script as the lesson says, from a course folder; return (folder, module, stdout).

    The lesson writes the script next to itself, in notebooks/ch3_runs/, and tells the
    learner to type its terminal command in the course folder: the test does the same, with
    this Python's accelerate in place of .venv/bin/accelerate.
    """
    folder = tmp_path_factory.mktemp("accelerate_launch")
    script = folder / "notebooks" / "ch3_runs" / "train.py"
    script.parent.mkdir(parents=True)
    script.write_text(lesson_script())
    program, subcommand, *arguments = terminal_command()
    assert (program, subcommand) == (".venv/bin/accelerate", "launch")
    command = [sys.executable, "-m", "accelerate.commands.launch", *arguments]
    # One thread per process, as accelerate chooses when OMP_NUM_THREADS is unset (the test
    # session sets it for notebook kernels, which would give each process all the cores).
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return folder, import_script(script), run.stdout


def test_two_processes_each_take_half_of_the_batches(launched):
    folder, script, stdout = launched
    lines = re.findall(r"process (\d) of (\d): (\d+) training batches, (\d+) evaluation", stdout)
    assert [(rank, size) for rank, size, _, _ in lines] == [("0", "2"), ("1", "2")], stdout
    batches = math.ceil(script.TRAIN_PAIRS / 8)
    assert [int(train) for _, _, train, _ in lines] == [math.ceil(batches / 2)] * 2
    summary = json.loads((script.OUTPUT_DIR / "summary.json").read_text())
    assert summary["processes"] == 2
    assert summary["training batches per process"] == [math.ceil(batches / 2)] * 2


def test_both_processes_end_with_the_saved_weights(launched):
    folder, script, stdout = launched
    from transformers import AutoModelForSequenceClassification

    printed = re.findall(r"process \d of 2: .* weights (\w+)", stdout)
    summary = json.loads((script.OUTPUT_DIR / "summary.json").read_text())
    assert len(printed) == 2 and len(set(printed)) == 1, stdout
    assert summary["weights per process"] == printed
    saved = AutoModelForSequenceClassification.from_pretrained(script.OUTPUT_DIR)
    assert script.fingerprint(saved) == printed[0]
    start = AutoModelForSequenceClassification.from_pretrained(script.CHECKPOINT, num_labels=2)
    assert not torch.equal(
        saved.bert.encoder.layer[0].output.dense.weight,
        start.bert.encoder.layer[0].output.dense.weight,
    )  # it trained


def test_gathered_metrics_equal_one_process_evaluation(launched):
    folder, script, _ = launched
    import evaluate
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    one_process = types.SimpleNamespace(main_process_first=contextlib.nullcontext)
    tokenizer = AutoTokenizer.from_pretrained(script.CHECKPOINT)
    _, eval_dataloader = script.get_dataloaders(one_process, tokenizer)
    model = AutoModelForSequenceClassification.from_pretrained(script.OUTPUT_DIR)
    model.eval()
    metric = evaluate.load("glue", "mrpc")
    for batch in eval_dataloader:
        with torch.no_grad():
            predictions = model(**batch).logits.argmax(dim=-1)
        metric.add_batch(predictions=predictions, references=batch["labels"])
    summary = json.loads((script.OUTPUT_DIR / "summary.json").read_text())
    assert summary["examples evaluated"] == len(eval_dataloader.dataset)
    assert summary["metrics"] == metric.compute()
