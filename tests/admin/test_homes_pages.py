"""The OT pages and their API: every role sees only what it may, and no credential leaks."""

from __future__ import annotations

import logging

import pytest

from skill.homes import STAND_ID
from skill.web.admin.context import KEY
from tests.admin.conftest import AdminClient
from tests.devices.fakes import FakeShelly

LAMP = "devices:\n  - {id: lamp, name: lamp, aliases: [light], driver: simulated}\n"
OT_PASSWORD = "a long ot password"
PLUG_PASSWORD = "plug-secret-7781"


@pytest.fixture
def ctx(admin_app):
    return admin_app.extensions[KEY]


@pytest.fixture
def two_homes(ctx):
    d = ctx.directory
    a = d.add_home("Trial home A")
    b = d.add_home("Trial home B")
    d.import_registry(a.id, LAMP, "a.yaml")
    d.import_registry(b.id, LAMP, "b.yaml")
    ctx.accounts.add("Olu", "ot", OT_PASSWORD)
    ctx.accounts.assign("Olu", a.id)
    ctx.accounts.add("Bea", "ot", OT_PASSWORD)
    ctx.accounts.assign("Bea", b.id)
    ctx.accounts.add("Eddie", "editor", OT_PASSWORD)
    return a, b


def login(admin_app, name: str, password: str = OT_PASSWORD) -> AdminClient:
    client = AdminClient(admin_app.test_client())
    response = client.login(name, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.page("/admin/homes/" if name != "Eddie" else "/admin/")
    return client


def test_an_ot_sees_and_switches_only_their_own_homes(admin_app, ctx, two_homes):
    a, b = two_homes
    olu = login(admin_app, "Olu")
    listing = olu.page("/admin/homes/").get_data(as_text=True)
    assert "Trial home A" in listing and "Trial home B" not in listing
    assert "Demo stand" not in listing
    for path in (
        f"/admin/homes/{b.id}",
        f"/admin/homes/{b.id}/devices.yaml",
        f"/admin/homes/{b.id}/devices/lamp",
        f"/admin/homes/{STAND_ID}",
    ):
        assert olu.page(path).status_code == 404, path
    # Switching B's lamp from A's OT: refused, and B's lamp stays off.
    assert olu.form(f"/admin/homes/{b.id}/devices/lamp/test", {"on": "1"}).status_code == 404
    assert ctx.directory.devices_for_home(b.id).read("lamp").on is False
    # Their own lamp: switched, and the page says what the plug confirmed.
    olu.form(f"/admin/homes/{a.id}/devices/lamp/test", {"on": "1"})
    page = olu.page(f"/admin/homes/{a.id}").get_data(as_text=True)
    assert "The lamp confirmed it is on" in page
    assert ctx.directory.devices_for_home(a.id).read("lamp").on is True
    assert ctx.directory.devices_for_home(b.id).read("lamp").on is False
    # Nor can they link a speaker to B, or change it.
    assert olu.form(f"/admin/homes/{b.id}/link", {"code": "123456"}).status_code == 404
    assert (
        olu.form(f"/admin/homes/{b.id}", {"label": "Mine", "time_zone": "UTC"}).status_code == 404
    )
    assert ctx.directory.home(b.id).label == "Trial home B"


def test_the_api_shows_an_ot_only_their_homes(admin_app, two_homes):
    a, b = two_homes
    bea = login(admin_app, "Bea")
    homes = bea.api("GET", "/admin/api/homes/").get_json()["homes"]
    assert [h["label"] for h in homes] == ["Trial home B"]
    assert bea.api("GET", f"/admin/api/homes/{a.id}").status_code == 404
    mine = bea.api("GET", f"/admin/api/homes/{b.id}").get_json()
    assert [d["name"] for d in mine["devices"]] == ["lamp"]
    answer = bea.api("POST", f"/admin/api/homes/{a.id}/link", json={"code": "000000"})
    assert answer.status_code == 404


def test_an_editor_gets_the_programme_and_no_homes(admin_app, two_homes):
    a, _ = two_homes
    eddie = login(admin_app, "Eddie")
    assert eddie.page("/admin/").status_code == 200
    assert eddie.page("/admin/homes/").status_code == 403
    assert eddie.page(f"/admin/homes/{a.id}").status_code == 403
    assert eddie.api("GET", "/admin/api/homes/").status_code == 403
    assert eddie.page("/admin/accounts/").status_code == 403
    assert eddie.page("/admin/trial-log/").status_code == 403


def test_an_ot_gets_no_programme_accounts_or_everyone_s_trial_log(admin_app, two_homes):
    olu = login(admin_app, "Olu")
    assert olu.page("/admin/").status_code == 302  # sent to their homes
    assert olu.page("/admin/versions").status_code == 403
    assert olu.page("/admin/accounts/").status_code == 403
    assert olu.page("/admin/trial-log/").status_code == 403


def test_the_shared_password_is_the_administrator(admin, two_homes):
    listing = admin.page("/admin/homes/").get_data(as_text=True)
    assert "Trial home A" in listing and "Trial home B" in listing and "Demo stand" in listing
    assert admin.page("/admin/accounts/").status_code == 200


def test_a_changed_password_ends_the_session(admin_app, ctx, two_homes):
    olu = login(admin_app, "Olu")
    ctx.accounts.set_password("Olu", "another long one")
    assert olu.page("/admin/homes/").status_code == 302


def test_a_plug_with_a_password_is_added_tested_and_its_password_never_shown(
    admin_app, ctx, two_homes, httpserver, caplog
):
    caplog.set_level(logging.DEBUG)
    a, _ = two_homes
    fake = FakeShelly(password=PLUG_PASSWORD)
    host, port = fake.install(httpserver).split(":")
    olu = login(admin_app, "Olu")
    form = olu.page(f"/admin/homes/{a.id}/devices/new?kind=shelly").get_data(as_text=True)
    assert 'name="host"' in form and 'type="password"' in form
    saved = olu.form(
        f"/admin/homes/{a.id}/devices",
        {
            "kind": "shelly",
            "name": "desk lamp",
            "aliases": "reading light, desk light",
            "host": host,
            "port": port,
            "secret": PLUG_PASSWORD,
            "voice_on": "allow",
            "voice_off": "confirm",
            "max_on_minutes": "0",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    olu.form(f"/admin/homes/{a.id}/devices/desk_lamp/test", {"on": "1"})
    page = olu.page(f"/admin/homes/{a.id}").get_data(as_text=True)
    assert "The desk lamp confirmed it is on" in page and fake.output is True
    assert "Password or token set" in page
    # Editing without typing the password keeps it.
    edit = olu.page(f"/admin/homes/{a.id}/devices/desk_lamp").get_data(as_text=True)
    assert "is set. Leave this empty to keep it" in edit
    olu.form(
        f"/admin/homes/{a.id}/devices/desk_lamp",
        {
            "kind": "shelly",
            "name": "desk lamp",
            "host": host,
            "port": port,
            "secret": "",
            "voice_on": "allow",
            "voice_off": "allow",
            "max_on_minutes": "0",
        },
    )
    olu.form(f"/admin/homes/{a.id}/devices/desk_lamp/test", {"on": "0"})
    assert fake.output is False
    # Nowhere to be seen: pages, export, API, logs, the store on disk.
    export = olu.page(f"/admin/homes/{a.id}/devices.yaml").get_data(as_text=True)
    api = olu.api("GET", f"/admin/api/homes/{a.id}").get_data(as_text=True)
    for text in (page, edit, export, api, caplog.text):
        assert PLUG_PASSWORD not in text
    data_dir = ctx.settings.data_dir
    assert all(
        PLUG_PASSWORD.encode() not in p.read_bytes() for p in data_dir.rglob("*") if p.is_file()
    )
    assert "desk_lamp/password" in export  # the name of the stored credential, not its value


def test_a_wrong_plug_password_is_said_plainly(admin_app, ctx, two_homes, httpserver):
    a, _ = two_homes
    fake = FakeShelly(password=PLUG_PASSWORD)
    host, port = fake.install(httpserver).split(":")
    olu = login(admin_app, "Olu")
    olu.form(
        f"/admin/homes/{a.id}/devices",
        {
            "kind": "shelly",
            "name": "kettle",
            "host": host,
            "port": port,
            "secret": "wrong",
            "voice_on": "allow",
            "voice_off": "allow",
            "max_on_minutes": "0",
        },
    )
    olu.form(f"/admin/homes/{a.id}/devices/kettle/test", {"on": "1"})
    page = olu.page(f"/admin/homes/{a.id}").get_data(as_text=True)
    assert "The kettle refused the password or token" in page and fake.output is False


def test_bad_plug_settings_get_a_message_naming_the_field(admin_app, two_homes):
    a, _ = two_homes
    olu = login(admin_app, "Olu")
    answer = olu.form(
        f"/admin/homes/{a.id}/devices",
        {
            "kind": "shelly",
            "name": "light",
            "host": "",
            "port": "eighty",
            "voice_on": "allow",
            "voice_off": "allow",
            "max_on_minutes": "0",
        },
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Enter the host" in text and "Enter the port as a number" in text
    # "light" is already the lamp's other name: the registry check says so.
    answer = olu.form(
        f"/admin/homes/{a.id}/devices",
        {
            "kind": "simulated",
            "name": "light",
            "voice_on": "allow",
            "voice_off": "allow",
            "max_on_minutes": "0",
        },
    )
    assert answer.status_code == 422
    assert "already used by device" in answer.get_data(as_text=True)


def test_a_speaker_is_linked_with_its_code_once(admin_app, ctx, two_homes, clock):
    a, b = two_homes
    olu = login(admin_app, "Olu")
    code = ctx.directory.issue_code("amzn1.ask.device.KITCHEN")
    linked = olu.form(f"/admin/homes/{a.id}/link", {"code": code.code})
    assert linked.status_code == 302
    assert ctx.directory.home_for_speaker("amzn1.ask.device.KITCHEN") == a.id
    again = olu.form(f"/admin/homes/{a.id}/link", {"code": code.code})
    assert again.status_code == 422 and "already been used" in again.get_data(as_text=True)
    unlinked = olu.form(
        f"/admin/homes/{a.id}/speakers/unlink", {"speaker": "amzn1.ask.device.KITCHEN"}
    )
    assert unlinked.status_code == 302
    assert ctx.directory.home_for_speaker("amzn1.ask.device.KITCHEN") is None


def test_an_expired_code_and_guessing_are_refused(admin_app, ctx, two_homes):
    a, _ = two_homes
    olu = login(admin_app, "Olu")
    code = ctx.directory.issue_code("amzn1.ask.device.HALL")
    ctx.directory.wall = lambda: code.expires_at + 1
    expired = olu.form(f"/admin/homes/{a.id}/link", {"code": code.code})
    assert expired.status_code == 422 and "has expired" in expired.get_data(as_text=True)
    wrong = f"{(int(code.code) + 1) % 10**6:06d}"
    statuses = [
        olu.form(f"/admin/homes/{a.id}/link", {"code": wrong}).status_code for _ in range(6)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:4]
    assert "Too many wrong codes" in olu.form(
        f"/admin/homes/{a.id}/link", {"code": wrong}
    ).get_data(as_text=True)


def test_a_bad_import_changes_nothing_and_names_the_file_and_entry(admin_app, ctx, two_homes):
    import io

    a, _ = two_homes
    olu = login(admin_app, "Olu")
    bad = LAMP + "  - {id: fan, name: fan, driver: tasmota}\n"
    answer = olu.form(
        f"/admin/homes/{a.id}/devices/import",
        {"file": (io.BytesIO(bad.encode()), "flat-3.yaml")},
        content_type="multipart/form-data",
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "flat-3.yaml" in text and "device 2 (fan)" in text and "Nothing was changed" in text
    assert ctx.directory.registry_text(a.id) == LAMP


def test_an_ot_s_trial_log_has_their_home_s_people_only(admin_settings, clock):
    from skill.services import build_services
    from skill.web import create_app
    from tests import alexa

    settings = admin_settings.with_(trial_log=True)
    services = build_services(settings, clock=clock)
    app = create_app(settings, services)
    ctx = app.extensions[KEY]
    d = ctx.directory
    a, b = d.add_home("Trial home A"), d.add_home("Trial home B")
    for home, speaker in ((a, "echo-a"), (b, "echo-b")):
        d.import_registry(home.id, LAMP, "x.yaml")
        d.link_speaker(home.id, speaker)
    ctx.accounts.add("Olu", "ot", OT_PASSWORD)
    ctx.accounts.assign("Olu", a.id)
    client = app.test_client()
    for speaker, user in (
        ("echo-a", "amzn1.ask.account.PERSON-A"),
        ("echo-b", "amzn1.ask.account.PERSON-B"),
    ):
        body = alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=speaker, user_id=user)
        assert client.post("/alexa", json=body).status_code == 200
    (entry_a,) = services.trial_log.store.entries(home=a.id)
    (entry_b,) = services.trial_log.store.entries(home=b.id)
    olu = login(app, "Olu")
    page = olu.page(f"/admin/homes/{a.id}/trial-log").get_data(as_text=True)
    assert entry_a.user in page and entry_b.user not in page
    assert olu.page(f"/admin/homes/{b.id}/trial-log").status_code == 404
    assert olu.page(f"/admin/homes/{b.id}/trial-log.csv").status_code == 404
    csv_text = olu.page(f"/admin/homes/{a.id}/trial-log.csv").get_data(as_text=True)
    assert entry_a.user in csv_text and entry_b.user not in csv_text
    olu.form(f"/admin/homes/{a.id}/trial-log/people", {"user": entry_a.user, "label": "P1"})
    assert "<strong>P1</strong>" in olu.page(f"/admin/homes/{a.id}/trial-log").get_data(
        as_text=True
    )
    assert d.person_labels(b.id) == {}
    refused = olu.form(
        f"/admin/homes/{b.id}/trial-log/people", {"user": entry_b.user, "label": "Spy"}
    )
    assert refused.status_code == 404 and d.person_labels(b.id) == {}
