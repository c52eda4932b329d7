"""Starts and stops a real `mediaops serve` for the browser, crash and fuzz tests.

Each server gets a fresh temporary directory as its working directory (the
default data lives in ./mediaops-data) and its own SQLite file, and listens on
a free loopback port; with --demo the imitation platforms take the next port.
Only loopback addresses are ever used.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
DEMO_EMAIL = "demo@mediaops.local"
DEMO_PASSWORD = "mediaops-demo"


def binary() -> Path:
    """MEDIAOPS_BIN, else the debug build that .ci/run makes."""
    path = Path(os.environ.get("MEDIAOPS_BIN", REPO / ".build" / "debug" / "mediaops"))
    if not path.is_absolute():
        path = REPO / path
    return path


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port_pair() -> int:
    """A port p such that p and p + 1 are both free (server and sandbox)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        if port < 65000 and _port_free(port + 1):
            return port
    raise RuntimeError("no free pair of loopback ports")


class Server:
    """One `mediaops serve` process on loopback with its own data directory."""

    def __init__(self, demo: bool, name: str = "server", env: dict | None = None):
        self.demo = demo
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix=f"mediaops-{name}-"))
        self.port = free_port_pair()
        self.sandbox_port = self.port + 1
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = self.dir / "server.log"
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self, timeout: float = 90) -> "Server":
        exe = binary()
        if not exe.exists():
            raise RuntimeError(f"mediaops binary not found at {exe} (set MEDIAOPS_BIN)")
        args = [str(exe), "serve", "--host", HOST, "--port", str(self.port),
                "--database", str(self.dir / "m.sqlite")]
        if self.demo:
            args += ["--demo", "--sandbox-port", str(self.sandbox_port)]
        env = dict(os.environ)
        # Keep the configuration of the machine running the tests out of the server.
        for key in list(env):
            if key.startswith("MEDIAOPS_") and key != "MEDIAOPS_BIN":
                del env[key]
        env.update(self.extra_env)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, cwd=self.dir, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.started_at = time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.get("/health", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health within {timeout}s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
        if os.environ.get("MEDIAOPS_KEEP_DATA") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def seconds_since_start(self) -> float:
        return time.monotonic() - self.started_at

    # Plain HTTP with the standard library: no redirects followed, statuses returned as they are.
    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, path: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
        return self.request("GET", path, headers=headers, timeout=timeout)

    def api(self, method: str, path: str, payload=None, token: str | None = None,
            timeout: float = 30) -> tuple[int, object]:
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _, raw = self.request(method, path, body=body, headers=headers, timeout=timeout)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def token(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> str:
        status, body = self.api("POST", "/api/v1/session", {"email": email, "password": password})
        if status != 201:
            raise AssertionError(f"POST /api/v1/session for {email} answered {status}: {body}")
        return body["token"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
