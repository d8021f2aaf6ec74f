"""The local Hub (hub_server.py) answers as the Hugging Face Hub does, for what the course uses.

Each test asks the way the libraries ask, with plain HTTP or with huggingface_hub's own
client, and compares with the stand-in files the server reads.
"""

import hashlib
import io
import json
import threading
import urllib.error
import urllib.request

import pyarrow.parquet
import pytest
from hub_server import HubServer
from huggingface_hub import HfApi, constants, hf_hub_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from utils.standins import hub as standin_hub
from utils.standins.metrics import SCRIPTS_DIR
from utils.standins.models import BERT_MINI_ID, SST2_ID, repo_folder

pytestmark = pytest.mark.online


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The local Hub on a free port, in a thread of this process; its log lines in ``hub.lines``."""
    lines = []
    server = HubServer(tmp_path_factory.mktemp("hub-files"), log=lines.append)
    server.lines = lines
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def online(monkeypatch, tmp_path):
    """huggingface_hub online in this process, which may be using the stand-ins offline.

    Online, huggingface_hub fetches a registry of coding agents from its Hub once a day, for
    its user agent; here it finds one already cached (and empty), so it asks no Hub for it.
    """
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    registry = tmp_path / "agent_harnesses.json"
    registry.write_text(json.dumps({"standardEnvVars": [], "harnesses": {}}))
    monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(registry))


def ask(hub, path, method="GET"):
    """``(status, headers, body)`` of one request to the local Hub; errors are answers too."""
    request = urllib.request.Request(hub.url + path, method=method)
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def snapshot_of(repo_id):
    """The stand-in snapshot folder of a checkpoint, and its commit."""
    folder = repo_folder(standin_hub.HF_HOME / "hub", repo_id)
    commit = (folder / "refs" / "main").read_text().strip()
    return folder / "snapshots" / commit, commit


def test_a_head_request_gives_the_headers_huggingface_hub_needs(hub):
    snapshot, commit = snapshot_of(BERT_MINI_ID)
    weights = snapshot / "model.safetensors"
    status, headers, body = ask(hub, f"/{BERT_MINI_ID}/resolve/main/model.safetensors", "HEAD")
    assert status == 200 and body == b""
    assert headers["X-Repo-Commit"] == commit
    assert int(headers["Content-Length"]) == weights.stat().st_size
    sha256 = hashlib.sha256(weights.read_bytes()).hexdigest()
    assert headers["ETag"] == f'"{sha256}"'  # LFS files: the sha256 of the content


def test_a_text_file_is_served_whole_with_its_git_blob_id_as_etag(hub):
    snapshot, _ = snapshot_of(BERT_MINI_ID)
    content = (snapshot / "config.json").read_bytes()
    status, headers, body = ask(hub, f"/{BERT_MINI_ID}/resolve/main/config.json")
    assert status == 200 and body == content
    blob_id = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
    assert headers["ETag"] == f'"{blob_id}"'


def test_huggingface_hub_downloads_a_checkpoint_file_unchanged(hub, tmp_path):
    snapshot, commit = snapshot_of(BERT_MINI_ID)
    path = hf_hub_download(BERT_MINI_ID, "model.safetensors", cache_dir=tmp_path, endpoint=hub.url)
    assert f"/snapshots/{commit}/" in path
    assert open(path, "rb").read() == (snapshot / "model.safetensors").read_bytes()


def test_the_pipelines_default_revision_names_the_stand_in_commit(hub):
    _, commit = snapshot_of(SST2_ID)
    # The build names the revision pipeline("sentiment-analysis") asks for (714eb0f) in refs/.
    refs = repo_folder(standin_hub.HF_HOME / "hub", SST2_ID) / "refs"
    (pipeline_revision,) = [ref.name for ref in refs.iterdir() if ref.name != "main"]
    info = HfApi(endpoint=hub.url).model_info(SST2_ID, revision=pipeline_revision)
    assert info.sha == commit
    assert "model.safetensors" in [sibling.rfilename for sibling in info.siblings]


def test_a_missing_file_is_entry_not_found_as_transformers_expects(hub, tmp_path):
    status, headers, _ = ask(hub, f"/{SST2_ID}/resolve/main/vocab.txt", "HEAD")
    assert (status, headers["X-Error-Code"]) == (404, "EntryNotFound")
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(SST2_ID, "vocab.txt", cache_dir=tmp_path, endpoint=hub.url)


def test_a_missing_revision_is_revision_not_found(hub, tmp_path):
    status, headers, _ = ask(hub, f"/api/models/{SST2_ID}/revision/v9.9")
    assert (status, headers["X-Error-Code"]) == (404, "RevisionNotFound")
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(
            SST2_ID, "config.json", revision="v9.9", cache_dir=tmp_path, endpoint=hub.url
        )


def test_a_missing_repository_is_repo_not_found(hub):
    status, headers, _ = ask(hub, "/api/models/nobody/nothing")
    assert (status, headers["X-Error-Code"]) == (401, "RepoNotFound")
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=hub.url).model_info("nobody/nothing")


def test_the_tree_lists_a_checkpoint_and_a_missing_folder_is_not_found(hub):
    snapshot, _ = snapshot_of(BERT_MINI_ID)
    api = HfApi(endpoint=hub.url)
    listed = {entry.path: entry.size for entry in api.list_repo_tree(BERT_MINI_ID, recursive=True)}
    assert listed == {path.name: path.stat().st_size for path in snapshot.iterdir()}
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree(BERT_MINI_ID, path_in_repo="additional_chat_templates"))


def test_glue_has_a_readme_with_its_configurations_and_mrpc_as_parquet(hub):
    status, _, readme = ask(hub, "/datasets/nyu-mll/glue/resolve/main/README.md")
    assert status == 200
    assert b"- config_name: mrpc" in readme
    assert b"path: mrpc/train-00000-of-00001.parquet" in readme
    tree = HfApi(endpoint=hub.url).list_repo_tree("nyu-mll/glue", "mrpc", repo_type="dataset")
    assert sorted(entry.path for entry in tree) == [
        f"mrpc/{split}-00000-of-00001.parquet" for split in ["test", "train", "validation"]
    ]
    status, _, body = ask(
        hub, "/datasets/nyu-mll/glue/resolve/main/mrpc/train-00000-of-00001.parquet"
    )
    table = pyarrow.parquet.read_table(io.BytesIO(body))
    assert table.num_rows == 3668
    assert b"not_equivalent" in table.schema.metadata[b"huggingface"]  # the ClassLabel names


def test_evaluate_finds_the_glue_metric_on_main_after_its_version_tag_is_not_found(hub):
    status, headers, _ = ask(hub, "/spaces/evaluate-metric/glue/resolve/v0.4.6/glue.py", "HEAD")
    assert (status, headers["X-Error-Code"]) == (404, "RevisionNotFound")
    status, _, body = ask(hub, "/spaces/evaluate-metric/glue/resolve/main/glue.py")
    assert status == 200 and body == (SCRIPTS_DIR / "glue.py").read_bytes()


def test_every_request_is_logged_and_one_it_does_not_serve_says_so(hub):
    status, _, _ = ask(hub, "/api/whoami-v2")
    assert status == 404
    assert hub.lines[-1] == "GET /api/whoami-v2 404 unserved"
    ask(hub, f"/{SST2_ID}/resolve/main/config.json", "HEAD")
    assert hub.lines[-1] == f"HEAD /{SST2_ID}/resolve/main/config.json 200 resolve"
