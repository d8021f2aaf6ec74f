"""The chapter 3 quiz: computed answers follow the libraries (see test_quizzes.py for the rest)."""

import torch

from utils import ex11_quiz as ex

NAMES = list(ex.QUESTIONS)


def task(name):
    return getattr(ex, name.lower())


def test_each_question_says_whether_several_options_are_right():
    for name in NAMES:
        right = ex.right_letters(name)
        assert (len(right) > 1) == ex.several_right(name), f"{name} says how many are right"


def raises(call):
    """The type of exception ``call()`` raises, or None."""
    try:
        call()
    except Exception as error:  # noqa: BLE001 (the type is what the test compares)
        return type(error)
    return None


def test_q3_follows_what_transformers_accepts():
    from transformers import Trainer, TrainingArguments

    model = torch.nn.Linear(1, 1)
    args = TrainingArguments("trainer-output", report_to="none")
    works = {
        "a": raises(lambda: TrainingArguments("trainer-output", eval_strategy="epoch")),
        "b": raises(lambda: TrainingArguments("trainer-output", evaluation_strategy="epoch")),
        "c": raises(lambda: Trainer(model, args, processing_class=None)),
        "d": raises(lambda: Trainer(model, args, tokenizer=None)),
    }
    assert ex.right_letters("Q3") == {letter for letter, error in works.items() if error is None}
    assert works["b"] is TypeError and works["d"] is TypeError


def test_q5_follows_what_imports():
    def import_from(module):
        return lambda: exec(f"from {module} import AdamW", {})

    modules = {"a": "transformers", "b": "torch.optim", "c": "accelerate"}
    modules["d"] = "transformers.optimization"
    works = {letter: raises(import_from(module)) is None for letter, module in modules.items()}
    assert ex.right_letters("Q5") == {letter for letter, ok in works.items() if ok}
    assert ex.right_letters("Q5") == {"b"}


def test_q6_is_the_length_of_a_real_dataloader_times_the_epochs():
    from datasets import load_dataset

    train = load_dataset(ex.GLUE, "mrpc")["train"]
    loader = torch.utils.data.DataLoader(range(len(train)), batch_size=8)
    options = ex.QUESTIONS["Q6"]["options"]
    right = ex.right_letters("Q6")
    assert len(right) == 1
    assert int(options[right.pop()][0].replace(",", "")) == len(loader) * 3


def test_show_prints_a_question_without_ipython(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_ipython(name, *args, **kwargs):
        if name.startswith("IPython"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ipython)
    ex.show("Q10")
    shown = capsys.readouterr().out
    assert "**Q10.**" in shown and "a list of letters" in shown and "- **d**:" in shown
