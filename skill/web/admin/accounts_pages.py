"""Administrators' page: named accounts, their roles and an OT's homes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from skill.homes import HomeError, Role
from skill.web.admin.context import admin, current_account
from skill.web.admin.refusals import home_errors


def _page(
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict | None = None,
    links: list[tuple[str, str]] | None = None,
    messages: list[str] | None = None,
):
    """The accounts page; `errors` on the add form's fields, `links` to a row's control."""
    ctx = admin()
    homes = ctx.directory.homes()
    accounts = ctx.accounts.all()
    labels = {h.id: h.label for h in homes}
    page = render_template(
        "admin/accounts.html",
        accounts=accounts,
        looked_after={a.name: sorted(labels.get(h, h) for h in a.homes) for a in accounts},
        homes=homes,
        roles=[(r.value, r.value) for r in Role],
        errors=errors or {},
        links=links or [],
        messages=messages or [],
        form=form or {},
    )
    return page, status


def _row(name: str) -> int:
    """The account's row number on the page (its controls' ids end with it)."""
    names = [a.name.lower() for a in admin().accounts.all()]
    return names.index(name.lower()) + 1 if name.lower() in names else 0


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
            return _page(422, home_errors(exc, "name"), form)
        flash(f"Added the account {form['name'].strip()}.")
        return redirect(url_for("admin_accounts.index"))

    @bp.post("/<name>/assign")
    def assign(name: str):
        home_id = request.form.get("home", "")
        try:
            admin().accounts.assign(name, home_id, request.form.get("remove") != "1")
        except HomeError as exc:
            account = admin().accounts.get(name)
            if account is None or account.role is not Role.OT:  # its row has no home list
                return _page(404 if account is None else 422, messages=[str(exc)])
            return _page(422, links=[(f"assign-{_row(name)}", str(exc))])
        flash(f"Changed the homes {name} looks after.")
        return redirect(url_for("admin_accounts.index"))

    @bp.post("/<name>/remove")
    def remove(name: str):
        me = current_account()
        if me is not None and me.name.lower() == name.lower():
            return _page(
                422,
                messages=[
                    "You can't remove the account you are logged in with: log in as another "
                    "administrator to remove it."
                ],
            )
        try:
            admin().accounts.remove(name)
        except HomeError as exc:
            return _page(404, messages=[str(exc)])
        flash(f"Removed the account {name}.")
        return redirect(url_for("admin_accounts.index"))
