"""The stand on a 1920×1080 and a 1280×720 screen: nothing scrolls, nothing overlaps, "Next"
is always on screen, the week's end is said, and a server that stops answering is shown."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from skill.programme.formats import csv_format
from skill.services import build_services
from skill.web import create_app
from tests.browser import assert_accessible, serve

pytestmark = pytest.mark.browser

SCREENS = [pytest.param((1920, 1080), id="1080p"), pytest.param((1280, 720), id="720p")]

# As long as the CSV format allows: titles 120 characters, rooms 80, presenters 120
# (skill/programme/formats/csv_format.py MAX_TEXT), three sessions on at once and two next.
TITLES_ON = [
    "Understanding the new council-wide digital accessibility standards: a practical "
    "hands-on workshop for every service team",
    "Getting more from Microsoft 365 and Teams: shared calendars, channels, meeting notes "
    "and the shortcuts that save an hour",
    "From spreadsheet to dashboard: building clear honest Power BI reports that managers, "
    "councillors and residents will read",
]
TITLES_NEXT = [
    "Mentoring, coaching and career conversations: how to find a mentor, become one, and "
    "make the most of every conversation!",
    "Cyber security basics for everyone: spotting phishing emails, choosing passwords you "
    "can remember, and reporting a risk.",
]
ROOM = "Committee Room A, second floor, Civic Centre annexe (lift by the main reception)"
PRESENTER = (
    "Dr Priya Shah-Okonkwo, Head of Digital Inclusion, with colleagues from the Learning and "
    "Organisational Development teams"
)
LIMITS = csv_format.MAX_TEXT


def longest_csv() -> str:
    rows = ["date,start,end,title,room,presenter,description,aliases,status"]
    for title in TITLES_ON:
        rows.append(f'2026-05-19,10:00,11:30,"{title}","{ROOM}","{PRESENTER}",A talk.,,')
    for title in TITLES_NEXT:
        rows.append(f'2026-05-19,11:45,12:30,"{title}","{ROOM}","{PRESENTER}",A talk.,,')
    return "\n".join(rows) + "\n"


def test_the_test_programme_is_as_long_as_the_format_allows():
    assert {len(t) for t in TITLES_ON + TITLES_NEXT} == {LIMITS["title"]}
    assert len(ROOM) == LIMITS["room"] and len(PRESENTER) == LIMITS["presenter"]
    parsed = csv_format.parse(longest_csv(), "Europe/London")
    assert parsed.ok and not parsed.warnings, parsed.errors


class Switch:
    """Wraps the app: while `down`, every request gets a 503 (the server stopped answering)."""

    def __init__(self, app) -> None:
        self.app = app
        self.down = threading.Event()

    def __call__(self, environ, start_response):
        if self.down.is_set():
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down"]
        return self.app(environ, start_response)


@pytest.fixture
def make_stand(browser, settings, clock):
    """make_stand(size, csv=None, now=None) -> (page, switch) on a real server."""
    opened = []

    def make(size, csv: str | None = None, now: datetime | None = None):
        if now is not None:
            clock.now = now
        services = build_services(settings, clock=clock)
        if csv is not None:
            parsed = csv_format.parse(csv, "Europe/London")
            assert parsed.ok, parsed.errors
            live = services.programme.live_version_id()
            services.programme.publish(parsed.sessions, base=live, author="test")
        switch = Switch(create_app(settings, services))
        server = serve(switch)
        url = server.__enter__()
        width, height = size
        context = browser.new_context(base_url=url, viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        opened.append((server, context, errors))
        page.goto("/stand")
        page.evaluate("document.fonts.ready")
        return page, switch

    yield make
    for server, context, errors in opened:
        context.close()
        server.__exit__(None, None, None)
        assert errors == []


# Everything the screen shows, measured in the page.
MEASURE = """() => {
  const doc = document.documentElement;
  const box = (e) => { const r = e.getBoundingClientRect();
                       return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
  const shown = (e) => e.getClientRects().length > 0;
  const content = [...document.querySelectorAll("main h1, main h2, main li, main p")]
    .filter(shown).map((e) => ({ text: e.textContent.trim(), ...box(e) }));
  const columns = [...document.querySelectorAll("main > section")].filter(shown)
    .map((c) => ({ id: c.id || c.className, scroll: c.scrollHeight, client: c.clientHeight }));
  const footer = document.querySelector("footer.try");
  const px = (sel) => { const e = document.querySelector(sel);
                        return e && shown(e) ? parseFloat(getComputedStyle(e).fontSize) : null; };
  const clampedTitles = [...document.querySelectorAll(".session .title")].filter(shown)
    .filter((t) => t.scrollHeight > t.clientHeight + 1).map((t) => t.textContent);
  return {
    scrollHeight: doc.scrollHeight, innerHeight: window.innerHeight,
    scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth,
    content, columns, footer: footer ? box(footer) : null,
    body: parseFloat(getComputedStyle(document.body).fontSize),
    title: px(".session .title"), meta: px(".session .meta"), footerPx: px("footer.try"),
    clampedTitles,
    onNow: [...document.querySelectorAll("#on-now .session")].filter(shown)
      .map((e) => e.querySelector(".title").textContent),
    more: [...document.querySelectorAll(".more")].filter(shown).map((e) => e.textContent),
    next: [...document.querySelectorAll("#next li")].filter(shown).map(box),
  };
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def assert_fits(page) -> dict:
    m = page.evaluate(MEASURE)
    height, width = m["innerHeight"], m["innerWidth"]
    assert m["scrollHeight"] <= height and m["scrollWidth"] <= width, m
    for column in m["columns"]:  # nothing cut off at the bottom of a column
        assert column["scroll"] <= column["client"] + 1, column
    for item in m["content"]:
        assert item["top"] >= 0 and item["bottom"] <= height + 0.5, item
        assert item["left"] >= 0 and item["right"] <= width + 0.5, item
        if m["footer"]:
            assert not overlap(item, m["footer"]), ("Try saying covers", item["text"])
    # Reading from 3 m: the smallest text is 3.6 % of the height, titles larger (docs/stand.md).
    for size in (m["body"], m["meta"], m["footerPx"]):
        assert size is None or size >= 0.036 * height - 0.5, m
    assert m["title"] is None or m["title"] >= 0.05 * height, m
    assert_accessible(page)
    return m


@pytest.mark.parametrize("size", SCREENS)
def test_three_long_sessions_at_once_fit_with_next_on_screen(make_stand, size):
    from playwright.sync_api import expect

    page, _ = make_stand(size, longest_csv())
    expect(page.locator("#on-now")).to_contain_text(TITLES_ON[0])
    m = assert_fits(page)
    # "Next" is on screen with at least its first session.
    assert m["next"] and m["next"][0]["bottom"] <= m["innerHeight"]
    expect(page.locator("#h-next")).to_be_in_viewport()
    # Every session on now is either shown or counted in "and N more".
    hidden = sum(int(t.split()[1]) for t in m["more"] if t.endswith("on now"))
    assert len(m["onNow"]) + hidden == 3 and set(m["onNow"]) <= set(TITLES_ON)
    # Long titles are cut on screen but whole in the page (what a screen reader reads).
    assert m["clampedTitles"] and set(m["clampedTitles"]) <= set(TITLES_ON + TITLES_NEXT)
    print(f"{size}: {len(m['onNow'])} of 3 on now shown, more={m['more']}, {m['title']} px titles")


@pytest.mark.parametrize("size", SCREENS)
def test_the_demo_week_fits_at_its_busiest(make_stand, size):
    # 11:10 on Tuesday: Service design and the cancelled Excel session overlap.
    page, _ = make_stand(size, now=datetime(2026, 5, 19, 10, 10, tzinfo=UTC))
    from playwright.sync_api import expect

    expect(page.locator("#on-now")).to_contain_text("Cancelled: Excel formulas made easy")
    m = assert_fits(page)
    assert len(m["onNow"]) == 2 and not m["more"]  # room for both: nothing hidden needlessly


@pytest.mark.parametrize("size", SCREENS)
def test_after_the_last_session_the_week_has_ended(make_stand, size):
    from playwright.sync_api import expect

    page, _ = make_stand(size, now=datetime(2026, 5, 22, 16, 0, tzinfo=UTC))
    expect(page.get_by_role("heading", name="The week has ended")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Thank you for coming")
    expect(page.locator("#programme")).to_be_hidden()
    assert_fits(page)


@pytest.mark.parametrize("size", SCREENS)
def test_the_feedback_invitation_for_a_long_title_fits_above_try_saying(make_stand, size):
    from playwright.sync_api import expect

    ended = TITLES_NEXT[1].replace("Cyber security", "Cyber wellness")
    csv = longest_csv() + f'2026-05-19,09:00,10:00,"{ended}","{ROOM}",,A talk.,,\n'
    page, _ = make_stand(size, csv)
    invitation = page.locator("#feedback")
    expect(invitation).to_be_visible()
    expect(invitation).to_contain_text(f"Tell us how {ended} went")
    m = assert_fits(page)  # the footer holds it: no session is covered, nothing scrolls
    box = invitation.bounding_box()
    assert box is not None and box["y"] + box["height"] <= m["innerHeight"]
    assert m["next"], "Next stays on screen"


GREY = "rgb(158, 158, 158)"


@pytest.mark.parametrize("size", SCREENS)
def test_a_server_that_stops_answering_is_said_and_devices_greyed(make_stand, size):
    from playwright.sync_api import expect

    page, switch = make_stand(size, longest_csv())
    fridge = page.locator("#devices .device", has_text="Fridge").locator(".state")
    expect(fridge).to_have_text("On")
    assert fridge.evaluate("e => getComputedStyle(e).color") == "rgb(255, 214, 0)"

    switch.down.set()
    status = page.locator("#connection")
    expect(status).to_have_text("Not updating — last update 10:40")
    expect(page.locator("body")).to_have_attribute("data-stale", "")
    expect(page.get_by_role("heading", name="Devices")).to_contain_text("as at 10:40")
    assert fridge.evaluate("e => getComputedStyle(e).color") == GREY
    assert_fits(page)

    switch.down.clear()
    expect(status).to_be_hidden(timeout=15_000)
    expect(page.locator("body")).not_to_have_attribute("data-stale", "")
    assert fridge.evaluate("e => getComputedStyle(e).color") == "rgb(255, 214, 0)"
    assert_fits(page)
