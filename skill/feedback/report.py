"""The admins' view of feedback: a CSV export and a small bar chart per session.

The chart is inline SVG with text labels on every bar (no script, no external files, readable
on a phone: it scales to the page width); the page's table has the same numbers. The CSV is
one row per answer, in the programme's local time and plain words, with no speaker key.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from html import escape

from skill.feedback import EFFECTIVE, EFFECTIVE_LABELS, RATINGS, Answer, Result, local_time
from skill.programme.model import Session
from skill.spreadsheet import safe_cell

CSV_COLUMNS = (
    "session",
    "session date",
    "session start",
    "answered at",
    "rating (1 to 5)",
    "more effective at work",
)
# Okabe–Ito, as the trial-log chart: ratings one colour, the three answers their own.
RATING_COLOUR = "#0072B2"
EFFECTIVE_COLOURS = {"yes": "#009E73", "not_sure": "#E69F00", "no": "#D55E00"}
ROW, LABEL, WIDTH, COUNT = 26, 76, 260, 30


def to_csv(answers: Iterable[Answer], sessions: Iterable[Session], zone: str) -> str:
    known = {s.id: s for s in sessions}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    ordered = sorted(
        answers,
        key=lambda a: (
            (known[a.session_id].date, known[a.session_id].start) if a.session_id in known else (),
            a.session_id,
            a.at,
        ),
    )
    for a in ordered:
        s = known.get(a.session_id)
        writer.writerow(
            [
                safe_cell(s.title if s else a.session_id),
                s.date.isoformat() if s else "",
                s.start.strftime("%H:%M") if s else "",
                local_time(a.at, zone),
                "" if a.rating is None else str(a.rating),
                EFFECTIVE_LABELS[a.effective] if a.effective else "",
            ]
        )
    return out.getvalue()


def svg(result: Result) -> str:
    """Bars for the ratings one to five and the three answers, each with its count."""
    rows: list[tuple[str, int, str]] = [
        (f"{r} of 5", result.ratings.get(r, 0), RATING_COLOUR) for r in RATINGS
    ]
    rows += [
        (EFFECTIVE_LABELS[e], result.effective.get(e, 0), EFFECTIVE_COLOURS[e]) for e in EFFECTIVE
    ]
    peak = max([1, *(n for _, n, _ in rows)])
    span = WIDTH - LABEL - COUNT
    gap = 10  # between the ratings and the answers
    height = ROW * len(rows) + gap
    title = f"Feedback on {result.title}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="feedback-chart" role="img"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, n, colour) in enumerate(rows):
        y = i * ROW + (gap if i >= len(RATINGS) else 0)
        w = span * n / peak
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 17}" text-anchor="end" font-size="14">'
            f"{escape(label)}</text>"
        )
        if n:
            parts.append(
                f'<rect x="{LABEL}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}"'
                f' fill="{colour}"/>'
            )
        parts.append(f'<text x="{LABEL + w + 6:.1f}" y="{y + 17}" font-size="14">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
