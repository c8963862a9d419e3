"""The Reminders API over real HTTPS on 127.0.0.1 (as tests/programme/test_device_zone.py
serves the Settings API): a throwaway CA signs a certificate for localhost, and requests
trusts it through REQUESTS_CA_BUNDLE. The skill's own client, timeouts and all, is on the
path; nothing is patched."""

from __future__ import annotations

import ssl
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from pytest_httpserver import HTTPServer

from tests import alexa
from tests.ca import TestCA
from tests.reminders.fakes import FakeRemindersApi

TOKEN = "Atza|reminders-granted"  # an apiAccessToken that carries the permission
CONSENT = "Atza|consent-token"


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    ca = TestCA("Reminders API test root")
    leaf = ca.leaf(dns="localhost")
    folder = tmp_path_factory.mktemp("reminders-tls")
    chain, key, root = folder / "chain.pem", folder / "key.pem", folder / "ca.pem"
    chain.write_bytes(leaf.pem_chain)
    key.write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    root.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    return chain, key, root


@pytest.fixture
def reminders_api(tls_files, monkeypatch):
    chain, key, root = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(root))
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    fake = FakeRemindersApi(granted={TOKEN})
    fake.install(server)
    yield fake
    server.clear()
    if server.is_running():
        server.stop()


def envelope_kw(api: FakeRemindersApi, granted: bool = True, **kw: Any) -> dict[str, Any]:
    """What Alexa puts in context.System: the endpoint, a token, and (once the user has
    granted a permission) user.permissions.consentToken."""
    kw.setdefault("api_endpoint", api.endpoint)
    kw.setdefault("api_access_token", TOKEN)
    if granted:
        kw.setdefault("consent_token", CONSENT)
    return kw


class Talk(alexa.Conversation):
    """A conversation that can also deliver Alexa's non-intent requests."""

    def request(self, request: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        body = alexa.envelope(request, attributes=self.attributes, **{**self.defaults, **overrides})
        return self._go(body)
