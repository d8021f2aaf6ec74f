"""The end-of-chapter quiz (section 2.8): ten questions, answered in code, graded like tasks.

Each question lives here once: its text, its options, and for every option,
right or wrong, an explanation. ``show("Q1")`` displays a question in the
notebook; the learner answers ``q1 = "b"`` (or ``q3 = ["a", "c"]`` when more
than one option is right) and runs ``ex.q1.check()``. Two questions are
answered by running code, and their right option is computed at run time.
"""

import re
from functools import lru_cache

import numpy as np

from utils.grading import Task, Wrong, describe
from utils.grading.answers import as_int, plain, quote

CHECKPOINT = "google-bert/bert-base-uncased"


@lru_cache(maxsize=1)
def bert_tokenizer():
    """The tokenizer two questions ask about."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(CHECKPOINT)


def vocabulary_size():
    """How many entries the bert-base-uncased tokenizer has, computed now."""
    return len(bert_tokenizer())


def cls_id():
    """The ID of [CLS] in the bert-base-uncased tokenizer, computed now."""
    return bert_tokenizer().cls_token_id


# Each option: (text, right?, explanation). For a computed question, "right?" is the value
# the option stands for, and the option whose value the code computes is the right one.
QUESTIONS = {
    "Q1": {
        "text": 'In which order does `pipeline("sentiment-analysis")` do its work?',
        "options": {
            "a": (
                "model, tokenizer, postprocessing",
                False,
                "The model cannot read text: the tokenizer has to turn it into IDs first.",
            ),
            "b": (
                "tokenizer, model, postprocessing",
                True,
                "Text becomes IDs, the model turns IDs into logits, and postprocessing "
                "(softmax and id2label) turns logits into labels and scores.",
            ),
            "c": (
                "postprocessing, tokenizer, model",
                False,
                "Postprocessing works on the model's output, so it comes last.",
            ),
            "d": (
                "tokenizer, postprocessing, model",
                False,
                "Postprocessing needs the model's logits, so the model must run before it.",
            ),
        },
    },
    "Q2": {
        "text": "A batch of 2 sentences, padded to 16 tokens, goes through `AutoModel` of a "
        "checkpoint with hidden size 768. What is the shape of `last_hidden_state`?",
        "options": {
            "a": (
                "[2, 768]",
                False,
                "That would be one vector per sentence; the base model gives one per token.",
            ),
            "b": (
                "[2, 16, 768]",
                True,
                "Batch size, sequence length, hidden size: one 768-number vector per token.",
            ),
            "c": ("[16, 768]", False, "The batch dimension is missing: the model keeps it."),
            "d": (
                "[2, 16, 2]",
                False,
                "A last dimension of 2 would be a classification head's logits, not the base "
                "model's hidden states.",
            ),
        },
    },
    "Q3": {
        "text": "About the output of `AutoModelForSequenceClassification`: which statements are "
        "true? (More than one may be.)",
        "options": {
            "a": (
                "Its logits are raw scores, not probabilities.",
                True,
                "Right: the model's last layer outputs unnormalized scores.",
            ),
            "b": (
                "A softmax turns each row of logits into probabilities that add up to 1.",
                True,
                "Right: that is the postprocessing step of lesson 2.2.",
            ),
            "c": (
                "The largest logit is always greater than 0.5.",
                False,
                "Logits are not probabilities: they can be any number, even all negative.",
            ),
            "d": (
                "`model.config.id2label` tells which label each position stands for.",
                True,
                "Right: for the SST-2 model, 0 is NEGATIVE and 1 is POSITIVE.",
            ),
        },
    },
    "Q4": {
        "text": "What does `AutoModelForSequenceClassification` add on top of `AutoModel`?",
        "options": {
            "a": ("A tokenizer.", False, "Tokenizers are separate objects; no model includes one."),
            "b": (
                "A classification head.",
                True,
                "A small layer that maps hidden states to one score per label.",
            ),
            "c": (
                "More Transformer layers.",
                False,
                "The Transformer body is the same; only the head on top differs.",
            ),
            "d": (
                "A softmax at the end of `forward()`.",
                False,
                "The model returns logits; the softmax is yours to apply.",
            ),
        },
    },
    "Q5": {
        "text": "What does `BertModel(BertConfig())` give you?",
        "options": {
            "a": (
                "BERT with the trained weights of bert-base-uncased.",
                False,
                "A config holds only the architecture; trained weights come from "
                "`from_pretrained()`.",
            ),
            "b": (
                "A model of BERT-base's shape with random weights.",
                True,
                "It is ready to be trained, but its outputs mean nothing yet.",
            ),
            "c": (
                "An error: a checkpoint name is required.",
                False,
                "Building from a config needs no checkpoint; it just starts untrained.",
            ),
            "d": (
                "A smaller, distilled BERT.",
                False,
                "The default config is BERT-base: 12 layers, hidden size 768.",
            ),
        },
    },
    "Q6": {
        "text": "Which files does `model.save_pretrained(folder)` write with transformers 5? "
        "(More than one may be.)",
        "options": {
            "a": ("config.json", True, "Right: the architecture, to rebuild the model."),
            "b": ("model.safetensors", True, "Right: the weights, in the safetensors format."),
            "c": (
                "pytorch_model.bin",
                False,
                "Older versions wrote weights in this pickle format; today it is safetensors.",
            ),
            "d": (
                "vocab.txt",
                False,
                "The vocabulary belongs to the tokenizer: `tokenizer.save_pretrained()` "
                "writes the tokenizer's files.",
            ),
        },
    },
    "Q7": {
        "text": f"Load the tokenizer of `{CHECKPOINT}` and compute `len(tokenizer)`. How many "
        "entries does its vocabulary have?",
        "compute": vocabulary_size,
        "options": {
            "a": ("28,996", 28996, "That is the size of the *cased* BERT vocabulary."),
            "b": ("30,522", 30522, "The uncased BERT WordPiece vocabulary."),
            "c": ("50,257", 50257, "That is GPT-2's byte-level BPE vocabulary."),
            "d": ("512", 512, "512 is the maximum sequence length, not the vocabulary size."),
        },
    },
    "Q8": {
        "text": f"With the tokenizer of `{CHECKPOINT}`, which ID opens every encoded sequence? "
        "Find out with code.",
        "compute": cls_id,
        "options": {
            "a": ("0", 0, "0 is the padding token, [PAD]."),
            "b": ("100", 100, "100 is the unknown token, [UNK]."),
            "c": ("101", 101, "101 is [CLS], the token BERT expects at the start."),
            "d": ("102", 102, "102 is [SEP], which closes a sentence."),
        },
    },
    "Q9": {
        "text": "`model(torch.tensor(ids))` fails when `ids` is the list of IDs of one sentence. "
        "Why?",
        "options": {
            "a": ("The IDs must be floats.", False, "Input IDs are integers; that part is fine."),
            "b": (
                "The model expects a batch: a tensor with one more dimension.",
                True,
                "`torch.tensor([ids])` is a batch of one and works.",
            ),
            "c": (
                "The special tokens are missing.",
                False,
                "The model runs without them (it just gives other logits).",
            ),
            "d": ("The sentence is too long.", False, "It is far below the 512-token limit."),
        },
    },
    "Q10": {
        "text": "Two sentences of different lengths are padded into one batch, and the batch goes "
        "through the model without an attention mask. What happens?",
        "options": {
            "a": (
                "Nothing special: padding tokens are ignored anyway.",
                False,
                "The model only ignores positions the attention mask marks with 0.",
            ),
            "b": (
                "The padded sentence's logits change, because the model attends to the padding.",
                True,
                "Exactly what lesson 2.5 showed; the mask fixes it.",
            ),
            "c": ("An error is raised.", False, "It runs without complaint, which is the danger."),
            "d": (
                "The padding tokens are removed before the model runs.",
                False,
                "Nothing removes them: the batch must stay rectangular.",
            ),
        },
    },
}


def right_letters(name):
    """The letters of the right options of a question (computed now where needed)."""
    question = QUESTIONS[name]
    if "compute" in question:
        value = question["compute"]()
        return {letter for letter, (_, v, _) in question["options"].items() if v == value}
    return {letter for letter, (_, right, _) in question["options"].items() if right is True}


def show(name):
    """Display a question and its options in the notebook."""
    question = QUESTIONS[name]
    several = len(right_letters(name)) > 1 if "compute" not in question else False
    lines = [f"**{name}.** {question['text']}", ""]
    lines += [f"- **{letter}**: {text}" for letter, (text, _, _) in question["options"].items()]
    how = 'a list of letters, e.g. `["a", "c"]`' if several else 'one letter, e.g. `"a"`'
    lines += ["", f"Answer with {how} in `{name.lower()}`."]
    try:
        from IPython.display import Markdown, display

        display(Markdown("\n".join(lines)))
    except ImportError:
        print("\n".join(lines))


def letters_of(answer, name, valid):
    """The learner's answer as a set of option letters.

    Accepted: one letter ("b", "B", "b)", "(b)"), several in one string ("a, c") or in a
    list, tuple, set or NumPy array; an option's whole text; and, for a question answered
    by computing, the computed value itself (a Python, NumPy or one-element torch number).
    """
    variable = f"`{name.lower()}`"
    options = QUESTIONS[name]["options"]
    by_text = {" ".join(text.lower().split()): letter for letter, (text, _, _) in options.items()}
    if "compute" in QUESTIONS[name]:
        letter = computed_option(answer, options)
        if letter:
            return {letter}
    if isinstance(answer, str):
        if " ".join(answer.lower().split()) in by_text:
            return {by_text[" ".join(answer.lower().split())]}
        items = [answer]
    elif isinstance(answer, list | tuple | set | frozenset | np.ndarray):
        items = plain(answer, name.lower())
        items = list(items) if isinstance(items, list | set) else [items]
        if not all(isinstance(item, str) for item in items):
            raise Wrong(f'{variable} should hold letters (strings) such as "a".')
    else:
        raise Wrong(f'{variable} should be a letter such as "b", but it is {describe(answer)}.')
    letters = set()
    for item in items:
        if " ".join(item.lower().split()) in by_text:
            letters.add(by_text[" ".join(item.lower().split())])
            continue
        for part in re.split(r"[\s,;]+", item):
            part = part.strip("()[].:'\"").lower()
            if part:
                letters.add(part)
    if not letters:
        raise Wrong(f"{variable} is empty: pick one of {', '.join(sorted(valid))}.")
    unknown = sorted(letters - set(valid))
    if unknown:
        raise Wrong(
            f"{variable} contains {quote(', '.join(unknown), 40)}, which is not an option: "
            f"choose from {', '.join(sorted(valid))}."
        )
    return letters


def computed_option(answer, options):
    """The letter of the option whose value is ``answer`` (a number), or None."""
    if isinstance(answer, str | bool | np.bool_):
        return None
    try:
        value = as_int(answer, "answer")
    except Wrong:
        return None
    return next((letter for letter, (_, v, _) in options.items() if v == value), None)


def grade_question(name, answer):
    """Check one answer; raise Wrong with the chosen option's explanation if it is wrong."""
    options = QUESTIONS[name]["options"]
    return grade_letters(options, letters_of(answer, name, options), right_letters(name))


