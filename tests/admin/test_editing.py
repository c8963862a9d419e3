"""Import, edit, publish and roll back through the pages and the JSON API."""

from __future__ import annotations

import io

from skill.model.suggest import card_for, suggestions
from tests.admin.conftest import AdminClient

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
GOOD = HEADER + (
    "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo Bloggs,Bring needles.,knitting,\n"
    "2026-05-19,13:00,14:00,Mindful lunch,Garden,,A quiet lunch.,,\n"
)
BAD = GOOD.replace("13:00,14:00,Mindful", "13:00,12:00,Mindful")


def upload(admin: AdminClient, text: str, name: str = "programme.csv", path="/admin/import"):
    return admin.client.post(
        path,
        data={"file": (io.BytesIO(text.encode("utf-8-sig")), name), "csrf_token": admin.token},
        content_type="multipart/form-data",
    )


def draft_id(response) -> str:
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_a_bad_row_goes_into_the_draft_marked_and_blocks_publishing_until_fixed(admin, desk):
    response = upload(admin, BAD)
    assert response.status_code == 302
    draft = draft_id(response)
    page = admin.page(f"/admin/drafts/{draft}").get_data(as_text=True)
    assert "1 row of the file could not be read" in page
    assert "Rows to fix (1)" in page
    assert (
        "Row 3, column &#39;end&#39;: 12:00 is before the start 13:00. Fix it or delete it." in page
    )
    assert [s.title for s in desk.drafts.get(draft).sessions] == ["Knitting for beginners"]
    # Publishing is refused while the row is there.
    refused = admin.form(f"/admin/drafts/{draft}/publish", {"revision": "1", "base": "1"})
    assert "This draft has errors, so it was not published" in admin.page(
        refused.headers["Location"]
    ).get_data(as_text=True)
    assert desk.live().version == 1  # the seeded demo week, untouched
    # The form shows the row as the file had it, with the field marked; a still-wrong save
    # is refused with the input kept.
    form = admin.page(f"/admin/drafts/{draft}/pending/3").get_data(as_text=True)
    assert "Fix Row 3 of the imported file" in form
    assert 'value="Mindful lunch"' in form and 'href="#field-end"' in form
    fields = {"revision": "1", "date": "2026-05-19", "start": "13:00", "title": "Mindful lunch"}
    still = admin.form(f"/admin/drafts/{draft}/pending/3", {**fields, "end": "12:30"})
    assert still.status_code == 422
    fixed = admin.form(f"/admin/drafts/{draft}/pending/3", {**fields, "end": "14:00"})
    assert fixed.status_code == 302
    saved = desk.drafts.get(draft)
    assert saved.pending == () and [s.title for s in saved.sessions] == [
        "Knitting for beginners",
        "Mindful lunch",
    ]
    admin.form(f"/admin/drafts/{draft}/publish", {"revision": "2", "base": "1"})
    assert (desk.live().version, len(desk.live().sessions)) == (2, 2)


