"""A small server-rendered SVG chart of the IKM trend: no script, no CDN, readable by
screen readers through its title and the table beside it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 320, 160, 28


def trend_svg(trend: list) -> str:
    if not trend:
        return ""
    step = (WIDTH - 2 * PAD) / max(len(trend) - 1, 1)

    def y_of(ikm):
        return HEIGHT - PAD - (float(ikm) - 25) / 75 * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg class="ikm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="ikm-chart-title"><title id="ikm-chart-title">'
        f"{escape(_('IKM per quarter'))}</title>"
    ]
    for value in (25, 65, 76.61, 88.31, 100):
        y = y_of(value)
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="2" y="{y + 3:.1f}" class="axis">{value:g}</text>'
        )
    points = []
    for i, row in enumerate(trend):
        x = PAD + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" class="axis" text-anchor="middle">'
            f"{escape(row['period'][2:])}</text>"
        )
        if row["ikm"] is not None:
            points.append((x, y_of(row["ikm"]), row))
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _row in points)
        parts.append(f'<polyline points="{path}" class="line"/>')
    for x, y, row in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="point">'
            f"<title>{escape(row['period'])}: {row['ikm']} ({row['mutu']})</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
