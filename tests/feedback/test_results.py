"""Results for admins: counts and averages per session, sessions listed once they end, the
CSV in local time and plain words, with no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

from skill.feedback import NO, NOT_SURE, YES, Answer, latest_ended, results
from skill.feedback.report import svg, to_csv
from skill.programme.programme import Programme
from tests.programme.conftest import session

AT = datetime(2026, 5, 18, 15, 5, tzinfo=UTC)  # 16:05 in London
CODE = session(date(2026, 5, 18), "10:00", "11:30", "=Learn to code", id="learn-to-code")
PRINT = session(date(2026, 5, 18), "13:30", "15:00", "3D printing", id="3d-printing")
LATER = session(date(2026, 5, 19), "10:00", "11:00", "Later", id="later")


def test_counts_average_and_which_sessions_are_listed():
    answers = [
        Answer("learn-to-code", "a", 4, YES, AT),
        Answer("learn-to-code", "b", 5, NOT_SURE, AT),
        Answer("learn-to-code", "c", None, NO, AT),
        Answer("gone", "d", 1, None, AT),
    ]
    prog = Programme([CODE, PRINT, LATER])
    found = results(prog.sessions, answers, lambda s: prog.ends(s) <= AT)
    assert [r.session_id for r in found] == ["learn-to-code", "3d-printing", "gone"]
    code, printing, gone = found
    assert (code.answers, code.rated, code.average) == (3, 2, 4.5)
    assert code.effective == {YES: 1, NOT_SURE: 1, NO: 1}
    assert (printing.answers, printing.average) == (0, None)
    assert gone.when is None and gone.title == "gone"
    picture = svg(code)
    assert "<title>Feedback on =Learn to code</title>" in picture and ">Not sure<" in picture


def test_the_csv_is_local_time_plain_words_and_safe():
    answers = [Answer("learn-to-code", "secret-key", 4, NOT_SURE, AT)]
    rows = list(csv.reader(io.StringIO(to_csv(answers, [CODE], "Europe/London"))))
    assert rows == [
        ["session", "session date", "session start", "answered at", "rating (1 to 5)",
         "more effective at work"],
        ["'=Learn to code", "2026-05-18", "10:00", "2026-05-18 16:05", "4", "Not sure"],
    ]  # fmt: skip
    assert "secret-key" not in to_csv(answers, [CODE], "Europe/London")


def test_the_last_session_to_finish_skips_cancelled_and_unasked_ones():
    prog = Programme([CODE, replace(PRINT, status="cancelled"), LATER])
    assert latest_ended(prog, AT) == CODE
    prog = Programme([replace(CODE, asks_feedback=False), PRINT])
    assert latest_ended(prog, AT) == PRINT
    assert latest_ended(prog, AT, since=AT) is None
