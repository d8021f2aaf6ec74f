"""The course online: chapter 2's lessons and lesson 3.2, downloading from a Hub over HTTP.

A learner with internet gets "Online" from the setup cell, and transformers, datasets and
evaluate download into the learner's own cache. Here the Hub is the local one of
``hub_server.py`` (the stand-ins, served through the Hub's HTTP API); the learner is an
empty HOME; the lessons run under nbval exactly as ``make test`` runs them offline, in one
pytest run of their own (so that no notebook is collected twice). Any connection to another
host, such as the real huggingface.co, goes to a proxy that only records it.
"""

import json
import os
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from utils import REPO_ROOT, notebook_path
from utils.course_setup import ONLINE_MESSAGE
from utils.instructors.course_map import first_code_cell
from utils.standins import hub as standin_hub
from utils.standins.metrics import SCRIPTS_DIR

pytestmark = [pytest.mark.online, pytest.mark.integration]

HERE = Path(__file__).resolve().parent
# Every lesson of chapter 2 that loads a model, and lesson 3.2 (MRPC from the Hub).
LESSONS = [
    "01_behind_the_pipeline",
    "02_models",
    "03_tokenizers",
    "04_multiple_sequences",
    "05_putting_it_together",
    "07_processing_the_data",
]
# What those lessons download: each checkpoint, and the one data set.
CHECKPOINTS = [
    "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    "google-bert/bert-base-cased",
    "google-bert/bert-base-uncased",
]
PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
# Hosts datasets asks besides the Hub, best effort (it ignores any failure): its download
# counter on S3, and the dataset viewer, whose host is named after the Hub's
# (datasets-server.huggingface.co online, datasets-server.127.0.0.1 here).
SIDE_HOSTS = ["s3.amazonaws.com", "datasets-server.127.0.0.1"]


@pytest.fixture(scope="module")
def local_hub(tmp_path_factory):
    """The local Hub in a process of its own: its address and its log of requests.

    It is stopped by its process id when this file's tests end, passed or failed.
    """
    log = tmp_path_factory.mktemp("hub") / "hub.log"
    work = tmp_path_factory.mktemp("hub-files")
    command = [sys.executable, str(HERE / "hub_server.py"), str(log), str(work)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        address = server.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:"), "the local Hub did not start"
        yield address, log
    finally:
        server.terminate()
        server.wait(timeout=30)


class Tripwire(socketserver.BaseRequestHandler):
    """A proxy that serves nothing: it notes the host each request was for, and hangs up."""

    def handle(self):
        self.request.settimeout(5)
        try:
            first_line = self.request.recv(4096).split(b"\r\n")[0].decode(errors="replace")
        except OSError:
            first_line = ""
        self.server.hosts.append(host_of(first_line))


@pytest.fixture(scope="module")
def proxy_tripwire():
    """The tripwire proxy on a free port: its address, and the hosts asked through it so far."""
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tripwire) as proxy:
        proxy.hosts = []
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{proxy.server_address[1]}", proxy.hosts
        proxy.shutdown()


def host_of(request_line):
    """The host (without port) a proxy request is for: ``CONNECT host:443 ...``, ``GET URL ...``."""
    parts = request_line.split()
    if len(parts) < 2:
        return f"(an unreadable request: {request_line!r})"
    target = parts[1] if "://" in parts[1] else f"//{parts[1]}"
    return urlsplit(target).hostname


def learners_copy(folder):
    """The course as a learner has it, in ``folder``: the lessons copied, the rest linked.

    The lessons are copies because they save files next to themselves (the offline run of
    the same lessons may be running at the same time). Each copy's setup cell is compared
    too: it must print the online message, which is what the learner sees first.
    """
    (folder / "notebooks").mkdir(parents=True)
    (folder / "tests").mkdir()
    for name in ["utils", "conftest.py", "pyproject.toml", "tests/sanitize.cfg"]:
        (folder / name).symlink_to(REPO_ROOT / name)
    for stem in LESSONS:
        notebook = nbformat.read(notebook_path("notebooks", stem), as_version=4)
        setup = first_code_cell(notebook)
        setup.metadata.setdefault("tags", []).append("nbval-check-output")
        setup.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=ONLINE_MESSAGE + "\n")
        ]
        setup.execution_count = 1
        nbformat.write(notebook, folder / "notebooks" / f"{stem}.ipynb")
    return folder


