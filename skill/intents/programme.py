"""What's on: the spoken programme for visitors at the stand.

Answers are short and British ("half past ten", "on Wednesday"); lists say how many,
read three and offer more. Each request queries one snapshot of the live programme, so
an answer never mixes versions. Replies are plain text: `render` escapes it into SSML,
so an admin's "Q&A <live>" title cannot break the markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar

from skill.alexa.turn import FollowUp, Handler, Reply, Turn
from skill.intents import screens, words
from skill.intents.when import Period, UnsupportedWhen, period
from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.programme.store import StoreUnavailable
from skill.triallog.outcome import Outcome

PAGE = 3
LAST_SESSION = "last_session"  # for "where is it?" after "when is the coding session?"
PRONOUNS = {"it", "that", "this", "that one", "this one", "that session", "this session"}
MORE_QUESTION = "Would you like to hear more?"


@dataclass(frozen=True)
class ListPage(FollowUp):
    """A list read three at a time: "more" reads from `offset` of the same question."""

    kind: ClassVar[str] = "list"
    period: dict[str, Any] | None = None  # Period.to_dict()
    since: str | None = None  # ISO time: only sessions after it (the rest of today)
    offset: int = 0


LIST = ListPage.kind


# --- shared pieces --------------------------------------------------------------------


def _programme(turn: Turn) -> Programme:
    return turn.services.programme.current()


def _today(turn: Turn) -> date:
    return turn.now.date()


def _zone_note(turn: Turn, prog: Programme) -> str:
    """Times are the programme's own; a listener elsewhere is told which clock they use."""
    if turn.now.utcoffset() == turn.now.astimezone(prog.zone).utcoffset():
        return ""
    return f"Times are {words.zone_name(prog.zone_name)}."


def _say(turn: Turn, prog: Programme, *parts: str, **kwargs: Any) -> Reply:
    """A reply that mentions times: sentences joined, with the zone note when needed."""
    text = " ".join(p for p in (*parts, _zone_note(turn, prog)) if p)
    return Reply(text, **kwargs)


def _when(s: Session, today: date) -> str:
    return f"{words.on_day(s.date, today)} {words.at(s.start)}"


def _place(s: Session) -> str:
    return words.room(s.room) if s.room else ""


def _no_programme() -> Reply:
    return Reply("The programme hasn't been published yet. Please ask again later.")


def _is_on(prog: Programme, s: Session, now: datetime) -> bool:
    return prog.starts(s) <= now < prog.ends(s)


# --- now and next ---------------------------------------------------------------------


def _next_sentence(upcoming: list[Session], today: date, lead: str) -> str:
    """ "The next session is LinkedIn profile today at noon, in the Library." """
    if not upcoming:
        return "There are no more sessions in the programme."
    first = upcoming[0]
    when = _when(first, today)
    if len(upcoming) == 1:
        where = f", {_place(first)}" if first.room else ""
        return f"{lead} is {first.title} {when}{where}."
    names = words.join_plain([f"{s.title} {_place(s)}".strip() for s in upcoming])
    return f"{lead}, {when}, there are {len(upcoming)}: {names}."


def _cancelled_sentence(names: list[str]) -> str:
    """ "Excel formulas made easy today at eleven o'clock has been cancelled." """
    if not names:
        return ""
    verb = "have" if len(names) > 1 else "has"
    return f"{words.capitalise(words.join_plain(names))} {verb} been cancelled."


def whats_on_now(turn: Turn) -> Reply:
    prog = _programme(turn)
    if not prog:
        return _no_programme()
    now, today = turn.now, _today(turn)
    running = prog.on_at(now)
    live = [s for s in running if not s.cancelled]
    called_off = _cancelled_sentence(
        [f"{s.title}, which was due now," for s in running if s.cancelled]
    )
    if not live:
        upcoming = prog.next_after(now)
        _named(turn, upcoming)
        return _say(
            turn,
            prog,
            "Nothing is on now.",
            called_off,
            _next_sentence(upcoming, today, "The next session"),
            directives=screens.sessions(turn, "Next", upcoming, today),
        )
    _named(turn, live)
    items = [
        " ".join(x for x in (s.title, _place(s)) if x) + f", {words.until(s.end)}" for s in live
    ]
    if len(items) == 1:
        lead = f"Right now: {items[0]}."
    else:
        lead = f"Right now there are {len(items)} sessions on: {words.join_plain(items)}."
    return _say(
        turn, prog, lead, called_off, directives=screens.sessions(turn, "On now", running, today)
    )


