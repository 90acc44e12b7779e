"""A team deployment on loopback, measured: `streamlit run` replicas on one PostgreSQL database, a streaming
OpenAI-compatible model server (the fake one, at a steady token rate), and headless sessions that speak Streamlit's
own websocket protocol as a browser tab does (no Chromium: on 2 cores it would cost more than the app).

    python -m bench.deploy_load                    # 1 replica: 5, 10, 20, 40 sessions at once; then 2 replicas
    python -m bench.deploy_load --sessions 10 20 --replicas 1 --turns 2

Each session opens the page, asks a question and answers `--turns` times, each as soon as the last reply ends (no
thinking time: the worst case). Reported per step: how long a turn took beyond the reply's own streaming time
(p50/p95), errors, the replicas' CPU seconds per turn and peak RSS, and what PostgreSQL saw per turn: transactions
committed and rows inserted/updated (from pg_stat, so reads are in the transaction count too). docs/DEPLOY.md
records a run. Everything listens on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from interview.store import open_store  # noqa: E402
from tests.browser.support import StreamlitServer  # noqa: E402
from tests.fake_llm_server import FakeLLMServer, Reply  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402

REPLY_WORDS = 120
WORD_DELAY = 0.025  # 40 words a second: a model server under load
STREAM_SECONDS = REPLY_WORDS * WORD_DELAY
TURN_TIMEOUT = 120.0


@dataclass
class SessionResult:
    extra_seconds: list[float] = field(default_factory=list)  # turn time minus the reply's streaming time
    errors: list[str] = field(default_factory=list)


class HeadlessTab:
    """One browser tab's websocket session: rerun requests in, ForwardMsgs out."""

    def __init__(self, port: int):
        import websocket

        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{port}",
            timeout=TURN_TIMEOUT,
        )
        self.chat_input_id = ""
        self.query_string = ""
        self.page_script_hash = ""

    def run(self, chat_text: str | None = None) -> list[str]:
        """Request a run (with a chat message when given); the texts shown, once the last run of it has finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_script_hash = self.page_script_hash
        if chat_text is not None:
            widget = back.rerun_script.widget_states.widgets.add()
            widget.id = self.chat_input_id
            widget.chat_input_value.data = chat_text
        self.ws.send_binary(back.SerializeToString())
        texts: list[str] = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "chat_input":
                    self.chat_input_id = element.chat_input.id
                elif which == "exception":
                    raise RuntimeError(f"the app raised: {element.exception.message}")
                elif which in ("markdown", "alert"):
                    texts.append(getattr(element, which).body)
            elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return texts

    def close(self) -> None:
        self.ws.close()


def run_session(port: int, index: int, turns: int, start: threading.Barrier, result: SessionResult) -> None:
    try:
        tab = HeadlessTab(port)
    except Exception as exc:  # a refused websocket is a result, not a crash of the benchmark
        result.errors.append(f"connect: {exc}")
        start.wait()
        return
    try:
        tab.run()
        start.wait()
        for turn in range(turns + 1):
            text = f"Design a feed for team {index}" if turn == 0 else f"Session {index} answer {turn}: shard by user"
            began = time.perf_counter()
            shown = tab.run(text)
            took = time.perf_counter() - began
            if not any("Fake interviewer reply" in t or "word" in t for t in shown):
                result.errors.append(f"turn {turn}: no reply on the page")
            result.extra_seconds.append(took - STREAM_SECONDS)
    except Exception as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    finally:
        tab.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(data_dir: Path) -> float:
    """CPU seconds of every process of the cluster: the postmaster (its pid heads postmaster.pid) and its children."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(stat.parent.name) == postmaster or int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total


def pg_counters(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        commits = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname IN ('interviews', 'messages')"
        ).fetchall()
        stored, complete = conn.execute("SELECT COUNT(*), COALESCE(SUM(complete), 0) FROM messages").fetchone()
    counters = {"commits": commits, "stored": stored, "complete": complete}
    for name, inserted, updated in rows:
        counters[f"{name}_ins"], counters[f"{name}_upd"] = inserted, updated
    return counters


