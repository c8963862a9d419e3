"""OT pages: homes, their plugs ("test this plug"), linking speakers, registry import/export.

An OT sees only the homes assigned to them; any other home answers the same 404 as a home
that does not exist. Credentials go in through a password field and never come back out.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from skill.devices.errors import DeviceError, RegistryError
from skill.devices.model import Cause
from skill.homes import LINK_WORDS, STAND_ID, HomeError, LinkOutcome, Role
from skill.homes import registry as home_registry
from skill.homes.model import Home
from skill.web.admin import homes_view as view
from skill.web.admin.context import admin, current_account, uploaded_file
from skill.web.admin.refusals import home_errors

log = logging.getLogger(__name__)


def _directory():
    return admin().directory


def _home_page(home: Home, status: int = 200, **extra: Any):
    """The home's page; `errors` (the label form), `link_error`, `import_errors` (the file)
    are shown on their fields, under one error summary."""
    account = current_account()
    shown = {"errors": {}, "import_errors": None, "link_error": None, "form": {}, **extra}
    field_errors = {
        **({"code": shown["link_error"]} if shown["link_error"] else {}),
        **({"file": shown["import_errors"]} if shown["import_errors"] else {}),
        **shown["errors"],
    }
    page = render_template(
        "admin/homes/home.html",
        home=home,
        devices=view.devices_view(home),
        speakers=_directory().speakers(home.id),
        kinds=view.KINDS,
        policies=view.POLICIES,
        is_admin=bool(account and account.role is Role.ADMIN),
        stand_file=home.id == STAND_ID,
        field_errors=field_errors,
        **shown,
    )
    return page, status


def register_routes(bp: Blueprint) -> None:
    _register_trial_log(bp)

    @bp.get("/")
    def index():
        account = current_account()
        assert account is not None  # the guard logged them in
        homes = [view.home_view(h) for h in view.visible_homes(account)]
        return render_template("admin/homes/index.html", homes=homes, errors={}, form={})

    @bp.post("/")
    def add_home():
        account = current_account()
        assert account is not None
        form = {"label": request.form.get("label", ""), "time_zone": request.form.get("time_zone")}
        try:
            home = _directory().add_home(form["label"], form["time_zone"] or None)
        except HomeError as exc:
            homes = [view.home_view(h) for h in view.visible_homes(account)]
            page = render_template(
                "admin/homes/index.html", homes=homes, errors=home_errors(exc, "label"), form=form
            )
            return page, 422
        if account.role is Role.OT and account.password_hash:
            admin().accounts.assign(account.name, home.id)  # the OT who made it looks after it
        flash(f"Added {home.label}. Now add its plugs and link its speaker.")
        return redirect(url_for("admin_homes.home", home_id=home.id))

    @bp.get("/<home_id>")
    def home(home_id: str):
        found, _ = view.home_or_404(home_id)
        return _home_page(found)

    @bp.post("/<home_id>")
    def edit_home(home_id: str):
        found, _ = view.home_or_404(home_id)
        form = {k: request.form.get(k, "") for k in ("label", "time_zone")}
        try:
            updated = _directory().edit_home(found.id, form["label"], form["time_zone"])
        except HomeError as exc:
            return _home_page(found, 422, errors=home_errors(exc, "label"), form=form)
        flash(f"Saved {updated.label}.")
        return redirect(url_for("admin_homes.home", home_id=found.id))

    @bp.post("/<home_id>/remove")
    def remove_home(home_id: str):
        found, account = view.home_or_404(home_id)
        view.require_admin(account)
        _directory().remove_home(found.id)
        flash(f"Removed {found.label}, its plugs and its speaker links.")
        return redirect(url_for("admin_homes.index"))

    # --- speakers ----------------------------------------------------------------------

    @bp.post("/<home_id>/link")
    def link(home_id: str):
        found, account = view.home_or_404(home_id)
        outcome = _directory().redeem(request.form.get("code", ""), found.id, by=account.name)
        if outcome is LinkOutcome.LINKED:
            flash(LINK_WORDS[outcome])
            return redirect(url_for("admin_homes.home", home_id=found.id))
        status = 429 if outcome is LinkOutcome.THROTTLED else 422
        return _home_page(found, status, link_error=LINK_WORDS[outcome])

    @bp.post("/<home_id>/speakers/unlink")
    def unlink(home_id: str):
        found, _ = view.home_or_404(home_id)
        speaker = request.form.get("speaker", "")
        if speaker not in _directory().speakers(found.id):
            abort(404, "That speaker is not linked to this home.")
        _directory().unlink_speaker(speaker)
        flash("The speaker is unlinked. It no longer reaches this home's plugs.")
        return redirect(url_for("admin_homes.home", home_id=found.id))

    # --- the registry as YAML -------------------------------------------------------------

    @bp.get("/<home_id>/devices.yaml")
    def export(home_id: str):
        found, _ = view.home_or_404(home_id)
        return Response(
            _directory().registry_text(found.id),
            mimetype="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{found.id}-devices.yaml"'},
        )

    @bp.post("/<home_id>/devices/import")
    def import_registry(home_id: str):
        found, _ = view.home_or_404(home_id)
        upload = uploaded_file()
        if upload is None:
            return _home_page(
                found, 400, import_errors=["Select a device registry file (.yaml) to import."]
            )
        filename, data = upload
        try:
            registry = _directory().import_registry(
                found.id, data.decode("utf-8", errors="replace"), filename
            )
        except RegistryError as exc:
            problem = f"{exc} Nothing was changed: fix the file and select it again."
            return _home_page(found, 422, import_errors=[problem])
        flash(f"Imported {len(registry)} plugs from {filename}.")
        return redirect(url_for("admin_homes.home", home_id=found.id))

    # --- one plug ------------------------------------------------------------------------

    @bp.get("/<home_id>/devices/new")
    def new_device(home_id: str):
        found, _ = view.home_or_404(home_id)
        kind = request.args.get("kind", "")
        if kind not in view.KINDS:
            return render_template("admin/homes/choose_kind.html", home=found, kinds=view.KINDS)
        return _device_form(found, kind, None, {}, {})

    @bp.get("/<home_id>/devices/<device_id>")
    def edit_device(home_id: str, device_id: str):
        found, _ = view.home_or_404(home_id)
        entry = _entry(found, device_id)
        return _device_form(found, entry["driver"], device_id, entry, {})

    @bp.post("/<home_id>/devices")
    def add_device(home_id: str):
        found, _ = view.home_or_404(home_id)
        return _save_device(found, None)

    @bp.post("/<home_id>/devices/<device_id>")
    def save_device(home_id: str, device_id: str):
        found, _ = view.home_or_404(home_id)
        _entry(found, device_id)
        return _save_device(found, device_id)

    @bp.post("/<home_id>/devices/<device_id>/remove")
    def remove_device(home_id: str, device_id: str):
        found, _ = view.home_or_404(home_id)
        entry = _entry(found, device_id)
        text = home_registry.remove_entry(_directory().registry_text(found.id), device_id)
        _directory().import_registry(found.id, text, found.label)
        name = home_registry.secret_name(device_id, entry["driver"])
        if name:
            _directory().secrets.delete(found.id, name)
        flash(f"Removed the {entry.get('name', device_id)}.")
        return redirect(url_for("admin_homes.home", home_id=found.id))

    @bp.post("/<home_id>/devices/<device_id>/test")
    def test_device(home_id: str, device_id: str):
        found, _ = view.home_or_404(home_id)
        service = _directory().devices_for_home(found.id)
        if device_id not in service.registry:
            abort(404, "That plug is not in this home.")
        device = service.registry.get(device_id)
        on = request.form.get("on") == "1"
        try:
            result: Any = service.switch(device_id, on, cause=Cause.APP)
        except DeviceError as exc:
            log.info("test of %s in %s: %s", device_id, found.id, exc.kind)
            result = exc
        message = view.tested(device, on, result, found.zone)
        confirmed = not isinstance(result, DeviceError) and result.is_confirmed(on)
        flash(message, "ok" if confirmed else "error")
        return redirect(url_for("admin_homes.home", home_id=found.id) + f"#device-{device_id}")


def _trial_store():
    from skill.triallog import TrialLog, open_store

    ctx = admin()
    recorder = ctx.services.trial_log
    if isinstance(recorder, TrialLog):  # not NotRecording: the log is read even when off
        return recorder.store

    return open_store(ctx.settings)


def _register_trial_log(bp: Blueprint) -> None:
    from datetime import timedelta

    from skill.triallog import OUTCOME_LABELS, OUTCOMES, report

    @bp.get("/<home_id>/trial-log")
    def trial_log(home_id: str):
        from skill.web.triallog import LATEST, names

        found, _ = view.home_or_404(home_id)
        end = admin().services.clock().astimezone(found.zone).date()
        start = end - timedelta(days=27)
        entries = _trial_store().entries(start, end, home=found.id)
        days = report.daily(entries, start, end)
        known = names(_directory(), admin().settings.timezone, only=found.id)
        return render_template(
            "admin/homes/trial_log.html",
            home=found,
            days=days,
            rows=report.fold(days),
            totals=report.totals(days),
            people=report.participants(entries),
            names=_directory().person_labels(found.id),
            known=known,
            latest=report.lines(entries[-LATEST:][::-1], known),
            outcomes=OUTCOMES,
            labels=OUTCOME_LABELS,
        )

    @bp.post("/<home_id>/trial-log/people")
    def label_person(home_id: str):
        from skill.triallog.hashing import looks_hashed

        found, _ = view.home_or_404(home_id)
        user = request.form.get("user", "").strip().lower()
        if not looks_hashed(user):
            abort(400, "The form did not say which person to name.")
        try:
            _directory().label_person(found.id, user, request.form.get("label", ""))
        except HomeError as exc:
            abort(400, str(exc))
        flash("Saved the person's label.")
        return redirect(url_for("admin_homes.trial_log", home_id=found.id))

    @bp.get("/<home_id>/trial-log.csv")
    def trial_log_csv(home_id: str):
        found, _ = view.home_or_404(home_id)
        from skill.web.triallog import names

        known = names(_directory(), admin().settings.timezone, only=found.id)
        return Response(
            report.to_csv(_trial_store().entries(home=found.id), known),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{found.id}-trial-log.csv"'},
        )


def _entry(home: Home, device_id: str) -> dict[str, Any]:
    for entry in home_registry.entries(_directory().registry_text(home.id)):
        if entry.get("id") == device_id:
            return entry
    abort(404, "That plug is not in this home.")


def _device_form(
    home: Home, kind: str, device_id: str | None, values: dict[str, Any], errors: dict[str, str]
):
    secret = view.secret_option(kind)
    has_secret = bool(
        device_id and secret and values.get(secret) in _directory().secrets.names(home.id)
    )
    aliases = values.get("aliases") or []
    form = {
        "id": values.get("id", ""),
        "name": values.get("name", ""),
        "aliases": ", ".join(aliases) if isinstance(aliases, list) else str(aliases),
        "voice_on": values.get("voice_on", "allow"),
        "voice_off": values.get("voice_off", "allow"),
        "max_on_minutes": values.get("max_on_minutes", 0),
        **{f.name: values.get(f.name, f.default) for f in view.option_fields(kind)},
    }
    page = render_template(
        "admin/homes/device_form.html",
        home=home,
        kind=kind,
        kind_label=view.KINDS[kind],
        device_id=device_id,
        form=form,
        fields=view.option_fields(kind),
        secret_label=view.SECRET_LABELS.get(secret or ""),
        has_secret=has_secret,
        policies=view.POLICIES,
        errors=errors,
        field_errors={k: v for k, v in errors.items() if k != "form"},
        form_messages=[errors["form"]] if "form" in errors else [],
    )
    return page, 422 if errors else 200


def _save_device(home: Home, device_id: str | None):
    kind = request.form.get("kind", "")
    if kind not in view.KINDS:
        abort(400, "The form did not say which kind of plug this is.")
    old = _entry(home, device_id) if device_id else {}
    entry, secret_value, errors = _parse_form(kind, old)
    if device_id:
        entry["id"] = device_id
    secret = view.secret_option(kind)
    name = home_registry.secret_name(entry["id"], kind) if secret else None
    if secret and name:
        if secret_value or old.get(secret):
            entry[secret] = name if secret_value else old[secret]
        elif not secret_value and kind == "homeassistant":
            errors.setdefault("secret", "Enter Home Assistant's long-lived access token.")
    if errors:
        return _device_form(home, kind, device_id, entry, errors)
    text = _directory().registry_text(home.id)
    try:
        new_text = home_registry.put_entry(text, entry, home.label, replace_id=device_id)
    except RegistryError as exc:
        return _device_form(home, kind, device_id, entry, {"form": str(exc)})
    if secret_value and name:
        _directory().secrets.put(home.id, name, secret_value)
    _directory().import_registry(home.id, new_text, home.label)
    flash(f"Saved the {entry['name']}. Use “Test this plug” to check it answers.")
    return redirect(url_for("admin_homes.home", home_id=home.id) + f"#device-{entry['id']}")


def _parse_form(kind: str, old: dict[str, Any]) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The registry entry the form describes, the credential typed (if any), field errors."""
    form = request.form
    errors: dict[str, str] = {}
    name = " ".join(form.get("name", "").split())
    if not name:
        errors["name"] = "Enter the name people say, like lamp."
    entry: dict[str, Any] = {"id": form.get("id", "").strip() or view.slug(name), "name": name}
    aliases = [" ".join(a.split()) for a in form.get("aliases", "").split(",")]
    if any(aliases):
        entry["aliases"] = [a for a in aliases if a]
    entry["driver"] = kind
    for key in ("voice_on", "voice_off"):
        value = form.get(key, "allow")
        if value not in view.POLICIES:
            errors[key] = "Choose allow, ask first or never by voice."
        entry[key] = value
    minutes = form.get("max_on_minutes", "0").strip() or "0"
    if not minutes.isdigit():
        errors["max_on_minutes"] = (
            "Enter the minutes after which it switches off by itself as a whole number, "
            "like 30 (0 means never)."
        )
        entry["max_on_minutes"] = minutes  # shown again as typed; never saved
    else:
        entry["max_on_minutes"] = int(minutes)
    for field in view.option_fields(kind):
        raw = form.get(field.name, "")
        if field.kind == "checkbox":
            entry[field.name] = raw == "on"
            continue
        raw = raw.strip()
        if not raw:
            if field.required:
                errors[field.name] = f"Enter the {field.label.lower()} ({field.help})."
            continue
        if field.kind == "number":
            try:
                entry[field.name] = float(raw) if "." in raw else int(raw)
            except ValueError:
                errors[field.name] = f"Enter the {field.label.lower()} as a number, like 2."
                entry[field.name] = raw  # shown again as typed; never saved
        else:
            entry[field.name] = raw
    # Keep a nested bridge mapping an imported entry had (the form does not edit it).
    entry.update({k: v for k, v in old.items() if isinstance(v, dict)})
    return entry, form.get("secret", ""), errors