def whats_next(turn: Turn) -> Reply:
    prog = _programme(turn)
    if not prog:
        return _no_programme()
    now, today = turn.now, _today(turn)
    upcoming = prog.next_after(now)
    _named(turn, upcoming)
    skipped = prog.cancelled_between(now, prog.starts(upcoming[0])) if upcoming else []
    return _say(
        turn,
        prog,
        _cancelled_sentence([f"{s.title} {_when(s, today)}" for s in skipped]),
        _next_sentence(upcoming, today, "Next"),
        directives=screens.sessions(turn, "Next", upcoming, today),
    )


# --- lists ----------------------------------------------------------------------------


def whats_on(turn: Turn) -> Reply:
    prog = _programme(turn)
    if not prog:
        return _no_programme()
    today = _today(turn)
    date_value, time_value = turn.slot("date"), turn.slot("time")
    if (date_value or "").upper() == "PRESENT_REF" and not time_value:
        return whats_on_now(turn)
    try:
        asked = period(date_value, time_value, today)
    except UnsupportedWhen as exc:
        return _unsupported(exc)
    if asked is None:  # "what's on in learning week": the rest of the programme
        first, last = prog.first_day, prog.last_day
        assert first is not None and last is not None
        if last < today:
            return Reply(f"The programme finished {words.on_day(last, today)}.")
        asked = Period(max(first, today), last, "range")
    since = turn.now if asked.at is None and asked.first <= today <= asked.last else None
    return _page(turn, prog, asked, since, 0)


def _unsupported(exc: UnsupportedWhen) -> Reply:
    what = "day" if exc.slot == "date" else "time"
    return Reply(
        f"Sorry, I can't look up the programme for that {what}. "
        "You can ask what's on today, tomorrow morning, or on Wednesday afternoon.",
        reprompt="What would you like to know about the programme?",
        outcome=Outcome.NOT_UNDERSTOOD,
    )


def _intro(n: int, cancelled: int, label: str, more: bool, past: bool) -> str:
    """ "There are 4 sessions on Wednesday afternoon, one of them cancelled." """
    noun = words.count(n, "more session" if more else "session")
    verb = ("were" if n != 1 else "was") if past else ("are" if n != 1 else "is")
    text = f"There {verb} {noun} {label}"
    if cancelled and n == 1:
        text += ", and it has been cancelled"
    elif cancelled:
        text += f", {'one' if cancelled == 1 else cancelled} of them cancelled"
    return text + "."


def _items(
    prog: Programme, sessions: list[Session], asked: Period, today: date, now: datetime
) -> list[str]:
    """One sentence per session; the day is named when it changes (multi-day lists).
    A session already under way says so ("On now until four o'clock, …")."""
    sentences, last_day = [], None
    for s in sessions:
        running = _is_on(prog, s, now) and not s.cancelled
        if running:
            when = f"on now {words.until(s.end)}"
        elif asked.at is not None or prog.started_before(s, asked):
            when = f"from {words.clock(s.start)} {words.until(s.end)}"
        else:
            when = words.at(s.start)
        if asked.days > 1 and s.date != last_day:
            if not running:
                when = f"{words.on_day(s.date, today)} {when}"
            last_day = s.date
        text = f"{words.capitalise(when)}, {s.title}"
        if s.room:
            text += f", {_place(s)}"
        if s.cancelled:
            text += (
                ", but it was cancelled." if prog.ends(s) <= now else ", but it has been cancelled."
            )
        else:
            text += "."
        sentences.append(text)
    return sentences


