"""What an OT does on the admin pages reaches the Alexa app: new, changed and removed plugs
(AddOrUpdateReport, DeleteReport) and "test this plug" (a ChangeReport, APP_INTERACTION).

Amazon's side is the same fakes on 127.0.0.1 as the rest of the smart-home tests; the admin
app is the one `voice-demo serve` runs, built from settings that name the fakes.
"""

from __future__ import annotations

import time

import pytest

from skill.services import build_services
from skill.smarthome.lwa import EventTokens, TokenStore
from skill.web import create_app
from skill.web.admin.context import KEY
from tests.admin.conftest import PASSWORD, AdminClient

LAMP = "devices:\n  - {id: lamp, name: lamp, driver: simulated}\n"
PLUG = {"kind": "simulated", "voice_on": "allow", "voice_off": "allow", "max_on_minutes": "0"}


@pytest.fixture
def admin_site(settings, clock, amazon, lwa, gateway):
    reporting = settings.with_(
        admin_password=PASSWORD,
        lwa_client_id=lwa.client_id,
        lwa_client_secret=lwa.client_secret,
        lwa_token_url=f"http://127.0.0.1:{amazon.port}/auth/o2/token",
        event_gateway_url=f"http://127.0.0.1:{amazon.port}/v3/events",
    )
    services = build_services(reporting, clock=clock)
    app = create_app(reporting, services)
    app.config["TESTING"] = True
    home = app.extensions[KEY].directory.add_home("Trial home A")
    app.extensions[KEY].directory.import_registry(home.id, LAMP, "a.yaml")
    # The home accepted the grant earlier (its event tokens are in the state store).
    lwa.access_tokens.add("Atza|home-a")
    TokenStore(services.state).put(
        home.id, EventTokens("Atza|home-a", "Atzr|home-a", int(time.time()) + 3600)
    )
    admin = AdminClient(app.test_client())
    assert admin.login().status_code == 302
    admin.page(f"/admin/homes/{home.id}")
    yield admin, home, app.extensions["voice_demo_smart_home"]
    app.extensions["voice_demo_smart_home"].close()


def names(events: list[dict]) -> list[str]:
    return [e["event"]["header"]["name"] for e in events]


def test_a_plug_added_on_the_page_is_offered_to_the_alexa_app(admin_site, gateway, valid):
    admin, home, smart_home = admin_site
    admin.form(f"/admin/homes/{home.id}/devices", {**PLUG, "name": "fan"})
    assert smart_home.flush(5)
    (report,) = gateway.events
    valid(report)
    assert report["event"]["header"]["name"] == "AddOrUpdateReport"
    # Only what changed: the lamp Alexa already knows is not sent again.
    assert [e["friendlyName"] for e in report["event"]["payload"]["endpoints"]] == ["fan"]


def test_a_plug_removed_or_made_never_by_voice_leaves_the_alexa_app(admin_site, gateway):
    admin, home, smart_home = admin_site
    admin.form(f"/admin/homes/{home.id}/devices", {**PLUG, "name": "fan"})
    admin.form(
        f"/admin/homes/{home.id}/devices/lamp",
        {**PLUG, "name": "lamp", "voice_on": "deny", "voice_off": "deny"},
    )
    admin.form(f"/admin/homes/{home.id}/devices/fan/remove")
    assert smart_home.flush(5)
    assert names(gateway.events) == ["AddOrUpdateReport", "DeleteReport", "DeleteReport"]
    assert [e["event"]["payload"]["endpoints"] for e in gateway.events[1:]] == [
        [{"endpointId": "lamp"}],
        [{"endpointId": "fan"}],
    ]


def test_testing_a_plug_on_the_page_is_reported_as_an_app_interaction(admin_site, gateway, valid):
    admin, home, smart_home = admin_site
    admin.form(f"/admin/homes/{home.id}/devices/lamp/test", {"on": "1"})
    assert smart_home.flush(5)
    (report,) = gateway.events
    valid(report)
    assert report["event"]["header"]["name"] == "ChangeReport"
    assert report["event"]["payload"]["change"]["cause"]["type"] == "APP_INTERACTION"
    power = report["event"]["payload"]["change"]["properties"][0]
    assert (power["name"], power["value"]) == ("powerState", "ON")


def test_an_operators_import_from_the_terminal_reaches_the_alexa_app(
    tmp_path, monkeypatch, capsys, amazon, lwa, gateway
):
    from skill.cli import main
    from skill.homes.setup import homes_for
    from skill.services import open_state
    from skill.settings import Settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICE_DEMO_DEVICES", raising=False)
    for name, value in {
        "VOICE_DEMO_DATA": str(tmp_path / "data"),
        "VOICE_DEMO_LWA_CLIENT_ID": lwa.client_id,
        "VOICE_DEMO_LWA_CLIENT_SECRET": lwa.client_secret,
        "VOICE_DEMO_LWA_TOKEN_URL": f"http://127.0.0.1:{amazon.port}/auth/o2/token",
        "VOICE_DEMO_EVENT_GATEWAY_URL": f"http://127.0.0.1:{amazon.port}/v3/events",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["homes", "add", "Trial home A"]) == 0
    home_id = capsys.readouterr().out.strip()
    settings = Settings.from_env()
    lwa.access_tokens.add("Atza|cli")
    TokenStore(open_state(settings)).put(
        home_id, EventTokens("Atza|cli", "Atzr|cli", int(time.time()) + 3600)
    )
    (tmp_path / "devices.yaml").write_text(LAMP)

    assert main(["homes", "devices", "import", "Trial home A", "devices.yaml"]) == 0

    assert names(gateway.events) == ["AddOrUpdateReport"]
    assert homes_for(settings).directory.registry_text(home_id) == LAMP
