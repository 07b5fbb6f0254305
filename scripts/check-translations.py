#!/usr/bin/env python3
"""`make lint`: every msgid of every Indonesian catalogue translated, none fuzzy.

Reads the .po files with msgfmt's own checks (`--check-format`: the placeholders of a
translation match its msgid) and `--statistics` (untranslated and fuzzy counts), so the
rule is gettext's, not a hand-written parser's. Exit 1 naming each incomplete file."""

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
    missing, block = [], []
    text = path.read_text(encoding="utf-8")
    for chunk in text.split("\n\n"):
        block = chunk.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', "\n".join(_field(block, "msgid")), re.M))
        strs = [s for key in ("msgstr", "msgstr[0]") for s in _field(block, key)]
        value = "".join(re.findall(r'"(.*)"', "\n".join(strs)))
        if msgid and (fuzzy or not value):
            missing.append(("fuzzy: " if fuzzy else "") + msgid)
    return missing


def _field(block, key):
    lines, inside = [], False
    for line in block:
        if line.startswith(key + " "):
            inside = True
            lines.append(line[len(key) + 1 :])
        elif inside and line.startswith('"'):
            lines.append(line)
        else:
            inside = False
    return lines


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
