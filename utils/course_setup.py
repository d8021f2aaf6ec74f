"""``setup()``: the first thing every course notebook runs.

It decides where models and data come from. With the Hugging Face Hub in
reach, the course uses the real Hub. Without it (or with ``COURSE_OFFLINE=1``),
it switches to the stand-in hub built inside the repository, before any
Hugging Face library is imported, so the course code itself stays unchanged.
"""

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

from utils import REPO_ROOT
from utils.standins import hub as standin_hub

HUB_URL = "https://huggingface.co"
PROBE_SECONDS = 2.5

# Settings the test harness needs so that stored outputs do not vary from run
# to run. A learner in JupyterLab keeps progress bars and warnings.
QUIET_SETTINGS = {
    "TRANSFORMERS_VERBOSITY": "error",
    "DATASETS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

OFFLINE_MESSAGE = (
    "Offline: using the course's stand-in checkpoints and data (random weights, synthetic text), "
    "so scores, logits and example sentences will differ from the course text."
)
ONLINE_MESSAGE = "Online: models and data come from the Hugging Face Hub."


def hub_reachable(url=HUB_URL, seconds=PROBE_SECONDS):
    """Return True if ``url`` answers within ``seconds``; never waits longer than that.

    Any HTTP answer counts, even an error status: the point is whether the
    network gets there at all. The probe runs in a background thread so that a
    hanging name lookup cannot hold up the notebook.
    """
    answers = []

    def probe():
        try:
            urllib.request.urlopen(url, timeout=seconds).close()
            answers.append(True)
        except urllib.error.HTTPError:
            answers.append(True)
        except (OSError, ValueError):
            answers.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(seconds)
    return bool(answers) and answers[0]


def want_offline():
    """Decide whether to use the stand-ins: ``COURSE_OFFLINE`` wins, else probe the Hub."""
    choice = os.environ.get("COURSE_OFFLINE", "").strip()
    if choice == "1":
        return True
    if choice == "0":
        return False
    endpoint = os.environ.get("HF_ENDPOINT", HUB_URL)
    return not hub_reachable(endpoint)


def colab_requirements():
    """The pinned requirements Colab needs: every line of requirements.txt but torch."""
    lines = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [pin for pin in pins if not pin.startswith("torch==")]


def install_in_colab():
    """Install the course's pinned libraries into the Colab runtime (keeps Colab's torch)."""
    print("Colab: installing the course's pinned libraries (about a minute)...")
    command = [sys.executable, "-m", "pip", "install", "--quiet", *colab_requirements()]
    subprocess.run(command, check=True)


def setup():
    """Prepare this notebook: libraries (Colab only), quiet test settings, Hub or stand-ins.

    Prints one line saying which it chose, and returns nothing, so that the
    setup cell shows just that line.
    """
    if "google.colab" in sys.modules:
        install_in_colab()
    if os.environ.get("COURSE_QUIET") == "1":
        os.environ.update(QUIET_SETTINGS)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    if not want_offline():
        print(ONLINE_MESSAGE)
        return

    already = [name for name in ("transformers", "datasets", "evaluate") if name in sys.modules]
    if already and os.environ.get("HF_HOME") != str(standin_hub.HF_HOME):
        print(
            f"Warning: {', '.join(already)} was imported before setup(); "
            "restart the kernel and run this cell first."
        )
    standin_hub.activate()
    standin_hub.build()
    print(OFFLINE_MESSAGE)
