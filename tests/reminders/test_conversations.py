"""Reminders through POST /alexa, against a fake Reminders API on 127.0.0.1 over HTTPS.

The fixed clock is Tuesday 19 May 2026, 10:40 in London; 3D printing runs today 14:00–15:30
in the Makerspace (and ran yesterday), so its reminder rings at 13:50.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from skill.programme.model import CANCELLED
from skill.reminders import SCOPE
from skill.simulator import envelopes
from tests import alexa
from tests.alexa import speech_text
from tests.reminders.conftest import CONSENT, TOKEN, Talk, envelope_kw

SET_3D = "OK. I'll remind you about 3D printing today at ten to two, ten minutes before it starts."
ANYTHING = " Anything else?"
PRINTING = {"session": "3D printing"}


def remind(talk: Talk, session: str = "3D printing") -> str:
    return talk.ask("RemindMeIntent", {"session": session})


def kept_sessions(services) -> list[str]:
    return [k.session_id for k in services.reminders.kept(alexa.USER_ID)]


def test_with_permission_a_reminder_rings_ten_minutes_before_in_the_sessions_zone(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    assert remind(talk) == SET_3D + ANYTHING
    [(method, path, body)] = reminders_api.calls
    assert (method, path) == ("POST", "/v1/alerts/reminders")
    assert body["trigger"] == {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-05-19T13:50:00.000",
        "timeZoneId": "Europe/London",
    }
    assert body["alertInfo"]["spokenInfo"]["content"] == [
        {
            "locale": "en-GB",
            "text": "3D printing starts in ten minutes, in the Makerspace.",
            "ssml": "<speak>3D printing starts in ten minutes, in the Makerspace.</speak>",
        }
    ]
    assert kept_sessions(services) == ["3d-printing-2"]  # today's run, not yesterday's
    # Asking again doesn't set a second one.
    assert remind(talk).startswith("You already have a reminder for 3D printing: I'll remind")
    assert reminders_api.methods() == ["POST"]


def test_an_admins_title_is_escaped_in_the_reminders_ssml(post, reminders_api, services):
    prog = services.programme.current()
    renamed = [
        replace(s, title="Tea & <cake> 🍰") if s.id == "3d-printing-2" else s for s in prog.sessions
    ]
    services.programme.publish(renamed, base=prog.version, author="admin")
    talk = Talk(post, **envelope_kw(reminders_api))
    said = talk.ask(
        "RemindMeIntent", {"session": alexa.slot("session", "tea", resolved_id="3d-printing-2")}
    )
    assert said.startswith("OK. I'll remind you about Tea & <cake> today at ten to two")
    [content] = reminders_api.calls[0][2]["alertInfo"]["spokenInfo"]["content"]
    assert content["text"] == "Tea & <cake> starts in ten minutes, in the Makerspace."
    assert content["ssml"] == (
        "<speak>Tea &amp; &lt;cake&gt; starts in ten minutes, in the Makerspace.</speak>"
    )


def test_without_permission_the_skill_asks_by_voice_and_sets_it_when_granted(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api, granted=False, api_access_token="Atza|plain"))
    said = remind(talk)
    response = talk.last["response"]
    assert said == "To remind you about 3D printing, I need your permission to set reminders."
    [directive] = response["directives"]
    assert directive["type"] == "Connections.SendRequest"
    assert directive["name"] == "AskFor"
    assert directive["payload"] == {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
    }
    assert "reprompt" not in response and "shouldEndSession" not in response
    assert reminders_api.calls == []
    # Alexa asks "Do you give learning week demo permission…?", the person approves, and
    # Alexa's answer carries a token that now has the permission.
    answer = talk.request(
        envelopes.connections_response("ACCEPTED", directive["token"]),
        api_access_token=TOKEN,
        consent_token=CONSENT,
    )
    assert speech_text(answer) == SET_3D + ANYTHING
    assert reminders_api.methods() == ["POST"]
    assert kept_sessions(services) == ["3d-printing-2"]


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_refusing_the_permission_sets_nothing_and_says_how_to_allow_it(
    post, reminders_api, services, status
):
    talk = Talk(post, **envelope_kw(reminders_api, granted=False, api_access_token="Atza|plain"))
    remind(talk)
    token = talk.last["response"]["directives"][0]["token"]
    answer = talk.request(envelopes.connections_response(status, token))
    said = speech_text(answer)
    assert said.startswith(
        "All right, I won't set a reminder. To allow them later, open the Alexa app"
    )
    assert "I'll remind" not in said
    assert answer["response"]["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": [SCOPE],
    }
    assert reminders_api.calls == [] and kept_sessions(services) == []


def test_a_permission_revoked_midway_is_asked_for_again(post, reminders_api, services):
    talk = Talk(post, **envelope_kw(reminders_api))
    assert remind(talk) == SET_3D + ANYTHING
    reminders_api.granted.clear()  # the person turned Reminders off in the Alexa app
    said = remind(talk, "Learn to code")
    assert said == "To remind you about Learn to code, I need your permission to set reminders."
    assert talk.last["response"]["directives"][0]["name"] == "AskFor"
    assert reminders_api.methods() == ["POST", "POST"]  # tried, refused with 401
    assert kept_sessions(services) == ["3d-printing-2"]


@pytest.mark.parametrize("trouble", ["500", "timeout"])
def test_when_the_api_fails_the_skill_says_so_and_claims_nothing(
    post, reminders_api, services, trouble
):
    if trouble == "500":
        reminders_api.fail_with = 500
    else:
        reminders_api.delay_s = 1.5
        services.reminders.timeout = (0.5, 0.5)
    talk = Talk(post, **envelope_kw(reminders_api))
    started = datetime.now(UTC)
    assert remind(talk) == (
        "Sorry, I couldn't set a reminder for 3D printing: Alexa's reminders didn't answer. "
        "Please try again in a moment." + ANYTHING
    )
    assert (datetime.now(UTC) - started).total_seconds() < 5  # well inside Alexa's 8 s
    assert reminders_api.methods() == ["POST"]  # not retried: a retry could set it twice
    assert kept_sessions(services) == []


def test_a_session_that_is_over_on_now_or_cancelled_is_refused(
    post, reminders_api, services, clock
):
    talk = Talk(post, **envelope_kw(reminders_api))
    clock.now = datetime(2026, 5, 19, 13, 10, tzinfo=UTC)  # 14:10 in London
    assert remind(talk) == (
        "3D printing is on now in the Makerspace, until half past three, so it's too late "
        "for a reminder." + ANYTHING
    )
    clock.now = datetime(2026, 5, 19, 12, 55, tzinfo=UTC)  # 13:55: starts in five minutes
    assert remind(talk).startswith("3D printing starts in less than ten minutes, at two o'clock")
    clock.now = datetime(2026, 5, 19, 15, 0, tzinfo=UTC)
    assert remind(talk) == "3D printing has finished, so I can't set a reminder for it." + ANYTHING
    clock.now = datetime(2026, 5, 19, 9, 40, tzinfo=UTC)
    prog = services.programme.current()
    called_off = [
        replace(s, status=CANCELLED) if s.id == "3d-printing-2" else s for s in prog.sessions
    ]
    services.programme.publish(called_off, base=prog.version, author="admin")
    assert remind(talk) == (
        "3D printing today at two o'clock has been cancelled, so I haven't set a reminder."
        + ANYTHING
    )
    assert reminders_api.calls == []


def test_an_unknown_session_gets_the_which_session_question_and_a_bare_name_finishes_it(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    said = remind(talk, "underwater basket weaving")
    assert said.startswith("Sorry, I couldn't find a session called underwater basket weaving.")
    assert said.endswith("Which session would you like to know about?")
    assert reminders_api.calls == []
    assert talk.ask("AnswerIntent", PRINTING) == SET_3D + ANYTHING
    assert kept_sessions(services) == ["3d-printing-2"]


def test_listing_reads_three_at_a_time_and_drops_those_deleted_in_the_app(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    assert talk.ask("ListRemindersIntent") == (
        "You don't have any reminders from me. You can say, remind me about, and a "
        "session's name." + ANYTHING
    )
    for title in ("3D printing", "Learn to code", "Learn to code: next steps", "LinkedIn profile"):
        assert remind(talk, title).startswith("OK. I'll remind you about"), title
    first = talk.ask("ListRemindersIntent")
    assert first == (
        "You have 4 reminders, each ten minutes before: LinkedIn profile today at noon, "
        "3D printing today at two o'clock and Learn to code tomorrow at a quarter to eleven. "
        "Would you like to hear more?"
    )
    rest = talk.ask("AMAZON.MoreIntent")
    assert rest == "Learn to code: next steps on Friday at a quarter to eleven." + ANYTHING
    # The person deletes one in the Alexa app: the list says so next time.
    gone = next(
        k for k in services.reminders.kept(alexa.USER_ID) if k.session_id == "3d-printing-2"
    )
    del reminders_api.reminders[gone.reminder_id]
    again = talk.ask("ListRemindersIntent")
    assert again.startswith("You have 3 reminders") and "3D printing" not in again
    assert len(services.reminders.kept(alexa.USER_ID)) == 3


def test_cancelling_deletes_the_reminder(post, reminders_api, services):
    talk = Talk(post, **envelope_kw(reminders_api))
    assert talk.ask("CancelReminderIntent", PRINTING) == (
        "You don't have a reminder for 3D printing from me." + ANYTHING
    )
    remind(talk)
    [kept] = services.reminders.kept(alexa.USER_ID)
    assert talk.ask("CancelReminderIntent", PRINTING) == (
        "OK, I've cancelled your reminder for 3D printing." + ANYTHING
    )
    assert reminders_api.calls[-1][:2] == ("DELETE", f"/v1/alerts/reminders/{kept.reminder_id}")
    assert reminders_api.reminders == {} and kept_sessions(services) == []


def test_cancelling_when_the_api_fails_keeps_the_reminder_and_says_so(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    remind(talk)
    reminders_api.fail_with = 503
    assert talk.ask("CancelReminderIntent", PRINTING).startswith(
        "Sorry, I couldn't cancel your reminder for 3D printing"
    )
    assert kept_sessions(services) == ["3d-printing-2"]


def _move_and_cancel(services) -> None:
    """An admin moves today's 3D printing to three o'clock and cancels Wednesday's coding."""
    prog = services.programme.current()
    changed = []
    for s in prog.sessions:
        if s.id == "3d-printing-2":
            s = replace(s, start=time(15, 0), end=time(16, 30))
        elif s.title == "Learn to code" and s.date.day == 20:
            s = replace(s, status=CANCELLED)
        changed.append(s)
    services.programme.publish(changed, base=prog.version, author="admin")


