#!/usr/bin/env python3
"""`make lint`: every msgid of every Indonesian catalogue translated, none fuzzy.

Reads the .po files with gettext's own tools: msgfmt `--check-format` (the placeholders
of a translation match its msgid) and `--statistics` (untranslated and fuzzy counts), and
msgattrib to name the missing ones. Exit 1 naming each incomplete file."""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def catalogues():
    for path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/*.po")):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def untranslated(path: pathlib.Path) -> list[str]:
    """The msgids of `path` without a translation, or fuzzy (for the error message)."""
    found = []
    for flag, label in (("--untranslated", ""), ("--only-fuzzy", "fuzzy: ")):
        run = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(path)], capture_output=True, text=True
        )
        for msgid in re.findall(r'^msgid "(.+)"$', run.stdout, re.M):
            found.append(label + msgid)
    return found


def main() -> int:
    failed = 0
    for path in catalogues():
        run = subprocess.run(
            ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True, text=True,
        )  # fmt: skip
        stats = run.stderr.strip()
        incomplete = run.returncode != 0 or re.search(r"untranslated|fuzzy", stats)
        if incomplete:
            failed += 1
            print(f"{path.relative_to(ROOT)}: {stats}", file=sys.stderr)
            for msgid in untranslated(path)[:20]:
                print(f"    {msgid!r}", file=sys.stderr)
    if failed:
        print(
            f"{failed} catalogue(s) incomplete: translate every msgid (no fuzzy).", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
