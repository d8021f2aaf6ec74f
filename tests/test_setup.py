"""utils.setup(): offline detection, the stand-in switch, Colab's requirements."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from utils import REPO_ROOT, course_setup
from utils.language import LANGUAGE_VARIABLE, _
from utils.standins import hub as standin_hub

OFFLINE_LINES = course_setup.OFFLINE_MESSAGE.count("\n") + 1


def test_hub_probe_gives_up_within_three_seconds_on_a_server_that_never_answers():
    # A loopback socket that listens but never accepts: the connection is queued
    # by the kernel and then nothing ever comes back, like a hanging network.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        start = time.monotonic()
        assert course_setup.hub_reachable(f"http://127.0.0.1:{port}", seconds=2.5) is False
        elapsed = time.monotonic() - start
    assert 2.0 < elapsed < 3.0  # it did wait, and it gave up in time


def test_hub_probe_gives_up_within_three_seconds_on_the_real_hub_when_offline():
    start = time.monotonic()
    course_setup.hub_reachable()  # whatever the answer, it must come in time
    assert time.monotonic() - start < 3.0


def free_port():
    """A TCP port on the loopback interface that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_hub_probe_sees_a_local_web_server():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not course_setup.hub_reachable(f"http://127.0.0.1:{port}", seconds=1):
            assert time.monotonic() < deadline, "the local server never answered"
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait()


