"""The upstream course's chapter 3 code (3.3 and 3.4), as a learner would copy it today.

The Hugging Face course's current text uses today's names: ``processing_class``,
``eval_strategy``, ``torch.optim.AdamW``, ``get_scheduler``, the manual loop, the Trainer,
``evaluate.load("glue", "mrpc")``, and Accelerate. This test runs that code unchanged, with
the course's own checkpoint id (``bert-base-uncased``), offline on the stand-ins, in a fresh
interpreter whose HOME is an empty folder.

One patch point, marked ``# PATCH``, cuts every MRPC split to a few rows right after loading:
BERT base takes seconds per training step on a CPU, and the code trains three epochs, four
times. Everything after that line is the course's code. (Its ``fp16=True`` arguments are
only built, not trained with, as in the course; training in fp16 needs a GPU.)
"""

import textwrap

import pytest

# Trains BERT base four times in a fresh interpreter.
pytestmark = pytest.mark.integration

ROWS = 4  # per split, after the patch point: one batch, so 3 steps per training

UPSTREAM_CODE = textwrap.dedent(
    """
    import json
    facts = {}

    # 3.3 Fine-tuning a model with the Trainer API
    from datasets import load_dataset
    from transformers import AutoTokenizer, DataCollatorWithPadding

    raw_datasets = load_dataset("glue", "mrpc")
    raw_datasets = type(raw_datasets)(  # PATCH: a few rows per split, so that it runs in seconds
        {name: split.select(range(ROWS)) for name, split in raw_datasets.items()}
    )
    checkpoint = "bert-base-uncased"
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)


    def tokenize_function(example):
        return tokenizer(example["sentence1"], example["sentence2"], truncation=True)


    tokenized_datasets = raw_datasets.map(tokenize_function, batched=True)
    data_collator = DataCollatorWithPadding(tokenizer=tokenizer)

    from transformers import TrainingArguments

    training_args = TrainingArguments("test-trainer")

    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)

    from transformers import Trainer

    trainer = Trainer(
        model,
        training_args,
        train_dataset=tokenized_datasets["train"],
        eval_dataset=tokenized_datasets["validation"],
        data_collator=data_collator,
        processing_class=tokenizer,
    )
    facts["trainer_steps"] = trainer.train().global_step

    predictions = trainer.predict(tokenized_datasets["validation"])
    print(predictions.predictions.shape, predictions.label_ids.shape)
    facts["predict_shapes"] = [list(predictions.predictions.shape),
                               list(predictions.label_ids.shape)]

    import numpy as np

    preds = np.argmax(predictions.predictions, axis=-1)

    import evaluate

    metric = evaluate.load("glue", "mrpc")
    facts["metric"] = metric.compute(predictions=preds, references=predictions.label_ids)


    def compute_metrics(eval_preds):
        metric = evaluate.load("glue", "mrpc")
        logits, labels = eval_preds
        predictions = np.argmax(logits, axis=-1)
        return metric.compute(predictions=predictions, references=labels)


    training_args = TrainingArguments("test-trainer", eval_strategy="epoch")
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)

    trainer = Trainer(
        model,
        training_args,
        train_dataset=tokenized_datasets["train"],
        eval_dataset=tokenized_datasets["validation"],
        data_collator=data_collator,
        processing_class=tokenizer,
        compute_metrics=compute_metrics,
    )
    trainer.train()
    facts["evaluations"] = [
        sorted(entry) for entry in trainer.state.log_history if "eval_accuracy" in entry
    ]

    training_args = TrainingArguments(
        "test-trainer",
        eval_strategy="epoch",
        fp16=True,  # Enable mixed precision
    )
    facts["fp16"] = training_args.fp16
    training_args = TrainingArguments(
        "test-trainer",
        eval_strategy="epoch",
        per_device_train_batch_size=4,
        gradient_accumulation_steps=4,  # Effective batch size = 4 * 4 = 16
    )
    facts["accumulation"] = training_args.gradient_accumulation_steps
    training_args = TrainingArguments(
        "test-trainer",
        eval_strategy="epoch",
        learning_rate=2e-5,
        lr_scheduler_type="cosine",
    )
    facts["scheduler"] = str(training_args.lr_scheduler_type.value)

    # 3.4 A full training
    tokenized_datasets = tokenized_datasets.remove_columns(["sentence1", "sentence2", "idx"])
    tokenized_datasets = tokenized_datasets.rename_column("label", "labels")
    tokenized_datasets.set_format("torch")
    facts["columns"] = tokenized_datasets["train"].column_names

    from torch.utils.data import DataLoader

    train_dataloader = DataLoader(
        tokenized_datasets["train"], shuffle=True, batch_size=8, collate_fn=data_collator
    )
    eval_dataloader = DataLoader(
        tokenized_datasets["validation"], batch_size=8, collate_fn=data_collator
    )
    for batch in train_dataloader:
        break
    facts["batch"] = {k: list(v.shape) for k, v in batch.items()}

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)
    outputs = model(**batch)
    print(outputs.loss, outputs.logits.shape)
    facts["logits"] = list(outputs.logits.shape)

    from torch.optim import AdamW

    optimizer = AdamW(model.parameters(), lr=5e-5)

    from transformers import get_scheduler

    num_epochs = 3
    num_training_steps = num_epochs * len(train_dataloader)
    lr_scheduler = get_scheduler(
        "linear",
        optimizer=optimizer,
        num_warmup_steps=0,
        num_training_steps=num_training_steps,
    )
    print(num_training_steps)
    facts["num_training_steps"] = num_training_steps

    import torch

    device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    model.to(device)

    from tqdm.auto import tqdm

    progress_bar = tqdm(range(num_training_steps))

    model.train()
    for epoch in range(num_epochs):
        for batch in train_dataloader:
            batch = {k: v.to(device) for k, v in batch.items()}
            outputs = model(**batch)
            loss = outputs.loss
            loss.backward()

            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            progress_bar.update(1)
    facts["loop_steps"] = progress_bar.n
    facts["final_lr"] = lr_scheduler.get_last_lr()[0]

    import evaluate

    metric = evaluate.load("glue", "mrpc")
    model.eval()
    for batch in eval_dataloader:
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.no_grad():
            outputs = model(**batch)

        logits = outputs.logits
        predictions = torch.argmax(logits, dim=-1)
        metric.add_batch(predictions=predictions, references=batch["labels"])

    facts["loop_metric"] = metric.compute()

    from accelerate import Accelerator
    from torch.optim import AdamW
    from transformers import AutoModelForSequenceClassification, get_scheduler

    accelerator = Accelerator()

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)
    optimizer = AdamW(model.parameters(), lr=3e-5)

    train_dl, eval_dl, model, optimizer = accelerator.prepare(
        train_dataloader, eval_dataloader, model, optimizer
    )

    num_epochs = 3
    num_training_steps = num_epochs * len(train_dl)
    lr_scheduler = get_scheduler(
        "linear",
        optimizer=optimizer,
        num_warmup_steps=0,
        num_training_steps=num_training_steps,
    )

    progress_bar = tqdm(range(num_training_steps))

    model.train()
    for epoch in range(num_epochs):
        for batch in train_dl:
            outputs = model(**batch)
            loss = outputs.loss
            accelerator.backward(loss)

            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            progress_bar.update(1)
    facts["accelerate_steps"] = progress_bar.n
    facts["accelerate_processes"] = accelerator.num_processes

    print("FACTS" + json.dumps(facts))
    """
).replace("ROWS", str(ROWS))


