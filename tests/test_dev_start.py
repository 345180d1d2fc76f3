"""`tools/dev.py start` for a first run (issue 15): the demo's mail in files, "listening at"
once the server listens, and Ctrl-C stopping it even when it was started in the background."""

import argparse
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"
sys.path.insert(0, str(TOOLS))

import dev  # noqa: E402


def test_the_demo_mail_goes_to_files_without_a_mail_server_of_ones_own(monkeypatch, tmp_path):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("OPENPRM_VAR_DIR", str(tmp_path))
    env = dev.dev_environment()
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert env["EMAIL_FILE_PATH"] == str(tmp_path / "mail")


def test_a_mail_server_of_ones_own_is_kept(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.com")
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    env = dev.dev_environment()
    assert "EMAIL_BACKEND" not in env
    assert "EMAIL_FILE_PATH" not in env


def test_listening_at_is_printed_once_the_server_listens(capsys):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        serve = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            dev.wait_until_listening(argparse.Namespace(host="127.0.0.1", port=port), serve)
        finally:
            serve.kill()
            serve.wait()
    assert f"OpenPRM is listening at http://127.0.0.1:{port}/" in capsys.readouterr().out


def test_nothing_says_listening_when_the_server_stops_first(capsys):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    serve = subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"])
    dev.wait_until_listening(argparse.Namespace(host="127.0.0.1", port=port), serve)
    assert "listening" not in capsys.readouterr().out


STARTED = f"""
import sys, time
sys.path.insert(0, {str(TOOLS)!r})
import dev
dev.stop_on_signals()
try:
    print("ready", flush=True)
    time.sleep(30)
except KeyboardInterrupt:
    print("stopped", flush=True)
"""


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_start_in_the_background_stops_on_ctrl_c_or_sigterm(signal_number):
    """A shell without job control starts `cmd &` with SIGINT ignored."""
    process = subprocess.Popen(
        [sys.executable, "-c", STARTED],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signal_number)
    out, err = process.communicate(timeout=10)
    assert out.strip() == "stopped", (process.returncode, err)