def _two_reminders(talk: Talk, reminders_api) -> None:
    assert remind(talk) == SET_3D + ANYTHING
    assert remind(talk, "Learn to code").startswith("OK. I'll remind you about Learn to code")
    assert reminders_api.scheduled() == ["2026-05-19T13:50:00.000", "2026-05-20T10:35:00.000"]


def test_a_skill_message_after_a_change_moves_and_deletes_the_reminders(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    _two_reminders(talk, reminders_api)
    _move_and_cancel(services)
    # What Alexa delivers after the publish path's Skill Messaging POST: no session, and a
    # fresh apiAccessToken for this user.
    body = alexa.envelope(
        envelopes.message_received({"reason": "programme_changed", "version": 2}),
        session=False,
        **envelope_kw(reminders_api),
    )
    response = post(body)
    assert "outputSpeech" not in response["response"]
    assert sorted(reminders_api.methods()[2:]) == ["DELETE", "PUT"]
    assert reminders_api.scheduled() == ["2026-05-19T14:50:00.000"]
    [kept] = services.reminders.kept(alexa.USER_ID)
    assert kept.session_id == "3d-printing-2" and kept.remind_at.hour == 13  # 14:50 BST
    # Nothing more to do the next time.
    post(body)
    assert len(reminders_api.calls) == 4


def test_without_skill_messaging_the_next_conversation_brings_them_in_step(
    post, reminders_api, services
):
    talk = Talk(post, **envelope_kw(reminders_api))
    _two_reminders(talk, reminders_api)
    _move_and_cancel(services)
    assert reminders_api.methods() == ["POST", "POST"]  # nobody told Amazon yet
    Talk(post, **envelope_kw(reminders_api)).launch()
    assert sorted(reminders_api.methods()[2:]) == ["DELETE", "PUT"]
    assert reminders_api.scheduled() == ["2026-05-19T14:50:00.000"]


def test_alexas_answer_and_skill_messages_parse_through_the_envelope_serializer():
    from ask_sdk_model.interfaces.connections import ConnectionsResponse
    from ask_sdk_model.interfaces.messaging import MessageReceivedRequest

    from skill.alexa.envelope import parse

    answer = parse(alexa.envelope(envelopes.connections_response("DENIED", '{"remind": "x"}')))
    assert isinstance(answer.request, ConnectionsResponse)
    assert (answer.request.name, answer.request.token) == ("AskFor", '{"remind": "x"}')
    assert answer.request.payload["status"] == "DENIED"
    message = parse(
        alexa.envelope(envelopes.message_received({"reason": "programme_changed"}), session=False)
    )
    assert isinstance(message.request, MessageReceivedRequest)
    assert message.request.message == {"reason": "programme_changed"}
    assert message.session is None
