"""A stacked bar chart of outcomes per day as inline SVG: no script, no CDN, prints well.

The page shows the same numbers in a table, which is what screen readers should use; the
chart is for seeing a trend at a glance. Bars are placed in percentages of the width and
text is sized in CSS pixels, with no viewBox: on a 390 px phone the chart gets narrower
but its labels stay 13 px (a scaled viewBox made them about 6 px). The legend is HTML on
the page (`COLOURS`), so it wraps on a small screen instead of running off it.
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
HEIGHT, TOP, BOTTOM = 200, 12, 26  # px
FONT = 13  # px, never scaled
LEFT, RIGHT = 12.0, 1.0  # % of the width for the axis numbers, and a margin
DATE_LABELS = 5  # at most: five "19 May" fit side by side at 13 px on a 320 px screen


def svg(days: list[Day]) -> str:
    if not days:
        return ""
    slot = (100 - LEFT - RIGHT) / len(days)
    bar = slot * 0.8
    peak = max(1, max(d.total for d in days))
    scale = (HEIGHT - TOP - BOTTOM) / peak
    base = HEIGHT - BOTTOM
    axis = f"{LEFT - 1:.2f}%"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trial-chart" role="img"'
        f' width="100%" height="{HEIGHT}" font-size="{FONT}"'
        f' aria-label="Voice requests per day by outcome, {days[0].day:%-d %b} to'
        f' {days[-1].day:%-d %b %Y}">',
        "<title>Voice requests per day by outcome</title>",
        f'<line x1="{LEFT}%" y1="{base}" x2="{100 - RIGHT}%" y2="{base}" stroke="#333"/>',
        f'<text x="{axis}" y="{TOP + FONT - 2}" text-anchor="end">{peak}</text>',
        f'<text x="{axis}" y="{base}" text-anchor="end">0</text>',
    ]
    label_every = -(-len(days) // DATE_LABELS)
    for i, day in enumerate(days):
        x = LEFT + i * slot + (slot - bar) / 2
        y = float(base)
        for outcome in OUTCOMES:
            n = day.counts.get(outcome, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            tip = f"{day.day:%-d %b %Y}: {n} {OUTCOME_LABELS[outcome].lower()}"
            parts.append(
                f'<rect x="{x:.2f}%" y="{y:.1f}" width="{bar:.2f}%" height="{h:.1f}"'
                f' fill="{COLOURS[outcome]}" data-outcome="{outcome}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if i % label_every == 0:
            anchor = "start" if i == 0 else "middle"
            at = x if i == 0 else x + bar / 2
            parts.append(
                f'<text class="date" x="{at:.2f}%" y="{base + FONT + 4}"'
                f' text-anchor="{anchor}">{day.day:%-d %b}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
