"""Whatever bytes arrive, the readers answer with findings, never an exception: the
catch-all in formats.read_data (a plain refusal instead of a 500) must never be needed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.programme import formats
from skill.programme.formats import csv_format, ics_format

CSV_ALPHABET = st.sampled_from(list('0123456789/:.-, ;\t"\r\n\u00a0\u200bampAPMdateslrtnitle\x00'))
HEADER = "date,start,end,title,room,presenter,description,aliases,status\r\n"
ICS_LINES = st.sampled_from(
    [
        "BEGIN:VEVENT",
        "END:VEVENT",
        "SUMMARY:Talk",
        "DTSTART:20260519T100000Z",
        "DTEND:20260519T110000Z",
        "DTSTART;TZID=Nowhere:20260519T100000",
        "DTSTART;VALUE=DATE:2026",
        "RRULE:FREQ=DAILY;COUNT=3",
        "RRULE:FREQ=",
        "EXDATE:20260520T100000Z",
        "EXDATE:x",
        "RECURRENCE-ID:20260520T100000Z",
        "UID:a",
        "UID:b",
        "DURATION:PT1H",
        "DURATION:P",
        "BEGIN:VTIMEZONE",
        "END:VTIMEZONE",
        "TZID:Nowhere",
        "TZOFFSETTO:+0100",
        " folded",
        "ATTENDEE;CUTYPE=ROOM:mailto:r@x",
        'ORGANIZER;CN="A:B":mailto:a@x',
        "STATUS:CANCELLED",
    ]
)


def _never_the_fallback(name: str, data: bytes) -> None:
    result = formats.read_data(name, data)
    assert result.sessions or result.errors
    assert not any("confused the reader" in str(e) for e in result.errors)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes):
    _never_the_fallback("x.csv", data)
    _never_the_fallback("x.ics", b"BEGIN:VCALENDAR\r\n" + data + b"\r\nEND:VCALENDAR\r\n")


@settings(max_examples=150, deadline=None)
@given(st.text(CSV_ALPHABET, max_size=200))
def test_csv_shaped_text(body: str):
    for text in (HEADER + body, body):
        result = csv_format.read_bytes(text.encode("utf-8"))
        assert result.sessions or result.errors


@settings(max_examples=150, deadline=None)
@given(st.lists(ICS_LINES, max_size=25))
def test_calendar_shaped_text(lines: list[str]):
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR", ""])
    result = ics_format.read(text.encode())
    assert result.sessions or result.errors
