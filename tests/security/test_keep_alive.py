"""The stand's idle polls (304s) reuse one connection instead of opening one each."""

from __future__ import annotations

import http.client


def test_stand_polls_answered_304_keep_the_connection(app, serve):
    port = serve(app)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        conn.request("GET", "/stand/state.json")
        first = conn.getresponse()
        first.read()
        etag = first.getheader("ETag")
        local_port = conn.sock.getsockname()[1]
        for _ in range(5):  # an idle screen: nothing changed between polls
            conn.request("GET", "/stand/state.json", headers={"If-None-Match": etag})
            poll = conn.getresponse()
            assert poll.status == 304
            assert poll.read() == b""
            assert not poll.will_close, poll.getheaders()
            assert conn.sock is not None and conn.sock.getsockname()[1] == local_port
        conn.request("GET", "/healthz")  # and the connection still works for anything else
        assert conn.getresponse().status == 200
    finally:
        conn.close()
