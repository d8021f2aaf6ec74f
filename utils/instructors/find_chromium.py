"""Find (and with ``--install``, provide) a Chromium for the browser tests (``tests/browser/``).

    python -m utils.instructors.find_chromium --install    # what `make browser` runs

In order: Playwright's own Chromium (``playwright install chromium`` downloads
it where the network allows); else Debian's ``chromium`` package, installed
with apt when this user is root; else a message saying what to install.
Debian's build also needs the colour emoji font, or ✅ and ❌ show as boxes; the Korean
edition's pages and figures need a Hangul font (Debian's ``fonts-nanum``). Missing fonts are
installed with apt when this user is root, whichever Chromium is used.
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
KOREAN_FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
# Each Debian package the browser tests and the Korean figures need, and a file it installs.
DEBIAN_PACKAGES = {
    "chromium": SYSTEM_CHROMIUM,
    "fonts-noto-color-emoji": EMOJI_FONT,
    "fonts-nanum": KOREAN_FONT,
}
# Debian's Chromium in a container: no sandbox as root, no GPU, nothing fetched in the background.
SYSTEM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def playwright_chromium():
    """The path of Playwright's own Chromium when it is downloaded, else None."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return path if path.exists() else None


def launch_options():
    """Keyword arguments for ``chromium.launch``, or None when no Chromium is found."""
    if playwright_chromium():
        return {"headless": True}
    if SYSTEM_CHROMIUM.exists():
        return {"headless": True, "executable_path": str(SYSTEM_CHROMIUM), "args": SYSTEM_ARGS}
    return None


def as_root():
    """Whether this user is root (Windows has no ``os.geteuid``: never)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def missing_debian_packages():
    """The Debian packages of ``DEBIAN_PACKAGES`` whose file is not on this machine."""
    return [package for package, path in DEBIAN_PACKAGES.items() if not path.exists()]


def install_fonts():
    """Install the emoji and Korean fonts with apt when they are missing and this user is root."""
    fonts = [package for package in missing_debian_packages() if package.startswith("fonts-")]
    if fonts and as_root() and shutil.which("apt-get"):
        print(f"Installing {', '.join(fonts)} with apt...")
        subprocess.run(["apt-get", "install", "-y", *fonts], check=True, stdout=subprocess.DEVNULL)


def install():
    """Provide a Chromium; return a message saying which, or raise SystemExit saying what to do."""
    install_fonts()
    if playwright_chromium():
        return "Chromium: Playwright's own."
    download = [sys.executable, "-m", "playwright", "install", "chromium"]
    if (
        subprocess.run(download, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        == 0
    ):
        if playwright_chromium():
            return "Chromium: Playwright's own, just downloaded."
    if missing_debian_packages() and as_root() and shutil.which("apt-get"):
        print("Installing Debian's chromium and its fonts with apt (about a minute)...")
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "install", "-y", *DEBIAN_PACKAGES], check=True, **quiet)
    if SYSTEM_CHROMIUM.exists():
        return f"Chromium: {SYSTEM_CHROMIUM}."
    raise SystemExit(
        "The browser tests need Chromium, and it could not be installed here. Run\n"
        f'  "{sys.executable}" -m playwright install chromium\n'
        "(it downloads Playwright's own), or as root on Debian or Ubuntu:\n"
        f"  apt-get install -y {' '.join(DEBIAN_PACKAGES)}"
    )


def main(argv=None):
    """Say which Chromium the browser tests use; with --install, provide one first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="install one if none is found")
    args = parser.parse_args(argv)
    if args.install:
        print(install())
    elif launch_options() is None:
        raise SystemExit("No Chromium found: run `make browser`.")
    else:
        print("Chromium found.")


if __name__ == "__main__":
    main()
