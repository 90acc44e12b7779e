"""`make run` serves this machine only: the repo's .streamlit/config.toml binds Streamlit to loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_app_started_from_the_repo_listens_on_loopback_only(tmp_path):
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("STREAMLIT_")}
    env["INTERVIEW_DB"] = str(tmp_path / "interviews.db")
    log_path = tmp_path / "streamlit.log"
    # The same command as `make run`, from the repo root, so the repo's config applies.
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"streamlit did not answer on loopback:\n{log_path.read_text()}")
        log_text = log_path.read_text()
        assert f"started on 127.0.0.1:{port}" in log_text
        assert "Network URL" not in log_text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
