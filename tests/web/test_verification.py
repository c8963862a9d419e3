"""POST /alexa with verification on: a real signature passes, every failed check is a 400."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.x509.verification import Store

from skill.web import create_app
from skill.web.verify import CertFetcher, SignatureVerifier, check_cert_url
from tests import alexa
from tests.ca import TestCA, body_bytes
from tests.conftest import FIXED_NOW

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


@pytest.fixture(scope="module")
def ca():
    return TestCA()


@pytest.fixture(scope="module")
def leaf(ca):
    return ca.leaf()


@pytest.fixture
def cert_server(httpserver, leaf):
    """Serves cert chains as S3 would; the verifier's fetcher is pointed here."""
    httpserver.expect_request("/echo.api/echo-api-cert-12.pem").respond_with_data(
        leaf.pem_chain, content_type="application/x-pem-file"
    )
    return httpserver


def local_fetch(server):
    """The real fetcher, dialling the plain-http fake S3 instead of s3.amazonaws.com:443."""
    return CertFetcher(connect_to=("127.0.0.1", server.port), tls=False)


@pytest.fixture
def verified_app(settings, services, ca, cert_server):
    verifier = SignatureVerifier(
        fetch=local_fetch(cert_server), trust=Store([ca.cert]), clock=services.clock
    )
    app = create_app(
        settings.with_(verify=True, skill_id=alexa.SKILL_ID), services, signature_verifier=verifier
    )
    return app.test_client()


def stamp(delta: timedelta = timedelta(0)) -> str:
    return (FIXED_NOW + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed(leaf, envelope=None, *, url=CERT_URL, **header_overrides):
    body = body_bytes(envelope or alexa.launch(timestamp=stamp()))
    headers = {"SignatureCertChainUrl": url, "Signature-256": leaf.sign(body)}
    headers.update(header_overrides)
    return body, {k: v for k, v in headers.items() if v is not None}


def post(client, body, headers):
    return client.post("/alexa", data=body, headers=headers, content_type="application/json")


def assert_refused(response):
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text


def test_a_correctly_signed_request_is_answered(verified_app, leaf):
    response = post(verified_app, *signed(leaf))
    assert response.status_code == 200
    assert "Welcome" in alexa.speech_text(response.get_json())


def test_cert_chain_is_fetched_once_and_cached(verified_app, leaf, cert_server):
    for _ in range(3):
        assert post(verified_app, *signed(leaf)).status_code == 200
    assert len(cert_server.log) == 1


def test_tampered_body_is_refused(verified_app, leaf):
    body, headers = signed(leaf)
    assert_refused(
        post(verified_app, body.replace(b"LaunchRequest", b"SessionEndedRequest"), headers)
    )


@pytest.mark.parametrize("bad", ["not base64!!", "abc", "", "====", "A" * 10_000])
def test_malformed_signature_is_refused(verified_app, leaf, bad):
    body, headers = signed(leaf)
    headers["Signature-256"] = bad
    assert_refused(post(verified_app, body, headers))


def test_signature_from_another_key_is_refused(verified_app, ca):
    impostor = ca.leaf()  # a valid cert, but not the key behind the cert at CERT_URL
    assert_refused(post(verified_app, *signed(impostor)))


def test_legacy_sha1_signature_is_refused(verified_app, leaf):
    body = body_bytes(alexa.launch(timestamp=stamp()))
    sha1 = leaf.sign(body, hashes.SHA1())
    only_legacy = {"SignatureCertChainUrl": CERT_URL, "Signature": sha1}
    assert_refused(post(verified_app, body, only_legacy))
    sha1_in_new_header = {"SignatureCertChainUrl": CERT_URL, "Signature-256": sha1}
    assert_refused(post(verified_app, body, sha1_in_new_header))


def test_missing_headers_are_refused(verified_app, leaf):
    body, headers = signed(leaf)
    assert_refused(post(verified_app, body, {"Signature-256": headers["Signature-256"]}))
    assert_refused(post(verified_app, body, {"SignatureCertChainUrl": CERT_URL}))


@pytest.mark.parametrize(
    "delta", [timedelta(seconds=-151), timedelta(seconds=151), timedelta(days=-1)]
)
def test_stale_or_future_timestamp_is_refused(verified_app, leaf, delta):
    body, headers = signed(leaf, alexa.launch(timestamp=stamp(delta)))
    assert_refused(post(verified_app, body, headers))


def test_timestamp_within_tolerance_is_accepted(verified_app, leaf):
    body, headers = signed(leaf, alexa.launch(timestamp=stamp(timedelta(seconds=-140))))
    assert post(verified_app, body, headers).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/x.pem",
        "not a url",
    ],
)
def test_cert_urls_outside_amazons_rules_are_refused(verified_app, leaf, url):
    assert_refused(post(verified_app, *signed(leaf, url=url)))


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    ],
)
def test_cert_urls_amazon_allows_pass_the_url_check(url):
    check_cert_url(url)