@pytest.fixture
def local_web_server():
    """A web server on 127.0.0.1, in a thread of this process: its address.

    It answers every request with an error status, which is an answer all the same.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_setup_and_the_tests_look_for_the_hub_where_hf_endpoint_points(
    monkeypatch, local_web_server
):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", local_web_server + "/")
    assert course_setup.hub_endpoint() == local_web_server  # read as huggingface_hub reads it
    assert course_setup.want_offline() is False
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    assert course_setup.want_offline() is True


def test_without_hf_endpoint_the_probe_asks_the_real_hub(monkeypatch):
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert course_setup.hub_endpoint() == "https://huggingface.co"


def test_course_offline_wins_over_what_the_probe_would_find(monkeypatch, local_web_server):
    monkeypatch.setenv("HF_ENDPOINT", local_web_server)
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    assert course_setup.want_offline() is True
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    assert course_setup.want_offline() is False


def run_setup(extra_env):
    """Run utils.setup() in a fresh interpreter; return its output and environment."""
    code = (
        "import os, sys, json; sys.path.insert(0, '.'); import utils; returned = utils.setup(); "
        "print(json.dumps({'returned': returned, 'HF_HOME': os.environ.get('HF_HOME'), "
        "'offline': os.environ.get('HF_HUB_OFFLINE'), "
        "'verbosity': os.environ.get('TRANSFORMERS_VERBOSITY'), "
        "'fonts': sys.modules['matplotlib'].rcParams['font.family'] "
        "if 'matplotlib' in sys.modules else None}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.pop("COURSE_QUIET", None)
    env.update(extra_env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_course_offline_switches_to_the_stand_ins_and_says_so():
    start = time.monotonic()
    output = run_setup({"COURSE_OFFLINE": "1"})
    assert time.monotonic() - start < 10  # already built: no rebuild
    assert course_setup.OFFLINE_MESSAGE in output
    assert output.count("\n") == OFFLINE_LINES + 1  # the message, then our JSON
    assert f'"HF_HOME": "{standin_hub.HF_HOME}"' in output
    assert '"offline": "1"' in output
    assert '"returned": null' in output  # the setup cell shows only the one line


def test_learners_keep_progress_bars_and_warnings():
    output = run_setup({"COURSE_OFFLINE": "1"})
    assert '"verbosity": null' in output


def test_the_korean_edition_draws_hangul_and_speaks_korean_the_english_one_does_neither(
    monkeypatch,
):
    output = run_setup({"COURSE_OFFLINE": "1", "COURSE_LANGUAGE": "ko"})
    korean = json.loads(output.splitlines()[-1])
    assert korean["fonts"][0] == "DejaVu Sans" and len(korean["fonts"]) == 2, korean["fonts"]
    english = json.loads(run_setup({"COURSE_OFFLINE": "1"}).splitlines()[-1])
    assert english["fonts"] is None
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    message = _(course_setup.OFFLINE_MESSAGE)
    assert message.startswith("오프라인: 코스의 대역을 씁니다") and message.count("\n") == 1
    assert output.startswith(message + "\n")


def test_the_test_harness_gets_quiet_settings():
    output = run_setup({"COURSE_OFFLINE": "1", "COURSE_QUIET": "1"})
    assert '"verbosity": "error"' in output


def test_course_offline_0_uses_the_hub_and_leaves_the_cache_alone():
    output = run_setup({"COURSE_OFFLINE": "0"})
    assert course_setup.ONLINE_MESSAGE in output
    assert '"HF_HOME": null' in output and '"offline": null' in output


def test_the_setup_messages_are_short_lines():
    for message in (course_setup.OFFLINE_MESSAGE, course_setup.ONLINE_MESSAGE):
        assert all(len(line) <= 100 for line in message.splitlines()), message


def test_colab_installs_only_the_hugging_face_libraries_and_pyarrow_at_their_pins():
    pins = course_setup.colab_requirements()
    pinned = course_setup.pinned_versions()
    assert "transformers==5.24.0" in pins and "datasets==5.2.0" in pins
    assert f"accelerate=={pinned['accelerate']}" in pins
    # datasets needs a newer pyarrow than Colab's: the course installs its pin, and says so.
    assert f"pyarrow=={pinned['pyarrow']}" in pins
    managed_by_colab = ("torch", "numpy", "pandas", "matplotlib", "scipy", "tqdm")
    assert not any(pin.split("==")[0] in managed_by_colab for pin in pins)
    assert all(pin in [f"{name}=={version}" for name, version in pinned.items()] for pin in pins)


def test_colab_asks_for_a_restart_when_an_older_library_was_already_imported(monkeypatch):
    fake = type(sys)("transformers")
    fake.__version__ = "4.57.0"
    monkeypatch.setitem(sys.modules, "transformers", fake)
    stale = course_setup.stale_imports(["transformers==5.24.0", "datasets==5.2.0"])
    assert stale == ["transformers 4.57.0"]
    fake.__version__ = "5.24.0"
    assert course_setup.stale_imports(["transformers==5.24.0"]) == []


def fake_pip(commands, changed):
    """A stand-in for subprocess.run: records pip's command and writes its report."""

    def run(command, **_):
        commands.append(command)
        report = command[command.index("--report") + 1]
        pins = [pin.split("==") for pin in changed]
        installed = [{"metadata": {"name": name, "version": version}} for name, version in pins]
        Path(report).write_text(json.dumps({"install": installed}))

    return run


def test_colab_installs_only_what_is_not_at_its_pin_and_says_when_to_restart(monkeypatch, capsys):
    installed = {"transformers": "4.57.0", "datasets": "4.0.0"}
    pinned = course_setup.pinned_versions()
    monkeypatch.setattr(
        course_setup,
        "installed_version",
        lambda name: installed.get(name, pinned.get(name)),
    )
    commands = []
    changed = ["transformers==5.24.0", "datasets==5.2.0"]
    monkeypatch.setattr(subprocess, "run", fake_pip(commands, changed))
    fake = type(sys)("transformers")
    fake.__version__ = "4.57.0"
    monkeypatch.setitem(sys.modules, "transformers", fake)
    assert course_setup.install_in_colab() is True  # setup() stops there
    assert commands[0][-2:] == ["transformers==5.24.0", "datasets==5.2.0"]
    printed = capsys.readouterr().out
    assert "Restart the runtime" in printed and "transformers 4.57.0" in printed
    assert all(len(line) <= 100 for line in printed.splitlines())


