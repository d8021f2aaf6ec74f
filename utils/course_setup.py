"""``setup()``: the first thing every course notebook runs.

It decides where models and data come from. With the Hugging Face Hub in
reach, the course uses the real Hub. Without it (or with ``COURSE_OFFLINE=1``),
it switches to the stand-in hub built inside the repository, before any
Hugging Face library is imported, so the course code itself stays unchanged.
"""

import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from utils import REPO_ROOT
from utils.language import N_, _, language
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

# What setup() prints, in English; it prints them in the learner's language (``_()``).
OFFLINE_MESSAGE = N_(
    "Offline: using the course's stand-ins (random weights, synthetic text).\n"
    "Scores, logits and example sentences will differ from the lessons' text."
)
ONLINE_MESSAGE = N_("Online: models and data come from the Hugging Face Hub.")


def hub_endpoint():
    """The Hub address the Hugging Face libraries will use: ``HF_ENDPOINT``, else the real Hub.

    Read the way huggingface_hub reads it, so that the probe asks the server the
    libraries will download from (a mirror, or a local Hub in the tests).
    """
    return os.environ.get("HF_ENDPOINT", HUB_URL).rstrip("/")


def hub_reachable(url=None, seconds=PROBE_SECONDS):
    """Return True if ``url`` (default: ``hub_endpoint()``) answers within ``seconds``.

    Any HTTP answer counts, even an error status: the point is whether the
    network gets there at all. The probe runs in a background thread so that a
    hanging name lookup cannot hold up the notebook; it never waits longer than ``seconds``.
    """
    url = url or hub_endpoint()
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
    """Decide whether to use the stand-ins: the one decision of the notebooks and the tests.

    ``COURSE_OFFLINE=1`` means stand-ins and ``COURSE_OFFLINE=0`` the Hub, whatever
    the network says; otherwise the stand-ins are used when the Hub the libraries
    would download from (``hub_endpoint()``) does not answer.
    """
    choice = os.environ.get("COURSE_OFFLINE", "").strip()
    if choice == "1":
        return True
    if choice == "0":
        return False
    return not hub_reachable()


# What Colab gets at the course's pins (distribution name: module name): the Hugging Face
# libraries, and pyarrow, which datasets 5.2 needs at version 24 or later (Colab ships 18). torch,
# numpy, pandas, matplotlib and the rest stay as Colab manages them.
COLAB_INSTALLS = {
    "transformers": "transformers",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
    "huggingface_hub": "huggingface_hub",
    "datasets": "datasets",
    "evaluate": "evaluate",
    "accelerate": "accelerate",
    "pyarrow": "pyarrow",
}


def pinned_versions():
    """Every pin of requirements.txt, as {distribution name: version}."""
    lines = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    pins = [line.split("#")[0].strip() for line in lines]
    return dict(pin.split("==", 1) for pin in pins if "==" in pin)


def colab_requirements():
    """The pins Colab needs: the Hugging Face libraries and pyarrow, nothing else Colab manages."""
    pins = pinned_versions()
    return [f"{name}=={pins[name]}" for name in COLAB_INSTALLS]


def installed_version(distribution):
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def module_name(distribution):
    """The module a distribution is imported as (``huggingface-hub``: ``huggingface_hub``)."""
    if distribution in COLAB_INSTALLS:
        return COLAB_INSTALLS[distribution]
    wanted = distribution.replace("_", "-").lower()
    for module, owners in metadata.packages_distributions().items():
        if wanted in {owner.replace("_", "-").lower() for owner in owners}:
            return module
    return wanted.replace("-", "_")


def stale_imports(requirements):
    """Libraries among ``requirements`` already imported at another version than the one given."""
    stale = []
    for requirement in requirements:
        distribution, version = requirement.split("==")
        module = sys.modules.get(module_name(distribution))
        if module is None:
            continue
        imported = getattr(module, "__version__", None)
        if imported != version:
            stale.append(f"{distribution} {imported or '(an older version)'}")
    return stale


def pip_install(requirements):
    """``pip install`` into this Python; returns what pip changed, as ``name==version``.

    pip may change more than it was asked for (datasets upgrades fsspec, say): its report of
    the install lists every distribution it installed.
    """
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "pip-report.json"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--report", str(report)]
        subprocess.run([*command, *requirements], check=True)
        installed = json.loads(report.read_text())["install"]
    return [f"{item['metadata']['name']}=={item['metadata']['version']}" for item in installed]


def install_in_colab():
    """Install the course's pins that Colab needs into the Colab runtime.

    Only the ones not already at their pin are installed. If a library that pip changed
    (one of them, or one they need) was imported before, the learner must restart the
    runtime: Python keeps the old one in memory until then. Returns True in that case.
    """
    missing = [
        requirement
        for requirement in colab_requirements()
        if installed_version(requirement.split("==")[0]) != requirement.split("==")[1]
    ]
    if not missing:
        return False
    print(_("Colab: installing {libraries} (about a minute)...", libraries=", ".join(missing)))
    changed = pip_install(missing)
    importlib.invalidate_caches()
    stale = stale_imports(changed)
    if len(stale) == 1:
        print(
            _(
                "Restart the runtime (Runtime > Restart session), then run this cell again:\n"
                "{library} was imported before the install.",
                library=stale[0],
            )
        )
    elif stale:
        print(
            _(
                "Restart the runtime (Runtime > Restart session), then run this cell again:\n"
                "{libraries} were imported before the install.",
                libraries=", ".join(stale),
            )
        )
    return bool(stale)


def imported_too_early(libraries):
    """The warning for libraries imported before ``setup()``: they would miss the stand-ins."""
    if len(libraries) == 1:
        return _(
            "Warning: {library} was imported before `setup()`; "
            "restart the kernel and run this cell first.",
            library=libraries[0],
        )
    return _(
        "Warning: {libraries} were imported before `setup()`; "
        "restart the kernel and run this cell first.",
        libraries=", ".join(libraries),
    )


def setup():
    """Prepare this notebook: libraries (Colab only), quiet test settings, Hub or stand-ins.

    In the Korean edition (``COURSE_LANGUAGE=ko``) it also lets the figures draw Hangul.

    Prints one line saying which it chose, and returns nothing, so that the
    setup cell shows just that line.
    """
    if "google.colab" in sys.modules and install_in_colab():
        return  # a restart comes first: the old library is still in memory
    if os.environ.get("COURSE_QUIET") == "1":
        os.environ.update(QUIET_SETTINGS)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if language() == "ko":  # the Korean edition's figures draw Hangul
        from utils.korean_font import use_korean_font

        use_korean_font(install="google.colab" in sys.modules)  # Colab has none: install it

    if not want_offline():
        print(_(ONLINE_MESSAGE))
        return

    already = [name for name in ("transformers", "datasets", "evaluate") if name in sys.modules]
    if already and os.environ.get("HF_HOME") != str(standin_hub.HF_HOME):
        print(imported_too_early(already))
    standin_hub.activate()
    standin_hub.build()
    print(_(OFFLINE_MESSAGE))