def test_unknown_cert_path_is_refused(verified_app, leaf):
    other = "https://s3.amazonaws.com/echo.api/missing.pem"
    assert_refused(post(verified_app, *signed(leaf, url=other)))


def _app_fetching_from(settings, services, ca, port):
    fetch = CertFetcher(connect_to=("127.0.0.1", port), tls=False)
    verifier = SignatureVerifier(fetch=fetch, trust=Store([ca.cert]), clock=services.clock)
    return create_app(
        settings.with_(verify=True), services, signature_verifier=verifier
    ).test_client()


def test_unreachable_cert_url_is_refused_quickly(settings, services, ca, leaf):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once we leave: connection refused
    client = _app_fetching_from(settings, services, ca, port)
    started = time.monotonic()
    assert_refused(post(client, *signed(leaf)))
    assert time.monotonic() - started < 1.0


def test_silent_cert_server_is_refused_within_a_second(settings, services, ca, leaf):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    stop = threading.Event()

    def accept_and_say_nothing():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        client = _app_fetching_from(settings, services, ca, listener.getsockname()[1])
        started = time.monotonic()
        assert_refused(post(client, *signed(leaf)))
        assert time.monotonic() - started < 1.0
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


def _app_with_chain(settings, services, trust_ca, chain: bytes):
    verifier = SignatureVerifier(
        fetch=lambda url: chain, trust=Store([trust_ca.cert]), clock=services.clock
    )
    return create_app(
        settings.with_(verify=True), services, signature_verifier=verifier
    ).test_client()


def test_chain_from_an_untrusted_ca_is_refused(settings, services, ca):
    rogue = TestCA("Rogue Root").leaf()
    client = _app_with_chain(settings, services, ca, rogue.pem_chain)
    assert_refused(post(client, *signed(rogue)))


def test_expired_signing_cert_is_refused(settings, services, ca):
    old = ca.leaf(
        not_before=FIXED_NOW - timedelta(days=400), not_after=FIXED_NOW - timedelta(days=1)
    )
    client = _app_with_chain(settings, services, ca, old.pem_chain)
    assert_refused(post(client, *signed(old)))


def test_cert_for_another_name_is_refused(settings, services, ca):
    other = ca.leaf(dns="evil.example.com")
    client = _app_with_chain(settings, services, ca, other.pem_chain)
    assert_refused(post(client, *signed(other)))


def test_garbage_cert_chain_is_refused(settings, services, ca, leaf):
    client = _app_with_chain(settings, services, ca, b"-----BEGIN CERTIFICATE-----\nnope\n")
    assert_refused(post(client, *signed(leaf)))


def test_request_for_another_skill_is_refused(verified_app, leaf):
    stranger = alexa.launch(timestamp=stamp(), skill_id="amzn1.ask.skill.someone-else")
    assert_refused(post(verified_app, *signed(leaf, stranger)))


def test_skill_id_is_checked_even_with_signatures_off(settings, services):
    client = create_app(
        settings.with_(verify=False, skill_id=alexa.SKILL_ID), services
    ).test_client()
    assert client.post("/alexa", json=alexa.launch()).status_code == 200
    stranger = alexa.launch(skill_id="amzn1.ask.skill.someone-else")
    assert_refused(client.post("/alexa", json=stranger))


def test_unsigned_request_is_refused_by_default(settings, services):
    client = create_app(settings.with_(verify=True), services).test_client()
    assert_refused(client.post("/alexa", json=alexa.launch()))
