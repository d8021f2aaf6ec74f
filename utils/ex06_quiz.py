"""The end-of-chapter quiz (section 2.8): ten questions, answered in code, graded like tasks.

Each question lives here once: its text, its options, and for every option,
right or wrong, an explanation. ``show("Q1")`` displays a question in the
notebook; the learner answers ``q1 = "b"`` (or ``q3 = ["a", "c"]`` when more
than one option is right) and runs ``ex.q1.check()``. Two questions are
answered by running code, and their right option is computed at run time. The grading is
``utils.grading.quiz``'s, shared with the chapter 3 quiz.
"""

from functools import lru_cache

from utils.grading import quiz
from utils.language import N_

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


# Each option: (text, right, explanation); see utils/grading/quiz.py. For a computed question,
# "right" is the value the option stands for: the option whose value is computed is right.
QUESTIONS = {
    "Q1": {
        "text": N_('In which order does `pipeline("sentiment-analysis")` do its work?'),
        "options": {
            "a": (
                N_("model, tokenizer, postprocessing"),
                False,
                N_("The model cannot read text: the tokenizer has to turn it into IDs first."),
            ),
            "b": (
                N_("tokenizer, model, postprocessing"),
                True,
                N_(
                    "Text becomes IDs, the model turns IDs into logits, and postprocessing "
                    "(softmax and id2label) turns logits into labels and scores."
                ),
            ),
            "c": (
                N_("postprocessing, tokenizer, model"),
                False,
                N_("Postprocessing works on the model's output, so it comes last."),
            ),
            "d": (
                N_("tokenizer, postprocessing, model"),
                False,
                N_("Postprocessing needs the model's logits, so the model must run before it."),
            ),
        },
    },
    "Q2": {
        "text": N_(
            "A batch of 2 sentences, padded to 16 tokens, goes through `AutoModel` of a "
            "checkpoint with hidden size 768. What is the shape of `last_hidden_state`?"
        ),
        "options": {
            "a": (
                N_("[2, 768]"),
                False,
                N_("That would be one vector per sentence; the base model gives one per token."),
            ),
            "b": (
                N_("[2, 16, 768]"),
                True,
                N_("Batch size, sequence length, hidden size: one 768-number vector per token."),
            ),
            "c": (
                N_("[16, 768]"),
                False,
                N_("The batch dimension is missing: the model keeps it."),
            ),
            "d": (
                N_("[2, 16, 2]"),
                False,
                N_(
                    "A last dimension of 2 would be a classification head's logits, not the base "
                    "model's hidden states."
                ),
            ),
        },
    },
    "Q3": {
        "text": N_(
            "About the output of `AutoModelForSequenceClassification`: which statements are "
            "true? (More than one may be.)"
        ),
        "options": {
            "a": (
                N_("Its logits are raw scores, not probabilities."),
                True,
                N_("Right: the model's last layer outputs unnormalized scores."),
            ),
            "b": (
                N_("A softmax turns each row of logits into probabilities that add up to 1."),
                True,
                N_("Right: that is the postprocessing step of lesson 2.2."),
            ),
            "c": (
                N_("The largest logit is always greater than 0.5."),
                False,
                N_("Logits are not probabilities: they can be any number, even all negative."),
            ),
            "d": (
                N_("`model.config.id2label` tells which label each position stands for."),
                True,
                N_("Right: for the SST-2 model, 0 is NEGATIVE and 1 is POSITIVE."),
            ),
        },
    },
    "Q4": {
        "text": N_("What does `AutoModelForSequenceClassification` add on top of `AutoModel`?"),
        "options": {
            "a": (
                N_("A tokenizer."),
                False,
                N_("Tokenizers are separate objects; no model includes one."),
            ),
            "b": (
                N_("A classification head."),
                True,
                N_("A small layer that maps hidden states to one score per label."),
            ),
            "c": (
                N_("More Transformer layers."),
                False,
                N_("The Transformer body is the same; only the head on top differs."),
            ),
            "d": (
                N_("A softmax at the end of `forward()`."),
                False,
                N_("The model returns logits; the softmax is yours to apply."),
            ),
        },
    },
    "Q5": {
        "text": N_("What does `BertModel(BertConfig())` give you?"),
        "options": {
            "a": (
                N_("BERT with the trained weights of bert-base-uncased."),
                False,
                N_(
                    "A config holds only the architecture; trained weights come from "
                    "`from_pretrained()`."
                ),
            ),
            "b": (
                N_("A model of BERT-base's shape with random weights."),
                True,
                N_("It is ready to be trained, but its outputs mean nothing yet."),
            ),
            "c": (
                N_("An error: a checkpoint name is required."),
                False,
                N_("Building from a config needs no checkpoint; it just starts untrained."),
            ),
            "d": (
                N_("A smaller, distilled BERT."),
                False,
                N_("The default config is BERT-base: 12 layers, hidden size 768."),
            ),
        },
    },
    "Q6": {
        "text": N_(
            "Which files does `model.save_pretrained(folder)` write with transformers 5? "
            "(More than one may be.)"
        ),
        "options": {
            "a": (N_("`config.json`"), True, N_("Right: the architecture, to rebuild the model.")),
            "b": (
                N_("`model.safetensors`"),
                True,
                N_("Right: the weights, in the safetensors format."),
            ),
            "c": (
                N_("`pytorch_model.bin`"),
                False,
                N_("Older versions wrote weights in this pickle format; today it is safetensors."),
            ),
            "d": (
                N_("`vocab.txt`"),
                False,
                N_(
                    "The vocabulary belongs to the tokenizer: `tokenizer.save_pretrained()` "
                    "writes the tokenizer's files."
                ),
            ),
        },
    },
    "Q7": {
        "text": N_(
            "Load the tokenizer of `google-bert/bert-base-uncased` and compute `len(tokenizer)`. "
            "How many entries does its vocabulary have?"
        ),
        "compute": vocabulary_size,
        "options": {
            "a": (N_("28,996"), 28996, N_("That is the size of the *cased* BERT vocabulary.")),
            "b": (N_("30,522"), 30522, N_("The uncased BERT WordPiece vocabulary.")),
            "c": (N_("50,257"), 50257, N_("That is GPT-2's byte-level BPE vocabulary.")),
            "d": (
                N_("512"),
                512,
                N_("512 is the maximum sequence length, not the vocabulary size."),
            ),
        },
    },
    "Q8": {
        "text": N_(
            "With the tokenizer of `google-bert/bert-base-uncased`, which ID opens every encoded "
            "sequence? Find out with code."
        ),
        "compute": cls_id,
        "options": {
            "a": (N_("0"), 0, N_("0 is the padding token, [PAD].")),
            "b": (N_("100"), 100, N_("100 is the unknown token, [UNK].")),
            "c": (N_("101"), 101, N_("101 is [CLS], the token BERT expects at the start.")),
            "d": (N_("102"), 102, N_("102 is [SEP], which closes a sentence.")),
        },
    },
    "Q9": {
        "text": N_(
            "`model(torch.tensor(ids))` fails when `ids` is the list of IDs of one sentence. Why?"
        ),
        "options": {
            "a": (
                N_("The IDs must be floats."),
                False,
                N_("Input IDs are integers; that part is fine."),
            ),
            "b": (
                N_("The model expects a batch: a tensor with one more dimension."),
                True,
                N_("`torch.tensor([ids])` is a batch of one and works."),
            ),
            "c": (
                N_("The special tokens are missing."),
                False,
                N_("The model runs without them (it just gives other logits)."),
            ),
            "d": (
                N_("The sentence is too long."),
                False,
                N_("It is far below the 512-token limit."),
            ),
        },
    },
    "Q10": {
        "text": N_(
            "Two sentences of different lengths are padded into one batch, and the batch goes "
            "through the model without an attention mask. What happens?"
        ),
        "options": {
            "a": (
                N_("Nothing special: padding tokens are ignored anyway."),
                False,
                N_("The model only ignores positions the attention mask marks with 0."),
            ),
            "b": (
                N_(
                    "The padded sentence's logits change, because the model attends to the padding."
                ),
                True,
                N_("Exactly what lesson 2.5 showed; the mask fixes it."),
            ),
            "c": (
                N_("An error is raised."),
                False,
                N_("It runs without complaint, which is the danger."),
            ),
            "d": (
                N_("The padding tokens are removed before the model runs."),
                False,
                N_("Nothing removes them: the batch must stay rectangular."),
            ),
        },
    },
}


def right_letters(name):
    """The letters of the right options of a question (computed now where needed)."""
    return quiz.right_letters(QUESTIONS[name])


def show(name):
    """Display a question and its options in the notebook."""
    quiz.show(QUESTIONS, name)


q1, q2, q3, q4, q5, q6, q7, q8, q9, q10 = quiz.make_tasks(
    QUESTIONS,
    "06_quiz",
    N_("Rule out options one at a time; each wrong one contradicts something in chapter 2."),
    N_(
        "Load the tokenizer with `AutoTokenizer.from_pretrained('google-bert/bert-base-uncased')`, "
        "then compute the value and pick the option that matches it."
    ),
)
