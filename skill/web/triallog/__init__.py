"""The OT trial-log admin page: per-day outcomes, a chart, CSV export, deleting a person.

Behind the admin login and CSRF checks (`admin.protect`). It reads the store whether or not
recording is on, so a finished trial can still be reviewed, exported and cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from skill.homes import HomeDirectory
from skill.services import Services
from skill.settings import Settings
from skill.triallog import (
    OUTCOME_LABELS,
    OUTCOMES,
    TrialLog,
    TrialStore,
    chart,
    open_store,
    report,
)
from skill.triallog.hashing import looks_hashed

DEFAULT_DAYS = 28
LATEST = 20  # requests listed one by one under the day-by-day table


def names(directory: HomeDirectory, zone: str, only: str | None = None) -> report.Names:
    """People and homes as the OT labelled them, and each home's time zone (all homes, or
    `only` that one: an OT's page must not read other homes' labels)."""
    homes = [directory.home(only)] if only else directory.homes()
    return report.Names(
        zone=ZoneInfo(zone),
        homes={h.id: h.label for h in homes},
        zones={h.id: h.zone for h in homes},
        people={
            (h.id, user): label
            for h in homes
            for user, label in directory.person_labels(h.id).items()
            if label
        },
    )


@dataclass(frozen=True)
class Query:
    user: str | None
    start: date
    end: date

    def args(self) -> dict[str, str]:
        found = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return found | ({"user": self.user} if self.user else {})


def register(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import admin
    from skill.web.admin.context import KEY

    if KEY not in app.extensions:  # admin pages are off (no password): nothing to add
        return
    stores: list[TrialStore] = []

    def store() -> TrialStore:
        if isinstance(services.trial_log, TrialLog):
            return services.trial_log.store
        if not stores:
            stores.append(open_store(settings))
        return stores[0]

    def directory() -> HomeDirectory:
        return app.extensions[KEY].directory

    def today() -> date:
        return services.clock().astimezone(ZoneInfo(settings.timezone)).date()

    def read_query() -> tuple[Query, dict[str, str]]:
        """The filter as asked, and what is wrong with its dates by field ("from", "to");
        with errors, the query is the default period so the page can still show something."""
        user = (request.args.get("user") or "").strip().lower() or None
        if user and not looks_hashed(user):
            abort(400, "That is not a hashed user id as this page shows them.")
        errors: dict[str, str] = {}

        def day(name: str) -> date | None:
            try:
                return _day(request.args.get(name))
            except ValueError:
                label = {"from": "‘From’", "to": "‘To’"}[name]
                errors[name] = f"Enter the {label} date as a real date, like 2026-05-19."
                return None

        end = day("to") or today()
        start = day("from") or end - timedelta(days=DEFAULT_DAYS - 1)
        if not errors and start > end:
            errors["to"] = (
                f"Enter a ‘To’ date the same as or after the ‘From’ date ({start:%-d %B %Y})."
            )
        elif not errors and (end - start).days > 3660:
            errors["from"] = "Enter a ‘From’ date less than ten years before the ‘To’ date."
        if errors:
            end = today()
            return Query(user, end - timedelta(days=DEFAULT_DAYS - 1), end), errors
        return Query(user, start, end), errors

    def query() -> Query:
        q, errors = read_query()
        if errors:
            abort(400, next(iter(errors.values())))
        return q

    page = Blueprint(
        "admin_trial",
        __name__,
        url_prefix="/admin/trial-log",
        template_folder="templates",
        static_folder="static",
    )
    admin.protect(page)

    @page.get("/")
    def index():
        q, errors = read_query()  # bad dates: the form again, as typed, with the messages
        typed = {k: request.args.get(k, "") for k in ("from", "to")} if errors else {}
        entries = store().entries(q.start, q.end, q.user)
        days = report.daily(entries, q.start, q.end)
        everyone = report.participants(store().entries(q.start, q.end))
        known = names(directory(), settings.timezone)
        return (
            render_template(
                "triallog/index.html",
                q=q,
                days=days,
                rows=report.fold(days),
                totals=report.totals(days),
                tried=sum(d.total - d.counts["info"] for d in days),
                chart=Markup(chart.svg(days)),  # built from numbers, dates and fixed labels only
                participants=everyone,
                names=known,
                who=known.person(q.user, _home_of(q.user, everyone)) if q.user else "",
                latest=report.lines(entries[-LATEST:][::-1], known),
                zone=settings.timezone,
                outcomes=OUTCOMES,
                labels=OUTCOME_LABELS,
                recording=settings.trial_log,
                retention=settings.trial_retention_days,
                errors=errors,
                typed=typed,
            ),
            (400 if errors else 200),
        )

    @page.get("/export.csv")
    def export():
        q = query()
        name = f"trial-log_{q.start}_{q.end}{'_' + q.user if q.user else ''}.csv"
        known = names(directory(), settings.timezone)
        return Response(
            report.to_csv(store().entries(q.start, q.end, q.user), known),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @page.get("/delete-user")
    def confirm_delete():
        user = (request.args.get("user") or "").strip().lower()
        if not looks_hashed(user):
            abort(400, "The link did not say whose records to delete.")
        found = store().entries(user=user)
        who = names(directory(), settings.timezone).person(user, found[-1].home if found else "")
        return render_template("triallog/delete.html", user=user, who=who, count=len(found))

    @page.post("/delete-user")
    def delete_user():
        user = (request.form.get("user") or "").strip().lower()
        if not looks_hashed(user):
            abort(400, "The form did not say whose records to delete.")
        found = store().entries(user=user)
        who = names(directory(), settings.timezone).person(user, found[-1].home if found else "")
        count = store().delete_user(user)
        flash(f"Deleted {count} records for {who}.", "ok")
        return redirect(url_for("admin_trial.index"))

    api = Blueprint("admin_api_trial", __name__, url_prefix="/admin/api/trial-log")
    admin.protect(api)

    @api.get("/")
    def summary():
        q = query()
        days = report.daily(store().entries(q.start, q.end, q.user), q.start, q.end)
        return jsonify(
            user=q.user,
            start=q.start.isoformat(),
            end=q.end.isoformat(),
            days=[{"day": d.day.isoformat(), **{o: d.counts[o] for o in OUTCOMES}} for d in days],
            totals=dict(report.totals(days)),
        )

    app.register_blueprint(page)
    app.register_blueprint(api)


def _home_of(user: str, people: list[report.Participant]) -> str:
    return next((p.home for p in people if p.user == user), "")


def _day(text: str | None) -> date | None:
    if not text:
        return None
    return date.fromisoformat(text.strip())  # ValueError: the caller names the field
