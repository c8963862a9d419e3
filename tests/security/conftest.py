from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from skill.cli.serve import create_server
from tests.admin.conftest import (  # noqa: F401 - the admin fixtures, shared
    admin,
    admin_app,
    admin_services,
    admin_settings,
    desk,
    make_admin,
)


@pytest.fixture
def serve() -> Iterator[Callable[[Any], int]]:
    """Run an app under the very waitress server `voice-demo serve` runs; returns its port."""
    servers: list[Any] = []

    def start(app: Any) -> int:
        server = create_server(app, "127.0.0.1", 0, threads=8)
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        return int(server.effective_port)

    yield start
    # As tests/web/test_load.py: the daemon loop ends with the process (closing it live complains).
