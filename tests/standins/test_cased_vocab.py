"""The stand-in cased vocabulary agrees with the real bert-base-cased where the course looks."""

import pytest
from transformers import BertTokenizer

from utils.standins.cased_vocab import build_cased_vocab, load_uncased_vocab

SENTENCE = "Using a Transformer network is simple"

# Ordinary English with names, numbers, punctuation and a few accented words.
PARAGRAPH = """
Last summer, Maria and her brother Thomas drove from Boston to Montreal in a rented car. The
trip took about six hours, including a long lunch at a small café near the border. "It's the
best soup in Vermont," the waiter said. They arrived at 7:30 p.m. and checked into a hotel.
Dr. Sarah O'Connor, a researcher at the University of Cambridge, has published more than 40
papers. She argues that the naïve view of carbon markets ignores how 1,250 firms in Germany,
France and Japan behaved between 2005 and 2019. Zoë ordered a crème brûlée in Zürich; Søren
paid 15 € for it (about $16).
"""


@pytest.fixture(scope="module")
def vocab():
    return build_cased_vocab(load_uncased_vocab())


@pytest.fixture(scope="module")
def tokenizer(vocab):
    token_ids = {token: index for index, token in enumerate(vocab)}
    return BertTokenizer(vocab=token_ids, do_lower_case=False)


def test_the_uncased_source_is_the_real_bert_vocabulary():
    uncased = load_uncased_vocab()
    assert len(uncased) == 30522
    assert uncased[100:104] == ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert uncased[1996] == "the"


def test_size_and_no_repeats(vocab):
    assert len(vocab) == 28996
    assert len(set(vocab)) == len(vocab)


def test_special_tokens_at_their_ids(vocab):
    assert vocab[0] == "[PAD]"
    assert vocab[1:100] == [f"[unused{number}]" for number in range(1, 100)]
    assert vocab[100:104] == ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_the_ids_the_course_shows(vocab):
    expected = {
        7993: "Using",
        170: "a",
        11303: "transform",
        1200: "##er",
        2443: "network",
        1110: "is",
        3014: "simple",
        13809: "Trans",
        23763: "##former",
    }
    assert {token_id: vocab[token_id] for token_id in expected} == expected


def test_tokenize_ids_and_decode_as_the_real_tokenizer(tokenizer):
    assert tokenizer.tokenize(SENTENCE) == [
        "Using",
        "a",
        "Trans",
        "##former",
        "network",
        "is",
        "simple",
    ]
    assert tokenizer(SENTENCE)["input_ids"] == [101, 7993, 170, 13809, 23763, 2443, 1110, 3014, 102]
    decoded = tokenizer.decode([7993, 170, 11303, 1200, 2443, 1110, 3014])
    assert decoded == "Using a transformer network is simple"
    assert tokenizer.tokenize("a transformer") == ["a", "transform", "##er"]


def test_every_ascii_character_is_a_token_and_a_continuation(vocab):
    known = set(vocab)
    for code in range(33, 127):
        assert chr(code) in known and "##" + chr(code) in known, chr(code)
    assert vocab.index("!") == 106 and vocab.index("A") == 138


def test_course_sentences_have_no_unknown_tokens(tokenizer):
    for text in ["Jim Henson was a puppeteer", "Hello!", "Cool.", "Nice!"]:
        assert "[UNK]" not in tokenizer.tokenize(text), text
    tokens = tokenizer.tokenize("I've been waiting for a HuggingFace course my whole life.")
    assert tokens[:3] == ["I", "'", "ve"] and tokens[-1] == "."
    assert "[UNK]" not in tokens


def test_unknown_rate_on_ordinary_english_is_under_one_percent(tokenizer):
    tokens = tokenizer.tokenize(PARAGRAPH)
    assert tokens.count("[UNK]") / len(tokens) < 0.01
    assert "café" in PARAGRAPH and tokens.count("[UNK]") == 0


def test_the_build_is_deterministic(vocab):
    assert build_cased_vocab(load_uncased_vocab()) == vocab
