"""Checks for the exercises of lesson 2.4, tokenizers (task T2)."""

from functools import lru_cache

from utils.grading import Wrong, task
from utils.grading.answers import as_int_list, as_strings, quote, same_items
from utils.language import N_, _

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
    name = f"tokens_{number}"
    got_tokens = as_strings(tokens, name)
    if [token.lower() for token in got_tokens] == sentence.lower().split():
        raise Wrong(
            _(
                "`{name}` is the sentence split at spaces (`str.split()`); a tokenizer cuts "
                "finer, into word pieces and punctuation: use `tokenizer.tokenize(sentence)`.",
                name=name,
            )
        )
    if got_tokens == list(sentence) or got_tokens == list(sentence.lower()):
        raise Wrong(
            _(
                "`{name}` holds single characters: use `tokenizer.tokenize(sentence)`.",
                name=name,
            )
        )
    if got_tokens and got_tokens[0] == tokenizer.cls_token:
        raise Wrong(
            _(
                "`{name}` starts with `{cls}`: `tokenize()` adds no special tokens, so use it "
                "rather than converting the IDs of a full tokenizer call.",
                name=name,
                cls=tokenizer.cls_token,
            )
        )
    if [token.lower() for token in got_tokens] != got_tokens:
        raise Wrong(
            _(
                "`{name}` has capital letters: use the tokenizer of lesson 2.2's checkpoint "
                "(`{checkpoint}`), which lowercases.",
                name=name,
                checkpoint=CHECKPOINT,
            )
        )
    if got_tokens == tokenizer.tokenize(SENTENCES[2 - number]):
        raise Wrong(
            _(
                "`{name}` holds the tokens of the other sentence: did you swap them?",
                name=name,
            )
        )
    vocabulary = tokenizer.get_vocab()
    unknown = [token for token in got_tokens if token not in vocabulary]
    if unknown:
        raise Wrong(
            _(
                "`{name}` holds {token}, which is not in the vocabulary of lesson 2.2's "
                "tokenizer: tokenize with that tokenizer, `tokenizer.tokenize(sentence)`.",
                name=name,
                token=quote(unknown[0], 30),
            )
        )
    same_items(tokenizer.tokenize(sentence), got_tokens, name)
    ids_name = f"ids_{number}"
    got_ids = as_int_list(ids, ids_name)
    if got_ids == full:
        raise Wrong(
            _(
                "`{name}` includes the special tokens {cls_id} (`{cls}`) and {sep_id} "
                "(`{sep}`): `convert_tokens_to_ids()` on the tokens gives the IDs without them.",
                name=ids_name,
                cls_id=full[0],
                cls=tokenizer.cls_token,
                sep_id=full[-1],
                sep=tokenizer.sep_token,
            )
        )
    other = tokenizer(SENTENCES[2 - number])["input_ids"][1:-1]
    if got_ids == other:
        raise Wrong(
            _(
                "`{name}` are the IDs of the other sentence: did you swap them?",
                name=ids_name,
            )
        )
    same_items(expected_ids, got_ids, ids_name)


@task(
    "T2",
    N_("The two 2.2 sentences, tokenized and converted by hand"),
    hints=[
        N_(
            "Two steps per sentence: `tokenizer.tokenize()`, then "
            "`tokenizer.convert_tokens_to_ids()`."
        ),
        N_(
            "Load the tokenizer of lesson 2.2: `AutoTokenizer.from_pretrained("
            "'distilbert/distilbert-base-uncased-finetuned-sst-2-english')`."
        ),
        N_(
            "`tokens_1 = tokenizer.tokenize(sentence_1)`, then "
            "`ids_1 = tokenizer.convert_tokens_to_ids(tokens_1)`; the same for sentence 2."
        ),
    ],
)
def t2(tokens_1, tokens_2, ids_1, ids_2):
    """T2: both 2.2 sentences tokenized and converted by hand."""
    check_sentence(1, tokens_1, ids_1)
    check_sentence(2, tokens_2, ids_2)
    return _("the same IDs as lesson 2.2, without `[CLS]` and `[SEP]`.")
