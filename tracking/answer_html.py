"""The public answer as HTML: the status summary (on the status page and the applicant's
own page, `{% status_summary track %}`) and, around it and the timeline, the status
page's answer that tracking/cache.py keeps per number.

Both were templates (`_status_summary.html`, `_track_answer.html`); rendered by Django's
template engine they were most of a status-page miss's CPU (profiled on the bench stack:
1.7-1.9 ms of a ~5 ms miss, against 0.24 ms for the lookup's query). Built here as the
timeline is (tracking/timeline_html.py: the same escaping, date formats and translations)
they give the same HTML, byte for byte (tests/tracking/test_answer_html.py pins it, in both
languages, every branch).
"""

from django.template.defaultfilters import date
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .timeline_html import esc, timeline_html

_words_by_language: dict[str, dict[str, str]] = {}
_links_by_prefix: dict[str, tuple[str, str]] = {}


def _words() -> dict[str, str]:
    """The fixed words of the current language, once per language; as `{% translate %}`
    gives a template's literal, not escaped (the template's author wrote them as HTML).
    Each is a literal `_()` call so that makemessages keeps finding it."""
    language = get_language()
    if language not in _words_by_language:
        _words_by_language[language] = {
            "service": _("Service"),
            "status": _("Status"),
            "current_step": _("Current step"),
            "submitted": _("Submitted"),
            "expected": _("Expected completion"),
            "late": _("late"),
            "waiting": _("waiting for the applicant’s correction"),
            "on_schedule": _("on schedule"),
            "finished": _("Finished"),
            "rejected": _("Rejected on"),
            "cancelled": _("Cancelled on"),
            "todo": _("What you need to do"),
            "returned": _("The office returned your request for a correction."),
            "note": _("The office's note:"),
            "fix": _(
                "Open the private link from your WhatsApp message or your receipt "
                "to fix and resubmit it."
            ),
            "done": _(
                "Your request is finished. The WhatsApp message tells you how to get the result."
            ),
            "another": _("Check another number"),
            "complaint": _("File a complaint"),
        }
    return _words_by_language[language]


def _links() -> tuple[str, str]:
    """The lookup page's and the complaint form's paths (under this request's prefix)."""
    prefix = get_script_prefix()
    if prefix not in _links_by_prefix:
        _links_by_prefix[prefix] = (
            esc(reverse("tracking:track-lookup")),
            esc(reverse("feedback:complaint-form")),
        )
    return _links_by_prefix[prefix]


def _when(value, format_name: str) -> str:
    """`{{ value|date:format_name }}`: in the current time zone, escaped."""
    return esc(date(template_localtime(value), format_name))


def status_summary_html(track) -> SafeString:
    """Service, status, current step and dates of `track` (a PublicStatus)."""
    words = _words()
    step = track.current_step
    if step and not track.is_final:
        current = f"{esc(localize(step['order']))}. {esc(step['name'])}"
    else:
        current = "-"
    if track.is_late:
        badge = f'<span class="badge overdue">{words["late"]}</span>'
    elif track.needs_info:
        badge = f'<span class="badge warn">{words["waiting"]}</span>'
    elif not track.is_final:
        badge = f'<span class="badge ok">{words["on_schedule"]}</span>'
    else:
        badge = ""
    closed = ""
    if track.completed_at:
        label = {"completed": words["finished"], "rejected": words["rejected"]}.get(
            track.status, words["cancelled"]
        )
        closed = (
            f"\n    <dt>{label}</dt>\n"
            f"    <dd>{_when(track.completed_at, 'DATETIME_FORMAT')}</dd>\n  "
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        '\n<dl class="facts status-summary">\n'
        f"  <dt>{words['service']}</dt><dd>{esc(track.service['name'])}</dd>\n"
        f'  <dt>{words["status"]}</dt><dd><span class="badge status-{esc(track.status)}" '
        f'id="status-label">{esc(track.status_label)}</span></dd>\n'
        f'  <dt>{words["current_step"]}</dt><dd id="current-step">{current}</dd>\n'
        f"  <dt>{words['submitted']}</dt><dd>{_when(track.submitted_at, 'DATETIME_FORMAT')}</dd>\n"
        f"  <dt>{words['expected']}</dt>\n"
        f"  <dd>{_when(track.due_date, 'DATE_FORMAT')}\n"
        f"    {badge}</dd>\n"
        f"  {closed}\n"
        "</dl>\n"
    )


def answer_html(track) -> SafeString:
    """The status page's answer for `track`: the summary, what to do next, the timeline
    and the links to look up another number or to complain."""
    words = _words()
    if track.needs_info:
        note = track.office_note
        quoted = f" {words['note']} <q>{esc(note)}</q>" if note else ""
        next_step = (
            '\n    <div class="next-step" role="note">\n'
            f"      <h2>{words['todo']}</h2>\n"
            f"      <p>{words['returned']}{quoted}</p>\n"
            f"      <p>{words['fix']}</p>\n"
            "    </div>\n  "
        )
    elif track.status == "completed":
        next_step = f'\n    <p class="next-step">{words["done"]}</p>\n  '
    else:
        next_step = ""
    lookup, complaint = _links()
    return mark_safe(  # noqa: S308 - every value above is escaped
        '<div class="card">\n'
        f"  {status_summary_html(track)}\n"
        f"  {next_step}\n"
        "</div>\n"
        f'<div class="grid two">{timeline_html(track)}</div>\n'
        f'<p><a href="{lookup}">{words["another"]}</a> &middot; '
        f'<a class="complaint-link" href="{complaint}?nomor={esc(track.registration_number)}">'
        f"{words['complaint']}</a></p>\n"
    )
