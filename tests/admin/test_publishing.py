"""Check before publishing, confirmation pages and plain words, through the Flask test client
(the pages and the JSON API say the same counts; GET never changes anything)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time

import pytest

from skill.programme.editing.diff import compare
from skill.programme.model import Session


def session(sid: str, title: str, room: str = "Hall") -> Session:
    return Session(
        id=sid,
        date=date(2026, 5, 20),
        start=time(10, 0),
        end=time(11, 0),
        title=title,
        room=room,
    )


A, B, C, D = (session(x, x.title()) for x in ("a", "b", "c", "d"))


@pytest.mark.parametrize(
    ("old", "new", "sentence"),
    [
        ([A], [A, B], "Publishing will add 1 session."),
        (
            [A, B],
            [replace(A, room="Hut"), replace(B, room="Hut")],
            "Publishing will change 2 sessions.",
        ),
        ([A, B, C], [A], "Publishing will remove 2 sessions."),
        ([A, B], [C, D, B], "Publishing will add 2 and remove 1 session."),
        (
            [A, B],
            [replace(A, room="Hut"), C],
            "Publishing will add 1, change 1 and remove 1 session.",
        ),
        ([A], [A], "Publishing will not change any sessions."),
    ],
)
def test_the_sentence_counts_exactly_with_singular_and_plural(old, new, sentence):
    assert compare(old, new).sentence() == sentence


def test_removing_more_than_it_keeps_is_flagged():
    assert compare([A, B, C], [A]).removes_more_than_it_keeps
    assert not compare([A, B], [A]).removes_more_than_it_keeps  # one goes, one stays
    assert compare([A, B, C], [A]).counts() == {
        "added": 0,
        "changed": 0,
        "removed": 2,
        "kept": 1,
        "before": 3,
        "after": 1,
    }


def big_change_draft(desk):
    """The issue's draft: of 25 live sessions keep 9 (each moved room), add 1, drop 16."""
    live = desk.live().sessions
    kept = [replace(s, room="Hall 2") for s in live[:9]]
    new = replace(live[0], id="new-quiz", title="Lunchtime quiz", room="Café", aliases=())
    return desk.drafts.create("new-week.csv", [*kept, new], "Priya", desk.live().version)


def test_check_page_and_api_give_the_same_counts_and_lists(admin, desk):
    assert len(desk.live().sessions) == 25
    draft = big_change_draft(desk)
    page = admin.page(f"/admin/drafts/{draft.id}/check")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Publishing will add 1, change 9 and remove 16 sessions." in text
    assert "removes 16 sessions of the 25 in the live programme and keeps only 9" in text
    for heading in ("Added (1)", "Changed (9)", "Removed (16)"):
        assert heading in text
    assert "What changed: room “" in text and "” → “Hall 2”" in text
    assert 'name="note"' in text and "Publish as a new version" in text

    api = admin.client.get(f"/admin/api/drafts/{draft.id}/check").get_json()
    assert api["counts"] == {
        "added": 1,
        "changed": 9,
        "removed": 16,
        "kept": 9,
        "before": 25,
        "after": 10,
    }
    assert api["sentence"] == "Publishing will add 1, change 9 and remove 16 sessions."
    assert api["removes_more_than_it_keeps"] is True
    assert api["revision"] == draft.revision and api["live_version"] == 1
    assert [c["title"] for c in api["added"]] == ["Lunchtime quiz"]
    assert api["changed"][0]["details"][0].startswith("room ")
    assert len(api["removed"]) == 16
    resource = admin.client.get(f"/admin/api/drafts/{draft.id}").get_json()
    assert resource["counts"] == api["counts"]
    assert desk.live().version == 1  # looking changes nothing


def test_the_draft_page_sends_publishing_through_the_check_page(admin, desk):
    draft = big_change_draft(desk)
    text = admin.page(f"/admin/drafts/{draft.id}").get_data(as_text=True)
    assert f'href="/admin/drafts/{draft.id}/check"' in text
    assert f'action="/admin/drafts/{draft.id}/publish"' not in text


def test_the_check_page_of_a_draft_with_errors_offers_no_publish_button(admin, desk):
    live = desk.live().sessions
    clash = replace(live[1], aliases=(live[0].title,))
    draft = desk.drafts.create("clash.csv", [live[0], clash], "Priya", 1)
    text = admin.page(f"/admin/drafts/{draft.id}/check").get_data(as_text=True)
    assert "1 problem to fix first, so it cannot be published yet" in text
    assert "Publish as a new version" not in text


def test_confirmation_pages_change_nothing_until_their_form_is_sent(admin, desk):
    created = admin.api("POST", "/admin/api/drafts").get_json()
    draft, first = created["id"], created["sessions"][0]
    logged = len(desk.history())
    delete = admin.page(f"/admin/drafts/{draft}/sessions/{first['id']}/delete")
    assert delete.status_code == 200
    assert f"Delete “{first['title']}” from this draft?" in delete.get_data(as_text=True)
    discard = admin.page(f"/admin/drafts/{draft}/discard").get_data(as_text=True)
    assert "Discard the draft “Changes to version 1”?" in discard
    assert "The draft and its 25 sessions will be deleted" in discard
    assert "The live programme (version 1) stays as it is." in discard
    assert len(desk.drafts.get(draft).sessions) == 25
    assert len(desk.history()) == logged
    # The forms on those pages do it.
    revision = str(desk.drafts.get(draft).revision)
    gone = admin.form(
        f"/admin/drafts/{draft}/sessions/{first['id']}/delete", {"revision": revision}
    )
    assert gone.status_code == 302 and len(desk.drafts.get(draft).sessions) == 24
    assert admin.form(f"/admin/drafts/{draft}/discard").status_code == 302
    assert desk.drafts.list() == []


