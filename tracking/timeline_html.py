"""The timeline of a request (its steps and its history), as HTML: on the public status
page and on the applicant's own page, through `{% public_timeline track %}`.

It was a template (`_timeline.html`); rendered by Django's template engine it was the
largest part of a status page miss (profiled on the bench stack: ~1 ms of CPU for four
history entries and three steps, each `{{ }}` resolved, localized and escaped, each
`{% translate %}` and `|date` a round of lookups). Built here from the same pieces, with
the same escaping (`conditional_escape`), the same date formats (Django's `date` filter
on the value in the current time zone) and the same translations, it gives the same HTML,
byte for byte (tests/tracking/test_timeline_html.py pins it, in both languages).
"""

import html

from django.template.defaultfilters import date
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_STEP = (
    '\n      <li class="{state}"{current}>\n'
    '        <span class="step-name">{order}. {name}</span>\n'
    '        <span class="visually-hidden">:</span>\n'
    '        <span class="badge step-state">{label}</span>\n'
    "      </li>\n    "
)
_ENTRY = (
    "\n      <li>\n"
    '        <time datetime="{iso}">{when}</time>:\n'
    "        <strong>{status}</strong>{step}\n"
    "        {note}\n"
    "      </li>\n    "
)


def esc(value) -> str:
    """`conditional_escape`, as the template escaped every value (without its lazy-string
    wrapper: the values here are plain)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


_labels: dict[str, dict[str, str]] = {}  # per language: the fixed words, escaped


def _words() -> dict[str, str]:
    language = get_language()
    if language not in _labels:
        _labels[language] = {
            "done": esc(_("done")),
            "current": esc(_("in progress")),
            "pending": esc(_("not yet")),
            "progress": esc(_("Progress")),
            "history": esc(_("History")),
        }
    return _labels[language]


def timeline_html(track) -> SafeString:
    """The steps and history of `track` (a PublicStatus)."""
    words = _words()
    steps = "".join(
        _STEP.format(
            state=esc(step["state"]),
            current=' aria-current="step"' if step["state"] == "current" else "",
            order=esc(localize(step["order"])),
            name=esc(step["name"]),
            label=words[step["state"] if step["state"] in ("done", "current") else "pending"],
        )
        for step in track.steps
    )
    history = "".join(_entry(entry) for entry in track.history)
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n"
        '<section class="card" aria-labelledby="progress-title">\n'
        f'  <h2 id="progress-title">{words["progress"]}</h2>\n'
        '  <ol class="timeline steps">\n'
        f"    {steps}\n"
        "  </ol>\n"
        "</section>\n"
        '<section class="card" aria-labelledby="history-title">\n'
        f'  <h2 id="history-title">{words["history"]}</h2>\n'
        '  <ol class="history">\n'
        f"    {history}\n"
        "  </ol>\n"
        "</section>\n"
    )


def _entry(entry: dict) -> str:
    at = template_localtime(entry["at"])
    step, note = entry["step"], entry["note"]
    return _ENTRY.format(
        iso=esc(at.isoformat()),  # the date filter's "c"
        when=esc(date(at, "DATETIME_FORMAT")),
        status=esc(entry["status_label"]),
        step=f" · {esc(step['name'])}" if step else "",
        note=f'<br><span class="note">{esc(note)}</span>' if note else "",
    )
