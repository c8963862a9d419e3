"""Administrators' page: named accounts, their roles and an OT's homes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from skill.homes import HomeError, Role
from skill.web.admin.context import admin, current_account


def _page(status: int = 200, errors: dict[str, str] | None = None, form: dict | None = None):
    ctx = admin()
    homes = ctx.directory.homes()
    accounts = ctx.accounts.all()
    labels = {h.id: h.label for h in homes}
    page = render_template(
        "admin/accounts.html",
        accounts=accounts,
        looked_after={a.name: sorted(labels.get(h, h) for h in a.homes) for a in accounts},
        homes=homes,
        roles=[r.value for r in Role],
        errors={k: v for k, v in (errors or {}).items() if k == "name"},
        page_errors={k: v for k, v in (errors or {}).items() if k != "name"},
        form=form or {},
    )
    return page, status


def register_routes(bp: Blueprint) -> None:
    @bp.get("/")
    def index():
        return _page()

    @bp.post("/")
    def add():
        form = {"name": request.form.get("name", ""), "role": request.form.get("role", "")}
        try:
            admin().accounts.add(form["name"], form["role"], request.form.get("password", ""))
        except HomeError as exc:
            return _page(422, {"name": str(exc)}, form)
        flash(f"Added the account {form['name'].strip()}.")
        return redirect(url_for("admin_accounts.index"))

    @bp.post("/<name>/assign")
    def assign(name: str):
        home_id = request.form.get("home", "")
        try:
            admin().accounts.assign(name, home_id, request.form.get("remove") != "1")
        except HomeError as exc:
            return _page(422, {"assign": str(exc)})
        flash(f"Changed the homes {name} looks after.")
        return redirect(url_for("admin_accounts.index"))

    @bp.post("/<name>/remove")
    def remove(name: str):
        me = current_account()
        if me is not None and me.name.lower() == name.lower():
            return _page(422, {"remove": "You can't remove the account you are logged in with."})
        try:
            admin().accounts.remove(name)
        except HomeError as exc:
            return _page(404, {"remove": str(exc)})
        flash(f"Removed the account {name}.")
        return redirect(url_for("admin_accounts.index"))
