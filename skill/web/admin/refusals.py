"""The editing domain's refusals, each with its one HTTP answer, for the pages and the API.

Registered as Flask error handlers by `protect()`, so a route just calls the desk: the
API answers `{"error": code, "message": …}` with the status here; a page shows the
message on the page it came from (a draft, the versions list) or, when the thing asked
for is gone, on an error page. Nothing was changed by any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for

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
