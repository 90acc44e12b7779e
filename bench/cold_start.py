"""Cold start: `streamlit run streamlit_app.py` to the first page served, with no provider configured.

With no configuration the app auto-selects the embedded model; startup must not load it. We time launch → GET / 200
and /_stcore/health "ok" (the page is served), then open the app's websocket as a browser does, ask for the first
script run and time its `script_finished` (the first page rendered). We then check the server process: the chosen
provider shown on the page, whether `llama_cpp`'s shared library or the GGUF file is mapped, and its RSS.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, clean_env, free_port, median

LAUNCH_TIMEOUT = 60.0


@dataclass
class ColdStart:
    served_s: float  # launch → GET / and /_stcore/health both OK
    first_run_s: float  # launch → first script run finished over the websocket
    provider_text: str  # the "Active: …" caption of the first page
    llama_mapped: bool  # libllama (llama_cpp) loaded into the server process
    gguf_mapped: bool  # the model file mapped into the server process
    rss_mb: float
    hwm_mb: float


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status, response.read()
    except OSError:
        return 0, b""


def _first_run(port: int) -> tuple[float, list]:
    """Open the websocket, request a run, return when it finishes (with every ForwardMsg received)."""
    import websocket
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        origin=f"http://127.0.0.1:{port}",
        timeout=LAUNCH_TIMEOUT,
    )
    try:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        ws.send_binary(back.SerializeToString())
        messages = []
        while True:
            data = ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(data)
            messages.append(msg)
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"the first run did not finish cleanly (status {msg.script_finished})")
                return time.perf_counter(), messages
    finally:
        ws.close()


def _texts(messages: list) -> list[str]:
    texts = []
    for msg in messages:
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind in ("markdown", "alert"):
                texts.append(getattr(element, kind).body)
            if msg.WhichOneof("type") == "delta" and element.WhichOneof("type") == "exception":
                raise RuntimeError(f"the first page raised: {element.exception.message}")
    return texts


def _proc_status(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def measure_once() -> ColdStart:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        # No provider variables at all: the app must fall back to the embedded model without loading it.
        env = clean_env(INTERVIEW_DB=str(Path(tmp) / "interviews.db"), PYTHONDONTWRITEBYTECODE="1")
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
            "--server.headless", "true", "--server.port", str(port), "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        log = open(Path(tmp) / "streamlit.log", "w+b")  # closed below; unlike a pipe it never fills up
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit exited early: {log.read().decode(errors='replace')[-2000:]}")
                if time.perf_counter() - start > LAUNCH_TIMEOUT:
                    raise RuntimeError("streamlit did not serve the page in time")
                health = _get(f"{base}/_stcore/health")
                if health == (200, b"ok") and _get(base + "/")[0] == 200:
                    served = time.perf_counter() - start
                    break
                time.sleep(0.01)
            finished, messages = _first_run(port)
            texts = _texts(messages)
            active = next((t for t in texts if t.startswith("Active:")), "")
            maps = Path(f"/proc/{process.pid}/maps").read_text()
            rss, hwm = _proc_status(process.pid)
            return ColdStart(
                served,
                finished - start,
                active,
                "libllama" in maps,
                ".gguf" in maps,
                rss,
                hwm,
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def run(quick: bool = False) -> list[ColdStart]:
    from bench.common import wait_for_page

    wait_for_page()
    return [measure_once() for _ in range(1 if quick else 5)]


def rows(results: list[ColdStart]) -> list[list[str]]:
    served = [r.served_s for r in results]
    first = [r.first_run_s for r in results]
    last = results[-1]
    return [
        ["Launch → page served (GET / 200, health ok), median", f"{median(served):.2f} s"],
        ["  … first launch / slowest", f"{served[0]:.2f} s / {max(served):.2f} s"],
        ["Launch → first script run finished (websocket), median", f"{median(first):.2f} s"],
        ["  … first launch / slowest", f"{first[0]:.2f} s / {max(first):.2f} s"],
        ["Provider picked with no configuration", last.provider_text.removeprefix("Active: ") or "(not shown)"],
        ["llama_cpp library loaded at startup", "yes" if any(r.llama_mapped for r in results) else "no"],
        ["Model file (GGUF) mapped at startup", "yes" if any(r.gguf_mapped for r in results) else "no"],
        ["Server RSS after first run (peak)", f"{last.rss_mb:.0f} MB ({last.hwm_mb:.0f} MB)"],
        ["Launches", str(len(results))],
    ]


HEADERS = ["Cold start", "Value"]
