"""Django's deployment checklist passes with the settings README's "Behind a proxy" names."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "prm.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://prm.example.com",
    "OPENPRM_SECURE_COOKIES": "on",
    "OPENPRM_SSL_REDIRECT": "on",
    "OPENPRM_PROXY_SSL_HEADER": "on",
    "OPENPRM_HSTS_SECONDS": "31536000",
    "OPENPRM_HSTS_INCLUDE_SUBDOMAINS": "on",
    "OPENPRM_HSTS_PRELOAD": "on",
    "OPENPRM_TRUSTED_PROXIES": "1",
}


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path):
    # The test run's own DJANGO_ALLOW_ASYNC_UNSAFE is no production setting (async.E001).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "openprm.settings",
        "OPENPRM_VAR_DIR": str(tmp_path),
        "OPENPRM_DEBUG": "off",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
