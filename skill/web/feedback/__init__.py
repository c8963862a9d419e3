"""/admin/feedback: visitors' answers to "how was it?" per session — counts, the average
rating, yes / not sure / no, a chart per session and a CSV export.

Behind the admin login and CSRF checks (`admin.protect`); editors and admins see it, as the
programme's people. Nothing here can tell who answered: answers carry only an HMAC key.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, render_template
from markupsafe import Markup

from skill.feedback import EFFECTIVE, EFFECTIVE_LABELS, RATINGS, report
from skill.services import Services
from skill.settings import Settings


def register(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import admin
    from skill.web.admin.context import KEY

    if KEY not in app.extensions:  # admin pages are off (no password): nothing to add
        return
    page = Blueprint(
        "admin_feedback",
        __name__,
        url_prefix="/admin/feedback",
        template_folder="templates",
        static_folder="static",
    )
    admin.protect(page)

    @page.get("/")
    def index():
        prog = services.programme.current()
        now = services.clock()
        results = services.feedback.results(prog, now)
        answered = [r for r in results if r.answers]
        return render_template(
            "feedback/index.html",
            results=results,
            answered=answered,
            total=sum(r.answers for r in results),
            charts={r.session_id: Markup(report.svg(r)) for r in answered},  # numbers, escaped
            ratings=RATINGS,
            effective=EFFECTIVE,
            labels=EFFECTIVE_LABELS,
            asking=sum(1 for s in prog.sessions if s.asks_feedback and not s.cancelled),
        )

    @page.get("/export.csv")
    def export():
        prog = services.programme.current()
        body = report.to_csv(services.feedback.store.answers(), prog.sessions, settings.timezone)
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
        )

    app.register_blueprint(page)
