"""Questions asked of one programme snapshot: by time, by period, by name; and how fast."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from skill.programme.period import PartOfDay, Period
from skill.programme.programme import Programme
from tests.programme.conftest import session

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 5, 19, 10, 40, tzinfo=LONDON)  # Tuesday of the demo week


@pytest.fixture(scope="module")
def week(demo) -> Programme:
    return Programme(demo, version=1)


def titles(sessions) -> list[str]:
    return [s.title for s in sessions]


def test_on_now_next_and_the_cancelled_session_in_between(week):
    assert titles(week.on_at(NOW)) == ["Service design"]
    assert titles(week.next_after(NOW)) == ["LinkedIn profile"]  # not the cancelled Excel
    assert titles(week.cancelled_between(NOW, week.starts(week.next_after(NOW)[0]))) == [
        "Excel formulas made easy"
    ]
    assert titles(week.on_at(NOW.replace(hour=11, minute=10))) == [
        "Service design",
        "Excel formulas made easy",
    ]


def test_now_is_an_instant_whatever_the_listener_zone(week):
    in_new_york = NOW.astimezone(ZoneInfo("America/New_York"))
    assert titles(week.on_at(in_new_york)) == ["Service design"]
    assert titles(week.on_at(NOW.astimezone(UTC))) == ["Service design"]


def test_periods_whole_days_parts_and_single_times(week):
    wed = date(2026, 5, 20)
    assert len(week.in_period(Period(wed, wed))) == 7
    assert titles(week.in_period(Period(wed, wed, part=PartOfDay.MO))) == [
        "Digital champions masterclass",
        "Learn to code",
    ]
    assert len(week.in_period(Period(wed, wed, part=PartOfDay.AF))) == 4
    assert titles(week.in_period(Period(wed, wed, part=PartOfDay.EV))) == ["Quiz night"]
    at_two = Period(wed, wed, at=NOW.time().replace(hour=14, minute=30))
    assert titles(week.in_period(at_two)) == ["Office 365 tips"]
    saturday = date(2026, 5, 23)
    assert week.in_period(Period(saturday, saturday)) == []


def test_questions_about_today_leave_out_what_is_over(week):
    today = Period(NOW.date(), NOW.date())
    assert len(week.in_period(today)) == 5
    assert titles(week.in_period(today, not_before=NOW))[:2] == [
        "Service design",
        "Excel formulas made easy",
    ]
    assert len(week.in_period(today, not_before=NOW)) == 5
    evening = NOW.replace(hour=16, minute=45)
    assert week.in_period(today, not_before=evening) == []


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("the coding session", "Learn to code"),
        ("coding", "Learn to code"),
        ("learn to code", "Learn to code"),
        ("3D printing", "3D printing"),
        ("three d printing", "3D printing"),
        ("the LinkedIn session", "LinkedIn profile"),
        ("linked in", "LinkedIn profile"),
        ("linkedin profile workshop", "LinkedIn profile"),
        ("service design", "Service design"),
        ("office three sixty five", "Office 365 tips"),
        ("mindfullness", "Mindfulness at work"),
        ("power bee eye dashboards", "Data visualisation with Power BI"),
        ("next steps in coding", "Learn to code: next steps"),
        ("the alexa talk", "Voice assistants at work"),
    ],
)
def test_forgiving_title_matching(week, said, title):
    found, others = week.find(said)
    assert {s.title for s in found} == {title}
    assert others == []


def test_a_title_finds_every_occurrence_and_nonsense_finds_nothing(week):
    found, _ = week.find("mindfulness")
    assert [s.date.day for s in found] == [18, 19, 21]
    assert week.find("knitting") == ([], [])
    assert week.find("the session") == ([], [])


def test_equally_good_matches_are_reported_as_a_tie():
    prog = Programme(
        [
            session(date(2026, 5, 18), "10:00", "11:00", "Design sprint", id="a"),
            session(date(2026, 5, 18), "12:00", "13:00", "Design review", id="b"),
        ]
    )
    found, others = prog.find("design")
    assert len(found) == 1 and len(others) == 1
    assert {found[0].title, others[0].title} == {"Design sprint", "Design review"}


def test_the_hour_the_clocks_go_back_is_ordered_by_instant():
    """25 Oct 2026: 01:00-02:00 happens twice (BST, then GMT). "Early" (00:30-01:15) is over
    by the second 01:00, though a wall-clock comparison would say it is on; "All-nighter"
    (00:30-03:00) lasts three and a half hours."""
    day = date(2026, 10, 25)
    prog = Programme(
        [
            session(day, "00:30", "03:00", "All-nighter", id="long"),
            session(day, "00:30", "01:15", "Early", id="early"),
        ]
    )
    second_one_oclock = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 01:00 GMT
    assert titles(prog.on_at(second_one_oclock)) == ["All-nighter"]
    first_one_oclock = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 01:00 BST
    assert titles(prog.on_at(first_one_oclock)) == ["All-nighter", "Early"]
    long = prog.by_id("long")
    assert prog.ends(long) - prog.starts(long) == timedelta(hours=3, minutes=30)


def synthetic(n: int, seed: int = 1) -> Programme:
    """`n` sessions over a year, 40 rooms, titles from a small vocabulary."""
    rng = random.Random(seed)
    topics = [
        "coding",
        "printing",
        "design",
        "excel",
        "linkedin",
        "mindfulness",
        "data",
        "security",
        "presenting",
        "coaching",
        "accessibility",
        "leadership",
    ]
    sessions = []
    for i in range(n):
        day = date(2026, 1, 5) + timedelta(days=(i * 365) // n)
        hour = 8 + rng.randrange(10)
        title = f"{rng.choice(topics).title()} {rng.choice(topics)} {i}"
        sessions.append(
            session(
                day, f"{hour:02d}:00", f"{hour:02d}:45", title, room=f"Room {i % 40}", id=f"s{i}"
            )
        )
    return Programme(sessions)


def per_query_seconds(prog: Programme, rounds: int = 300) -> float:
    rng = random.Random(7)
    start = clock.perf_counter()
    for _ in range(rounds):
        moment = datetime(2026, 1, 5, 9, tzinfo=LONDON) + timedelta(minutes=rng.randrange(500_000))
        prog.on_at(moment)
        prog.next_after(moment)
        prog.in_period(Period(moment.date(), moment.date(), part=PartOfDay.AF))
        prog.find("the coding session")
    return (clock.perf_counter() - start) / rounds


def test_queries_do_not_slow_down_from_50_to_10000_sessions():
    """Indexed, not scanned: 200 times the sessions must not cost anything like 200 times
    the time. Bound generous for slow CI machines; the measured figures are printed."""
    small, large = synthetic(50), synthetic(10_000)
    per_query_seconds(small, 20), per_query_seconds(large, 20)  # warm up
    t_small, t_large = per_query_seconds(small), per_query_seconds(large)
    print(
        f"\nper query set: 50 sessions {t_small * 1e6:.0f} us, "
        f"10,000 sessions {t_large * 1e6:.0f} us"
    )
    assert t_large < 0.01  # 10 ms for four questions, far inside Alexa's budget
    assert t_large < 20 * t_small  # a scan would be ~200x


# --- sessions running through a period, and made-up titles (issue 19) -----------------


THURSDAY = date(2026, 5, 21)


@pytest.fixture(scope="module")
def drop_in() -> Programme:
    """A 9-to-4 drop-in, a morning talk overrunning noon by a quarter, an afternoon talk."""
    return Programme(
        [
            session(THURSDAY, "09:00", "16:00", "Mobile innovation space", id="space"),
            session(THURSDAY, "11:00", "12:15", "Morning talk", id="talk"),
            session(THURSDAY, "14:00", "15:00", "Afternoon talk", id="after"),
            session(THURSDAY + timedelta(days=1), "14:00", "15:00", "Friday talk", id="fri"),
        ],
        version=1,
    )


def test_a_session_running_through_the_afternoon_is_on_in_the_afternoon(drop_in):
    afternoon = Period(THURSDAY, THURSDAY).with_time(PartOfDay.AF)
    assert titles(drop_in.in_period(afternoon)) == ["Mobile innovation space", "Afternoon talk"]
    ten = datetime(2026, 5, 21, 10, 0, tzinfo=LONDON)
    assert titles(drop_in.in_period(afternoon, not_before=ten)) == [
        "Mobile innovation space", "Afternoon talk",
    ]  # fmt: skip
    assert drop_in.started_before(drop_in.by_id("space"), afternoon)
    assert not drop_in.started_before(drop_in.by_id("after"), afternoon)
    morning = Period(THURSDAY, THURSDAY).with_time(PartOfDay.MO)
    assert titles(drop_in.in_period(morning)) == ["Mobile innovation space", "Morning talk"]
    whole = Period(THURSDAY, THURSDAY)
    half_two = datetime(2026, 5, 21, 14, 30, tzinfo=LONDON)
    assert titles(drop_in.in_period(whole, not_before=half_two)) == [
        "Mobile innovation space", "Afternoon talk",
    ]  # fmt: skip


def test_running_between_counts_sessions_that_began_earlier(drop_in):
    noon = datetime(2026, 5, 21, 12, 0, tzinfo=LONDON)
    assert titles(drop_in.running_between(noon, noon + timedelta(hours=1))) == [
        "Mobile innovation space", "Morning talk",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def law_week() -> Programme:
    from skill.programme.formats import csv_format
    from tests.conftest import LAW_WEEK

    parsed = csv_format.parse(LAW_WEEK.read_text(encoding="utf-8"), "Europe/London")
    assert parsed.ok, parsed.errors
    return Programme(parsed.sessions, version=1)


@pytest.mark.parametrize(
    ("said", "title", "sure"),
    [
        ("office party", "Office 365 hands-on", False),  # one word of two: a guess
        ("design sprint", "Introduction to service design", False),
        ("champions league final", None, None),  # one word of three: no match
        ("pottery class", None, None),
        ("office three six five", "Office 365 hands-on", True),
        ("the coding session", "Learn to code", True),
        ("innovation space", "Mobile innovation space", True),
        ("robots", "Robot coding club", True),
    ],
)
def test_one_shared_word_is_not_a_match(law_week, said, title, sure):
    found = law_week.find_title(said)
    if title is None:
        assert found is None
    else:
        assert found is not None
        assert (found.sessions[0].title, found.sure) == (title, sure)


def test_a_presenter_is_found_by_name_not_taken_for_a_title(law_week):
    assert titles(law_week.by_presenter("learning and development")) == [
        "Office 365 hands-on", "Digital Champions masterclass",
    ]  # fmt: skip
    assert law_week.by_presenter("learning") == []
