from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from skill.devices.plug import DriverContext
from tests.devices.fakes import SilentSocket, refused_port


@pytest.fixture(scope="session")
def _device_http():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def device_http(_device_http):
    """A real HTTP server on 127.0.0.1 for a fake plug to answer on."""
    _device_http.clear()
    yield _device_http
    _device_http.clear()


@pytest.fixture
def silent():
    sock = SilentSocket()
    yield sock
    sock.close()


@pytest.fixture
def refused() -> int:
    return refused_port()


@pytest.fixture
def context(tmp_path) -> DriverContext:
    """The drivers' context with production timeouts (so timing tests mean something)."""
    return DriverContext(data_dir=tmp_path / "data", environ={})
