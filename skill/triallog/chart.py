"""A stacked bar chart of outcomes per day as inline SVG: no script, no CDN, prints well.

The page shows the same numbers in a table, which is what screen readers should use; the
chart is for seeing a trend at a glance.
"""

from __future__ import annotations

from html import escape

from skill.triallog import OUTCOME_LABELS, OUTCOMES
from skill.triallog.report import Day

# Colour-blind-safe (Okabe–Ito), each also distinguishable in greyscale by order and legend.
COLOURS = {
    "done": "#009E73",
    "not_understood": "#E69F00",
    "unreachable": "#D55E00",
    "refused": "#CC79A7",
    "info": "#56B4E9",
}
HEIGHT, TOP, BOTTOM, LEFT = 220, 10, 40, 36


def svg(days: list[Day]) -> str:
    if not days:
        return ""
    bar = max(4, min(28, 640 // len(days)))
    width = LEFT + len(days) * (bar + 2) + 10
    peak = max(1, max(d.total for d in days))
    scale = (HEIGHT - TOP - BOTTOM) / peak
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trial-chart" role="img"'
        f' viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}">',
        "<title>Voice requests per day by outcome</title>",
        f'<line x1="{LEFT}" y1="{base}" x2="{width}" y2="{base}" stroke="#333"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 10}" text-anchor="end" font-size="13">{peak}</text>',
        f'<text x="{LEFT - 4}" y="{base}" text-anchor="end" font-size="13">0</text>',
    ]
    label_every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        x = LEFT + 2 + i * (bar + 2)
        y = float(base)
        for outcome in OUTCOMES:
            n = day.counts.get(outcome, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            tip = f"{day.day.isoformat()}: {n} {OUTCOME_LABELS[outcome]}"
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}"'
                f' fill="{COLOURS[outcome]}" data-outcome="{outcome}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{base + 14}" text-anchor="middle"'
                f' font-size="12">{day.day.strftime("%d %b")}</text>'
            )
    legend_x = LEFT
    for outcome in OUTCOMES:
        label = escape(OUTCOME_LABELS[outcome])
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10"'
            f' fill="{COLOURS[outcome]}"/>'
            f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" font-size="13">{label}</text>'
        )
        legend_x += 14 + 8 * len(OUTCOME_LABELS[outcome]) + 16
    parts.append("</svg>")
    return "".join(parts)
