"""Other systems the tests start as processes of their own on 127.0.0.1 (a webhook receiver, a
reverse proxy, the stand-in client record system): a free port for each, started and waited
for until it answers, and stopped afterwards however the test ends."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(command: list[str], port: int, *, cwd=None) -> Iterator[subprocess.Popen]:
    """Start ``command`` (which serves on ``port``), wait until the port answers, and stop it after."""
    process = subprocess.Popen(command, cwd=cwd)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield process
    finally:
        process.kill()
        process.wait()
