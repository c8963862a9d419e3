"""The certificate URL that is checked is the one fetched, within one deadline, a few at once.

The attacker's host, the slow S3 and the genuine S3 are real servers on 127.0.0.1
(tests/security/servers.py); the genuine one speaks TLS with a certificate for
s3.amazonaws.com from the throwaway CA, and the verifier's fetcher dials it in place of
s3.amazonaws.com:443 while still saying s3.amazonaws.com in SNI, Host and the name check.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from cryptography.x509.verification import Store

from skill.web import create_app
from skill.web.verify import (
    BAD_URL,
    CertFetcher,
    FetchSlots,
    SignatureVerifier,
    check_cert_url,
)
from tests import alexa
from tests.ca import TestCA, body_bytes
from tests.conftest import FIXED_NOW
from tests.security import servers

CERT_PATH = "/echo.api/echo-api-cert-12.pem"
# The fetch deadline is 0.8 s, so a refusal takes under a second on an idle machine; the
# bound leaves room for a loaded CI box (the unfixed fetch took 3 s to 40 s).
PROMPTLY_S = 1.5
CERT_URL = f"https://s3.amazonaws.com{CERT_PATH}"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
def leaf(ca):
    return ca.leaf()


@pytest.fixture(scope="module")
def tls(ca, tmp_path_factory):
    return servers.s3_tls(ca, tmp_path_factory.mktemp("s3"))


@pytest.fixture
def s3(tls, leaf):
    """The genuine S3: the chain at every path it is asked for (as S3 ignores a query)."""
    with servers.LoopbackServer(servers.serve_object(leaf.pem_chain), tls=tls[0]) as server:
        yield server


@pytest.fixture
def attacker():
    """The attacker's host: counts whoever comes calling, answers like a friendly S3."""
    with servers.LoopbackServer(servers.serve_object(b"")) as server:
        yield server


def verifier_for(server, tls, ca, services, **kw) -> SignatureVerifier:
    fetch = CertFetcher(connect_to=server.address, tls_context=tls[1])
    return SignatureVerifier(fetch=fetch, trust=Store([ca.cert]), clock=services.clock, **kw)


def client_for(verifier, settings, services):
    app = create_app(settings.with_(verify=True), services, signature_verifier=verifier)
    return app.test_client()


def stamp() -> str:
    return FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed(leaf, url=CERT_URL, envelope=None) -> tuple[bytes, dict[str, str]]:
    body = body_bytes(envelope or alexa.launch(timestamp=stamp()))
    return body, {"SignatureCertChainUrl": url, "Signature-256": leaf.sign(body)}


def post(client, body, headers):
    return client.post("/alexa", data=body, headers=headers, content_type="application/json")


def refused_as_bad_url(response) -> bool:
    return response.status_code == 400 and response.get_json()["reason"] == BAD_URL


def test_genuine_chain_over_tls_is_fetched_from_s3_by_its_normal_path(
    settings, services, ca, leaf, tls, s3
):
    client = client_for(verifier_for(s3, tls, ca, services), settings, services)
    url = "HTTPS://S3.AMAZONAWS.COM:443/echo.api/./%65cho-api-cert-12.pem"
    response = post(client, *signed(leaf, url))
    assert response.status_code == 200, response.get_data(as_text=True)
    request_head = f"GET {CERT_PATH} HTTP/1.1\r\nHost: s3.amazonaws.com\r\n".encode()
    assert s3.requests[0].startswith(request_head)