def _page(turn: Turn, prog: Programme, asked: Period, since: datetime | None, offset: int) -> Reply:
    today = _today(turn)
    found = prog.in_period(asked, since)
    label = words.period(asked, today)
    if not found:
        return _nothing(turn, prog, asked, label, since)
    page = found[offset : offset + PAGE]
    if offset == 0:
        _named(turn, found)
    shown = screens.sessions(turn, words.capitalise(label), found, today)
    parts: list[str] = []
    if offset == 0:
        past = asked.last < today
        # "more" only when some of the period is already over.
        more = since is not None and len(prog.in_period(asked)) > len(found)
        parts.append(_intro(len(found), sum(s.cancelled for s in found), label, more, past))
        if len(found) > PAGE:
            parts.append("Here are the first three.")
    parts.extend(_items(prog, page, asked, today, turn.now))
    if offset + PAGE >= len(found):
        if offset > 0:
            parts.append("That's all of them.")
        return _say(turn, prog, *parts, directives=shown)
    follow_up = ListPage(
        oneshot=turn.oneshot,
        period=asked.to_dict(),
        since=since.isoformat() if since else None,
        offset=offset + PAGE,
    )
    parts.append(MORE_QUESTION)
    return _say(turn, prog, *parts, reprompt=MORE_QUESTION, follow_up=follow_up, directives=shown)


def _nothing(
    turn: Turn, prog: Programme, asked: Period, label: str, since: datetime | None
) -> Reply:
    today = _today(turn)
    if since is not None and prog.in_period(asked):
        first = f"There are no more sessions {label}."
    else:
        first = f"There are no sessions {label}."
    end = datetime.combine(asked.last, datetime.max.time(), prog.zone)
    later = prog.next_after(max(end, turn.now))
    if later:
        s = later[0]
        return _say(turn, prog, first, f"The next one is {s.title} {_when(s, today)}.")
    first_day, last_day = prog.first_day, prog.last_day
    assert first_day is not None and last_day is not None
    span = words.day_range(first_day, last_day, today)
    tense = "ran" if last_day < today else "runs"
    return _say(turn, prog, first, f"The programme {tense} {span}.")


def _list_state(turn: Turn) -> tuple[Period, datetime | None, int]:
    page = turn.follow_up
    assert isinstance(page, ListPage) and page.period is not None  # dispatched on its kind
    return (
        Period.from_dict(page.period),
        datetime.fromisoformat(page.since) if page.since else None,
        page.offset,
    )


def more(turn: Turn) -> Reply:
    """ "More", "next", "yes" while a list is open: read the next three."""
    asked, since, offset = _list_state(turn)
    return _page(turn, _programme(turn), asked, since, offset)


def previous(turn: Turn) -> Reply:
    """Go back to the three before the ones just read."""
    asked, since, offset = _list_state(turn)
    current = max(offset - PAGE, 0)
    if current == 0:
        reply = _page(turn, _programme(turn), asked, since, 0)
        reply.speech = f"That was the start of the list. {reply.speech}"
        return reply
    return _page(turn, _programme(turn), asked, since, current - PAGE)


def no_more(turn: Turn) -> Reply:
    return Reply("All right. Enjoy the sessions!", end_session=True, remember=False)


# --- one session ----------------------------------------------------------------------


@dataclass(frozen=True)
class WhichSession(FollowUp):
    """ "Which session would you like to know about?": a bare name (AnswerIntent)
    finishes `intent`, the question first asked."""

    kind: ClassVar[str] = "which_session"
    intent: str = ""


@dataclass(frozen=True)
class DidYouMean(FollowUp):
    """ "Did you mean Office 365 hands-on?": "yes" answers `intent` about `session`."""

    kind: ClassVar[str] = "did_you_mean"
    intent: str = ""
    session: str = ""


WHICH_SESSION, DID_YOU_MEAN = WhichSession.kind, DidYouMean.kind
WHICH_QUESTION = "Which session would you like to know about?"


def _question_intent(turn: Turn) -> str:
    """The intent a question is about: a "no" or a bare answer that leads to another
    question keeps the one first asked."""
    asked = turn.follow_up
    if turn.continuing and isinstance(asked, WhichSession | DidYouMean):
        return asked.intent
    return turn.intent_name or ""


