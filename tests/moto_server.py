"""moto in server mode on 127.0.0.1: the real DynamoDB and IoT wire protocols, offline.

moto checks a transaction's conditions and applies its writes without a lock, so two
requests arriving together could interleave inside one transaction, which real DynamoDB
never allows. This server therefore handles one request at a time (the per-request
atomicity DynamoDB gives); clients still race each other over HTTP from separate threads.
One server serves the whole test session; each area's fixture resets its state.
"""

from __future__ import annotations

import threading

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


class _OneAtATime:
    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return list(self.app(environ, start_response))


class SerialMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer (threaded HTTP) whose backend applies one request at a time."""

    def _server_entry(self) -> None:
        app = _OneAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, threaded=True)
        self._server_ready_event.set()
        self._server.serve_forever()
