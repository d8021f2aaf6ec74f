"""`make lab` opens the course: JupyterLab lists the notebooks and runs the setup cell."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest
import websocket

from utils import REPO_ROOT
from utils.course_setup import OFFLINE_MESSAGE, ONLINE_MESSAGE
from utils.instructors.course_map import setup_cell_source
from utils.instructors.notebook_hygiene import course_notebooks

# Starts JupyterLab and runs a kernel.
pytestmark = pytest.mark.integration

TOKEN = uuid.uuid4().hex


def free_port():
    """A TCP port on the loopback interface that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api(port, path, method="GET", body=None):
    """Call the Jupyter server's REST API and return the decoded JSON answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def wait_for_server(port, process, seconds=60):
    """Wait until the server answers its status endpoint."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "JupyterLab exited early"
        try:
            return api(port, "/api/status")
        except OSError:
            time.sleep(0.5)
    raise AssertionError("JupyterLab did not answer in time")


def run_cell(port, kernel_id, code, seconds=120):
    """Execute code in a kernel over the websocket; return (printed text, errors)."""
    channel = websocket.create_connection(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={TOKEN}", timeout=seconds
    )
    msg_id = uuid.uuid4().hex
    channel.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": msg_id,
                    "username": "test",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False},
                "channel": "shell",
            }
        )
    )
    printed, errors = "", []
    while True:
        message = json.loads(channel.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            printed += content["text"]
        elif kind == "error":
            errors.append(content["ename"])
        elif kind == "status" and content["execution_state"] == "idle":
            channel.close()
            return printed, errors


def test_make_lab_lists_the_notebooks_and_runs_the_setup_cell(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        f"--IdentityProvider.token={TOKEN} --ServerApp.port_retries=0"
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=REPO_ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_server(port, process)
        # The URL it prints opens lesson 00, not the Launcher.
        started = log.read_text()
        assert f"127.0.0.1:{port}/lab/tree/notebooks/00_start_here.ipynb?token=" in started
        # The git filter's save hook comes as a server extension, replacing no other hook.
        assert "utils.instructors.notebook_filter | extension was successfully loaded" in started
        assert "Overriding existing" not in started
        # The course's settings: no news popup, links that look like links.
        notification = api(port, "/lab/api/settings/@jupyterlab/apputils-extension:notification")
        defaults = {
            name: spec["default"] for name, spec in notification["schema"]["properties"].items()
        }
        assert defaults["fetchNews"] == "false"  # JupyterLab's own default is "none": it asks
        assert defaults["checkForUpdates"] is False
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/custom/custom.css",
            headers={"Authorization": f"token {TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert ".jp-RenderedHTMLCommon a code" in answer.read().decode()  # see tests/browser/

        listing = api(port, "/api/contents/notebooks")
        listed = {item["name"] for item in listing["content"]}
        expected = {path.name for path in course_notebooks() if path.parent.name == "notebooks"}
        assert expected and expected <= listed

        session = api(
            port,
            "/api/sessions",
            "POST",
            {
                "path": "notebooks/00_start_here.ipynb",
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        printed, errors = run_cell(port, session["kernel"]["id"], setup_cell_source())
        assert errors == []
        assert OFFLINE_MESSAGE in printed or ONLINE_MESSAGE in printed
        if os.environ.get("COURSE_OFFLINE") == "1":
            assert OFFLINE_MESSAGE in printed
        api(port, "/api/shutdown", "POST")
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