def _which_session(turn: Turn, prog: Programme, *first: str) -> Reply:
    """Ask for a session by name, suggesting two real ones; a bare answer finishes the job."""
    suggestions = words.join_plain(prog.upcoming_titles(turn.now), "or")
    return Reply(
        " ".join([*first, f"You could ask about {suggestions}.", WHICH_QUESTION]),
        reprompt=f"{WHICH_QUESTION} You could ask about {suggestions}.",
        follow_up=WhichSession(oneshot=turn.oneshot, intent=_question_intent(turn)),
        outcome=Outcome.NOT_UNDERSTOOD if first else Outcome.INFO,
    )


def _remember(turn: Turn, session: Session) -> None:
    """Any answer naming one session makes it "it" for the next question."""
    turn.session[LAST_SESSION] = session.id


def _named(turn: Turn, sessions: list[Session]) -> None:
    """After an answer naming several sessions (or none), "it" means none of them."""
    if len(sessions) == 1:
        _remember(turn, sessions[0])
    else:
        turn.session.pop(LAST_SESSION, None)


def _lookup(turn: Turn) -> tuple[Programme, list[Session]] | Reply:
    """The occurrences of the session asked about, or the reply to give instead."""
    prog = _programme(turn)
    if not prog:
        return _no_programme()
    resolved = turn.resolved_id("session")
    said = turn.slot("session")
    if not resolved and (not said or said.lower() in PRONOUNS):
        resolved, said = turn.session.get(LAST_SESSION), None  # "where is it?"
    hit = prog.by_id(resolved) if isinstance(resolved, str) else None
    if hit is not None:
        _remember(turn, hit)
        return prog, prog.occurrences(hit)
    if not said:
        return _which_session(turn, prog)
    found = prog.find_title(said)
    if found is None or not found.sure:
        presenting = prog.by_presenter(said)
        if presenting:
            return _presenter(turn, prog, presenting)
    if found is None:
        return _which_session(turn, prog, f"Sorry, I couldn't find a session called {said}.")
    if found.others:
        names = words.join_plain([found.sessions[0].title, *(s.title for s in found.others)], "or")
        return Reply(
            f"Did you mean {names}?",
            reprompt=f"Which one: {names}?",
            follow_up=WhichSession(oneshot=turn.oneshot, intent=_question_intent(turn)),
        )
    if not found.sure:
        title = found.sessions[0].title
        return Reply(
            f"Did you mean {title}?",
            reprompt=f"Did you mean {title}? Please say yes or no.",
            follow_up=DidYouMean(
                oneshot=turn.oneshot, intent=_question_intent(turn), session=found.sessions[0].id
            ),
        )
    _remember(turn, found.sessions[0])
    return prog, found.sessions


def _presenter(turn: Turn, prog: Programme, sessions: list[Session]) -> Reply:
    """ "Learning & Development is running Office 365 hands-on and …": a presenter's name
    answers who, and for any other question asks which of their sessions."""
    name = sessions[0].presenter
    titles = list(dict.fromkeys(s.title for s in sessions))
    if len(titles) == 1:
        _remember(turn, sessions[0])
    running = f"{name} is running {words.join_plain(titles)}."
    if turn.intent_name == "SessionPresenterIntent":
        return Reply(running)
    if len(titles) == 1:
        return Reply(f"{running} Did you mean {titles[0]}?", reprompt="Please say yes or no.",
                     follow_up=DidYouMean(oneshot=turn.oneshot,
                                          intent=_question_intent(turn),
                                          session=sessions[0].id))  # fmt: skip
    return Reply(
        f"{running} Which of them would you like to know about?",
        reprompt=f"Which one: {words.join_plain(titles, 'or')}?",
        follow_up=WhichSession(oneshot=turn.oneshot, intent=_question_intent(turn)),
    )


_SESSION_QUESTIONS: dict[str, Handler] = {}  # filled below: intent name -> handler


def _finish_question(turn: Turn) -> Handler:
    return _SESSION_QUESTIONS.get(_question_intent(turn), session_details)


def meant_yes(turn: Turn) -> Reply:
    """ "Yes" to "Did you mean …?": answer the question asked, about that session."""
    if isinstance(turn.follow_up, DidYouMean):
        turn.session[LAST_SESSION] = turn.follow_up.session
    return _finish_question(turn)(turn)