@pytest.mark.parametrize("module", ["pyarrow", "fsspec"])
def test_colab_asks_for_a_restart_when_pip_changed_an_imported_dependency(
    monkeypatch, capsys, module
):
    # pyarrow is on the install list; fsspec is one pip upgrades for datasets unasked.
    pinned = course_setup.pinned_versions()
    installed = {"datasets": "4.0.0", "pyarrow": "18.1.0"}
    monkeypatch.setattr(
        course_setup,
        "installed_version",
        lambda name: installed.get(name, pinned.get(name)),
    )
    changed = ["datasets==5.2.0", f"pyarrow=={pinned['pyarrow']}", "fsspec==2099.1.0"]
    monkeypatch.setattr(subprocess, "run", fake_pip([], changed))
    for name in ("datasets", "pyarrow", "fsspec"):  # as if only ``module`` had been imported
        monkeypatch.delitem(sys.modules, name, raising=False)
    fake = type(sys)(module)
    fake.__version__ = "18.1.0"
    monkeypatch.setitem(sys.modules, module, fake)
    assert course_setup.install_in_colab() is True
    assert f"\n{module} 18.1.0 was imported before the install." in capsys.readouterr().out


def test_online_and_colab_messages_speak_korean(monkeypatch, capsys):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "ko")
    monkeypatch.delenv("COURSE_QUIET", raising=False)
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    monkeypatch.setattr(course_setup, "want_offline", lambda: False)
    monkeypatch.setattr("utils.korean_font.use_korean_font", lambda install=False: "NanumGothic")
    course_setup.setup()
    assert capsys.readouterr().out == "온라인: 모델과 데이터를 Hugging Face Hub에서 가져옵니다.\n"
    monkeypatch.setattr(course_setup, "installed_version", lambda name: "0.0.1")
    changed = ["transformers==5.24.0", "datasets==5.2.0"]
    monkeypatch.setattr(subprocess, "run", fake_pip([], changed))
    for name in ("transformers", "datasets"):
        fake = type(sys)(name)
        fake.__version__ = "0.0.1"
        monkeypatch.setitem(sys.modules, name, fake)
    assert course_setup.install_in_colab() is True
    installing, restart, imported = capsys.readouterr().out.splitlines()
    assert installing.startswith("Colab: transformers==") and "설치 중" in installing
    assert restart == "런타임을 다시 시작한 뒤(Runtime > Restart session) 이 셀을 다시 실행하세요:"
    assert (
        imported
        == _(
            "Restart the runtime (Runtime > Restart session), then run this cell again:\n"
            "{libraries} were imported before the install.",
            libraries="transformers 0.0.1, datasets 0.0.1",
        ).splitlines()[1]
    )
    assert "라이브러리를 이미 import했습니다" in imported
    assert "import했습니다. 커널을 다시 시작하고" in course_setup.imported_too_early(["datasets"])


def test_an_early_import_is_named_with_the_right_verb():
    assert course_setup.imported_too_early(["datasets"]).startswith(
        "Warning: datasets was imported before `setup()`"
    )
    assert course_setup.imported_too_early(["transformers", "datasets"]).startswith(
        "Warning: transformers, datasets were imported before `setup()`"
    )


def test_colab_needs_no_restart_when_nothing_pip_changed_was_imported(monkeypatch, capsys):
    pinned = course_setup.pinned_versions()
    monkeypatch.setattr(
        course_setup,
        "installed_version",
        lambda name: {"evaluate": "0.4.0"}.get(name, pinned.get(name)),
    )
    monkeypatch.setattr(subprocess, "run", fake_pip([], ["evaluate==0.4.6"]))
    monkeypatch.delitem(sys.modules, "evaluate", raising=False)
    assert course_setup.install_in_colab() is False
    assert "Restart" not in capsys.readouterr().out
