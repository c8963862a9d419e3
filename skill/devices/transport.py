"""HTTP to one device: a pooled session, timeouts capped by the deadline, at most one retry.

Plugs on Wi-Fi drop the odd packet, so one retry is worth it — but only while the deadline
has room for it. Proxies from the environment are ignored for LAN devices (a corporate
proxy can't reach 192.168.x.x), and every failure becomes a typed device error.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter

from skill.devices.errors import AuthFailed, DeviceFault, Unreachable

if TYPE_CHECKING:
    from skill.devices.deadline import Deadline
    from skill.devices.registry import Device

log = logging.getLogger(__name__)

MIN_RETRY_S = 0.3  # below this, a retry can't succeed; report instead
RETRY_PAUSE_S = 0.1


class HttpTransport:
    def __init__(
        self,
        device: Device,
        base_url: str,
        *,
        connect_s: float,
        read_s: float,
        auth: requests.auth.AuthBase | None = None,
        headers: dict[str, str] | None = None,
        lan: bool = True,
    ) -> None:
        self.device = device
        self.base_url = base_url.rstrip("/")
        self.connect_s = connect_s
        self.read_s = read_s
        self.session = requests.Session()
        self.session.trust_env = not lan
        self.session.auth = auth
        self.session.headers.update(headers or {})
        # Small devices accept few connections; one pooled connection per device is plenty.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(
        self,
        method: str,
        path: str,
        deadline: Deadline,
        *,
        params: str | dict[str, Any] | None = None,
        json: Any = None,
    ) -> requests.Response:
        url = f"{self.base_url}{path}"
        for attempt in (1, 2):
            timeout = deadline.timeouts(self.connect_s, self.read_s, self.device)
            try:
                response = self.session.request(
                    method, url, params=params, json=json, timeout=timeout, allow_redirects=False
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = "timed out" if isinstance(exc, requests.Timeout) else "refused or lost"
                if attempt == 1 and deadline.remaining() >= MIN_RETRY_S + RETRY_PAUSE_S:
                    log.info("%s: %s %s (%s); retrying once", self.device.id, method, url, reason)
                    time.sleep(RETRY_PAUSE_S)
                    continue
                # `from None`: the chained exception's URL may carry a Tasmota password.
                raise Unreachable(
                    f"{self.base_url}: connection {reason} ({exc.__class__.__name__})", self.device
                ) from None
            except requests.RequestException as exc:
                raise DeviceFault(
                    f"{self.base_url}: {exc.__class__.__name__}", self.device
                ) from None
            if response.status_code in (401, 403):
                raise AuthFailed(
                    f"{self.base_url}: HTTP {response.status_code} (credentials refused)",
                    self.device,
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, response: requests.Response) -> Any:
        """The body as JSON; a device that answers with something else is faulty, not down."""
        try:
            return response.json()
        except ValueError:
            raise DeviceFault(
                f"{self.base_url}: HTTP {response.status_code}, not JSON", self.device
            ) from None

    def close(self) -> None:
        self.session.close()