def meant_no(turn: Turn) -> Reply:
    prog = _programme(turn)
    if not prog:
        return _no_programme()
    return _which_session(turn, prog, "All right.")


def named(turn: Turn) -> Reply:
    """A bare session name answering "Which session?" (or "Did you mean …?")."""
    return _finish_question(turn)(turn)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def session_time(turn: Turn) -> Reply:
    found = _lookup(turn)
    if isinstance(found, Reply):
        return found
    prog, sessions = found
    now, today = turn.now, _today(turn)
    upcoming = prog.still_to_come(sessions, now)
    title = sessions[0].title
    if not upcoming:
        last = sessions[-1]
        if last.cancelled:
            spoken = f"{title} was due {_when(last, today)}, but it was cancelled."
        else:
            spoken = f"{title} was {_when(last, today)}."
        return _say(turn, prog, spoken, "It isn't on again.")

    def phrase(s: Session) -> str:
        if _is_on(prog, s, now) and not s.cancelled:
            text = " ".join(x for x in ("on now", _place(s)) if x) + f", {words.until(s.end)}"
        else:
            text = " ".join(x for x in (_when(s, today), _place(s)) if x)
        return text + (", but it has been cancelled" if s.cancelled else "")

    shown = screens.sessions(turn, "When", upcoming, today)
    if len(upcoming) == 1:
        return _say(turn, prog, f"{title} is {phrase(upcoming[0])}.", directives=shown)
    rooms = {s.room for s in upcoming}
    if len(rooms) == 1 and upcoming[0].room and not _is_on(prog, upcoming[0], now):
        # One room for all: say it once. "3D printing is on twice, in the Makerspace: …"
        listed = words.join_plain([phrase(replace(s, room="")) for s in upcoming])
        where = f", {_place(upcoming[0])}"
    else:
        listed, where = words.join_plain([phrase(s) for s in upcoming]), ""
    spoken = f"{title} is on {_times(len(upcoming))}{where}: {listed}."
    return _say(turn, prog, spoken, directives=shown)


def session_details(turn: Turn) -> Reply:
    found = _lookup(turn)
    if isinstance(found, Reply):
        return found
    prog, sessions = found
    now, today = turn.now, _today(turn)
    s, past = prog.featured(sessions, now)
    verb = "was" if past else "is"
    if s.cancelled:
        first = f"{s.title} {_when(s, today)} {'was' if past else 'has been'} cancelled."
    else:
        bits = [_when(s, today), _place(s)]
        if s.presenter:
            bits.append(f"with {s.presenter}")
        first = f"{s.title} {verb} " + " ".join(b for b in bits if b) + "."
    parts = [first, words.sentence(s.description)]
    again = [o for o in prog.still_to_come(sessions, now) if o != s and not o.cancelled]
    if again and not past:
        parts.append(f"It's on again {_when(again[0], today)}.")
    return _say(turn, prog, *parts, directives=screens.sessions(turn, "About", [s], today))


def session_room(turn: Turn) -> Reply:
    found = _lookup(turn)
    if isinstance(found, Reply):
        return found
    prog, sessions = found
    now, today = turn.now, _today(turn)
    upcoming = [s for s in prog.still_to_come(sessions, now) if not s.cancelled]
    chosen = upcoming or [prog.featured(sessions, now)[0]]
    title = chosen[0].title
    if not any(s.room for s in chosen):
        return Reply(f"I don't have a room for {title} yet.")
    past = not upcoming and prog.featured(sessions, now)[1]
    rooms = {s.room for s in chosen}
    if len(rooms) == 1:
        s = chosen[0]
        if s.cancelled and past:
            spoken = f"{title} was due {_place(s)}, {_when(s, today)}, but it was cancelled."
        elif s.cancelled:
            spoken = (
                f"{title} would have been {_place(s)}, {_when(s, today)},"
                " but it has been cancelled."
            )
        elif _is_on(prog, s, now):
            spoken = f"{title} is on now {_place(s)}, {words.until(s.end)}."
        else:
            spoken = f"{title} {'was' if past else 'is'} {_place(s)}, {_when(s, today)}."
        return _say(turn, prog, spoken)
    listed = words.join_plain([f"{_place(s)} {_when(s, today)}" for s in chosen])
    return _say(turn, prog, f"{title} is {listed}.")


