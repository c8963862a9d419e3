"""Calls from the skill back to Alexa's APIs, with the timeouts Alexa's 8 s budget needs.

ask-sdk-core's DefaultApiClient calls `requests` with no timeout and a new connection
each time; this one reuses a pooled session and gives up quickly.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from zoneinfo import ZoneInfo

import requests
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientResponse

log = logging.getLogger(__name__)


class TimeoutApiClient(DefaultApiClient):
    """DefaultApiClient with connection reuse and a (connect, read) timeout."""

    def __init__(self, timeout: tuple[float, float] = (0.5, 1.0)) -> None:
        self.timeout = timeout
        self._session = requests.Session()

    def invoke(self, request):
        if not (request.url or "").startswith("https://"):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers = self._convert_list_tuples_to_dict(request.headers)
        data = request.body
        if data and "json" in (headers.get("Content-type") or ""):
            data = json.dumps(data)
        try:
            response = self._session.request(
                (request.method or "GET").upper(),
                request.url,
                headers=headers,
                data=data or None,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ApiClientException(f"Error executing the request: {exc}") from exc
        return ApiClientResponse(
            headers=self._convert_dict_to_list_tuples(response.headers),
            status_code=response.status_code,
            body=response.text,
        )


class DeviceZones:
    """Remembers each device's time zone for an hour so only the first request pays for it."""

    def __init__(self, ttl_s: float = 3600.0, max_entries: int = 10_000) -> None:
        self._ttl = ttl_s
        self._max = max_entries
        self._cache: dict[str, tuple[float, ZoneInfo]] = {}
        self._lock = threading.Lock()

    def lookup(self, handler_input, fallback: ZoneInfo) -> ZoneInfo:
        system = (
            handler_input.request_envelope.context.system
            if handler_input.request_envelope.context
            else None
        )
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        if not device_id or not getattr(system, "api_access_token", None):
            return fallback
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(device_id)
            if hit and hit[0] > now:
                return hit[1]
        try:
            name = handler_input.service_client_factory.get_ups_service().get_system_time_zone(
                device_id
            )
            zone = ZoneInfo(str(name))
        except Exception as exc:  # noqa: BLE001 - API errors, odd zone names: all mean fall back
            log.info(
                "device time zone unavailable (%s); using %s", exc.__class__.__name__, fallback
            )
            return fallback
        with self._lock:
            if len(self._cache) >= self._max:
                self._cache.pop(next(iter(self._cache)))
            self._cache[device_id] = (now + self._ttl, zone)
        return zone