def step(servers: list[StreamlitServer], postgres: PostgresServer, url: str, sessions: int, turns: int) -> dict:
    results = [SessionResult() for _ in range(sessions)]
    start = threading.Barrier(sessions + 1)
    time.sleep(1.5)  # let pg_stat catch up with the previous step
    before_db = pg_counters(url)
    before_cpu = [cpu_seconds(s.pid) for s in servers]
    before_pg_cpu = postgres_cpu_seconds(postgres.data)
    threads = [
        threading.Thread(
            target=run_session, args=(servers[i % len(servers)].port, i, turns, start, results[i]), daemon=True
        )
        for i in range(sessions)
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=300)
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=TURN_TIMEOUT * (turns + 2))
    wall = time.perf_counter() - began
    cpu = sum(cpu_seconds(s.pid) for s in servers) - sum(before_cpu)
    pg_cpu = postgres_cpu_seconds(postgres.data) - before_pg_cpu
    time.sleep(1.5)  # pg_stat is flushed by each backend at most once a second
    after_db = pg_counters(url)
    extra = sorted(x for r in results for x in r.extra_seconds)
    errors = [e for r in results for e in r.errors]
    done_turns = len(extra)
    per_turn = {k: (after_db[k] - before_db.get(k, 0)) / max(done_turns, 1) for k in after_db}
    # Each turn is the candidate's message and the reply; every one must be stored, complete.
    lost = 2 * done_turns - (after_db["complete"] - before_db["complete"])
    return {
        "replicas": len(servers),
        "sessions": sessions,
        "turns": done_turns,
        "wall": wall,
        "p50": statistics.median(extra) if extra else float("nan"),
        "p95": extra[int(0.95 * (len(extra) - 1))] if extra else float("nan"),
        "errors": errors,
        "lost": lost,
        "cpu_per_turn": cpu / max(done_turns, 1),
        "cpu_share": cpu / wall,
        "pg_cpu_ms_per_turn": 1000 * pg_cpu / max(done_turns, 1),
        "rss_mb": max(s.status_kb("VmHWM") for s in servers) / 1024,
        "db": per_turn,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args(argv)

    import tempfile

    postgres = PostgresServer().start(fsync=True)  # durable, as a real database is
    rows = []
    print(HEADER, flush=True)
    try:
        text = " ".join(f"word{n}" for n in range(REPLY_WORDS - 4)) + " Fake interviewer reply. Why?"
        with FakeLLMServer(default=Reply(text=text, delay=WORD_DELAY)) as llm:
            for replicas in args.replicas:
                url = postgres.new_database()
                open_store(url).close()  # the schema, as the first replica to start would make it
                workdir = Path(tempfile.mkdtemp(prefix="deploy-load-"))
                servers = [StreamlitServer(llm.base_url, workdir / f"replica{n}", url).start() for n in range(replicas)]
                try:
                    for sessions in args.sessions:
                        row = step(servers, postgres, url, sessions, args.turns)
                        rows.append(row)
                        print(format_row(row), flush=True)
                        for server in servers:
                            if "Traceback" in server.log_text():
                                print(f"  traceback in {server.log_path}", flush=True)
                finally:
                    for server in servers:
                        server.stop()
    finally:
        postgres.stop()
    return 0


HEADER = (
    "| replicas | sessions at once | turns | extra s p50 | extra s p95 | errors | messages lost | app CPU s/turn | app cores busy "
    "| peak RSS MiB | PostgreSQL CPU ms/turn | commits/turn | messages ins/turn | messages upd/turn "
    "| interviews ins/turn | interviews upd/turn |\n|" + "---|" * 16
)


def format_row(row: dict) -> str:
    db = row["db"]
    return (
        f"| {row['replicas']} | {row['sessions']} | {row['turns']} | {row['p50']:.2f} | {row['p95']:.2f} | "
        f"{len(row['errors'])} | {row['lost']} | {row['cpu_per_turn']:.2f} | {row['cpu_share']:.2f} | {row['rss_mb']:.0f} | "
        f"{row['pg_cpu_ms_per_turn']:.1f} | "
        f"{db.get('commits', 0):.1f} | {db.get('messages_ins', 0):.1f} | {db.get('messages_upd', 0):.1f} | "
        f"{db.get('interviews_ins', 0):.2f} | {db.get('interviews_upd', 0):.1f} |"
        + (f" first error: {row['errors'][0]}" if row["errors"] else "")
    )


if __name__ == "__main__":
    raise SystemExit(main())
