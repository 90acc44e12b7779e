"""A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries, a temporary data directory,
a free loopback port, password authentication, stopped and deleted afterwards.

`initdb` refuses to run as root, so as root the cluster belongs to the `postgres` system user that Debian's
package creates. `scripts/ensure_postgres.sh` installs the package for `make test`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

USER = "interview"
PASSWORD = "pg-test-" + uuid.uuid4().hex[:12]  # distinctive, so a test can grep for it in messages and logs


class PostgresUnavailable(RuntimeError):
    """The binaries or a user to run them as are missing; the message says how to get them."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable("PostgreSQL is not installed (install it with: sudo apt-get install postgresql)")


class PostgresServer:
    """`start()` runs initdb and pg_ctl; `new_database()` makes an empty database and returns its URL."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.run_as = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("initdb will not run as root and there is no 'postgres' user") from None
        self.root = Path(tempfile.mkdtemp(prefix="interview-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.port = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as.pw_name, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start(self, fsync: bool = False) -> PostgresServer:
        if self.run_as is not None:
            os.chown(self.root, self.run_as.pw_uid, self.run_as.pw_gid)
        password_file = self.root / "password"
        password_file.write_text(PASSWORD + "\n")
        if self.run_as is not None:
            os.chown(password_file, self.run_as.pw_uid, self.run_as.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.port = free_port()
        # fsync off by default: a test cluster that dies is thrown away anyway, and 2 cores are shared.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not fsync:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """An empty database of its own for one test."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass  # never started, or already gone
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
