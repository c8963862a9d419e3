"""The admin upload and `voice-demo programme import` both read through skill/programme/
formats: warnings are shown, errors publish nothing, and no file gives a traceback or 500."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from skill.cli import main
from tests.admin.conftest import AdminClient

FILES = Path(__file__).resolve().parent.parent / "data" / "programme"


def upload(admin: AdminClient, name: str, path: str = "/admin/import"):
    return admin.client.post(
        path,
        data={"file": (io.BytesIO((FILES / name).read_bytes()), name), "csrf_token": admin.token},
        content_type="multipart/form-data",
    )


def test_an_outlook_export_becomes_a_draft_and_the_skipped_banner_is_shown(admin, desk):
    response = upload(admin, "outlook-365-export.ics")
    assert response.status_code == 302
    page = admin.page(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 7 sessions from outlook-365-export.ics into a new draft." in page
    assert "Check: “Learning at Work week” on Monday 18 May 2026: is an all-day event" in page
    assert "teams.microsoft.com" not in page and "Passcode" not in page
    (draft,) = desk.drafts.list()
    assert len(draft.sessions) == 7


def test_the_api_returns_the_warnings_with_the_draft(admin):
    response = upload(admin, "google-calendar.ics", "/admin/api/drafts/import")
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["sessions"]) == 5
    assert body["import_warnings"][0].startswith("“Teams tips” on Tuesday 17 March 2026, location")


@pytest.mark.parametrize(
    "name",
    ["broken-unclosed-quote.csv", "broken-xlsx-renamed.csv", "outlook-availability-only.ics"],
)
def test_broken_files_are_refused_with_a_plain_page_not_a_500(admin, desk, name):
    response = upload(admin, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"{name} was not imported" in page
    assert "Traceback" not in page and "BEGIN:" not in page
    assert desk.drafts.list() == []


def test_bad_events_wait_in_the_draft_named_by_event_and_can_be_deleted(admin, desk):
    response = upload(admin, "broken-dates.ics")
    assert response.status_code == 302
    (draft,) = desk.drafts.list()
    assert [s.title for s in draft.sessions] == ["Tidy your inbox"]
    assert [p.where for p in draft.pending] == [
        "“Placeholder”",
        "“Server upgrade” on Tuesday 19 May 2026",
    ]
    page = admin.page(f"/admin/drafts/{draft.id}").get_data(as_text=True)
    assert "Rows to fix (2)" in page
    for p in draft.pending:
        admin.form(
            f"/admin/drafts/{draft.id}/pending/{p.row}/delete",
            {"revision": str(desk.drafts.get(draft.id).revision)},
        )
    assert desk.drafts.get(draft.id).pending == ()
    assert "Deleted “Placeholder” of the imported file from a draft" in admin.page(
        "/admin/history"
    ).get_data(as_text=True)


def test_the_api_fixes_and_drops_pending_rows(admin, desk):
    created = upload(admin, "broken-dates.ics", "/admin/api/drafts/import")
    assert created.status_code == 201
    body = created.get_json()
    placeholder, upgrade = body["pending"]
    assert placeholder["where"] == "“Placeholder”"
    assert any(e["session_id"] == f"pending-{upgrade['row']}" for e in body["errors"])
    url = f"/admin/api/drafts/{body['id']}/pending"
    session = {**upgrade["fields"], "end": "23:59"}
    fixed = admin.api("PUT", f"{url}/{upgrade['row']}", {"revision": 1, "session": session})
    assert fixed.status_code == 200, fixed.get_json()
    assert [p["row"] for p in fixed.get_json()["pending"]] == [placeholder["row"]]
    dropped = admin.api("DELETE", f"{url}/{placeholder['row']}", {"revision": 2})
    assert dropped.get_json()["pending"] == [] and dropped.get_json()["errors"] == []
    assert admin.api("DELETE", f"{url}/{placeholder['row']}", {"revision": 3}).status_code == 404


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    return tmp_path


def test_cli_lists_warnings_and_publishes_a_good_calendar(workdir, capsys):
    assert main(["programme", "import", str(FILES / "outlook-365-export.ics"), "--publish"]) == 0
    out, err = capsys.readouterr()
    assert "Published version 1 (7 sessions)" in out
    assert "warning: “Learning at Work week” on Monday 18 May 2026: is an all-day event" in err
    assert "Read 7 events in Europe/London time; 1 repeating series expanded." in err


def test_cli_refuses_a_year_one_date_plainly_and_publishes_nothing(workdir, capsys):
    assert main(["programme", "import", str(FILES / "broken-dates.ics"), "--publish"]) == 2
    err = capsys.readouterr().err
    assert "“Placeholder”, start time: is dated 0001-01-01" in err
    assert "2 problems; nothing was published" in err
    assert "Traceback" not in err and "OverflowError" not in err
    main(["programme", "versions"])
    assert "No versions" in capsys.readouterr().out
