"""Korean labels in figures: every glyph drawn once the Korean font is in use."""

import warnings

import matplotlib
import pytest
from matplotlib import pyplot as plt

from utils import korean_font


def missing_glyphs():
    """Draw a figure labelled in Korean; return matplotlib's "Glyph … missing" warnings."""
    figure, axes = plt.subplots()
    axes.bar([0, 1], [0.0402, -0.9598])
    axes.set_title("문장마다 레이블 확률")
    axes.set_xticks([0, 1], ["부정", "긍정"])
    axes.set_xlabel("레이블")
    axes.set_ylabel("로짓 −1에서 1까지")
    figure.text(0.5, 0.01, "오프라인: 대역 모델의 가중치는 무작위입니다.", style="italic")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    plt.close(figure)
    return [str(warning.message) for warning in caught if "Glyph" in str(warning.message)]


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


@pytest.fixture(autouse=True)
def agg_backend():
    plt.switch_backend("agg")