def test_a_file_that_cannot_be_read_as_a_whole_imports_nothing_and_says_where(admin, desk):
    response = upload(admin, GOOD.replace("date,start,", "when,kicks off,"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "programme.csv was not imported" in page
    assert "Row 1: the header row needs the columns date, start" in page
    assert desk.drafts.list() == []


def test_import_edit_publish_and_rollback_through_the_pages(admin, desk):
    draft = draft_id(upload(admin, GOOD))
    page = admin.page(f"/admin/drafts/{draft}").get_data(as_text=True)
    assert "Knitting for beginners" in page
    assert "Added “Knitting for beginners” (Tuesday 19 May at 11:00)." in page
    # An edit that breaks the rules is refused with the field named, input kept.
    bad = admin.form(
        f"/admin/drafts/{draft}/sessions/mindful-lunch",
        {
            "revision": "1",
            "date": "2026-05-19",
            "start": "13:00",
            "end": "25:00",
            "title": "Mindful lunch",
            "room": "Garden",
        },
    )
    assert bad.status_code == 422
    assert 'href="#field-end"' in bad.get_data(as_text=True)
    good = admin.form(
        f"/admin/drafts/{draft}/sessions/mindful-lunch",
        {
            "revision": "1",
            "date": "2026-05-19",
            "start": "13:00",
            "end": "14:00",
            "title": "Mindful lunch",
            "room": "Roof terrace",
        },
    )
    assert good.status_code == 302
    admin.form(f"/admin/drafts/{draft}/publish", {"revision": "2", "base": "1", "note": "May"})
    assert desk.live().version == 2
    assert desk.live().by_id("mindful-lunch").room == "Roof terrace"
    versions = admin.page("/admin/versions").get_data(as_text=True)
    assert "Published version 2" in versions
    admin.form("/admin/versions/1/rollback", {"base": "2", "reason": "The May file was wrong"})
    assert desk.live().version == 1
    history = admin.page("/admin/history").get_data(as_text=True)
    for line in (
        "Imported programme.csv as a new draft",
        "Edited “Mindful lunch” in a draft",
        "Version 2 went live: May",
        "Made version 1 live again in place of version 2. Reason: The May file was wrong",
    ):
        assert line in history


def test_second_save_of_the_same_draft_is_refused_and_nothing_is_lost(make_admin, desk):
    priya, sam = make_admin("Priya"), make_admin("Sam")
    draft = draft_id(upload(priya, GOOD))
    fields = {
        "date": "2026-05-19",
        "start": "11:00",
        "end": "12:00",
        "title": "Knitting for beginners",
    }
    path = f"/admin/drafts/{draft}/sessions/knitting-for-beginners"
    assert priya.form(path, {**fields, "revision": "1", "room": "Hall"}).status_code == 302
    refused = sam.form(path, {**fields, "revision": "1", "room": "Studio"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Priya changed this draft at" in page and "your change was not saved" in page
    assert 'value="Studio"' in page  # Sam's typing is still in the form
    assert 'name="revision" value="2"' in page  # ready to save again, knowingly
    assert desk.drafts.get(draft).sessions[0].room == "Hall"
    # Table buttons carry the revision too.
    sam.form(f"/admin/drafts/{draft}/sessions/mindful-lunch/delete", {"revision": "1"})
    assert len(desk.drafts.get(draft).sessions) == 2


def test_json_api_refuses_a_stale_save(make_admin, desk):
    priya, sam = make_admin("Priya"), make_admin("Sam")
    created = priya.api("POST", "/admin/api/drafts")
    assert created.status_code == 201
    body = created.get_json()
    session = body["sessions"][0]
    url = f"/admin/api/drafts/{body['id']}/sessions/{session['id']}"
    first = priya.api("PUT", url, {"revision": 1, "session": {**session, "room": "Hall"}})
    assert first.status_code == 200 and first.get_json()["revision"] == 2
    second = sam.api("PUT", url, {"revision": 1, "session": {**session, "room": "Studio"}})
    assert second.status_code == 409
    assert second.get_json()["error"] == "stale"
    assert second.get_json()["draft"]["updated_by"] == "Priya"
    assert desk.drafts.get(body["id"]).sessions[0].room == "Hall"


def test_publish_is_refused_while_the_draft_has_errors_or_the_live_version_moved(admin, desk):
    draft = draft_id(upload(admin, GOOD))
    clash = {
        "revision": 1,
        "session": {
            "date": "2026-05-19",
            "start": "15:00",
            "end": "16:00",
            "title": "Yarn club",
            "aliases": ["Knitting for beginners"],
        },
    }
    added = admin.api("POST", f"/admin/api/drafts/{draft}/sessions", clash)
    assert added.status_code == 200
    assert "also one of the other names people may say" in added.get_json()["errors"][0]["message"]
    refused = admin.api("POST", f"/admin/api/drafts/{draft}/publish", {"revision": 2, "base": 1})
    assert refused.status_code == 422 and refused.get_json()["error"] == "has_errors"
    sid = next(s["id"] for s in added.get_json()["sessions"] if s["title"] == "Yarn club")
    admin.api("DELETE", f"/admin/api/drafts/{draft}/sessions/{sid}", {"revision": 2})
    moved = admin.api("POST", f"/admin/api/drafts/{draft}/publish", {"revision": 3, "base": 0})
    assert moved.status_code == 409 and moved.get_json()["live_version"] == 1
    done = admin.api("POST", f"/admin/api/drafts/{draft}/publish", {"revision": 3, "base": 1})
    assert done.status_code == 201 and desk.live().version == 2


def test_ics_import_through_the_api(admin):
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Coffee\r\n"
        "DTSTART;TZID=GMT Standard Time:20260519T150000\r\n"
        "DTEND;TZID=GMT Standard Time:20260519T153000\r\nLOCATION:Café\r\n"
        "ORGANIZER;CN=Dana:mailto:d@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = upload(admin, ics, "outlook.ics", path="/admin/api/drafts/import")
    assert response.status_code == 201
    (session,) = response.get_json()["sessions"]
    assert (session["start"], session["room"], session["presenter"]) == ("15:00", "Café", "Dana")


def test_preview_answers_with_the_draft_at_the_chosen_time(admin, admin_services):
    draft = draft_id(upload(admin, GOOD))
    response = admin.client.get(
        f"/admin/api/drafts/{draft}/preview?date=2026-05-19&time=10:30&session=mindful-lunch"
    )
    answers = {a["question"]: a["text"] for a in response.get_json()["answers"]}
    assert "Knitting for beginners" in answers["What's next?"]
    assert "Mindful lunch" in answers["Tell me about Mindful lunch."]
    assert "<" not in answers["What's next?"]  # readable text, not SSML
    fixed = {"What's on tomorrow?", "What's next?", "Tell me about Mindful lunch."}
    suggested = suggestions(card_for(["Knitting for beginners", "Mindful lunch"]))
    assert set(answers) == fixed | {s.phrase for s in suggested}
    # "What's on now?", the first thing the stand suggests, at a moment the draft has one on.
    assert "Knitting for beginners" in answers["Alexa, ask learning week demo what's on now"]
    assert answers["Alexa, ask learning week demo to turn on the lamp"] == "The lamp is on."
    real = {s.name: s.state.on for s in admin_services.devices.states().values()}
    assert real["lamp"] is False  # the preview switched a pretend copy, not the stand's lamp
    where = {a["question"]: a["where"] for a in response.get_json()["answers"]}
    assert where["what's on now"] == "What's on" and where["help"] == "Help"


def test_only_csv_and_ics_files_are_read(admin, desk):
    response = upload(admin, GOOD, name="programme.xlsx")
    assert response.status_code == 422
    assert (
        "programme.xlsx: a spreadsheet cannot be read as it is; save it as “CSV UTF-8”"
        in response.get_data(as_text=True)
    )
    assert desk.drafts.list() == []
