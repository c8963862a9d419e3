"""Drafts keep revisions; validation and diffs speak plainly about sessions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from skill.programme.editing.desk import InvalidSession, parse_session
from skill.programme.editing.diff import diff
from skill.programme.editing.drafts import DraftNotFound, DraftStore, StaleDraft
from skill.programme.editing.validate import errors, validate
from skill.programme.model import CANCELLED, Session

TUESDAY = date(2026, 5, 19)


def session(sid: str, title: str, start: str, end: str, room: str = "Room 1", **kw) -> Session:
    return Session(
        id=sid,
        date=kw.pop("day", TUESDAY),
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        title=title,
        room=room,
        **kw,
    )


CODING = session("coding", "Learn to code", "10:00", "11:00")
PRINTING = session("printing", "3D printing", "11:00", "12:00", room="Room 2")


def test_second_save_from_the_same_revision_is_refused_and_first_is_kept(tmp_path):
    store = DraftStore(tmp_path / "drafts.sqlite3")
    draft = store.create("May week", [CODING], by="Priya")
    assert draft.revision == 1
    first = store.save(draft.id, [CODING, PRINTING], based_on=1, by="Priya")
    assert first.revision == 2
    with pytest.raises(StaleDraft) as refused:
        store.save(draft.id, [], based_on=1, by="Sam")
    assert refused.value.current.updated_by == "Priya"
    assert store.get(draft.id).sessions == (CODING, PRINTING)
    store.delete(draft.id)
    with pytest.raises(DraftNotFound):
        store.save(draft.id, [], based_on=2, by="Sam")


def test_the_edit_form_obeys_the_csv_rules_and_keeps_the_input():
    form = {"date": "2026-05-19", "start": "15:00", "end": "14:00", "title": " "}
    with pytest.raises(InvalidSession) as refused:
        parse_session(form, "Europe/London")
    assert refused.value.problems == {
        "title": "Title is empty.",
        "end": "14:00 is before the start 15:00.",
    }
    assert refused.value.fields["start"] == "15:00"


def test_validation_flags_what_would_confuse_visitors_or_the_skill():
    overlap = session("chat", "Coffee chat", "10:30", "11:30")  # Room 1, during coding
    alias_clash = replace(PRINTING, aliases=("learn to code",))
    problems = validate([CODING, overlap, alias_clash])
    blocking = [p.message for p in errors(problems)]
    assert blocking == [
        "The title of “Learn to code” on Tuesday 19 May at 10:00 is also one of the other "
        "names people may say for “3D printing” on Tuesday 19 May at 11:00 (“learn to code”); "
        "the skill could not tell them apart."
    ]
    warnings = [p for p in problems if not p.blocking]
    assert [p.session_id for p in warnings] == ["chat"]
    assert "overlaps “Learn to code”" in warnings[0].message


def test_cancelled_sessions_and_repeated_titles_are_not_flagged():
    again = session("coding-2", "Learn to code", "14:00", "15:00", aliases=("coding",))
    first = replace(CODING, aliases=("coding",))
    cancelled = session("chat", "Coffee chat", "10:30", "11:30", status=CANCELLED)
    assert validate([first, again, cancelled]) == []


def test_diff_in_words():
    moved = replace(CODING, room="Room 3", start=time(10, 30))
    new = session("linkedin", "LinkedIn tips", "13:00", "14:00")
    changes = [c.describe() for c in diff([CODING, PRINTING], [moved, new])]
    assert changes == [
        "Changed “Learn to code” (Tuesday 19 May at 10:30): start 10:00 → 10:30; "
        "room “Room 1” → “Room 3”.",
        "Removed “3D printing” (Tuesday 19 May at 11:00).",
        "Added “LinkedIn tips” (Tuesday 19 May at 13:00).",
    ]
    cancelled = [c.describe() for c in diff([CODING], [replace(CODING, status=CANCELLED)])]
    assert cancelled == ["Changed “Learn to code” (Tuesday 19 May at 10:00): now cancelled."]
