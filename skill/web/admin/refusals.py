"""The editing domain's refusals, each with its one HTTP answer, for the pages and the API.

Registered as Flask error handlers by `protect()`, so a route just calls the desk: the
API answers `{"error": code, "message": …}` with the status here; a page shows the
message on the page it came from (a draft, the versions list) or, when the thing asked
for is gone, on an error page. Nothing was changed by any of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for

from skill.homes import HomeError
from skill.programme.editing.desk import InvalidSession, NotPublishable, SessionNotFound
from skill.programme.editing.drafts import DraftNotFound, StaleDraft
from skill.programme.store import ProgrammeConflict, VersionNotFound
from skill.web.admin import present


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: Callable[[Any], str]
    details: Callable[[Any], dict[str, Any]] = field(default=lambda exc: {})


def stale_message(exc: StaleDraft) -> str:
    current = exc.current
    return (
        f"{current.updated_by} changed this draft at {present.clock_time(current.updated_at)} "
        "while you were working on it, so your change was not saved. "
        "The draft is up to date now; please make your change again."
    )


def _conflict(exc: ProgrammeConflict) -> str:
    return (
        f"Version {exc.actual} went live while you were working, so nothing changed. "
        "Check the differences against it and try again."
    )


REFUSALS: dict[type[Exception], Refusal] = {
    DraftNotFound: Refusal(
        404,
        "not_found",
        lambda exc: "That draft no longer exists. It may have been published or discarded.",
    ),
    SessionNotFound: Refusal(
        404, "not_found", lambda exc: "That session is not in this draft any more."
    ),
    VersionNotFound: Refusal(404, "not_found", lambda exc: f"There is no version {exc.version}."),
    InvalidSession: Refusal(
        422, "invalid", lambda exc: "The session has errors.", lambda exc: {"fields": exc.problems}
    ),
    StaleDraft: Refusal(
        409,
        "stale",
        stale_message,
        lambda exc: {"draft": present.draft_summary(exc.current)},
    ),
    NotPublishable: Refusal(
        422,
        "has_errors",
        lambda exc: "This draft has errors, so it was not published. Fix them first.",
        lambda exc: {"errors": [present.problem_view(p) for p in exc.problems]},
    ),
    ProgrammeConflict: Refusal(
        409, "conflict", _conflict, lambda exc: {"live_version": exc.actual}
    ),
}


# --- field errors: which form field a refusal belongs to, in that field's label words ---

# The session form's fields as its labels name them, with an example that shows the shape.
SESSION_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("a title", ""),
    "date": ("a date", "2026-05-19"),
    "start": ("a start time", "14:00"),
    "end": ("an end time", "15:30"),
    "room": ("a room", ""),
    "presenter": ("a presenter", ""),
    "description": ("a description", ""),
    "aliases": ("other names", ""),
}
_TOO_LONG = re.compile(r"is ([\d,]+) characters long \(at most ([\d,]+)\)")
_BEFORE_START = ("is before the start", "is the same as the start")


def _after(start: str) -> str:
    """An end time an hour after `start` ("13:00" -> "14:00") for the example, if it parses."""
    try:
        moment = datetime.combine(date(2026, 1, 1), time.fromisoformat(start))
    except ValueError:
        return "15:30"
    return min(moment + timedelta(hours=1), moment.replace(hour=23, minute=59)).strftime("%H:%M")


def session_field_error(name: str, message: str, fields: Mapping[str, str]) -> str:
    """The domain's words about one field of a session as the form says them: how to fix it."""
    what, example = SESSION_FIELDS.get(name, ("", ""))
    like = f", like {example}" if example else ""
    if message.endswith("is empty.") and what:
        return f"Enter {what}{like}."
    if name == "end" and any(s in message for s in _BEFORE_START):
        start = fields.get("start", "")
        return f"Enter an end time after the start time ({start}), like {_after(start)}."
    if (found := _TOO_LONG.search(message)) and what:
        noun = what.split(" ", 1)[1]
        return (
            f"Shorten the {noun} to {found.group(2)} characters or fewer (it has {found.group(1)})."
        )
    return message


def session_errors(exc: InvalidSession) -> dict[str, str]:
    """InvalidSession's problems, field by field, as the session form shows them."""
    return session_problems(exc.problems, exc.fields)


def session_problems(problems: Mapping[str, str], fields: Mapping[str, str]) -> dict[str, str]:
    return {name: session_field_error(name, m, fields) for name, m in problems.items()}


def home_errors(exc: HomeError, default: str) -> dict[str, str]:
    """A HomeError on the field it names (the domain knows which), else on `default`."""
    return {exc.field or default: str(exc)}


def refusal(exc: Exception) -> Refusal:
    return next(REFUSALS[kind] for kind in type(exc).__mro__ if kind in REFUSALS)


def api_answer(exc: Exception) -> Any:
    r = refusal(exc)
    return jsonify(error=r.code, message=r.message(exc), **r.details(exc)), r.status


def page_answer(exc: Exception) -> Any:
    """Back to the page the officer was on, with the reason; an error page if it's gone."""
    r = refusal(exc)
    args = request.view_args or {}
    if r.status == 404 and (isinstance(exc, DraftNotFound) or "session_id" not in args):
        title = "Page not found"
        return render_template("admin/error.html", title=title, message=r.message(exc)), 404
    flash(r.message(exc), "error")
    if "draft_id" in args:
        return redirect(url_for("admin.draft", draft_id=args["draft_id"]))
    return redirect(url_for("admin.versions" if "version" in args else "admin.home"))