@pytest.mark.parametrize(
    "url",
    [
        "https://{attacker}\\@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://{attacker}/@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://{attacker}@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com@{attacker}/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com\\@{attacker}/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com.{attacker}/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com#@{attacker}/echo.api/echo-api-cert-12.pem",
    ],
)
def test_an_attackers_host_is_never_contacted(settings, services, ca, leaf, tls, s3, attacker, url):
    client = client_for(verifier_for(s3, tls, ca, services), settings, services)
    sneaky = url.format(attacker=f"127.0.0.1:{attacker.port}")
    assert refused_as_bad_url(post(client, *signed(leaf, sneaky)))
    assert attacker.connections == 0
    assert s3.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/%2e%2e/secrets/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/%2E%2E/%2e%2e/x.pem",
        "https://s3.amazonaws.com/echo.api/..%2fx.pem",
        "https://s3.amazonaws.com/echo.api/%5c..%5cx.pem",
        "https://s3.amazonaws.com/echo.api/%252e%252e/x.pem",
        "https://s3.amazonaws.com/echo.api/x.pem%00",
        "https://s3.amazonaws.com/echo.api/x.pem?X-Amz-Expires=1",
        "https://s3.amazonaws.com/echo.api/x.pem#frag",
        "https://s3.amazonaws.com./echo.api/x.pem",
        "https://s3.amazonaws.com:0443/echo.api/x.pem",
        "https://s3.amazonaws.com/echo.api/",
        "https://s3.amazonaws.com/echo.api/x.pem\tHost: evil",
        "https://s3.amazonaws.com/echo.api/\u0131x.pem",
        " https://s3.amazonaws.com/echo.api/x.pem",
    ],
)
def test_urls_that_mean_another_path_or_host_are_refused_without_a_fetch(
    settings, services, ca, leaf, tls, s3, url
):
    client = client_for(verifier_for(s3, tls, ca, services), settings, services)
    assert refused_as_bad_url(post(client, *signed(leaf, url)))
    assert s3.requests == []


def test_the_url_check_normalises_what_amazon_allows():
    assert check_cert_url("https://s3.amazonaws.com/echo.api/../echo.api/a.pem") == (
        "https://s3.amazonaws.com/echo.api/a.pem"
    )
    assert check_cert_url("https://s3.amazonaws.com/echo.api//%41.pem") == (
        "https://s3.amazonaws.com/echo.api/A.pem"
    )


def test_a_slow_s3_is_refused_within_a_second(settings, services, ca, leaf, tls):
    stop = threading.Event()
    with servers.LoopbackServer(servers.trickle(leaf.pem_chain, 0.05, stop), tls=tls[0]) as slow:
        client = client_for(verifier_for(slow, tls, ca, services), settings, services)
        started = time.monotonic()
        response = post(client, *signed(leaf))
        elapsed = time.monotonic() - started
        stop.set()
    assert refused_as_bad_url(response)
    assert elapsed < PROMPTLY_S, f"refused after {elapsed:.2f}s"


def test_a_redirect_is_not_followed(settings, services, ca, leaf, tls, attacker):
    location = f"https://127.0.0.1:{attacker.port}/echo.api/echo-api-cert-12.pem"
    with servers.LoopbackServer(servers.redirect_to(location), tls=tls[0]) as moved:
        client = client_for(verifier_for(moved, tls, ca, services), settings, services)
        assert refused_as_bad_url(post(client, *signed(leaf)))
    assert attacker.connections == 0


