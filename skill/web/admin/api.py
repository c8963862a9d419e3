"""The admin JSON API (documented in docs/admin-api.md): the pages' operations for scripts.

Same login and CSRF rules as the pages (send `X-CSRF-Token`). Errors are JSON with an
`error` code and a plain `message` (the domain's refusals: `refusals.REFUSALS`);
refusals never change anything.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from skill.programme.editing.desk import session_fields
from skill.web.admin import present
from skill.web.admin.context import admin, current_user, uploaded_file
from skill.web.admin.publishing import after_publish


def _desk():
    return admin().desk


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Send a JSON object.")
    return data


def _number(data: dict, key: str, *, optional: bool = False) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        abort(400, f"`{key}` must be a whole number{' or null' if optional else ''}.")
    return value


def _refusal(status: int, error: str, message: str, **extra):
    return jsonify(error=error, message=message, **extra), status


def _draft_json(draft_id: str) -> dict:
    desk = _desk()
    draft = desk.drafts.get(draft_id)
    view = present.draft(desk, draft)
    return {
        **view["summary"],
        "sessions": [present.session_view(s) for s in draft.sessions],
        "pending": [p.to_dict() for p in draft.pending],
        "errors": [present.problem_view(p) for p in view["errors"]],
        "warnings": [present.problem_view(p) for p in view["warnings"]],
        "changes": view["changes"],
        "counts": view["counts"],
        "live_version": view["live_version"],
    }


def _check_json(check: dict) -> dict:
    keys = ("live_version", "counts", "sentence", "removes_more_than_it_keeps", "warning")
    return {
        **{k: check[k] for k in keys},
        **{k: check[k] for k in ("added", "changed", "removed")},
    }


def _editing(operation):
    """Run a draft edit and answer with the draft as it now is."""
    return jsonify(_draft_json(operation().id))


def register_routes(bp: Blueprint) -> None:
    @bp.get("/live")
    def live():
        programme = _desk().live()
        return jsonify(
            version=programme.version if programme else None,
            sessions=[present.session_view(s) for s in programme.sessions] if programme else [],
        )

    @bp.get("/drafts")
    def drafts():
        return jsonify(drafts=[present.draft_summary(d) for d in _desk().drafts.list()])

    @bp.post("/drafts")
    def start_draft():
        draft = _desk().start_draft(current_user())
        return jsonify(_draft_json(draft.id)), 201

    @bp.post("/drafts/import")
    def import_file():
        upload = uploaded_file()
        if upload is None:
            abort(400, "Send the file as multipart form field `file`.")
        draft, result = _desk().import_file(*upload, current_user())
        if draft is None:
            rows = [{"row": e.row, "column": e.column, "message": str(e)} for e in result.errors]
            return _refusal(422, "invalid_file", "Nothing was imported.", errors=rows)
        body = _draft_json(draft.id)
        body["import_warnings"] = [str(w) for w in result.warnings]
        body["import_notes"] = list(result.notes)
        return jsonify(body), 201

    @bp.get("/drafts/<draft_id>")
    def draft(draft_id: str):
        return jsonify(_draft_json(draft_id))

    @bp.delete("/drafts/<draft_id>")
    def discard(draft_id: str):
        _desk().discard(draft_id, current_user())
        return "", 204

    @bp.post("/drafts/<draft_id>/sessions")
    def add_session(draft_id: str):
        data = _body()
        fields = _fields(data)
        return _editing(
            lambda: _desk().put_session(draft_id, _number(data, "revision"), fields, current_user())
        )

    @bp.put("/drafts/<draft_id>/sessions/<session_id>")
    def replace_session(draft_id: str, session_id: str):
        data = _body()
        fields = _fields(data)
        return _editing(
            lambda: _desk().put_session(
                draft_id, _number(data, "revision"), fields, current_user(), session_id
            )
        )

    @bp.post("/drafts/<draft_id>/sessions/<session_id>/cancel")
    def cancel_session(draft_id: str, session_id: str):
        data = _body()
        cancelled = data.get("cancelled", True)
        if not isinstance(cancelled, bool):
            abort(400, "`cancelled` must be true or false.")
        return _editing(
            lambda: _desk().set_cancelled(
                draft_id, _number(data, "revision"), session_id, cancelled, current_user()
            )
        )

    @bp.delete("/drafts/<draft_id>/sessions/<session_id>")
    def delete_session(draft_id: str, session_id: str):
        data = _body()
        return _editing(
            lambda: _desk().delete_session(
                draft_id, _number(data, "revision"), session_id, current_user()
            )
        )

    @bp.put("/drafts/<draft_id>/pending/<int:row>")
    def fix_pending(draft_id: str, row: int):
        """An imported row with errors, corrected: it becomes a session of the draft."""
        data = _body()
        fields = _fields(data)
        return _editing(
            lambda: _desk().fix_pending(
                draft_id, _number(data, "revision"), row, fields, current_user()
            )
        )

    @bp.delete("/drafts/<draft_id>/pending/<int:row>")
    def drop_pending(draft_id: str, row: int):
        data = _body()
        return _editing(
            lambda: _desk().drop_pending(draft_id, _number(data, "revision"), row, current_user())
        )

    @bp.get("/drafts/<draft_id>/preview")
    def preview(draft_id: str):
        draft = _desk().drafts.get(draft_id)
        view = present.preview(admin(), draft, request.args)
        if view["error"]:
            return _refusal(400, "invalid", view["error"])
        return jsonify({k: view[k] for k in ("date", "time", "moment", "session_id", "answers")})

    @bp.get("/drafts/<draft_id>/check")
    def check(draft_id: str):
        """What publishing would add, change and remove: the check page's counts and lists."""
        view = present.publish_check(_desk(), _desk().drafts.get(draft_id))
        return jsonify(
            draft_id=draft_id,
            revision=view["draft"].revision,
            errors=[present.problem_view(p) for p in view["errors"]],
            **_check_json(view),
        )

    @bp.post("/drafts/<draft_id>/publish")
    def publish(draft_id: str):
        data = _body()
        note = " ".join(str(data.get("note") or "").split())[:200]
        info = _desk().publish(
            draft_id,
            _number(data, "revision"),
            _number(data, "base", optional=True),
            note,
            current_user(),
        )
        after_publish()
        return jsonify(version=info.id, note=info.note, author=info.author), 201

    @bp.get("/versions")
    def versions():
        return jsonify(present.versions(_desk()))

    @bp.get("/versions/<int:version>/rollback")
    def rollback_check(version: int):
        """What making `version` live would do, as the confirmation page says it."""
        view = present.rollback_check(_desk(), version)
        return jsonify(version=version, plan=view["plan"], **_check_json(view))

    @bp.post("/versions/<int:version>/rollback")
    def rollback(version: int):
        data = _body()
        base = _number(data, "base", optional=True)
        reason = data.get("reason")
        reason = " ".join(reason.split())[:200] if isinstance(reason, str) else ""
        if not reason:
            message = f"Send `reason`: why version {version} is being made live (for the log)."
            return _refusal(400, "reason_missing", message)
        _desk().rollback(version, base, current_user(), reason)
        after_publish()
        return jsonify(live_version=version, reason=reason)

    @bp.get("/history")
    def history():
        return jsonify(entries=present.history(_desk()))


def _fields(data: dict) -> dict[str, str]:
    session = data.get("session")
    if not isinstance(session, dict):
        abort(400, "Send the session's fields as object `session`.")
    fields = {k: session.get(k) for k in session_fields(None)}
    if isinstance(fields["aliases"], list):
        fields["aliases"] = "; ".join(str(a) for a in fields["aliases"])
    return {k: "" if v is None else str(v) for k, v in fields.items()}
