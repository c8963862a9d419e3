"""What a visitor hears, through real envelopes to POST /alexa, on the demo week.

The clock is fixed at Tuesday 19 May 2026, 10:40 in London. Every response's SSML is
parsed as XML by `speech_text`, so markup breakage fails the test that caused it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from skill.programme.service import ProgrammeService
from skill.programme.sqlite_store import SqliteProgrammeStore
from skill.programme.store import StoreUnavailable
from tests import alexa
from tests.alexa import Conversation, ends_session, reprompt_text, speech_text
from tests.programme.conftest import session

ER = "amzn1.er-authority.echo-sdk.TEST.SESSION"


def say(post, name: str, slots: dict | None = None, **kw) -> tuple[str, dict]:
    """A one-shot question ("Alexa, ask learning week demo what's on now")."""
    kw.setdefault("new", True)
    response = post(alexa.intent(name, slots, **kw))
    return speech_text(response), response


def resolved(value: str, session_id: str) -> dict:
    return alexa.slot("session", value, resolved_id=session_id, authority=ER)


def publish(services, sessions) -> None:
    programme = services.programme
    programme.publish(sessions, base=programme.live_version_id(), author="test")


# --- now and next ---------------------------------------------------------------------


def test_whats_on_now(post):
    text, response = say(post, "WhatsOnNowIntent")
    assert text == "Right now: Service design in the Conference Room, until half past eleven."
    assert ends_session(response)


def test_whats_on_now_with_two_sessions_and_one_cancelled(post, clock):
    clock.now = datetime(2026, 5, 19, 10, 10, tzinfo=UTC)  # 11:10 BST
    text, _ = say(post, "WhatsOnNowIntent")
    assert text == (
        "Right now: Service design in the Conference Room, until half past eleven. "
        "Excel formulas made easy, which was due now, has been cancelled."
    )


def test_nothing_on_now_says_what_is_next(post, clock):
    clock.now = datetime(2026, 5, 19, 11, 50, tzinfo=UTC)  # 12:50 BST
    text, _ = say(post, "WhatsOnNowIntent")
    assert text == (
        "Nothing is on now. The next session is 3D printing today at two o'clock, "
        "in the Makerspace."
    )


def test_nothing_on_now_overnight_names_tomorrow(post, clock):
    clock.now = datetime(2026, 5, 20, 21, 0, tzinfo=UTC)  # Wednesday 22:00 BST
    text, _ = say(post, "WhatsOnNowIntent")
    assert text == (
        "Nothing is on now. The next session is Data visualisation with Power BI "
        "tomorrow at half past nine, in the Training Room."
    )


def test_whats_next_mentions_the_cancelled_session_it_skips(post):
    text, response = say(post, "WhatsNextIntent")
    assert text == (
        "Excel formulas made easy today at eleven o'clock has been cancelled. "
        "Next is LinkedIn profile today at noon, in the Library."
    )
    assert ends_session(response)


def test_whats_next_after_the_last_session(post, clock):
    clock.now = datetime(2026, 5, 22, 15, 0, tzinfo=UTC)  # Friday 16:00 BST
    assert say(post, "WhatsNextIntent")[0] == "There are no more sessions in the programme."
    assert say(post, "WhatsOnNowIntent")[0] == (
        "Nothing is on now. There are no more sessions in the programme."
    )


# --- lists and paging -----------------------------------------------------------------


def test_wednesday_afternoon_reads_three_then_offers_more(post):
    conversation = Conversation(post)
    first = conversation.ask("WhatsOnIntent", {"date": "2026-05-20", "time": "AF"})
    assert first == (
        "There are 4 sessions tomorrow afternoon. Here are the first three. "
        "At one o'clock, Lunch and learn: accessibility, in the Library. "
        "At two o'clock, Office 365 tips, in the Training Room. "
        "At a quarter past three, Cyber security basics, in the Conference Room. "
        "Would you like to hear more?"
    )
    assert reprompt_text(conversation.last) == "Would you like to hear more?"
    assert not ends_session(conversation.last)
    assert conversation.ask("AMAZON.MoreIntent") == (
        "At a quarter past four, Wellbeing walk, in the Main Foyer. That's all of them."
        " Anything else?"  # the skill was opened: it waits for the next question
    )
    assert not ends_session(conversation.last)


def test_a_one_shot_list_ends_after_its_last_page(post):
    first = post(alexa.intent("WhatsOnIntent", {"date": "2026-05-20", "time": "AF"}, new=True))
    assert speech_text(first).endswith("Would you like to hear more?")
    last = post(alexa.intent("AMAZON.MoreIntent", new=False, attributes=first["sessionAttributes"]))
    assert speech_text(last).endswith("That's all of them.")
    assert ends_session(last)


def test_said_on_wednesday_it_is_wednesday_afternoon(post, clock):
    clock.now = datetime(2026, 5, 18, 8, 0, tzinfo=UTC)  # Monday 09:00
    text, _ = say(post, "WhatsOnIntent", {"date": "2026-05-20", "time": "AF"})
    assert text.startswith("There are 4 sessions on Wednesday afternoon.")


def test_tomorrow_morning(post):
    text, response = say(post, "WhatsOnIntent", {"date": "2026-05-20", "time": "MO"})
    assert text == (
        "There are 2 sessions tomorrow morning. "
        "At half past nine, Digital champions masterclass, in the Conference Room. "
        "At a quarter to eleven, Learn to code, in the Training Room."
    )
    assert ends_session(response)


def test_yes_next_previous_repeat_and_no_while_paging_the_week(post):
    conversation = Conversation(post)
    first = conversation.ask("WhatsOnIntent")  # "what's on in learning week"
    assert first.startswith(
        "There are 20 sessions from today to Friday, one of them cancelled. "
        "Here are the first three. On now until half past eleven, Service design, in the"
        " Conference Room."
    )
    assert (
        "At eleven o'clock, Excel formulas made easy, in the Training Room, but it has "
        "been cancelled." in first
    )
    second = conversation.ask("AMAZON.YesIntent")
    assert second.startswith("Today at two o'clock, 3D printing, in the Makerspace.")
    assert second.endswith("Would you like to hear more?")
    assert conversation.ask("AMAZON.RepeatIntent") == second
    third = conversation.ask("AMAZON.NextIntent")  # paging survived the repeat
    assert third.startswith("Tomorrow at a quarter to eleven, Learn to code")
    assert conversation.ask("AMAZON.PreviousIntent") == second
    assert conversation.ask("AMAZON.PreviousIntent") == first
    assert conversation.ask("AMAZON.PreviousIntent") == f"That was the start of the list. {first}"
    assert conversation.ask("AMAZON.NoIntent") == "All right. Enjoy the sessions!"
    assert ends_session(conversation.last)


def test_paging_to_the_end_reads_every_session_once(post):
    conversation = Conversation(post)
    texts = [conversation.ask("WhatsOnIntent", {"date": "2026-W21"})]
    for _ in range(20):  # bounded: a bug must fail the test, not hang it
        if not texts[-1].endswith("Would you like to hear more?"):
            break
        texts.append(conversation.ask("AMAZON.MoreIntent"))
    assert texts[0].startswith("There are 20 more sessions this week, one of them cancelled.")
    assert len(texts) == 7  # 3 per page
    assert texts[-1].endswith(
        "At half past two, Show and tell: what we learned, in the "
        "Conference Room. That's all of them. Anything else?"
    )
    spoken = " ".join(texts)
    assert spoken.count("Learn to code,") == 1  # Wednesday's; Monday's is over


def test_more_means_nothing_without_a_list(post):
    text, response = say(post, "AMAZON.MoreIntent")
    assert text.startswith("There's nothing to go on with just now.")
    other = {"pending": {"kind": "confirm_power", "device": "lamp"}}
    text, _ = say(post, "AMAZON.NextIntent", attributes=other)
    assert "Learn to code" not in text and "sessions" not in text


def test_an_empty_day_says_when_the_programme_runs(post):
    text, response = say(post, "WhatsOnIntent", {"date": "2026-05-23"})
    assert text == (
        "There are no sessions on Saturday. "
        "The programme runs from Monday the 18th to Friday the 22nd of May."
    )
    assert ends_session(response)


def test_a_finished_part_of_today_points_to_the_next_session(post, clock):
    clock.now = datetime(2026, 5, 19, 16, 0, tzinfo=UTC)  # Tuesday 17:00
    text, _ = say(post, "WhatsOnIntent", {"date": "2026-05-19"})
    assert text == (
        "There are no more sessions today. "
        "The next one is Digital champions masterclass tomorrow at half past nine."
    )


@pytest.mark.parametrize(
    ("date_value", "time_value", "opening"),
    [
        ("2026-W21", None, "There are 20 more sessions this week"),
        ("2026-W21-WE", None, "There are no sessions this weekend."),
        ("2026-W22", None, "There are no sessions next week."),
        ("2026-05", None, "There are 20 more sessions in May"),
        ("2026", None, "There are 20 more sessions this year"),
        ("202X", None, "There are 20 more sessions in the 2020s"),
        ("2026-SP", None, "There are 20 more sessions this spring"),
        ("2026-SU", None, "There are no sessions this summer."),
        ("2026-05-20", "14:00", "There is one session at two o'clock tomorrow. From two "
                                "o'clock until three o'clock, Office 365 tips"),
        (None, "14:30", "There is one session at half past two today."),
        ("2026-05-20", "EV", "There is one session tomorrow evening. At six o'clock in the "
                             "evening, Quiz night, in the Staff Café."),
        ("2026-05-20", "NI", "There are no sessions tomorrow night."),
        ("2026-05-18", None, "There were 5 sessions yesterday."),
        ("PRESENT_REF", None, "Right now: Service design"),
    ],
)  # fmt: skip
def test_every_kind_of_date_and_time_is_understood(post, date_value, time_value, opening):
    slots = {k: v for k, v in (("date", date_value), ("time", time_value)) if v}
    text, _ = say(post, "WhatsOnIntent", slots)
    assert text.startswith(opening)


@pytest.mark.parametrize(
    ("slot", "value"), [("date", "XXXX-XX-XX"), ("time", "T25"), ("date", "2026-02-30")]
)
def test_a_date_we_cannot_use_gets_a_helpful_answer(post, slot, value):
    text, response = say(post, "WhatsOnIntent", {slot: value})
    assert text.startswith("Sorry, I can't look up the programme for that")
    assert "what's on today, tomorrow morning, or on Wednesday afternoon" in text
    assert reprompt_text(response) and not ends_session(response)


# --- one session ----------------------------------------------------------------------


def test_when_is_3d_printing(post):
    text, response = say(post, "SessionTimeIntent", {"session": "3D printing"})
    assert text == "3D printing is today at two o'clock in the Makerspace."
    assert ends_session(response)


def test_when_is_a_session_that_runs_twice_more(post):
    text, _ = say(post, "SessionTimeIntent", {"session": "mindfulness"})
    assert text == (
        "Mindfulness at work is on twice: today at four o'clock in the Quiet Room "
        "and on Thursday at half past two online."
    )


def test_when_is_a_session_that_is_on_now(post):
    text, _ = say(
        post, "SessionTimeIntent", {"session": resolved("service design", "service-design")}
    )
    assert text == "Service design is on now in the Conference Room, until half past eleven."


def test_when_is_a_session_that_is_over(post):
    text, _ = say(post, "SessionTimeIntent", {"session": "the welcome"})
    assert text == (
        "Welcome to Learning at Work week was yesterday at half past nine. It isn't on again."
    )


def test_tell_me_about_the_linkedin_session(post):
    slots = {"session": resolved("linkedin", "linkedin-profile")}
    text, _ = say(post, "SessionDetailsIntent", slots)
    assert text == (
        "LinkedIn profile is today at noon in the Library with Maya Brown. "
        "Bring your phone and leave with a profile that shows what you can do. "
        "It's on again on Friday at half past nine."
    )


def test_where_is_the_coding_session(post):
    text, _ = say(post, "SessionRoomIntent", {"session": "the coding session"})
    assert text == "Learn to code is in the Training Room, tomorrow at a quarter to eleven."


def test_who_is_running_service_design(post):
    text, _ = say(post, "SessionPresenterIntent", {"session": "service design"})
    assert text == "Service design is run by Priya Shah."


def test_the_resolved_id_wins_over_the_words(post):
    slots = {"session": resolved("the printing one", "3d-printing")}
    assert say(post, "SessionRoomIntent", slots)[0].startswith("3D printing is in the Makerspace")
    no_match = alexa.slot("session", "coding", no_match=True, authority=ER)
    assert say(post, "SessionRoomIntent", {"session": no_match})[0].startswith("Learn to code")


def test_an_unknown_session_names_real_ones_and_keeps_listening(post):
    text, response = say(post, "SessionTimeIntent", {"session": "knitting"})
    assert text == (
        "Sorry, I couldn't find a session called knitting. "
        "You could ask about LinkedIn profile or 3D printing. "
        "Which session would you like to know about?"  # the session stays open: ask
    )
    assert reprompt_text(response) == (
        "Which session would you like to know about? "
        "You could ask about LinkedIn profile or 3D printing."
    )
    assert not ends_session(response)


def test_no_session_named_at_all(post):
    text, response = say(post, "SessionDetailsIntent")
    assert text == (
        "You could ask about LinkedIn profile or 3D printing. "
        "Which session would you like to know about?"
    )
    assert reprompt_text(response) == (
        "Which session would you like to know about? "
        "You could ask about LinkedIn profile or 3D printing."
    )


def test_cancelled_sessions_are_said_to_be_cancelled(post):
    assert say(post, "SessionTimeIntent", {"session": "excel"})[0] == (
        "Excel formulas made easy is today at eleven o'clock in the Training Room, "
        "but it has been cancelled."
    )
    assert say(post, "SessionDetailsIntent", {"session": "excel"})[0].startswith(
        "Excel formulas made easy today at eleven o'clock has been cancelled."
    )
    assert say(post, "SessionPresenterIntent", {"session": "spreadsheets"})[0] == (
        "Excel formulas made easy is run by Chris Lewis. It has been cancelled, though."
    )


def test_two_equally_likely_sessions_are_asked_about(post, services):
    publish(
        services,
        [
            session(date(2026, 5, 20), "10:00", "11:00", "Design sprint"),
            session(date(2026, 5, 20), "12:00", "13:00", "Design review"),
        ],
    )
    text, response = say(post, "SessionTimeIntent", {"session": "design"})
    assert text == "Did you mean Design review or Design sprint?"
    assert not ends_session(response)


# --- admin text, time changes, failures -----------------------------------------------


def test_titles_with_ampersands_and_angle_brackets_stay_valid_ssml(post, services):
    publish(
        services,
        [
            session(
                date(2026, 5, 19),
                "10:00",
                "11:00",
                "Q&A <live> with R&D",
                room="Lab <1>",
                presenter="Smith & Jones",
                description="Tea & <cake>; \"quotes\" 'too'",
                aliases=("q and a",),
            ),
            session(
                date(2026, 5, 19), "14:00", "15:00", "Fish & chips </speak>", room="Café & bar"
            ),
        ],
    )
    questions = [
        ("WhatsOnNowIntent", None),
        ("WhatsNextIntent", None),
        ("WhatsOnIntent", {"date": "2026-05-19"}),
        ("SessionDetailsIntent", {"session": "q and a"}),
        ("SessionRoomIntent", {"session": "fish and chips"}),
        ("SessionPresenterIntent", {"session": "q and a"}),
        ("SessionTimeIntent", {"session": "<b>nonsense</b> & more"}),
    ]
    heard = [say(post, name, slots)[0] for name, slots in questions]  # each parsed as XML
    assert heard[0] == "Right now: Q&A <live> with R&D in the Lab <1>, until eleven o'clock."
    assert "Fish & chips </speak> today at two o'clock, in the Café & bar." in heard[1]
    assert "Tea & <cake>" in heard[3] and "Smith & Jones" in heard[5]
    assert "<b>nonsense</b> & more" in heard[6]


def test_the_week_the_clocks_go_back(post, services, clock):
    """Sunday 25 October 2026, 02:00 BST -> 01:00 GMT."""
    publish(
        services,
        [
            session(date(2026, 10, 23), "16:00", "17:00", "Friday talk", room="Room 1"),
            session(date(2026, 10, 26), "09:30", "10:30", "Monday talk", room="Room 1"),
        ],
    )
    clock.now = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)  # Saturday 11:00 BST
    assert (
        say(post, "WhatsNextIntent")[0]
        == "Next is Monday talk on Monday at half past nine, in Room 1."
    )
    clock.now = datetime(2026, 10, 26, 9, 40, tzinfo=UTC)  # Monday 09:40 GMT
    assert say(post, "WhatsOnNowIntent")[0] == (
        "Right now: Monday talk in Room 1, until half past ten."
    )
    clock.now = datetime(2026, 10, 26, 10, 35, tzinfo=UTC)  # 10:35 GMT: over (BST would differ)
    assert say(post, "WhatsOnNowIntent")[0].startswith("Nothing is on now.")


def test_the_week_the_clocks_go_forward(post, services, clock):
    """Sunday 29 March 2026, 01:00 GMT -> 02:00 BST."""
    publish(services, [session(date(2026, 3, 30), "10:00", "11:00", "Spring talk")])
    clock.now = datetime(2026, 3, 30, 9, 10, tzinfo=UTC)  # 10:10 BST
    assert say(post, "WhatsOnNowIntent")[0] == "Right now: Spring talk, until eleven o'clock."
    clock.now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Saturday, still GMT
    assert say(post, "WhatsNextIntent")[0] == "Next is Spring talk on Monday at ten o'clock."


def test_nothing_published_yet(post, services, tmp_path):
    services.programme = ProgrammeService(SqliteProgrammeStore(tmp_path / "empty.sqlite3"))
    assert say(post, "WhatsOnNowIntent")[0] == (
        "The programme hasn't been published yet. Please ask again later."
    )


def test_an_unreachable_store_gets_an_apology_not_an_error(post, services):
    class Down:
        def live_version_id(self):
            raise StoreUnavailable("connect timeout")

    services.programme = ProgrammeService(Down())  # type: ignore[arg-type]
    text, _ = say(post, "WhatsNextIntent")
    assert text == "Sorry, I can't reach the programme just now. Please try again in a moment."
