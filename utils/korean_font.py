"""A Hangul font for the course's figures: matplotlib's own font (DejaVu Sans) has no Korean.

``use_korean_font()`` finds a Korean font installed on the machine, registers it with
matplotlib and adds it to the font families. Every letter DejaVu Sans has is drawn as in
the English edition; Hangul comes from the Korean font. Without one, Korean labels come out
as empty boxes and matplotlib warns "Glyph … missing from font(s) DejaVu Sans".
"""

from pathlib import Path

import matplotlib
from matplotlib import font_manager

from utils.language import N_, _

# Font files with Hangul, in the order tried: Debian and Ubuntu's fonts-nanum, their
# fonts-noto-cjk, then what macOS and Windows ship.
KOREAN_FONT_FILES = [
    "NanumGothic.ttf",
    "NotoSansCJK-Regular.ttc",
    "AppleSDGothicNeo.ttc",
    "malgun.ttf",
]
INSTALL_HINT = N_(
    "No Korean font was found, so Korean labels in figures will show as boxes. "
    "Install one (Debian, Ubuntu and Colab: `apt-get install -y fonts-nanum`), "
    "then run the setup cell again."
)


def find_korean_font():
    """The path of an installed font file with Hangul, or None when there is none."""
    installed = {Path(path).name: path for path in font_manager.findSystemFonts()}
    return next((installed[name] for name in KOREAN_FONT_FILES if name in installed), None)


def use_korean_font():
    """Let matplotlib draw Hangul; returns the Korean font's family name.

    When no Korean font is installed, says what to install and returns None.
    """
    path = find_korean_font()
    if path is None:
        print(_(INSTALL_HINT))
        return None
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", family]
    return family
