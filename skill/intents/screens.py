"""Echo Show screens: what a programme or device answer also shows on a device with a screen.

Devices without a screen get no directive at all (sending one to them is an error). The
APL documents are self-contained — core components only, no imported packages — so they
render the same on every APL runtime from 1.1 on and can be checked completely in tests.
Sizes are worked out here from the request's viewport (dp = px × 160 / dpi), so a title
never overflows an Echo Show 5 and is not lost on an Echo Show 10.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.alexa.turn import Screen

APL_VERSION = "1.1"
SESSIONS_TOKEN = "voice-demo-sessions"
DEVICES_TOKEN = "voice-demo-devices"
MAX_ROWS = 20  # a screenful or two; the voice answer pages the rest

BACKGROUND = "#000000"
TEXT = "#FFFFFF"
QUIET = "#D0D0D0"
STATE_COLOURS = {
    "on": "#FFD54F",
    "off": "#B0BEC5",
    "unknown": "#B0BEC5",
    "not confirmed": "#B0BEC5",
    "needs setting up": "#FF8A65",
    "problem": "#FF8A65",
}


@dataclass(frozen=True)
class Row:
    primary: str
    secondary: str = ""
    tertiary: str = ""
    accent: str = QUIET  # colour of the secondary line (a device's state)


@dataclass(frozen=True)
class Layout:
    """Type sizes and padding in dp for one viewport."""

    width: int
    height: int
    round: bool
    pad: int
    title: int
    primary: int
    secondary: int
    gap: int

    @classmethod
    def for_screen(cls, screen: Screen) -> Layout:
        dpi = screen.dpi or 160
        width = round(screen.pixel_width * 160 / dpi) if screen.pixel_width else 960
        height = round(screen.pixel_height * 160 / dpi) if screen.pixel_height else 600
        scale = max(0.7, min(1.5, min(width, height * 1.6) / 960))
        pad = round((0.15 if screen.round else 0.04) * min(width, height) + 8)
        return cls(
            width=width,
            height=height,
            round=screen.round,
            pad=pad,
            title=round(40 * scale),
            primary=round(32 * scale),
            secondary=round(24 * scale),
            gap=round(16 * scale),
        )


def _text(text: str, size: int, colour: str, lines: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Text",
        "text": text,
        "fontSize": size,
        "color": colour,
        "maxLines": lines,
        **extra,
    }


def list_document(layout: Layout) -> dict[str, Any]:
    """A title over a scrolling list; each row: primary, secondary (coloured), tertiary."""
    align = "center" if layout.round else "left"
    row = {
        "type": "Container",
        "width": "100%",
        "paddingTop": layout.gap,
        "paddingBottom": layout.gap,
        "items": [
            _text("${data.primary}", layout.primary, TEXT, 2, fontWeight="bold", textAlign=align),
            _text(
                "${data.secondary}",
                layout.secondary,
                "${data.accent}",
                1,
                textAlign=align,
                display="${data.secondary ? 'normal' : 'none'}",
            ),
            _text(
                "${data.tertiary}",
                layout.secondary,
                QUIET,
                1,
                textAlign=align,
                display="${data.tertiary ? 'normal' : 'none'}",
            ),
        ],
    }
    return {
        "type": "APL",
        "version": APL_VERSION,
        "theme": "dark",
        "mainTemplate": {
            "parameters": ["payload"],
            "item": {
                "type": "Frame",
                "width": "100vw",
                "height": "100vh",
                "backgroundColor": BACKGROUND,
                "item": {
                    "type": "Container",
                    "width": "100vw",
                    "height": "100vh",
                    "paddingLeft": layout.pad,
                    "paddingRight": layout.pad,
                    "paddingTop": layout.pad,
                    "paddingBottom": layout.pad if layout.round else 0,
                    "items": [
                        _text(
                            "${payload.screen.title}",
                            layout.title,
                            TEXT,
                            2,
                            fontWeight="bold",
                            textAlign=align,
                        ),
                        {
                            "type": "Sequence",
                            "grow": 1,
                            "shrink": 1,
                            "width": "100%",
                            "data": "${payload.screen.rows}",
                            "item": row,
                        },
                    ],
                },
            },
        },
    }


def _directive(turn: Any, token: str, title: str, rows: list[Row], empty: str) -> list[Any]:
    if not turn.supports_apl:
        return []
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    shown = rows[:MAX_ROWS] or [Row(empty)]
    datasources: dict[str, object] = {
        "screen": {
            "type": "object",
            "title": title,
            "rows": [asdict(r) for r in shown],
        }
    }
    document = list_document(Layout.for_screen(turn.screen))
    return [RenderDocumentDirective(token=token, document=document, datasources=datasources)]


# --- programme --------------------------------------------------------------------------------


def session_row(session: Any, today: date | None = None) -> Row:
    when = f"{session.start:%H:%M}–{session.end:%H:%M}"
    if today is not None and session.date != today:
        when = f"{session.date:%a} {session.date.day} {session.date:%b}, {when}"
    place = f"{when} · {session.room}" if session.room else when
    title = f"Cancelled: {session.title}" if getattr(session, "cancelled", False) else session.title
    presenter = f"with {session.presenter}" if session.presenter else ""
    return Row(title, place, presenter)


def sessions(turn: Any, title: str, found: list[Any], today: date | None = None) -> list[Any]:
    """Directives for a programme answer: `title` ("On now") over the sessions found.

    Sessions all on one day name it once, in the title, rather than on every row."""
    days = {s.date for s in found}
    if len(days) == 1 and today is not None:
        (day,) = days
        if day != today:
            title = f"{title} · {day:%a} {day.day} {day:%b}"
        today = day
    rows = [session_row(s, today) for s in found]
    return _directive(turn, SESSIONS_TOKEN, title, rows, "Nothing to show.")


# --- devices ----------------------------------------------------------------------------------


def state_word(on: bool | None, problem: str | None = None, confirmed: bool = True) -> str:
    """A state as the screen says it: "on"/"off" only for what the device confirmed."""
    if problem in ("setup", "auth_failed", "unknown"):
        return "needs setting up"
    if problem:
        return "not responding"
    if on is not None and not confirmed:
        return "not confirmed"
    if on is None:
        return "unknown"
    return "on" if on else "off"


def device_row(
    name: str, on: bool | None, problem: str | None = None, *, confirmed: bool = True
) -> Row:
    word = state_word(on, problem, confirmed)
    colour = STATE_COLOURS["problem" if problem else word]
    return Row(name[:1].upper() + name[1:], word[:1].upper() + word[1:], accent=colour)


def devices(turn: Any, title: str, rows: list[Row]) -> list[Any]:
    """Directives for a device answer: each device named with its state."""
    return _directive(turn, DEVICES_TOKEN, title, rows, "No devices.")
