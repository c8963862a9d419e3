"""Every page of the app with demo data: the axe-core sweep and scripts/screenshots.py share it.

`build()` makes an app like `voice-demo serve --demo` (the shipped programme) plus what the
pages need to show something: a draft with rows to fix, a home with a plug, an OT, a few
weeks of trial log for a labelled person. `explicit()` lists the pages by hand; `links()`
finds more from the admin navigation and each page's links and GET forms, so a page added
later is visited without anyone editing a list (one per route: `route_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from skill.services import Services, build_services
from skill.settings import Settings
from skill.triallog import Entry, new_key
from skill.web import create_app
from skill.web.admin.context import KEY

ADMIN, ADMIN_PASSWORD = "Priya", "demo admin password"
OT, OT_PASSWORD = "Olu", "a long ot password"
SPEAKER = "amzn1.ask.account.DEMO-PERSON"
CSV_HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
CSV_ROWS = (
    "2026-05-18,10:00,11:00,Introduction to service design,Committee Room A,Priya Shah,"
    "How to design council services around the people who use them,service design,\n"
    "2026-05-19,11:00,12:00,Office 365 hands-on,Training Room 1,Learning & Development,"
    "Get to grips with Teams and OneDrive,office 365; teams,\n"
    "2026-05-19,13:00,12:00,Mindful lunch,Garden,,,,\n"  # ends before it starts
    "2026-05-32,13:00,14:00,Walking meeting,Garden,,,,\n"  # no such day
)
REGISTRY = (
    "devices:\n  - {id: lamp, name: lamp, aliases: [reading lamp], driver: simulated}\n"
    "  - {id: fan, name: fan, driver: simulated, voice_on: deny}\n"
)
#: Pages that exist only once other work lands (the card, feedback, publishing's checks):
#: visited when the app has the route, skipped quietly when it does not.
OPTIONAL = ("/admin/card", "/admin/feedback/", "{draft}/check", "{draft}/discard")
SKIP_SUFFIXES = (".csv", ".yaml", ".ics", ".json", ".css", ".js", ".png", ".svg")


@dataclass
class Demo:
    settings: Settings
    services: Services
    app: Any
    draft: Any
    home: Any
    person: str  # the labelled person's code in the trial log


@dataclass(frozen=True)
class Page:
    name: str
    path: str


def build(data_dir: Any, clock: Callable[[], datetime] | None = None) -> Demo:
    settings = Settings(
        data_dir=data_dir,
        verify=False,
        admin_password=ADMIN_PASSWORD,
        trial_log=True,
        demo_week="" if clock else "current",
    )
    services = build_services(settings, clock=clock) if clock else build_services(settings)
    app = create_app(settings, services)
    ctx = app.extensions[KEY]
    draft, _ = ctx.desk.import_file("programme.csv", (CSV_HEADER + CSV_ROWS).encode(), ADMIN)
    assert draft is not None and draft.pending, "the demo draft needs rows to fix"
    directory = services.homes.directory
    home = directory.add_home("Trial home A", "Europe/London")
    directory.import_registry(home.id, REGISTRY, "demo.yaml")
    services.homes.accounts.add(OT, "ot", OT_PASSWORD)
    services.homes.accounts.assign(OT, home.id)
    person = _trial_history(services, home.id)
    directory.label_person(home.id, person, "Mrs B")
    return Demo(settings, services, app, draft, home, person)


def _trial_history(services: Services, home: str) -> str:
    """Three weeks of one person's use with gaps, written as the recorder would."""
    log = services.trial_log
    user = log.hash_user(SPEAKER)  # type: ignore[attr-defined]
    zone = ZoneInfo(services.settings.timezone)
    now = services.clock().astimezone(UTC).replace(microsecond=0)
    uses = [
        (20, "TurnOnIntent", "lamp", "done"),
        (20, "WhatsOnNowIntent", None, "info"),
        (9, "TurnOnIntent", "lamp", "done"),
        (9, "TurnOffIntent", "fan", "refused"),
        (9, "AMAZON.FallbackIntent", None, "not_understood"),
        (2, "TurnOffIntent", "lamp", "done"),
        (2, "TurnOnIntent", "lamp", "unreachable"),
        (0, "WhatsNextIntent", None, "info"),
        (0, "TurnOnIntent", "lamp", "done"),
    ]
    for i, (days_ago, intent, device, outcome) in enumerate(uses):
        at = now - timedelta(days=days_ago, minutes=len(uses) - i)
        log.store.add(  # type: ignore[attr-defined]
            Entry(
                at,
                at.astimezone(zone).date().isoformat(),
                user,
                intent,
                device,
                outcome,
                new_key(),
                home,
            )
        )
    return user


