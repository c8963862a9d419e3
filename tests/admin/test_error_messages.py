"""Issue 18 item 8 without a browser: which field each refusal lands on, in the form's words."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest

from skill.programme.editing.desk import InvalidSession, parse_session
from skill.web.admin.context import KEY
from skill.web.admin.refusals import session_errors

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
GOOD = HEADER + "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo,Bring needles.,,\n"


def summary_links(html: str) -> list[tuple[str, str]]:
    block = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(i, html_unescape(t)) for i, t in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block)]


def form_errors(fields: dict[str, str]) -> dict[str, str]:
    row = {"title": "", "date": "", "start": "", "end": "", **fields}
    with pytest.raises(InvalidSession) as caught:
        parse_session(row, "Europe/London")
    return session_errors(caught.value)


def test_session_messages_say_how_to_fix_in_the_labels_words():
    assert form_errors({"title": "Yoga"}) == {
        "date": "Enter a date, like 2026-05-19.",
        "start": "Enter a start time, like 14:00.",
        "end": "Enter an end time, like 15:30.",
    }
    same = form_errors({"title": "Yoga", "date": "2026-05-19", "start": "23:30", "end": "23:30"})
    assert same == {"end": "Enter an end time after the start time (23:30), like 23:59."}
    long = form_errors({"title": "x" * 130, "date": "2026-05-19", "start": "10:00", "end": "11:00"})
    assert long == {"title": "Shorten the title to 120 characters or fewer (it has 130)."}


def test_preview_keeps_a_bad_date_as_typed_and_answers_400(admin, desk):
    draft, _ = desk.import_file("programme.csv", GOOD.encode(), "Priya")
    assert draft is not None
    response = admin.page(f"/admin/drafts/{draft.id}/preview?date=19/05/2026&time=10:30")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: Preview" in html
    assert 'value="19/05/2026"' in html and 'value="10:30"' in html
    assert summary_links(html) == [
        ("field-date", "Enter the day to pretend it is as a real date, like 2026-05-19.")
    ]
    assert 'aria-describedby="field-date-error" aria-invalid="true"' in html


def test_a_refused_rollback_is_shown_in_the_error_summary(admin, desk):
    draft, _ = desk.import_file("programme.csv", GOOD.encode(), "Priya")
    assert draft is not None
    desk.publish(draft.id, draft.revision, desk.live().version, "", "Sam")
    live = desk.live().version
    stale = {"base": str(live - 1), "reason": "Back to the old rooms"}  # reason: if asked
    answer = admin.form("/admin/versions/1/rollback", stale)
    assert answer.status_code == 302
    html = admin.page(answer.headers["Location"]).get_data(as_text=True)
    assert "<title>Error: Versions" in html
    assert 'role="alert"' in html and "There is a problem" in html
    assert f"Version {live} went live while you were working" in html
    assert desk.live().version == live


def test_home_errors_land_on_the_field_they_are_about(admin, admin_app):
    home = admin_app.extensions[KEY].directory.add_home("Flat 3")
    admin.page(f"/admin/homes/{home.id}")
    answer = admin.form(f"/admin/homes/{home.id}", {"label": "Flat 3b", "time_zone": "Nowhere"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert [name for name, _ in summary_links(html)] == ["field-time_zone"]
    assert 'value="Flat 3b"' in html and 'value="Nowhere"' in html


def test_an_accounts_row_error_links_to_that_rows_home_list(admin, admin_app):
    ctx = admin_app.extensions[KEY]
    ctx.accounts.add("Eddie", "editor", "a long editor password")
    ctx.accounts.add("Olu", "ot", "a long ot password")
    admin.page("/admin/accounts/")
    answer = admin.form("/admin/accounts/Olu/assign", {"home": "home-000000"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert summary_links(html) == [("assign-2", "There is no home 'home-000000'.")]
    assert 'id="assign-2"' in html
    answer = admin.form("/admin/accounts/Eddie/assign", {"home": "stand"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "<title>Error: Accounts" in html
    assert "Eddie is not an OT account" in html and summary_links(html) == []
