"""Every user-facing string of the skp app reads in Indonesian: each string marked for
translation (Python, templates) has a msgstr in the app's catalogue, and every model,
field and choice label shown by the admin is marked."""

import os
import pathlib
import shutil
import subprocess
import sys

from django.apps import apps
from django.utils.functional import Promise

SKP = pathlib.Path(__file__).resolve().parents[2] / "skp"


def test_every_marked_string_has_an_indonesian_translation(tmp_path):
    """makemessages over a copy of the app: what it adds (untranslated) or guesses from a
    neighbour (fuzzy) is a string nobody translated."""
    copy = tmp_path / "skp"
    shutil.copytree(SKP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    run = [
        sys.executable,
        "-P",
        "-m",
        "django",
        "makemessages",
        "-l",
        "id",
        "--no-obsolete",
        "-v",
        "0",
    ]
    # Without the project's settings: makemessages then reads only the copied app.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(run, cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    po = copy / "locale/id/LC_MESSAGES/django.po"
    missing = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", "--no-location", str(po)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        missing += [
            line[len('msgid "') : -1]
            for line in out.splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        ]
    assert missing == []


def _labels():
    for model in apps.get_app_config("skp").get_models():
        meta = model._meta
        yield f"{meta.label}.verbose_name", meta.verbose_name
        yield f"{meta.label}.verbose_name_plural", meta.verbose_name_plural
        for field in meta.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            yield f"{meta.label}.{field.name}", field.verbose_name
            for value, label in field.flatchoices or []:
                yield f"{meta.label}.{field.name}={value}", label


def test_every_model_field_and_choice_label_is_marked_for_translation():
    unmarked = [name for name, label in _labels() if not isinstance(label, Promise)]
    assert unmarked == []
