"""Refresh the translation catalogs: collect every marked string, then compile.

    .venv/bin/python tools/translations.py

runs makemessages for ja, zh_Hant and th from the openprm folder (file locations without
line numbers, so parallel branches do not conflict on every edit), compiles the .mo files
with polib, and prints how complete each language is. Translate the new empty msgstr
entries in openprm/locale/<lang>/LC_MESSAGES/django.po, then run it again.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compile_messages import LOCALE_DIR, catalogs, compile_all

LANGUAGES = ["ja", "zh_Hant", "th"]


def make_messages() -> None:
    args = [sys.executable, "-m", "django", "makemessages", "--add-location", "file",
            "--no-wrap", "--no-obsolete"]  # fmt: skip
    for language in LANGUAGES:
        args += ["-l", language]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openprm.settings"}
    subprocess.run(args, cwd=LOCALE_DIR.parent, env=env, check=True)


def report() -> int:
    incomplete = 0
    for po_path in catalogs():
        catalog = polib.pofile(str(po_path))
        todo = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
        incomplete += todo
        language = po_path.parent.parent.name
        print(f"{language}: {catalog.percent_translated()}% translated, {todo} to do")
    return incomplete


if __name__ == "__main__":
    make_messages()
    compile_all()
    sys.exit(1 if report() else 0)
