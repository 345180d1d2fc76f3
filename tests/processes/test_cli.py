"""The `openprm` command line, run as a user runs it: in its own process."""

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes.support import (
    OPENPRM,
    PYTHON,
    ROOT,
    django,
    environment,
    run,
    scratch_database,
    serving,
)

SUBCOMMANDS = [
    "serve", "worker", "migrate", "demo", "createadmin", "backup", "restore", "points", "manage"
]  # fmt: skip


def test_help_lists_every_subcommand():
    result = subprocess.run([*OPENPRM, "--help"], capture_output=True, text=True, check=True)
    for name in SUBCOMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_help(name):
    result = subprocess.run([*OPENPRM, name, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert f"usage: openprm {name}" in result.stdout


def test_points_verify_has_help():
    result = subprocess.run(
        [*OPENPRM, "points", "verify", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "usage: openprm points verify" in result.stdout


def test_points_verify_reports_a_clean_ledger(env):
    result = subprocess.run([*OPENPRM, "points", "verify"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "The ledger matches the source records" in result.stdout


PRINT_SECRET_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_an_unset_secret_key_is_generated_once_and_kept_under_var(tmp_path):
    env = environment(tmp_path)
    del env["SECRET_KEY"]
    first = run([PYTHON, "-c", PRINT_SECRET_KEY], env).stdout.strip()
    second = run([PYTHON, "-c", PRINT_SECRET_KEY], env).stdout.strip()
    key_file = tmp_path / "var" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_secret_key_from_the_environment_is_used_and_nothing_is_written(tmp_path):
    env = environment(tmp_path)
    assert run([PYTHON, "-c", PRINT_SECRET_KEY], env).stdout.strip() == env["SECRET_KEY"]
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.fixture
def env(scratch_env: dict[str, str]):
    return scratch_env


def test_migrate_creates_the_tables_of_an_empty_database(tmp_path):
    with scratch_database(tmp_path) as environment:
        result = run([*OPENPRM, "migrate"], environment)
    assert "Applying notifications.0001_initial... OK" in result.stdout


def test_migrate_makes_the_database_cache_that_server_processes_share(env):
    shared = {**env, "OPENPRM_CACHE_URL": "database"}
    run([*OPENPRM, "migrate"], shared)
    cache = "from django.core.cache import cache;"
    django(shared, "shell", "-c", cache + "cache.set('seen', 'by another process', 600)")
    out = django(shared, "shell", "-c", cache + "print(cache.get('seen'))")
    assert out.strip().splitlines()[-1] == "by another process"


def count_users(env: dict[str, str]) -> int:
    code = "from openprm.accounts.models import User; print(User.objects.count())"
    return int(django(env, "shell", "-c", code).strip().splitlines()[-1])


def test_createadmin_from_environment_creates_vendor_and_program_admin(env):
    admin_env = {**env, "OPENPRM_ADMIN_EMAIL": "Admin@Contoso.example",
                 "OPENPRM_ADMIN_NAME": "Ada Admin", "OPENPRM_ADMIN_PASSWORD": "Slow-Lemon-Tree-42",
                 "OPENPRM_VENDOR_NAME": "Contoso Software"}  # fmt: skip
    run([*OPENPRM, "createadmin", "--no-input"], admin_env)
    code = (
        "from openprm.accounts.models import User;"
        "u = User.objects.get(email='admin@contoso.example');"
        "print(u.role, u.organization.name, u.organization.kind, u.is_staff,"
        " u.check_password('Slow-Lemon-Tree-42'))"
    )
    out = django(env, "shell", "-c", code).strip().splitlines()[-1]
    assert out == "program_admin Contoso Software vendor True True"


def test_createadmin_without_values_and_no_input_fails_clearly(env):
    result = subprocess.run([*OPENPRM, "createadmin", "--no-input"], env=env, cwd=ROOT,
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)  # fmt: skip
    assert result.returncode != 0
    assert "OPENPRM_ADMIN_EMAIL" in result.stderr


def test_createadmin_refuses_a_weak_password(env):
    result = subprocess.run([*OPENPRM, "createadmin", "--email", "a@contoso.example", "--name",
                             "A", "--password", "123", "--no-input"],
                            env=env, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0
    assert count_users(env) == 0


def start_worker(env: dict[str, str]) -> tuple[subprocess.Popen, dict[str, int]]:
    """`openprm worker`, with the pids of its two children read from what it prints."""
    process = subprocess.Popen([*OPENPRM, "worker"], env={**env, "OPENPRM_SWEEP_SECONDS": "1"},
                               cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True)  # fmt: skip
    assert process.stderr is not None
    pids: dict[str, int] = {}
    while len(pids) < 2:
        line = process.stderr.readline()
        assert line, "openprm worker said nothing"
        if "started (pid" in line:
            name = line.split(": ")[1].split(" ")[0]
            pids[name] = int(line.rsplit("pid ", 1)[1].rstrip(")\n"))
    return process, pids


def alive(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def command_line(pid: int, timeout: float = 30) -> str:
    """A child's command line once it has one: on a loaded machine it can read empty for a
    moment after its pid is known."""
    deadline = time.monotonic() + timeout
    while not (text := Path(f"/proc/{pid}/cmdline").read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return text


def sweeps_done(env: dict[str, str]) -> int:
    code = (
        "from django_tasks_db.models import DBTaskResult as R;"
        "print(R.objects.filter(status='SUCCESSFUL', task_path__endswith='sweep_due_work').count())"
    )
    return int(django(env, "shell", "-c", code).strip().splitlines()[-1])


def test_worker_runs_scheduled_sweeps_and_stops_both_children_on_sigterm(env):
    process, pids = start_worker(env)
    try:
        deadline = time.monotonic() + 60
        while sweeps_done(env) == 0:
            assert time.monotonic() < deadline, "no sweep was scheduled and run"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0
    assert not any(alive(pid) for pid in pids.values())


def test_worker_stops_the_other_child_and_fails_when_one_dies(env):
    process, pids = start_worker(env)
    try:
        time.sleep(1)
        subprocess.run(["kill", "-KILL", str(pids["scheduler"])], check=True)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert code != 0
    assert not alive(pids["db_worker"])


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers["Server"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Server"], error.read().decode()


def test_serve_runs_gunicorn_and_serves_static_files(env):
    with serving(env) as address:
        status, server_name, page = fetch(f"{address}/login/")
        assert status == 200
        assert "gunicorn" in server_name
        stylesheet = re.search(r'href="(/static/openprm/openprm\.[0-9a-f]+\.css)"', page)
        assert stylesheet, "the page links the collected, hashed stylesheet"
        assert fetch(f"{address}{stylesheet[1]}")[0] == 200


def test_the_access_log_names_the_client_behind_a_proxy_and_masks_link_secrets(env, tmp_path):
    log = tmp_path / "access.log"
    behind_a_proxy = {**env, "OPENPRM_TRUSTED_PROXIES": "1"}
    with serving(behind_a_proxy, log=log) as address:
        fetch(f"{address}/invitations/Zx9-invitation-secret/",
              {"X-Forwarded-For": "192.0.2.66, 198.51.100.7"})  # fmt: skip
    line = next(line for line in log.read_text().splitlines() if "/invitations/" in line)
    assert line.startswith("198.51.100.7 ")
    assert "GET /invitations/[secret]/ HTTP/1.1" in line
    assert "Zx9-invitation-secret" not in log.read_text()


def test_worker_refuses_another_tasks_backend_without_its_worker_command(env):
    dummy = {**env, "OPENPRM_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    result = subprocess.run([*OPENPRM, "worker"], env=dummy, cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert "OPENPRM_TASK_WORKER_COMMAND" in result.stderr


def test_worker_runs_the_configured_task_worker_command_beside_the_scheduler(env):
    custom = {
        **env,
        "OPENPRM_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "OPENPRM_TASK_WORKER_COMMAND": f"{sys.executable} -c 'import time; time.sleep(120)'",
    }
    process, pids = start_worker(custom)
    try:
        assert set(pids) == {"task_worker", "scheduler"}
        assert "time.sleep(120)" in command_line(pids["task_worker"])
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0
    assert not any(alive(pid) for pid in pids.values())