def test_refusals_say_the_same_whatever_is_at_the_other_end(
    settings, services, ca, leaf, tls, tmp_path
):
    """Closed port, silent port, plain http, TLS with the wrong name, 404: one reason."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_address = unused.getsockname()  # nobody listens there once closed
    reasons = set()
    wrong_name_ca = TestCA("Another Root")
    with (
        servers.LoopbackServer(servers.silent) as quiet,
        servers.LoopbackServer(servers.serve_object(leaf.pem_chain)) as plain,
        servers.LoopbackServer(servers.not_found(), tls=tls[0]) as missing,
    ):
        for address, context in [
            (closed_address, tls[1]),
            (quiet.address, tls[1]),
            (plain.address, tls[1]),
            (missing.address, tls[1]),
            (missing.address, servers.s3_tls(wrong_name_ca, tmp_path)[1]),
        ]:
            fetch = CertFetcher(connect_to=address, tls_context=context)
            verifier = SignatureVerifier(fetch=fetch, trust=Store([ca.cert]), clock=services.clock)
            started = time.monotonic()
            response = post(client_for(verifier, settings, services), *signed(leaf))
            assert time.monotonic() - started < PROMPTLY_S
            assert response.status_code == 400
            reasons.add(response.get_data(as_text=True))
    assert len(reasons) == 1 and BAD_URL in reasons.pop()


def test_unsigned_variants_neither_fetch_again_nor_evict_the_genuine_cert(
    settings, services, ca, leaf, tls, s3
):
    verifier = verifier_for(s3, tls, ca, services)
    client = client_for(verifier, settings, services)
    assert post(client, *signed(leaf)).status_code == 200
    body = body_bytes(alexa.launch(timestamp=stamp()))
    variants = [f"{CERT_URL}?v={n}" for n in range(20)] + [
        f"https://s3.amazonaws.com/echo.api/{'./' * n}echo-api-cert-12.pem" for n in range(1, 21)
    ]
    for url in variants:  # unsigned: a made-up signature
        response = post(client, body, {"SignatureCertChainUrl": url, "Signature-256": "AAAA"})
        assert response.status_code == 400
    assert len(s3.requests) == 1  # the queries refused, the dot paths one normal URL, cached
    assert post(client, *signed(leaf)).status_code == 200
    assert len(s3.requests) == 1


def test_other_verified_chains_do_not_push_out_the_genuine_one(
    settings, services, ca, leaf, tls, s3
):
    verifier = verifier_for(s3, tls, ca, services)
    client = client_for(verifier, settings, services)
    assert post(client, *signed(leaf)).status_code == 200
    body = body_bytes(alexa.launch(timestamp=stamp()))
    for n in range(40):  # 40 other paths, each really holding a chain: bad signatures
        url = f"https://s3.amazonaws.com/echo.api/other-{n}.pem"
        post(client, body, {"SignatureCertChainUrl": url, "Signature-256": "AAAA"})
    before = len(s3.requests)
    assert post(client, *signed(leaf)).status_code == 200
    assert len(s3.requests) == before  # still cached


def test_a_failed_url_is_not_fetched_again_at_once(settings, services, ca, leaf, tls):
    with servers.LoopbackServer(servers.not_found(), tls=tls[0]) as missing:
        client = client_for(verifier_for(missing, tls, ca, services), settings, services)
        for _ in range(5):
            assert refused_as_bad_url(post(client, *signed(leaf)))
        assert missing.connections == 1


def test_concurrent_askers_for_one_url_share_one_fetch(settings, services, ca, leaf, tls, s3):
    client_app = create_app(
        settings.with_(verify=True),
        services,
        signature_verifier=verifier_for(s3, tls, ca, services),
    )

    def ask(_: int) -> int:
        return post(client_app.test_client(), *signed(leaf)).status_code

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, range(8))) == [200] * 8
    assert len(s3.requests) == 1


def test_unsigned_floods_through_slow_urls_leave_the_server_answering(
    settings, services, ca, leaf, tls, serve
):
    """16 unsigned requests at once, each naming a different slow URL: at most 4 fetches run,
    each ends by its deadline, and /healthz and a signed /alexa answer meanwhile."""
    stop = threading.Event()
    with (
        servers.LoopbackServer(servers.trickle(leaf.pem_chain, 0.05, stop), tls=tls[0]) as slow,
        servers.LoopbackServer(servers.serve_object(leaf.pem_chain), tls=tls[0]) as good,
    ):
        slow_fetch = CertFetcher(connect_to=slow.address, tls_context=tls[1])
        good_fetch = CertFetcher(connect_to=good.address, tls_context=tls[1])

        def route(url: str) -> bytes:
            return (good_fetch if url == CERT_URL else slow_fetch)(url)

        verifier = SignatureVerifier(
            fetch=route, trust=Store([ca.cert]), clock=services.clock, slots=FetchSlots(4)
        )
        verifier.signing_key(CERT_URL)  # the genuine chain, already cached
        app = create_app(settings.with_(verify=True), services, signature_verifier=verifier)
        base = f"http://127.0.0.1:{serve(app)}"
        body = body_bytes(alexa.launch(timestamp=stamp()))

        def flood(n: int) -> int:
            url = f"https://s3.amazonaws.com/echo.api/slow-{n}.pem"
            headers = {"SignatureCertChainUrl": url, "Signature-256": "AAAA"}
            return requests.post(f"{base}/alexa", data=body, headers=headers, timeout=5).status_code

        with ThreadPoolExecutor(16) as pool:
            started = time.monotonic()
            statuses = pool.map(flood, range(16))
            time.sleep(0.1)
            health = requests.get(f"{base}/healthz", timeout=5)
            genuine_body, genuine_headers = signed(leaf)
            genuine = requests.post(
                f"{base}/alexa", data=genuine_body, headers=genuine_headers, timeout=5
            )
            answered = time.monotonic() - started
            assert sorted(set(statuses)) == [400]
        stop.set()
    assert health.status_code == 200 and genuine.status_code == 200
    assert answered < 2 * PROMPTLY_S
    assert slow.most_open <= 4