def session_presenter(turn: Turn) -> Reply:
    found = _lookup(turn)
    if isinstance(found, Reply):
        return found
    prog, sessions = found
    now = turn.now
    s, past = prog.featured(sessions, now)
    names = list(dict.fromkeys(o.presenter for o in sessions if o.presenter))
    if not names:
        return Reply(f"I don't know who's running {s.title} yet.")
    verb = "was run" if past else "is run"
    tail = f" It {'was' if past else 'has been'} cancelled, though." if s.cancelled else ""
    return Reply(f"{s.title} {verb} by {words.join_plain(names)}.{tail}")


def answer(turn: Turn) -> Reply:
    """A bare answer with no question pending: "tomorrow afternoon" is what's on then,
    a session's name is about that session, a device's name is its state."""
    if turn.slot("device"):
        from skill.intents import devices

        return devices.device_state(turn)
    if turn.slot("session"):
        return session_details(turn)
    return whats_on(turn)


def _store_down(exc: Exception) -> Reply:
    return Reply("Sorry, I can't reach the programme just now. Please try again in a moment.")


ANYTHING_ELSE_REPROMPT = (
    "You can ask what's on now, what's next, or about a session. Anything else?"
)


def _spoken(reply: Reply) -> Reply:
    """Admin text as it is read out: no emoji (screens keep them), and a closing full
    stop, so "Anything else?" doesn't run on from a description."""
    if type(reply.speech) is str:
        reply.speech = words.sentence(reply.speech)
    if type(reply.reprompt) is str:
        reply.reprompt = words.sentence(reply.reprompt)
    return reply


def _conversational(handler: Handler) -> Handler:
    """Answers wait for a follow-up ("where is it?") when the skill was opened."""

    def answer(turn: Turn) -> Reply:
        return turn.keep_listening(_spoken(handler(turn)), ANYTHING_ELSE_REPROMPT)

    answer.__name__ = answer.__qualname__ = handler.__name__
    answer.__doc__ = handler.__doc__
    return answer


INTENTS = {
    "WhatsOnNowIntent": _conversational(whats_on_now),
    "WhatsNextIntent": _conversational(whats_next),
    "WhatsOnIntent": _conversational(whats_on),
    "SessionTimeIntent": _conversational(session_time),
    "SessionDetailsIntent": _conversational(session_details),
    "SessionRoomIntent": _conversational(session_room),
    "SessionPresenterIntent": _conversational(session_presenter),
    "AnswerIntent": _conversational(answer),
    f"AnswerIntent/{WHICH_SESSION}": _conversational(named),
    f"AnswerIntent/{DID_YOU_MEAN}": _conversational(named),
    f"AMAZON.YesIntent/{DID_YOU_MEAN}": _conversational(meant_yes),
    f"AMAZON.NoIntent/{DID_YOU_MEAN}": _conversational(meant_no),
    f"AMAZON.MoreIntent/{LIST}": _conversational(more),
    f"AMAZON.NextIntent/{LIST}": _conversational(more),
    f"AMAZON.YesIntent/{LIST}": _conversational(more),
    f"AMAZON.PreviousIntent/{LIST}": _conversational(previous),
    f"AMAZON.NoIntent/{LIST}": no_more,
}

_SESSION_QUESTIONS.update(
    {
        "SessionTimeIntent": session_time,
        "SessionDetailsIntent": session_details,
        "SessionRoomIntent": session_room,
        "SessionPresenterIntent": session_presenter,
    }
)

ERRORS = {StoreUnavailable: _store_down}

# For other areas that take a session by name (reminders): the same matching, "it", "Did
# you mean …?" and "Which session?", and a bare answer finishing their question.
lookup_session = _lookup


def add_session_question(intent: str, handler: Handler) -> None:
    _SESSION_QUESTIONS[intent] = handler
