"""Edits are never silently lost: same-title sessions stay apart, and a publish racing an
edit either takes the edit or refuses it (never a 200 for an edit that ends up nowhere)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

from skill.programme.editing.desk import ProgrammeDesk
from tests.admin.conftest import AdminClient


def coffee(date: str, start: str, end: str, room: str = "Cafe") -> dict:
    return {"date": date, "start": start, "end": end, "title": "Coffee morning", "room": room}


def add(admin: AdminClient, draft: str, revision: int, session: dict):
    return admin.api(
        "POST", f"/admin/api/drafts/{draft}/sessions", {"revision": revision, "session": session}
    )


def test_two_sessions_with_the_same_title_get_their_own_ids(admin, desk):
    created = admin.api("POST", "/admin/api/drafts").get_json()
    draft, revision = created["id"], created["revision"]
    first = add(admin, draft, revision, coffee("2026-05-18", "09:00", "10:00"))
    assert first.status_code == 200, first.get_json()
    second = add(admin, draft, revision + 1, coffee("2026-05-20", "09:00", "10:00"))
    assert second.status_code == 200, second.get_json()
    mornings = [s for s in second.get_json()["sessions"] if s["title"] == "Coffee morning"]
    assert len({s["id"] for s in mornings}) == 2

    # Moving one leaves the other where it was.
    moved, kept = mornings[1], mornings[0]
    url = f"/admin/api/drafts/{draft}/sessions/{moved['id']}"
    edit = admin.api(
        "PUT",
        url,
        {"revision": revision + 2, "session": {**moved, "start": "10:30", "end": "11:30"}},
    )
    assert edit.status_code == 200, edit.get_json()
    after = {s["id"]: s for s in edit.get_json()["sessions"]}
    assert after[kept["id"]]["start"] == kept["start"] and after[kept["id"]]["date"] == kept["date"]
    assert after[moved["id"]]["start"] == "10:30"

    live = desk.live().version
    published = admin.api(
        "POST", f"/admin/api/drafts/{draft}/publish", {"revision": revision + 3, "base": live}
    )
    assert published.status_code == 201, published.get_json()
    titles = [s.title for s in desk.live().sessions]
    assert titles.count("Coffee morning") == 2


def race(priya: AdminClient, sam: AdminClient, desk, room: str) -> dict[str, int]:
    """Priya publishes a fresh draft while Sam saves one edit to it, both at once."""
    created = priya.api("POST", "/admin/api/drafts").get_json()
    draft, revision = created["id"], created["revision"]
    session = {**created["sessions"][0], "room": room}
    publish_url = f"/admin/api/drafts/{draft}/publish"
    edit_url = f"/admin/api/drafts/{draft}/sessions/{session['id']}"
    results: dict[str, int] = {}
    go = threading.Barrier(2)

    def publish() -> None:
        go.wait()
        body = {"revision": revision, "base": desk.live().version}
        results["publish"] = priya.api("POST", publish_url, body).status_code

    def edit() -> None:
        go.wait()
        results["edit"] = sam.api(
            "PUT", edit_url, {"revision": revision, "session": session}
        ).status_code

    threads = [threading.Thread(target=publish), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_an_edit_racing_a_publish_is_published_or_refused_never_lost(make_admin, desk):
    """Bounded: 20 rounds of one edit saved while the same draft is being published."""
    priya, sam = make_admin("Priya"), make_admin("Sam")
    lost = []
    for round_ in range(20):
        room = f"Room {round_}"
        results = race(priya, sam, desk, room)
        assert set(results.values()) <= {200, 201, 404, 409}, results
        if results.get("edit") == 200:  # Sam was told it was saved: it must be somewhere
            live_rooms = {s.room for s in desk.live().sessions}
            in_a_draft = any(room in {s.room for s in d.sessions} for d in desk.drafts.list())
            if room not in live_rooms and not in_a_draft:
                lost.append((round_, results))
        for d in desk.drafts.list():
            desk.drafts.delete(d.id)
    assert lost == []


def test_a_crash_between_publishing_and_deleting_the_draft_leaves_no_published_draft(
    admin_settings, admin_services, desk, clock
):
    published = desk.start_draft("Priya")
    desk.drafts.claim(published.id, published.revision)
    desk.publish_sessions(published.sessions, desk.live().version, "Priya")  # then: kill -9
    started = desk.start_draft("Sam")
    moved = (replace(started.sessions[0], room="Annexe"), *started.sessions[1:])
    interrupted = desk.drafts.save(started.id, moved, started.revision, "Sam")
    desk.drafts.claim(interrupted.id, interrupted.revision)  # killed before it went live

    clock.now += timedelta(minutes=5)
    restarted = ProgrammeDesk.open(
        admin_services.programme, admin_settings.data_dir, admin_settings.timezone, clock
    )
    assert [d.id for d in restarted.drafts.list()] == [interrupted.id]
    saved = restarted.drafts.save(interrupted.id, interrupted.sessions, interrupted.revision, "Sam")
    assert saved.revision == interrupted.revision + 1  # it takes edits again