def test_a_confirmation_for_a_session_that_is_gone_goes_back_to_the_draft(admin, desk):
    draft = admin.api("POST", "/admin/api/drafts").get_json()["id"]
    missing = admin.page(f"/admin/drafts/{draft}/sessions/no-such-session/delete")
    assert missing.status_code == 302 and missing.headers["Location"].endswith(draft)


def publish_version_2(desk, by: str = "Sam"):
    sessions = desk.live().sessions[:12]
    return desk.publish_sessions(sessions, 1, by, "Short week")


def test_rollback_page_says_exactly_what_happens_and_needs_a_reason(admin, desk):
    publish_version_2(desk)
    confirm = admin.page("/admin/versions/1/rollback").get_data(as_text=True)
    assert re.search(
        r"Version 1 \(25 sessions, set up at install with the demo programme at "
        r"\d\d:\d\d on \w{3} \d+ \w{3}\) will replace version 2 as the live programme\.",
        confirm,
    )
    assert "Making version 1 live will add 13 sessions." in confirm
    assert len(desk.history()) == 2 and desk.live().version == 2  # GET changed nothing

    refused = admin.form("/admin/versions/1/rollback", {"base": "2", "reason": "   "})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "<title>Error: Make version 1 live?" in text
    assert 'href="#field-reason"' in text and 'aria-invalid="true"' in text
    assert "Enter why you are making version 1 live" in text
    assert 'name="base" value="2"' in text  # still guarded by the version the officer saw
    assert desk.live().version == 2

    done = admin.form("/admin/versions/1/rollback", {"base": "2", "reason": "Wrong week"})
    assert done.status_code == 302 and desk.live().version == 1
    history = admin.page("/admin/history").get_data(as_text=True)
    assert "Made version 1 live again in place of version 2. Reason: Wrong week" in history


def test_api_rollback_needs_a_reason_and_logs_it(admin, desk):
    publish_version_2(desk)
    check = admin.client.get("/admin/api/versions/1/rollback").get_json()
    assert check["plan"].endswith("will replace version 2 as the live programme.")
    assert check["counts"]["added"] == 13
    for body in ({"base": 2}, {"base": 2, "reason": " "}, {"base": 2, "reason": 7}):
        refused = admin.api("POST", "/admin/api/versions/1/rollback", body)
        assert refused.status_code == 400, body
        assert refused.get_json()["error"] == "reason_missing"
        assert "reason" in refused.get_json()["message"]
    assert desk.live().version == 2
    done = admin.api("POST", "/admin/api/versions/1/rollback", {"base": 2, "reason": "Wrong week"})
    assert done.status_code == 200 and done.get_json() == {
        "live_version": 1,
        "reason": "Wrong week",
    }
    (entry,) = [
        e
        for e in admin.client.get("/admin/api/history").get_json()["entries"]
        if e["what"].startswith("Made")
    ]
    assert entry["what"] == "Made version 1 live again in place of version 2. Reason: Wrong week"
    assert entry["author"] == "Priya"


# Words an officer should never read: storage and HTTP terms ("Page not found" is fine).
JARGON = re.compile(r"\b(revision|seed|cli:\w*)\b", re.I)
HTTP_NAMES = re.compile(r"\b(Not Found|Not found|Bad Request|Method Not Allowed)\b")


def plain(text: str) -> list[str]:
    """The jargon in what a page shows (its text, not its markup or hidden form fields)."""
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S))
    return JARGON.findall(visible) + HTTP_NAMES.findall(visible)


def test_authors_and_error_pages_are_in_plain_words(admin, desk):
    publish_version_2(desk, by="cli:root")
    desk.publish_sessions(desk.live().sessions[:3], 2, "cli:sam", "Tiny")
    versions = admin.page("/admin/versions").get_data(as_text=True)
    assert "Set up at install with the demo programme at" in versions
    assert "Published from the command line at" in versions
    assert "Published by sam, from the command line at" in versions
    history = admin.page("/admin/history").get_data(as_text=True)
    assert "<td>The command line</td>" in history and "<td>Set up at install</td>" in history
    home = admin.page("/admin/").get_data(as_text=True)
    for text in (versions, history, home):
        assert plain(text) == []

    gone = admin.page("/admin/drafts/no-such-draft")
    assert gone.status_code == 404
    assert "<h1>Page not found</h1>" in gone.get_data(as_text=True)
    nowhere = admin.page("/admin/no-such-page")
    assert nowhere.status_code == 404
    assert "Check the address" in nowhere.get_data(as_text=True)
    draft = admin.api("POST", "/admin/api/drafts").get_json()
    bad = admin.form(f"/admin/drafts/{draft['id']}/sessions/{draft['sessions'][0]['id']}/delete")
    assert bad.status_code == 400 and "nothing was changed" in bad.get_data(as_text=True)
    for response in (gone, nowhere, bad):
        assert plain(response.get_data(as_text=True)) == []
