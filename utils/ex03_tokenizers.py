"""Checks for the exercises of lesson 2.4, tokenizers (task T2)."""

from functools import lru_cache

from utils.grading import Wrong, task
from utils.grading.answers import as_int_list, as_strings, quote, same_items

CHECKPOINT = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
SENTENCES = ["I've been waiting for a HuggingFace course my whole life.", "I hate this so much!"]


@lru_cache(maxsize=1)
def tokenizer_of_lesson_2_2():
    """The tokenizer of the checkpoint lesson 2.2 uses."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(CHECKPOINT)


def check_sentence(number, tokens, ids):
    """Compare one sentence's tokens and IDs with lesson 2.2's, special tokens left out."""
    tokenizer = tokenizer_of_lesson_2_2()
    sentence = SENTENCES[number - 1]
    full = tokenizer(sentence)["input_ids"]
    expected_ids = full[1:-1]
    got_tokens = as_strings(tokens, f"tokens_{number}")
    name = f"tokens_{number}"
    if [token.lower() for token in got_tokens] == sentence.lower().split():
        raise Wrong(
            f"`{name}` is the sentence split at spaces (str.split()); a tokenizer cuts finer, "
            "into word pieces and punctuation: use tokenizer.tokenize(sentence)."
        )
    if got_tokens == list(sentence) or got_tokens == list(sentence.lower()):
        raise Wrong(f"`{name}` holds single characters: use tokenizer.tokenize(sentence).")
    if got_tokens and got_tokens[0] == tokenizer.cls_token:
        raise Wrong(
            f"`{name}` starts with {tokenizer.cls_token}: tokenize() adds no special "
            "tokens, so use it rather than converting the IDs of a full tokenizer call."
        )
    if [token.lower() for token in got_tokens] != got_tokens:
        raise Wrong(
            f"`{name}` has capital letters: use the tokenizer of lesson 2.2's "
            f"checkpoint ({CHECKPOINT}), which lowercases."
        )
    if got_tokens == tokenizer.tokenize(SENTENCES[2 - number]):
        raise Wrong(f"`{name}` holds the tokens of the other sentence: did you swap them?")
    vocabulary = tokenizer.get_vocab()
    unknown = [token for token in got_tokens if token not in vocabulary]
    if unknown:
        raise Wrong(
            f"`{name}` holds {quote(unknown[0], 30)}, which is not in the vocabulary of lesson "
            f"2.2's tokenizer: tokenize with that tokenizer, tokenizer.tokenize(sentence)."
        )
    same_items(tokenizer.tokenize(sentence), got_tokens, f"tokens_{number}")
    got_ids = as_int_list(ids, f"ids_{number}")
    if got_ids == full:
        raise Wrong(
            f"`ids_{number}` includes the special tokens {full[0]} ([CLS]) and {full[-1]} ([SEP]): "
            "convert_tokens_to_ids() on the tokens gives the IDs without them."
        )
    other = tokenizer(SENTENCES[2 - number])["input_ids"][1:-1]
    if got_ids == other:
        raise Wrong(f"`ids_{number}` are the IDs of the other sentence: did you swap them?")
    same_items(expected_ids, got_ids, f"ids_{number}")


@task(
    "T2",
    "The two 2.2 sentences, tokenized and converted by hand",
    hints=[
        "Two steps per sentence: tokenizer.tokenize(), then tokenizer.convert_tokens_to_ids().",
        f"Load the tokenizer of lesson 2.2: AutoTokenizer.from_pretrained({CHECKPOINT!r}).",
        "tokens_1 = tokenizer.tokenize(sentence_1), then "
        "ids_1 = tokenizer.convert_tokens_to_ids(tokens_1); the same for sentence 2.",
    ],
)
def t2(tokens_1, tokens_2, ids_1, ids_2):
    """T2: both 2.2 sentences tokenized and converted by hand."""
    check_sentence(1, tokens_1, ids_1)
    check_sentence(2, tokens_2, ids_2)
    return "the same IDs as lesson 2.2, without [CLS] and [SEP]."
