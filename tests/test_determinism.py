"""Same input, same bytes across processes and hash seeds; and no network at run time.

(Identity across ``--jobs`` values is tested in tests/test_jobs.py.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT

#: Run the CLI with every way of opening a connection replaced by a recorder that raises.
_NO_NET = r"""
import socket, sys
def _blocked(*a, **k):
    sys.stderr.write("NETWORK ATTEMPT %r\n" % (a[:2],))
    raise OSError("network blocked by test")
socket.socket = _blocked
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
from summary_analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _check(args: list[str], seed: str, block_network: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-c", _NO_NET] if block_network else [sys.executable, "-m", "summary_analysis.cli"]
    return subprocess.run(cmd + ["check", *args], capture_output=True, cwd=ROOT, env=env, timeout=900)


@pytest.fixture(scope="module")
def two_runs(adversarial):
    args = [str(CORPUS), str(adversarial.root), "--format", "json"]
    first = _check(args, "0")
    second = _check(args, "4242", block_network=True)
    return first, second


def test_json_byte_identical_across_hash_seeds(two_runs):
    first, second = two_runs
    assert first.returncode == second.returncode == 1, second.stderr.decode("utf-8")[-2000:]
    assert b"Traceback" not in first.stderr + second.stderr
    assert len(first.stdout) > 10_000
    assert first.stdout == second.stdout


def test_no_network_attempt_in_a_fresh_process(two_runs):
    _, second = two_runs
    assert b"NETWORK ATTEMPT" not in second.stderr


def test_analyze_corpus_with_sockets_blocked(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from summary_analysis import analyze

    batch = analyze([str(CORPUS)])
    assert len(batch.analyses) == 9
    assert (batch.findings["rule"] == "PLH001").sum() >= 10

