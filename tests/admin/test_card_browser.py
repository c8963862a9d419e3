"""The printable card at /admin/card: one A4 page in Chromium's print, sessions from the live
programme."""

from __future__ import annotations

import csv
import re

import pytest

from skill.programme.formats import csv_format
from skill.settings import SHIPPED_PROGRAMME
from tests.admin.conftest import PASSWORD
from tests.browser import assert_accessible
from tests.stand.test_stand_fits import TITLES_ON

pytestmark = pytest.mark.browser

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")


def demo_titles_longest_first() -> list[str]:
    with SHIPPED_PROGRAMME.open(encoding="utf-8") as f:
        titles = {row["title"] for row in csv.DictReader(f)}
    return sorted(titles, key=len, reverse=True)


def publish(services, titles: list[str]) -> None:
    rows = [
        f'2026-05-2{i % 3},1{i % 8}:00,1{i % 8}:45,"{t}",Library,Sam,A talk.,,'
        for i, t in enumerate(titles)
    ]
    parsed = csv_format.parse(HEADER + "\n".join(rows) + "\n", "Europe/London")
    assert parsed.ok, parsed.errors
    programme = services.programme
    programme.publish(parsed.sessions, base=programme.live_version_id(), author="test")


def log_in(page) -> None:
    page.goto("/admin/login")
    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def pages_when_printed(page) -> int:
    return len(PAGE_OBJECT.findall(page.pdf(format="A4", print_background=True)))


def test_the_card_fits_one_a4_page_and_names_the_live_sessions(page, admin_services):
    from playwright.sync_api import expect

    log_in(page)
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Card").click()
    card = page.locator("article.card")
    expect(card.get_by_role("heading", name="Things you can say")).to_be_visible()
    expect(card).to_contain_text("Alexa, open learning week demo")
    assert_accessible(page)
    assert pages_when_printed(page) == 1

    # The longest titles of the demo data, and nothing shorter to choose: still one page,
    # and the card names them (not the shipped model's values).
    longest = demo_titles_longest_first()[:3]
    publish(admin_services, longest)
    page.reload()
    for title in longest:
        expect(card).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("version 2")
    assert_accessible(page)
    assert pages_when_printed(page) == 1

    # A new version with new sessions: the card follows it.
    publish(admin_services, ["Knitting for beginners", "Mindful lunch", "Pottery"])
    page.reload()
    expect(card).to_contain_text("Knitting for beginners")
    expect(card).not_to_contain_text(longest[0])
    assert_accessible(page)
    assert pages_when_printed(page) == 1


# As long as the CSV format allows (120 characters): printed as people would say them.
LONGEST_ALLOWED = TITLES_ON  # the stand's fitting test uses the same


@pytest.mark.parametrize(
    ("titles", "printed"),
    [
        pytest.param(None, None, id="demo-longest"),
        pytest.param(LONGEST_ALLOWED, "From spreadsheet to dashboard", id="format-longest"),
    ],
)
def test_the_command_line_card_prints_on_one_a4_page(
    browser, tmp_path, monkeypatch, settings, titles, printed
):
    from skill.cli import main
    from skill.services import build_services

    monkeypatch.setenv("VOICE_DEMO_DATA", str(settings.data_dir))
    services = build_services(settings)
    titles = titles or demo_titles_longest_first()[:3]
    publish(services, titles)
    out = tmp_path / "card.html"
    assert main(["model", "card", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert printed in text if printed else all(title in text for title in titles)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        assert_accessible(page)
        assert pages_when_printed(page) == 1
    finally:
        context.close()
