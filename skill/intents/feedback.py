"""Feedback by voice: "How was Learn to code?" — a number from one to five, then "Will you be
more effective at work because of it?" (yes, not sure or no).

Short and skippable at every step: "skip" moves on, "stop" or "no thanks" ends with thanks,
and whatever was already given is kept. Each answer is stored as soon as it is given, keyed
by an HMAC of the speaker and the session (skill/feedback), so a second go replaces the first.
A question not heard is asked once more, then let go politely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from skill.alexa.turn import FollowUp, Reply, Turn
from skill.feedback import NO, NOT_SURE, RATINGS, YES, NotAskable, askable, latest_ended
from skill.intents import core, programme, words
from skill.numbers import number_words
from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.triallog.outcome import Outcome

ASK_AGAIN = 1  # a question is repeated once, then let go


@dataclass(frozen=True)
class AskRating(FollowUp):
    """Waiting for "a number from one to five" about `session`."""

    kind: ClassVar[str] = "feedback_rating"
    session: str = ""
    tries: int = 0


@dataclass(frozen=True)
class AskEffective(FollowUp):
    """Waiting for yes, not sure or no; `rating` is what this conversation gave (0: none)."""

    kind: ClassVar[str] = "feedback_effective"
    session: str = ""
    rating: int = 0
    tries: int = 0


RATING, EFFECTIVE = AskRating.kind, AskEffective.kind
EFFECTIVE_QUESTION = "Will you be more effective at work because of it? Say yes, not sure or no."
THANKS = "Thank you for your feedback."


def _rating_question(title: str) -> str:
    return f"How was {title}? Say a number from one to five."


def _ask_rating(turn: Turn, session: Session, lead: str = "") -> Reply:
    question = _rating_question(session.title)
    return Reply(
        " ".join(p for p in (lead, question, "Or say skip.") if p),
        reprompt=f"{question} Or say skip.",
        follow_up=AskRating(oneshot=turn.oneshot, session=session.id),
    )


def _ask_effective(turn: Turn, session_id: str, rating: int, lead: str = "") -> Reply:
    return Reply(
        " ".join(p for p in (lead, EFFECTIVE_QUESTION) if p),
        reprompt=EFFECTIVE_QUESTION,
        follow_up=AskEffective(oneshot=turn.oneshot, session=session_id, rating=rating),
    )


def _refusal(exc: NotAskable, turn: Turn, prog: Programme) -> Reply:
    s = exc.session
    if exc.reason == NotAskable.CANCELLED:
        text = f"{s.title} was cancelled, so there's nothing to give feedback on."
    elif exc.reason == NotAskable.NOT_ASKED:
        text = f"Sorry, we aren't collecting feedback for {s.title}."
    elif prog.starts(s) <= turn.now:
        text = (
            f"{s.title} hasn't finished yet: it's on {words.until(s.end)}. "
            "Tell us how it went once it's over."
        )
    else:
        when = f"{words.on_day(s.date, turn.now.date())} {words.at(s.start)}"
        text = f"{s.title} hasn't happened yet: it's {when}. Tell us how it went afterwards."
    return Reply(text, outcome=Outcome.REFUSED)


# --- starting ------------------------------------------------------------------------------


def give_feedback(turn: Turn) -> Reply:
    """ "How was Learn to code?", "Tell us how it went", "I want to give feedback"."""
    prog = turn.services.programme.current()
    if not prog:
        return Reply("The programme hasn't been published yet, so there's nothing to rate.")
    resolved, said = turn.resolved_id("session"), turn.slot("session")
    pronoun = not resolved and said is not None and said.lower() in _NO_NAME
    if not (resolved or said) or (pronoun and not turn.session.get(programme.LAST_SESSION)):
        latest = latest_ended(prog, turn.now)
        if latest is None:
            return turn.keep_listening(
                Reply(
                    "No session has finished yet, so there's nothing to give feedback on. "
                    "Once one has, say: tell us how it went."
                ),
                programme.ANYTHING_ELSE_REPROMPT,
            )
        return _ask_rating(turn, latest, f"The last session to finish was {latest.title}.")
    found = programme._lookup(turn)
    if isinstance(found, Reply):  # "Which session?" or "Did you mean …?"
        return found
    prog, occurrences = found
    try:
        session = askable(prog, occurrences, turn.now)
    except NotAskable as exc:
        return turn.keep_listening(_refusal(exc, turn, prog), programme.ANYTHING_ELSE_REPROMPT)
    return _ask_rating(turn, session)


# "Tell us how it went" with nothing named before: the last session to finish.
_NO_NAME = {"it", "that", "this", "the session", "that session", "this session", "a session"}


# --- the rating ------------------------------------------------------------------------------

_WHOLE_HOUR = re.compile(r"(\d{1,2}):00")


def _number(turn: Turn) -> int | None:
    """The number said, from RateSessionIntent's AMAZON.NUMBER slot; or a bare "four" that
    reached AnswerIntent as a time (AMAZON.TIME hears it as 04:00 or 16:00)."""
    said = turn.slot("rating")
    if said is not None:
        return int(said) if said.isdigit() else None
    if turn.intent_name == "AnswerIntent":
        hour = _WHOLE_HOUR.fullmatch(turn.slot("time") or "")
        if hour:
            value = int(hour[1])
            return value - 12 if value > 12 else value
    return None


def _pending_rating(turn: Turn) -> AskRating:
    pending = turn.follow_up
    assert isinstance(pending, AskRating)  # dispatched on its kind
    return pending


def _pending_effective(turn: Turn) -> AskEffective:
    pending = turn.follow_up
    assert isinstance(pending, AskEffective)  # dispatched on its kind
    return pending


def _title(turn: Turn, session_id: str) -> str:
    found = turn.services.programme.current().by_id(session_id)
    return found.title if found else "the session"


def _spoken(n: int) -> str:
    return number_words(n) if 0 <= n < 100 else str(n)


def rating(turn: Turn) -> Reply:
    pending = _pending_rating(turn)
    value = _number(turn)
    if value not in RATINGS:
        return _rating_not_heard(turn, pending, value)
    turn.services.feedback.give(turn.user_id, pending.session, value, None)
    return _ask_effective(turn, pending.session, value, f"Thanks, {_spoken(value)}.")


def _rating_not_heard(turn: Turn, pending: AskRating, value: int | None = None) -> Reply:
    title = _title(turn, pending.session)
    if pending.tries >= ASK_AGAIN:
        return Reply(
            "Sorry, I still didn't get a number from one to five, so I'll leave it there. "
            "Thanks anyway.",
            end_session=True,
            outcome=Outcome.NOT_UNDERSTOOD,
        )
    lead = (
        f"{_spoken(value)} isn't between one and five."
        if value is not None
        else "Sorry, I didn't catch a number."
    )
    question = _rating_question(title)
    return Reply(
        f"{words.capitalise(lead)} {question} Or say skip.",
        reprompt=f"{question} Or say skip.",
        follow_up=AskRating(
            oneshot=pending.oneshot, session=pending.session, tries=pending.tries + 1
        ),
        outcome=Outcome.NOT_UNDERSTOOD,
    )


def rating_not_heard(turn: Turn) -> Reply:
    return _rating_not_heard(turn, _pending_rating(turn))


def skip_rating(turn: Turn) -> Reply:
    pending = _pending_rating(turn)
    return _ask_effective(turn, pending.session, 0, "All right.")


def rating_no_thanks(turn: Turn) -> Reply:
    return Reply("All right, no problem. Thanks anyway.", end_session=True, remember=False)


# --- more effective at work? ------------------------------------------------------------------


def _effective(turn: Turn, answer: str) -> Reply:
    pending = _pending_effective(turn)
    turn.services.feedback.give(turn.user_id, pending.session, pending.rating or None, answer)
    return Reply(THANKS, end_session=True)


def effective_yes(turn: Turn) -> Reply:
    return _effective(turn, YES)


def effective_not_sure(turn: Turn) -> Reply:
    return _effective(turn, NOT_SURE)


def effective_no(turn: Turn) -> Reply:
    return _effective(turn, NO)


def effective_not_heard(turn: Turn) -> Reply:
    pending = _pending_effective(turn)
    kept = "I've kept your rating. " if pending.rating else ""
    if pending.tries >= ASK_AGAIN:
        return Reply(
            f"Sorry, I didn't get that, so I'll leave it there. {kept}Thanks anyway.",
            end_session=True,
            outcome=Outcome.NOT_UNDERSTOOD,
        )
    return Reply(
        f"Sorry, I didn't catch that. {EFFECTIVE_QUESTION}",
        reprompt=EFFECTIVE_QUESTION,
        follow_up=AskEffective(
            oneshot=pending.oneshot,
            session=pending.session,
            rating=pending.rating,
            tries=pending.tries + 1,
        ),
        outcome=Outcome.NOT_UNDERSTOOD,
    )


def effective_skip(turn: Turn) -> Reply:
    pending = _pending_effective(turn)
    return Reply(THANKS if pending.rating else "All right. Thanks anyway.", end_session=True)


# --- nothing pending ---------------------------------------------------------------------------


def nothing_to_rate(turn: Turn) -> Reply:
    """A number or "not sure" with no feedback question asked: say how to start."""
    return Reply(
        "To give feedback on a session, say: tell us how it went, or how was, and the "
        "session's name.",
        reprompt="What would you like to do?",
        outcome=Outcome.NOT_UNDERSTOOD,
    )


# "Yes" to "Did you mean Learn to code?" (or a bare name answering "Which session?") goes on
# with the question first asked: this one, when it was feedback.
programme._SESSION_QUESTIONS["GiveFeedbackIntent"] = give_feedback

INTENTS = {
    "GiveFeedbackIntent": give_feedback,
    "SkipIntent": core.nothing_to_continue,
    f"SkipIntent/{RATING}": skip_rating,
    f"SkipIntent/{EFFECTIVE}": effective_skip,
    "RateSessionIntent": nothing_to_rate,
    "NotSureIntent": nothing_to_rate,
    f"RateSessionIntent/{RATING}": rating,
    f"AnswerIntent/{RATING}": rating,
    f"AMAZON.FallbackIntent/{RATING}": rating_not_heard,
    f"AMAZON.YesIntent/{RATING}": rating_not_heard,
    f"NotSureIntent/{RATING}": rating_not_heard,
    f"AMAZON.NextIntent/{RATING}": skip_rating,
    f"AMAZON.NoIntent/{RATING}": rating_no_thanks,
    f"AMAZON.StopIntent/{RATING}": rating_no_thanks,
    f"AMAZON.CancelIntent/{RATING}": rating_no_thanks,
    f"AMAZON.YesIntent/{EFFECTIVE}": effective_yes,
    f"NotSureIntent/{EFFECTIVE}": effective_not_sure,
    f"AMAZON.NoIntent/{EFFECTIVE}": effective_no,
    f"AMAZON.FallbackIntent/{EFFECTIVE}": effective_not_heard,
    f"RateSessionIntent/{EFFECTIVE}": effective_not_heard,
    f"AnswerIntent/{EFFECTIVE}": effective_not_heard,
    f"AMAZON.NextIntent/{EFFECTIVE}": effective_skip,
    f"AMAZON.StopIntent/{EFFECTIVE}": effective_skip,
    f"AMAZON.CancelIntent/{EFFECTIVE}": effective_skip,
}
