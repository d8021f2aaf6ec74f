"""A Hangul font for the course's figures: matplotlib's own font (DejaVu Sans) has no Korean.

``use_korean_font()`` finds a Korean font installed on the machine, registers it with
matplotlib and adds it to the font families. Every letter DejaVu Sans has is drawn as in
the English edition; Hangul comes from the Korean font. Without one, Korean labels come out
as empty boxes and matplotlib warns "Glyph … missing from font(s) DejaVu Sans".

Colab has no Korean font, but lets a notebook install Debian packages: there the setup cell
installs ``fonts-nanum`` (about 10 MB) with apt-get the first time.
"""

import subprocess
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


INSTALL_COMMAND = ["apt-get", "install", "-y", "-qq", "fonts-nanum"]


def install_korean_font():
    """Install Debian's ``fonts-nanum`` with apt-get (as Colab allows); True when it worked."""
    print(_("Installing a Korean font for the figures (fonts-nanum, about 10 MB)..."))
    try:
        done = subprocess.run(INSTALL_COMMAND, capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError):  # no apt-get here, or it hung
        return False
    return done.returncode == 0


def use_korean_font(install=False):
    """Let matplotlib draw Hangul; returns the Korean font's family name.

    With ``install`` (the setup cell asks for it in Colab), a machine without a Korean font
    gets ``fonts-nanum`` first. When there is still none, says what to install and returns
    None.
    """
    path = find_korean_font()
    if path is None and install and install_korean_font():
        path = find_korean_font()
    if path is None:
        print(_(INSTALL_HINT))
        return None
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", family]
    return family