def grade_letters(options, chosen, right):
    """Compare the chosen letters with the right ones; explain the first wrong choice.

    Shared by both quizzes (``ex06_quiz``, ``ex11_quiz``): ``options`` maps a letter to
    (text, right or value, explanation).
    """
    if len(right) == 1 and len(chosen) > 1:
        raise Wrong("only one option is right here: answer with a single letter.")
    wrong = sorted(chosen - right)
    if wrong:
        raise Wrong(f"option {wrong[0]} is not right. {options[wrong[0]][2]} Try again.")
    missing = len(right - chosen)
    if missing:
        raise Wrong(
            f"everything you chose is right, but {missing} more right option"
            f"{'s are' if missing > 1 else ' is'} missing."
        )
    return " ".join(options[letter][2] for letter in sorted(right))


def make_task(name):
    """The graded task of one question."""
    question = QUESTIONS[name]

    def check(answer):
        return grade_question(name, answer)

    several = len(right_letters(name)) > 1 if "compute" not in question else False
    hints = [
        "Re-read the question: "
        + ("several options may be right." if several else "exactly one option is right."),
        "Rule out options one at a time; each wrong one contradicts something in chapter 2.",
    ]
    if "compute" in question:
        hints.append(
            f"Load the tokenizer: AutoTokenizer.from_pretrained({CHECKPOINT!r}), "
            "then compute the value and pick the option that matches it."
        )
    return Task(name, question["text"], [name.lower()], check, hints, "06_quiz")


q1, q2, q3, q4, q5, q6, q7, q8, q9, q10 = (make_task(f"Q{n}") for n in range(1, 11))