@pytest.fixture(scope="module")
def facts(run_as_learner):
    """Run the upstream code offline, in an empty folder, and return what it found."""
    return run_as_learner(UPSTREAM_CODE)["facts"]


def test_the_trainer_trains_predicts_and_evaluates(facts):
    assert facts["trainer_steps"] == 3  # 3 epochs of one batch
    assert facts["predict_shapes"] == [[ROWS, 2], [ROWS]]
    assert sorted(facts["metric"]) == ["accuracy", "f1"]
    assert facts["metric"]["accuracy"] in {i / ROWS for i in range(ROWS + 1)}
    assert len(facts["evaluations"]) == 3  # eval_strategy="epoch": once per epoch
    assert {"eval_accuracy", "eval_f1", "eval_loss", "epoch"} <= set(facts["evaluations"][0])


def test_the_training_arguments_of_the_text(facts):
    assert facts["fp16"] is True  # the arguments take it; training in fp16 needs a GPU
    assert facts["accumulation"] == 4
    assert facts["scheduler"] == "cosine"


def test_the_manual_loop_and_accelerate(facts):
    assert facts["columns"] == ["labels", "input_ids", "token_type_ids", "attention_mask"]
    assert facts["batch"]["labels"] == [ROWS] and facts["logits"] == [ROWS, 2]
    assert facts["num_training_steps"] == facts["loop_steps"] == 3
    assert facts["final_lr"] == 0.0  # the linear schedule ran to its end
    assert sorted(facts["loop_metric"]) == ["accuracy", "f1"]
    assert facts["accelerate_steps"] == 3 and facts["accelerate_processes"] == 1
