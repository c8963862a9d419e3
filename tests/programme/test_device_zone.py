"""A listener's "now" is their device's: the Alexa Settings API served over real HTTPS.

The SDK's API client refuses plain http, so the Settings API runs on pytest-httpserver
with TLS: a throwaway CA (tests/ca.py) signs a certificate for localhost, and
requests trusts that CA through REQUESTS_CA_BUNDLE. The skill's own client, pooling and
timeouts are all on the path; nothing is patched.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from pytest_httpserver import HTTPServer

from tests import alexa
from tests.alexa import speech_text
from tests.ca import TestCA

TOKYO_DEVICE = "amzn1.ask.device.TOKYO"
TOKEN = "test-api-access-token"
PATH = f"/v2/devices/{TOKYO_DEVICE}/settings/System.timeZone"


@pytest.fixture
def settings_api(tmp_path, monkeypatch):
    ca = TestCA("Settings API test root")
    leaf = ca.leaf(dns="localhost")
    chain, key, root = tmp_path / "chain.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    chain.write_bytes(leaf.pem_chain)
    key.write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    root.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(root))
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def ask(post, server: HTTPServer, name: str, slots=None, device: str = TOKYO_DEVICE) -> str:
    body = alexa.intent(name, slots, device_id=device, new=True)  # a one-shot question
    system = body["context"]["System"]
    system["apiEndpoint"] = f"https://localhost:{server.port}"
    system["apiAccessToken"] = TOKEN
    return speech_text(post(body))


def test_a_device_in_tokyo_gets_its_own_now(post, clock, settings_api):
    settings_api.expect_request(
        PATH, method="GET", headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json("Asia/Tokyo")
    clock.now = datetime(2026, 5, 19, 22, 30, tzinfo=UTC)  # 23:30 Tue in London, 07:30 Wed in Tokyo

    heard_in_tokyo = ask(post, settings_api, "WhatsNextIntent")
    assert heard_in_tokyo == (
        "Next is Digital champions masterclass today at half past nine, in the Conference Room. "
        "Times are UK time."
    )
    heard_in_london = speech_text(post(alexa.intent("WhatsNextIntent", new=True)))  # no token: UK
    assert heard_in_london == (
        "Next is Digital champions masterclass tomorrow at half past nine, in the Conference Room."
    )
    # "This morning" is the listener's morning: Wednesday's in Tokyo.
    assert ask(post, settings_api, "WhatsOnIntent", {"time": "MO"}).startswith(
        "There are 2 sessions this morning. At half past nine, Digital champions masterclass"
    )
    # Answers without times don't mention the zone.
    assert ask(post, settings_api, "SessionPresenterIntent", {"session": "service design"}) == (
        "Service design was run by Priya Shah."
    )
    assert len(settings_api.log) == 1  # the zone is remembered per device


def test_when_the_settings_api_fails_the_programme_zone_is_used(post, clock, settings_api):
    settings_api.expect_request(PATH).respond_with_data("boom", status=500)
    clock.now = datetime(2026, 5, 19, 22, 30, tzinfo=UTC)
    assert ask(post, settings_api, "WhatsNextIntent") == (
        "Next is Digital champions masterclass tomorrow at half past nine, in the Conference Room."
    )
