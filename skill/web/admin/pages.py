"""Server-rendered admin pages: forms first, so everything works from a keyboard or a
tablet without scripts; admin.js only adds conveniences (live preview, size check)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from skill.programme.editing.desk import InvalidSession, SessionNotFound, session_fields
from skill.programme.editing.drafts import StaleDraft
from skill.web.admin import present
from skill.web.admin.context import admin, current_user, uploaded_file
from skill.web.admin.publishing import after_publish
from skill.web.admin.refusals import session_errors, session_problems, stale_message


def _desk():
    return admin().desk


def _draft_or_404(draft_id: str):
    return _desk().drafts.get(draft_id)  # DraftNotFound: the error page (refusals.py)


def _int(name: str) -> int | None:
    value = request.form.get(name, "").strip()
    if value.isdigit():
        return int(value)
    if value in ("", "none"):
        return None
    abort(400, OUT_OF_DATE_FORM)


# Plain words for a form that lost or garbled a hidden field (the draft's revision, the
# live version it was shown): nothing the officer typed is the problem.
OUT_OF_DATE_FORM = (
    "This form was missing something it needs, so nothing was changed. "
    "Go back, reload the page and try again."
)
REASON_NEEDED = (
    "Enter why you are making version {n} live, such as “The new file had the wrong week”."
)


def _revision() -> int:
    revision = _int("revision")
    if revision is None:
        abort(400, OUT_OF_DATE_FORM)
    return revision


def _session_or_404(draft, session_id: str):
    session = next((s for s in draft.sessions if s.id == session_id), None)
    if session is None:
        raise SessionNotFound(session_id)  # back to the draft, said why (refusals.py)
    return session


MAX_FLASHED = 5


def _session_form_fields() -> dict[str, str]:
    """The posted session form as CSV-column fields. An unticked checkbox sends nothing, so
    "Ask visitors for feedback" becomes an explicit yes or no (empty would mean yes)."""
    fields = {k: request.form.get(k, "") for k in session_fields(None)}
    fields["feedback"] = "yes" if request.form.get("feedback") == "yes" else "no"
    return fields


def register_routes(bp: Blueprint) -> None:
    @bp.get("/")
    def home():
        return render_template("admin/home.html", **present.home(_desk()), import_errors=None)

    @bp.post("/import")
    def import_file():
        upload = uploaded_file()
        if upload is None:
            return _home_with_errors(["Select a CSV (.csv) or calendar (.ics) file to import."], "")
        filename, data = upload
        draft, result = _desk().import_file(filename, data, current_user())
        if draft is None:
            return _home_with_errors(
                [
                    f"{filename} was not imported: fix what is listed here and select it again.",
                    *(str(e) for e in result.errors),
                ],
                filename,
            )
        flash(f"Imported {len(draft.sessions)} sessions from {draft.name} into a new draft.")
        if draft.pending:
            rows = len(draft.pending)
            flash(
                f"{rows} {'row' if rows == 1 else 'rows'} of the file could not be read and "
                f"{'is' if rows == 1 else 'are'} listed under “Rows to fix”. Fix or delete "
                f"{'it' if rows == 1 else 'them'}: the draft cannot be published until none "
                "is left.",
                "warning",  # the draft's own error summary lists the rows
            )
        for warning in result.warnings[:MAX_FLASHED]:  # the session cookie holds them
            flash(f"Check: {warning}", "warning")
        if len(result.warnings) > MAX_FLASHED:
            more = len(result.warnings) - MAX_FLASHED
            flash(f"… and {more} more things to check (the command line lists them all).")
        return redirect(url_for("admin.draft", draft_id=draft.id))

    def _home_with_errors(errors: list[str], filename: str):
        page = render_template(
            "admin/home.html", **present.home(_desk()), import_errors=errors, filename=filename
        )
        return page, 422

    @bp.post("/drafts")
    def start_draft():
        draft = _desk().start_draft(current_user())
        flash("Started a new draft from the live programme.")
        return redirect(url_for("admin.draft", draft_id=draft.id))

    @bp.get("/drafts/<draft_id>")
    def draft(draft_id: str):
        return render_template(
            "admin/draft.html", **present.draft(_desk(), _draft_or_404(draft_id))
        )

    @bp.get("/drafts/<draft_id>/sessions/new", endpoint="new_session")
    @bp.get("/drafts/<draft_id>/sessions/<session_id>", endpoint="edit_session")
    def session_form(draft_id: str, session_id: str | None = None):
        draft = _draft_or_404(draft_id)
        session = None
        if session_id is not None:
            session = next((s for s in draft.sessions if s.id == session_id), None)
            if session is None:
                raise SessionNotFound(session_id)
        return render_template(
            "admin/session_form.html",
            draft=draft,
            session_id=session_id,
            fields=session_fields(session),
            errors={},
            revision=draft.revision,
        )

    @bp.post("/drafts/<draft_id>/sessions", endpoint="add_session")
    @bp.post("/drafts/<draft_id>/sessions/<session_id>", endpoint="save_session")
    def save_session(draft_id: str, session_id: str | None = None):
        draft = _draft_or_404(draft_id)
        fields = _session_form_fields()
        try:
            _desk().put_session(draft_id, _revision(), fields, current_user(), session_id)
        except InvalidSession as exc:
            errors = session_errors(exc)
            return _session_form(draft, session_id, exc.fields, errors, _revision()), 422
        except StaleDraft as exc:
            # Keep what they typed; the form now carries the current revision.
            flash(stale_message(exc), "error")
            return _session_form(exc.current, session_id, fields, {}, exc.current.revision), 409
        flash(f"Saved “{fields['title'].strip()}”.")
        return redirect(url_for("admin.draft", draft_id=draft_id))

    @bp.get("/drafts/<draft_id>/pending/<int:row>")
    def pending_form(draft_id: str, row: int):
        draft = _draft_or_404(draft_id)
        target = _pending_or_404(draft, row)
        problems = session_problems(target.problems, target.fields)
        return _pending_page(draft, target, target.fields, problems, draft.revision)

    @bp.post("/drafts/<draft_id>/pending/<int:row>")
    def fix_pending(draft_id: str, row: int):
        draft = _draft_or_404(draft_id)
        target = _pending_or_404(draft, row)
        fields = _session_form_fields()
        try:
            _desk().fix_pending(draft_id, _revision(), row, fields, current_user())
        except InvalidSession as exc:
            return _pending_page(draft, target, exc.fields, session_errors(exc), _revision()), 422
        except StaleDraft as exc:
            flash(stale_message(exc), "error")
            return _pending_page(exc.current, target, fields, {}, exc.current.revision), 409
        except SessionNotFound:
            abort(404, "That row is not waiting to be fixed any more.")
        flash(f"Fixed {target.where}: “{fields['title'].strip()}” is now in the draft.")
        return redirect(url_for("admin.draft", draft_id=draft_id))

    @bp.post("/drafts/<draft_id>/pending/<int:row>/delete")
    def drop_pending(draft_id: str, row: int):
        return _table_action(
            draft_id,
            lambda desk, rev, who: desk.drop_pending(draft_id, rev, row, who),
            "Deleted the row from the draft.",
        )

    def _pending_or_404(draft, row: int):
        try:
            return _desk().find_pending(draft, row)
        except SessionNotFound:
            abort(404, "That row is not waiting to be fixed any more.")

    def _pending_page(draft, target, fields, errors, revision):
        return render_template(
            "admin/session_form.html",
            draft=draft,
            session_id=None,
            pending=target,
            fields=fields,
            errors=errors,
            revision=revision,
        )

    def _session_form(draft, session_id, fields, errors, revision):
        return render_template(
            "admin/session_form.html",
            draft=draft,
            session_id=session_id,
            fields=fields,
            errors=errors,
            revision=revision,
        )

    @bp.post("/drafts/<draft_id>/sessions/<session_id>/cancel")
    def cancel_session(draft_id: str, session_id: str):
        cancelled = request.form.get("cancelled") == "1"
        title = _session_or_404(_draft_or_404(draft_id), session_id).title
        return _table_action(
            draft_id,
            lambda desk, rev, who: desk.set_cancelled(draft_id, rev, session_id, cancelled, who),
            f"Marked “{title}” as {'cancelled' if cancelled else 'on again'}.",
        )

    @bp.get("/drafts/<draft_id>/sessions/<session_id>/delete")
    def confirm_delete_session(draft_id: str, session_id: str):
        """Say exactly what will go; only the form's POST deletes."""
        draft = _draft_or_404(draft_id)
        session = _session_or_404(draft, session_id)
        return render_template(
            "admin/confirm_delete.html", draft=draft, session=present.session_view(session)
        )

    @bp.post("/drafts/<draft_id>/sessions/<session_id>/delete")
    def delete_session(draft_id: str, session_id: str):
        title = _session_or_404(_draft_or_404(draft_id), session_id).title
        return _table_action(
            draft_id,
            lambda desk, rev, who: desk.delete_session(draft_id, rev, session_id, who),
            f"Deleted “{title}” from the draft. The live programme is unchanged.",
        )

    def _table_action(draft_id: str, action, done: str):
        _draft_or_404(draft_id)
        action(_desk(), _revision(), current_user())  # refusals: back to the draft, said why
        flash(done)
        return redirect(url_for("admin.draft", draft_id=draft_id))

    @bp.get("/drafts/<draft_id>/discard")
    def confirm_discard(draft_id: str):
        draft = _draft_or_404(draft_id)
        live = _desk().live()
        return render_template(
            "admin/confirm_discard.html",
            draft=draft,
            summary=present.draft_summary(draft),
            live_version=live.version if live else None,
        )

    @bp.post("/drafts/<draft_id>/discard")
    def discard(draft_id: str):
        draft = _draft_or_404(draft_id)
        _desk().discard(draft_id, current_user())
        flash(f"Discarded the draft “{draft.name}”. The live programme is unchanged.")
        return redirect(url_for("admin.home"))

    @bp.get("/drafts/<draft_id>/preview")
    def preview(draft_id: str):
        draft = _draft_or_404(draft_id)
        context = present.preview(admin(), draft, request.args)
        page = render_template("admin/preview.html", draft=draft, **context)
        return page, 400 if context["errors"] else 200

    @bp.get("/drafts/<draft_id>/check")
    def check(draft_id: str):
        """Check before you publish: what the live programme gains, changes and loses."""
        return render_template(
            "admin/check.html", **present.publish_check(_desk(), _draft_or_404(draft_id))
        )

    @bp.post("/drafts/<draft_id>/publish")
    def publish(draft_id: str):
        _draft_or_404(draft_id)
        note = " ".join(request.form.get("note", "").split())[:200]
        info = _desk().publish(draft_id, _revision(), _int("base"), note, current_user())
        after_publish()
        flash(f"Published version {info.id}. The skill is using it now.")
        return redirect(url_for("admin.versions"))

    @bp.get("/versions")
    def versions():
        return render_template(
            "admin/versions.html",
            **present.versions(_desk()),
            model_push=present.model_push(admin().services.settings.data_dir),
        )

    @bp.get("/versions/<int:version>/rollback")
    def confirm_rollback(version: int):
        live = _desk().live()
        base = "none" if live is None or live.version is None else str(live.version)
        return _rollback_page(version, base, "", {})

    @bp.post("/versions/<int:version>/rollback")
    def rollback(version: int):
        reason = " ".join(request.form.get("reason", "").split())[:200]
        base = _int("base")
        if not reason:
            sent = "none" if base is None else str(base)
            return _rollback_page(version, sent, "", {"reason": REASON_NEEDED.format(n=version)})
        _desk().rollback(version, base, current_user(), reason)
        after_publish()
        flash(f"Version {version} is live again. The skill is using it now.")
        return redirect(url_for("admin.versions"))

    def _rollback_page(version: int, base: str, reason: str, errors: dict[str, str]):
        page = render_template(
            "admin/confirm_rollback.html",
            **present.rollback_check(_desk(), version),
            base=base,
            reason=reason,
            errors=errors,
        )
        return page, 422 if errors else 200

    @bp.get("/card")
    def card():
        return render_template("admin/card.html", **present.card(admin()))

    @bp.get("/card.css")
    def card_css():
        from skill.model.card import CARD_CSS

        return Response(CARD_CSS, mimetype="text/css")

    @bp.get("/history")
    def history():
        return render_template("admin/history.html", entries=present.history(_desk()))