def explicit(demo: Demo) -> list[Page]:
    """The pages by hand: login first (logged out), then every admin page, then the stand."""
    d = f"/admin/drafts/{demo.draft.id}"
    h = f"/admin/homes/{demo.home.id}"
    found = [
        Page("login", "/admin/login"),
        Page("programme", "/admin/"),
        Page("draft-with-rows-to-fix", d),
        Page("session-form-new", f"{d}/sessions/new"),
        Page("session-form-edit", f"{d}/sessions/{demo.draft.sessions[0].id}"),
        Page("row-to-fix", f"{d}/pending/{demo.draft.pending[0].row}"),
        Page("preview", f"{d}/preview"),
        Page("versions", "/admin/versions"),
        Page("history", "/admin/history"),
        Page("homes", "/admin/homes/"),
        Page("home", h),
        Page("plug-kinds", f"{h}/devices/new"),
        Page("plug-form", f"{h}/devices/new?kind=simulated"),
        Page("plug-edit", f"{h}/devices/lamp"),
        Page("home-trial-log", f"{h}/trial-log"),
        Page("accounts", "/admin/accounts/"),
        Page("trial-log", "/admin/trial-log/"),
        Page("trial-log-delete", f"/admin/trial-log/delete-user?user={demo.person}"),
        Page("not-found", "/admin/drafts/no-such-draft"),
        Page("stand", "/stand"),
    ]
    for path in OPTIONAL:
        path = path.format(draft=d)
        if route_of(demo.app, path) is not None:
            found.append(Page(_name(path), path))
    return found


def route_of(app: Any, path: str) -> str | None:
    """The Flask endpoint a GET of `path` reaches (None: no such page), so one URL of each
    route is enough (every session's edit form is the same page, whatever its query)."""
    from werkzeug.exceptions import HTTPException

    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


LINKS_JS = """() => {
  const out = [];
  for (const a of document.querySelectorAll('header a[href], main a[href]')) {
    if (!a.hasAttribute('download')) out.push(a.getAttribute('href'));
  }
  for (const f of document.querySelectorAll('main form')) {
    if ((f.getAttribute('method') || 'get').toLowerCase() === 'get') {
      out.push(f.getAttribute('action') || location.pathname);
    }
  }
  return out;
}"""


def links(page: Any, base: str) -> list[str]:
    """Same-site page links and GET form targets on the page as it stands."""
    found = []
    for href in page.evaluate(LINKS_JS):
        parts = urlsplit(href)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != base:
            continue
        path = parts.path or "/"
        if path.endswith(SKIP_SUFFIXES) or "/api/" in path or "/static/" in path:
            continue
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


def _name(path: str) -> str:
    words = [p for p in urlsplit(path).path.split("/") if p and p != "admin"]
    return "-".join(words[-2:]) or "admin"


def name_for(path: str) -> str:
    return "found-" + _name(path)


def log_in(page: Any, name: str = ADMIN, password: str = ADMIN_PASSWORD) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/**")


def walk(
    page: Any, demo: Demo, base: str, visit: Callable[[Page, int], None], limit: int = 80
) -> list[Page]:
    """Visit the login page logged out, log in once, then every page: the explicit list,
    then new routes found in the navigation and on each page. `visit(page, status)` is
    called with the tab already on the page (status: what it should answer)."""
    pages = explicit(demo)
    page.goto(pages[0].path)
    visit(pages[0], 200)
    page.goto(pages[0].path)
    log_in(page)
    routes = {route_of(demo.app, p.path) for p in pages}
    names = {p.name for p in pages}
    queue = [(p, 404 if p.name == "not-found" else 200) for p in pages[1:]]

    def found(paths: list[str]) -> None:
        for path in paths:
            route = route_of(demo.app, path)
            if route is None or route in routes:
                continue
            routes.add(route)
            name = name_for(path)
            while name in names:
                name += "-2"
            names.add(name)
            queue.append((Page(name, path), 200))

    found(links(page, base))  # the navigation, as this account sees it
    visited = [pages[0]]
    while queue and len(visited) < limit:
        target, status = queue.pop(0)
        visited.append(target)
        page.goto(target.path)
        visit(target, status)
        found(links(page, base))
    if queue:
        raise RuntimeError(f"more than {limit} pages: {[p.path for p, _ in queue][:10]}")
    return visited
