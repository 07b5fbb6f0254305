"""Every user-facing string of Alur reads in Indonesian: each string marked for translation
in Python or a template, in any app, has an Indonesian translation somewhere Django looks
(the app's catalogue, the project's, or Django's and DRF's own).

`make lint` checks that the catalogues have no empty or fuzzy entry; this test checks the
other half, a string marked in the code that no catalogue has: makemessages runs over a
copy of the tree, and every entry it adds untranslated (or guesses from a neighbour, fuzzy)
is looked up through gettext in Indonesian."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from django.utils import translation

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Not user-facing: the test suite and the bench's own data.
NOT_SHIPPED = (".venv", "node_modules", ".git", "tests", "bench", "media", "staticfiles")
ENTRY = re.compile(
    r'(?:^msgctxt "(?P<ctx>.*)"\n)?^msgid "(?P<id>.*)"\n(?:^msgid_plural "(?P<plural>.*)"\n)?',
    re.M,
)


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


def _new_entries(po: pathlib.Path):
    """The untranslated and fuzzy entries of a regenerated catalogue."""
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", "--no-location", str(po)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        for match in ENTRY.finditer(out):
            if match["id"]:
                yield match["ctx"], _unescape(match["id"]), match["plural"]


def _in_indonesian(ctx, msgid, plural) -> bool:
    with translation.override("id"):
        if plural is not None:
            return translation.ngettext(msgid, _unescape(plural), 1) != msgid
        if ctx is not None:
            return translation.pgettext(_unescape(ctx), msgid) != msgid
        return translation.gettext(msgid) != msgid


def test_every_marked_string_has_an_indonesian_translation(tmp_path):
    copy = tmp_path / "alur"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SHIPPED, "__pycache__", "*.mo"))
    ignores = [f"--ignore={name}" for name in ("static/vendor", "static/dist")]
    run = [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "-v", "0"]
    env = dict(os.environ, DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(run + ignores, cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]

    missing = []
    for po in sorted(copy.rglob("locale/id/LC_MESSAGES/django.po")):
        for ctx, msgid, plural in _new_entries(po):
            if not _in_indonesian(ctx, msgid, plural):
                missing.append(f"{po.relative_to(copy)}: {msgid!r}")
    assert missing == [], "\n".join(missing)
