"""Korean labels in figures: every glyph drawn once the Korean font is in use."""

import re
import subprocess
import sys
import types
import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt
from matplotlib.text import Text
from message_templates import template_of

from utils import course_setup, data_plots, korean_font, plots, training_plots
from utils.language import LANGUAGE_VARIABLE


def glyph_warnings(figure):
    """Draw ``figure``; return matplotlib's "Glyph … missing" warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    return [str(warning.message) for warning in caught if "Glyph" in str(warning.message)]


def missing_glyphs():
    """Draw a figure labelled in Korean; return matplotlib's "Glyph … missing" warnings."""
    figure, axes = plt.subplots()
    axes.bar([0, 1], [0.0402, -0.9598])
    axes.set_title("문장마다 레이블 확률")
    axes.set_xticks([0, 1], ["부정", "긍정"])
    axes.set_xlabel("레이블")
    axes.set_ylabel("로짓 −1에서 1까지")
    figure.text(0.5, 0.01, "오프라인: 대역 모델의 가중치는 무작위입니다.", style="italic")
    missing = glyph_warnings(figure)
    plt.close(figure)
    return missing


def test_without_a_korean_font_hangul_glyphs_are_missing():
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert missing_glyphs(), "the check would not notice a figure drawn without Hangul"


def test_korean_font_draws_every_glyph_of_a_korean_figure():
    with matplotlib.rc_context():
        family = korean_font.use_korean_font()
        assert family, korean_font.INSTALL_HINT
        assert missing_glyphs() == []


def test_without_a_korean_font_installed_the_learner_is_told_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(korean_font.font_manager, "findSystemFonts", lambda: [])
    with matplotlib.rc_context():
        assert korean_font.use_korean_font() is None
        assert matplotlib.rcParams["font.family"] == matplotlib.rcParamsDefault["font.family"]
    assert capsys.readouterr().out.strip() == korean_font.INSTALL_HINT


def test_with_install_a_machine_without_a_korean_font_gets_fonts_nanum(monkeypatch, capsys):
    """What the setup cell does in Colab: apt-get installs fonts-nanum, then the font is used."""
    nanum = korean_font.find_korean_font()
    assert nanum, korean_font.INSTALL_HINT
    fonts, commands = [], []

    def apt_get(command, **options):
        commands.append(command)
        fonts.append(nanum)  # the package puts the font where findSystemFonts looks
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(korean_font.font_manager, "findSystemFonts", lambda: list(fonts))
    monkeypatch.setattr(korean_font.subprocess, "run", apt_get)
    with matplotlib.rc_context():
        assert korean_font.use_korean_font() is None  # without install, nothing is installed
        assert commands == []
        assert korean_font.use_korean_font(install=True)
    assert commands == [korean_font.INSTALL_COMMAND]
    assert "fonts-nanum" in capsys.readouterr().out


def test_when_the_install_fails_the_learner_is_told_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(korean_font.font_manager, "findSystemFonts", lambda: [])
    failed = subprocess.CompletedProcess(korean_font.INSTALL_COMMAND, 100)
    monkeypatch.setattr(korean_font.subprocess, "run", lambda command, **options: failed)
    with matplotlib.rc_context():
        assert korean_font.use_korean_font(install=True) is None
    assert capsys.readouterr().out.strip().endswith(korean_font.INSTALL_HINT)


def test_setup_installs_the_font_only_in_colab_for_the_korean_edition(monkeypatch):
    asked = []
    monkeypatch.setattr(korean_font, "use_korean_font", lambda install=False: asked.append(install))
    monkeypatch.setattr(course_setup, "install_in_colab", lambda: False)
    monkeypatch.setattr(course_setup, "want_offline", lambda: False)
    monkeypatch.setenv("COURSE_LANGUAGE", "ko")
    course_setup.setup()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    course_setup.setup()
    monkeypatch.setenv("COURSE_LANGUAGE", "en")
    course_setup.setup()
    assert asked == [False, True]


@pytest.fixture(autouse=True)
def agg_backend():
    plt.switch_backend("agg")


class Tokenizer:
    """What the figures ask of a tokenizer: its padding token and the tokens of some IDs."""

    pad_token, pad_token_id = "[PAD]", 0
    tokens = {0: "[PAD]", 101: "[CLS]", 102: "[SEP]", 7592: "hello", 2045: "there"}

    def convert_ids_to_tokens(self, ids):
        return [self.tokens[token_id] for token_id in ids]