def learners_environment(home, hub_address, proxy_address):
    """This process's environment as a learner's online: a new HOME, the Hub at ``hub_address``.

    No Hugging Face setting is kept (the cache is the default one, ``~/.cache/huggingface``),
    nor ``COURSE_OFFLINE``: the test harness must find the Hub through ``HF_ENDPOINT`` by
    itself, as ``utils.setup()`` does. Every other host is reached through the tripwire proxy.
    """
    dropped = ("HF_", "TRANSFORMERS_", "DATASETS_", "COURSE_", "PYTEST_", "XDG_", "OMP_")
    proxies = {name.lower() for name in [*PROXY_VARIABLES, "NO_PROXY"]}
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(dropped) and name.lower() not in proxies
    }
    environment.update(HOME=str(home), HF_ENDPOINT=hub_address)
    for name in PROXY_VARIABLES:
        environment[name] = environment[name.lower()] = proxy_address
    environment["NO_PROXY"] = environment["no_proxy"] = "127.0.0.1,localhost"
    return environment


def run_online(command, cwd, home, local_hub, proxy_tripwire):
    """Run ``command`` as a learner online would, in ``cwd``; fail if it fails.

    Afterwards, nothing may have gone past the local Hub but the known side calls, and the
    libraries may have asked the local Hub for nothing it does not serve.
    """
    hub_address, hub_log = local_hub
    proxy_address, through_proxy = proxy_tripwire
    run = subprocess.run(
        command,
        cwd=cwd,
        env=learners_environment(home, hub_address, proxy_address),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, f"this failed online:\n{run.stdout[-6000:]}{run.stderr[-3000:]}"
    assert "huggingface.co" not in through_proxy, "the real Hub was asked"
    others = set(through_proxy) - set(SIDE_HOSTS)
    assert not others, f"something went past the local Hub to {sorted(others)}"
    unserved = [line for line in hub_log.read_text().splitlines() if line.endswith(" unserved")]
    assert unserved == [], f"the libraries asked for what the local Hub does not serve: {unserved}"
    return run.stdout


def files_below(folder):
    """Every file below ``folder``, as paths relative to it."""
    return {path.relative_to(folder) for path in Path(folder).rglob("*") if path.is_file()}


def hub_caches_in_repository():
    """Every Hub cache folder (``models--*``) in the repository, but the stand-ins' own."""
    found = []
    for folder, subfolders, _ in os.walk(REPO_ROOT):
        if Path(folder) == REPO_ROOT:
            subfolders[:] = [
                name for name in subfolders if name not in {".git", ".venv", ".standin"}
            ]
        found += [Path(folder, name) for name in subfolders if name.startswith("models--")]
    return found


def test_the_lessons_run_online_and_download_into_the_learners_cache(
    tmp_path, local_hub, proxy_tripwire
):
    course = learners_copy(tmp_path / "course")
    home = tmp_path / "home"
    home.mkdir()
    standins_before = files_below(standin_hub.HF_HOME / "hub")

    lessons = [f"notebooks/{stem}.ipynb" for stem in LESSONS]
    run_online([sys.executable, "-m", "pytest", *lessons], course, home, local_hub, proxy_tripwire)

    cache = home / ".cache" / "huggingface"
    for repo_id in CHECKPOINTS:
        snapshots = cache / "hub" / f"models--{repo_id.replace('/', '--')}" / "snapshots"
        (downloaded,) = snapshots.iterdir()  # one commit, the stand-in's
        standin = standin_hub.HF_HOME / "hub" / snapshots.relative_to(cache / "hub")
        served = standin / downloaded.name / "model.safetensors"
        assert (downloaded / "model.safetensors").stat().st_size == served.stat().st_size
    mrpc = list((cache / "datasets").glob("nyu-mll___glue/mrpc/*/*/glue-train.arrow"))
    assert len(mrpc) == 1, "MRPC was not prepared in the learner's cache"

    assert files_below(standin_hub.HF_HOME / "hub") == standins_before
    assert hub_caches_in_repository() == [], "downloads landed in the repository"


def test_evaluate_downloads_the_glue_metric_into_the_learners_cache(
    tmp_path, local_hub, proxy_tripwire
):
    predictions, references = [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]
    code = (
        "import json, evaluate\n"
        "metric = evaluate.load('glue', 'mrpc')\n"
        f"print(json.dumps(metric.compute(predictions={predictions}, references={references})))"
    )
    printed = run_online(
        [sys.executable, "-c", code], tmp_path, tmp_path, local_hub, proxy_tripwire
    )

    right = sum(p == r for p, r in zip(predictions, references, strict=True))
    true_positives = sum(p == r == 1 for p, r in zip(predictions, references, strict=True))
    f1 = 2 * true_positives / (sum(predictions) + sum(references))
    expected = {"accuracy": right / len(references), "f1": f1}
    assert json.loads(printed) == pytest.approx(expected)
    metrics = tmp_path / ".cache" / "huggingface" / "modules" / "evaluate_modules" / "metrics"
    (script,) = metrics.glob("evaluate-metric--glue/*/glue.py")
    assert script.read_bytes() == (SCRIPTS_DIR / "glue.py").read_bytes()