BATCH = {"input_ids": [[101, 7592, 2045, 102], [101, 7592, 102, 0]]}
BATCH["attention_mask"] = [[1, 1, 1, 1], [1, 1, 1, 0]]
PAIR = {"input_ids": [101, 7592, 102, 2045, 102], "token_type_ids": [0, 0, 0, 1, 1]}
# A Trainer's log history, cut short: training losses, two evaluations, the run's summary.
HISTORY = [
    {"loss": 0.7, "epoch": 0.5, "step": 2},
    {"loss": 0.6, "epoch": 1.0, "step": 4},
    {"eval_loss": 0.65, "eval_accuracy": 0.6, "epoch": 1.0, "step": 4},
    {"loss": 0.5, "epoch": 1.5, "step": 6},
    {"loss": 0.4, "epoch": 2.0, "step": 8},
    {"eval_loss": 0.6, "eval_accuracy": 0.7, "epoch": 2.0, "step": 8},
    {"train_loss": 0.55, "epoch": 2.0, "step": 8},
]
TRAINING_ONLY = [row for row in HISTORY if "loss" in row]
# Every drawing function of the course, with small made-up inputs.
FIGURES = {
    "show_padded_batch": lambda: plots.show_padded_batch(Tokenizer(), BATCH),
    "show_probabilities": lambda: plots.show_probabilities([[0.1, 0.9]], {0: "NEG", 1: "POS"}),
    "show_attention_mask": lambda: plots.show_attention_mask(
        Tokenizer(), BATCH["input_ids"], BATCH["attention_mask"]
    ),
    "show_masked_logits": lambda: plots.show_masked_logits(
        [1.0, -1.0], [0.5, -0.5], [1.0, -1.0], {0: "NEG", 1: "POS"}
    ),
    "show_learning_curves": lambda: training_plots.show_learning_curves(HISTORY, baseline=0.5),
    "show_learning_curves by step": lambda: training_plots.show_learning_curves(
        TRAINING_ONLY, x="step"
    ),
    "show_runs": lambda: training_plots.show_runs(
        {"A": HISTORY, "B": TRAINING_ONLY}, metric="accuracy", baseline=0.5
    ),
    "show_token_types": lambda: data_plots.show_token_types(Tokenizer(), PAIR),
    "show_length_histogram": lambda: data_plots.show_length_histogram([10, 20, 30, 45]),
    "show_padding_counts": lambda: data_plots.show_padding_counts(
        data_plots.padding_counts([10, 20, 30, 45]), real_tokens=105
    ),
    "show_timings": lambda: data_plots.show_timings({"batched=False": 1.2, "batched=True": 0.3}),
}
HANGUL = re.compile("[가-힣]")


def shown_texts(figure):
    """Every non-empty visible text of a figure: titles, labels, ticks, legends, captions."""
    found = figure.findobj(lambda artist: isinstance(artist, Text) and artist.get_visible())
    return [text.get_text() for text in found if text.get_text().strip()]


def course_words(figure):
    """The texts the course writes (not the learner's data): axis labels and captions, and the
    panel titles unless the figure has its own title."""
    words = [text.get_text() for text in figure.texts]  # captions and the figure's title
    for axes in figure.axes:
        words += [axes.get_xlabel(), axes.get_ylabel()]
        words += [] if figure.get_suptitle() else [axes.get_title()]
    return [word for word in words if word]


def test_an_english_figure_is_found_untranslated(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    figure = FIGURES["show_timings"]()
    plt.close(figure)
    assert [text for text in shown_texts(figure) if template_of(text)]
    assert not any(HANGUL.search(word) for word in course_words(figure))


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_speaks_korean_and_draws_every_glyph(name, monkeypatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    with matplotlib.rc_context():
        assert korean_font.use_korean_font(), korean_font.INSTALL_HINT
        figure = FIGURES[name]()
        missing = glyph_warnings(figure)
    plt.close(figure)
    assert missing == []
    english = [text for text in shown_texts(figure) if template_of(text)]
    assert not english, f"left in English: {english}"
    words = course_words(figure)
    assert words and all(HANGUL.search(word) for word in words), words
