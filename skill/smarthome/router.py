"""The smart-home entry: parse a directive, check its token, find the home, dispatch.

`SmartHome.handle(event)` always returns a message Alexa understands — an ErrorResponse for
anything malformed, unknown or failing — never an exception. The account-linking token is
checked on every directive and mapped to the caller's home; handlers see only that home's
DeviceService, so a token of one home can never reach another home's devices.
"""

from __future__ import annotations

import copy
import logging
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from skill.devices import DeviceService
from skill.devices.model import Cause, Change
from skill.homes.directory import RegistryChange
from skill.smarthome import messages as m
from skill.smarthome.auth import (
    AccessTokenVerifier,
    Account,
    KeysUnavailable,
    TokenError,
    TokenExpired,
)
from skill.smarthome.gateway import Outbox, Sent
from skill.smarthome.handlers import HANDLERS, Refusal
from skill.smarthome.homes import AccountHomes
from skill.smarthome.lwa import LwaClient

log = logging.getLogger(__name__)

DEFER_AFTER_S = 2.0
# ChangeReport causes, from the domain's (skill.devices.Cause). SMART_HOME: none, Alexa
# already has the Response.
CAUSES = {
    Cause.VOICE: "VOICE_INTERACTION",
    Cause.APP: "APP_INTERACTION",
    Cause.RULE: "RULE_TRIGGER",
    Cause.DEVICE: "PHYSICAL_INTERACTION",
}


class BadDirective(ValueError):
    """Not a Smart Home directive we can read."""


@dataclass(frozen=True)
class Directive:
    namespace: str
    name: str
    correlation_token: str | None
    endpoint_id: str | None
    token: str | None  # the account-linking access token (wherever this directive keeps it)
    payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, event: Any) -> Directive:
        directive = event.get("directive") if isinstance(event, dict) else None
        if not isinstance(directive, dict):
            raise BadDirective("no directive")
        head = directive.get("header")
        if not isinstance(head, dict):
            raise BadDirective("directive without a header")
        namespace, name = head.get("namespace"), head.get("name")
        if not isinstance(namespace, str) or not isinstance(name, str):
            raise BadDirective("header without namespace and name")
        if head.get("payloadVersion") != m.PAYLOAD_VERSION:
            raise BadDirective(f"payload version {head.get('payloadVersion')!r}, not 3")
        payload = directive.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        endpoint = directive.get("endpoint")
        endpoint = endpoint if isinstance(endpoint, dict) else {}
        endpoint_id = endpoint.get("endpointId")
        correlation = head.get("correlationToken")
        return cls(
            namespace,
            name,
            correlation if isinstance(correlation, str) and correlation else None,
            endpoint_id if isinstance(endpoint_id, str) and endpoint_id else None,
            _bearer(endpoint.get("scope"))
            or _bearer(payload.get("scope"))
            or _bearer(payload.get("grantee")),
            payload,
        )


def _bearer(scope: Any) -> str | None:
    if isinstance(scope, dict) and scope.get("type") == "BearerToken":
        token = scope.get("token")
        return token if isinstance(token, str) and token else None
    return None


@dataclass(frozen=True)
class Caller:
    account: Account
    home_id: str
    devices: DeviceService


def with_scope(message: m.Message, token: str) -> m.Message:
    """The same message with the event token Alexa needs on anything sent asynchronously."""
    out = copy.deepcopy(message)
    endpoint = out["event"].setdefault("endpoint", {})
    endpoint["scope"] = {"type": "BearerToken", "token": token}
    return out


class SmartHome:
    def __init__(
        self,
        verifier: AccessTokenVerifier | None,
        homes: AccountHomes,
        *,
        lwa: LwaClient | None = None,
        outbox: Outbox | None = None,
        defer_after_s: float = DEFER_AFTER_S,
        can_defer: bool = True,
    ) -> None:
        self.verifier = verifier
        self.homes = homes
        self.lwa = lwa
        self.outbox = outbox
        self.defer_after_s = defer_after_s
        # Only where the process lives on after answering (not Lambda: see docs/smart-home.md).
        self.can_defer = can_defer and outbox is not None
        self.work = ThreadPoolExecutor(max_workers=8, thread_name_prefix="smarthome")
        self._watched: weakref.WeakSet[DeviceService] = weakref.WeakSet()

    # --- entry ---------------------------------------------------------------------------

    def handle(self, event: Any) -> m.Message:
        try:
            directive = Directive.parse(event)
        except BadDirective as exc:
            log.warning("refused smart-home event: %s", exc)
            return m.error("INVALID_DIRECTIVE", str(exc))
        try:
            return self._dispatch(directive)
        except Refusal as refusal:
            return self._refuse(directive, refusal)
        except Exception:  # noqa: BLE001 - Alexa must get an answer, whatever broke
            log.exception("smart-home %s.%s failed", directive.namespace, directive.name)
            return self._refuse(directive, Refusal("INTERNAL_ERROR", "the skill failed"))

    def _dispatch(self, directive: Directive) -> m.Message:
        handler = HANDLERS.get((directive.namespace, directive.name))
        if handler is None:
            raise Refusal(
                "INVALID_DIRECTIVE", f"{directive.namespace}.{directive.name} is not supported"
            )
        caller = self._caller(directive)
        if caller is None:  # a genuine login that no home has been linked to yet
            if directive.namespace == "Alexa.Discovery":
                return m.discover_response([])
            if directive.namespace == "Alexa.Authorization":
                return m.accept_grant_failed("this login is not linked to a home yet")
            raise Refusal("NO_SUCH_ENDPOINT", "this login is not linked to a home")
        return handler(self, directive, caller)

    def _refuse(self, directive: Directive, refusal: Refusal) -> m.Message:
        if directive.namespace == "Alexa.Authorization":
            return m.accept_grant_failed(refusal.message)
        return m.error(
            refusal.kind,
            refusal.message,
            directive.correlation_token,
            directive.endpoint_id,
            refusal.extra,
        )

    def _caller(self, directive: Directive) -> Caller | None:
        if self.verifier is None:
            raise Refusal("INTERNAL_ERROR", "account linking is not configured (OAuth settings)")
        if directive.token is None:
            raise Refusal("INVALID_AUTHORIZATION_CREDENTIAL", "no access token")
        try:
            account = self.verifier.verify(directive.token)
        except TokenExpired as exc:
            raise Refusal("EXPIRED_AUTHORIZATION_CREDENTIAL", str(exc)) from None
        except TokenError as exc:
            log.info("refused an access token: %s", exc)
            raise Refusal("INVALID_AUTHORIZATION_CREDENTIAL", "access token refused") from None
        except KeysUnavailable as exc:
            log.error("%s", exc)
            raise Refusal("INTERNAL_ERROR", "can't check access tokens right now") from None
        home_id = self.homes.home_for_account(account.sub)
        if home_id is None:
            log.info("login %s is not linked to a home", account.sub)
            return None
        devices = self.homes.devices_for_home(home_id)
        self.watch(home_id, devices)
        return Caller(account, home_id, devices)

    # --- asynchronous answers and reports ------------------------------------------------

    def can_send(self, home_id: str) -> bool:
        return (
            self.outbox is not None
            and self.lwa is not None
            and self.lwa.store.get(home_id) is not None
        )

    def answer_later(self, home_id: str, directive: Directive, answer: Future[m.Message]) -> None:
        """Send the real Response (or ErrorResponse) to the gateway once the plug answers."""
        assert self.outbox is not None
        outbox = self.outbox

        def follow_up() -> None:
            message = answer.result()
            outbox.gateway.send(home_id, lambda token: with_scope(message, token))

        outbox.later(follow_up)

    def watch(self, home_id: str, devices: DeviceService) -> None:
        """ChangeReports for this home's changes not caused by a directive (once per service)."""
        if devices in self._watched:
            return
        self._watched.add(devices)
        devices.on_change(lambda change: self._changed(home_id, devices, change))

    def _changed(self, home_id: str, devices: DeviceService, change: Change) -> None:
        cause = CAUSES.get(change.cause)
        if cause is None or self.outbox is None:
            return
        if change.device_id not in devices.registry:
            return
        if not m.discoverable(devices.registry.get(change.device_id)):
            return  # Alexa doesn't know it
        endpoint = m.endpoint_id(change.device_id)
        state = change.state
        self.outbox.post(home_id, lambda token: m.change_report(endpoint, state, cause, token))

    def shadow_report(self, home_id: str, devices: DeviceService, event: Any) -> bool:
        """A ChangeReport for a bridge's report that changed a plug (see shadows.py)."""
        from skill.smarthome import shadows

        device = shadows.device_for_thing(devices.registry, event.get("thing"))
        if device is None:
            log.info("shadow update for unknown thing %r ignored", event.get("thing"))
            return False
        found = shadows.shadow_change(event.get("previous"), event.get("current"))
        if found is None:
            return False
        state, cause = found
        self._changed(home_id, devices, Change(device.id, state, cause))
        return True

    def devices_added(self, home_id: str, devices: DeviceService) -> Future[Sent] | None:
        """AddOrUpdateReport after an OT adds or edits plugs (the home's whole list)."""
        if self.outbox is None:
            return None
        registry = list(devices.registry)
        return self.outbox.post(home_id, lambda token: m.add_or_update_report(registry, token))

    def devices_removed(self, home_id: str, device_ids: list[str]) -> Future[Sent] | None:
        if self.outbox is None:
            return None
        ids = list(device_ids)
        return self.outbox.post(home_id, lambda token: m.delete_report(ids, token))

    def registry_changed(self, change: RegistryChange) -> None:
        """An OT added, changed or removed plugs (admin pages, CLI): tell the Alexa app."""
        if self.outbox is None:
            return
        old = {d.id: m.discovery_endpoint(d) for d in change.before if m.discoverable(d)}
        offered = [d for d in change.after if m.discoverable(d)]
        gone = sorted(set(old) - {d.id for d in offered})  # removed, or now never by voice
        if gone:
            self.devices_removed(change.home_id, gone)
        devices = [d for d in offered if old.get(d.id) != m.discovery_endpoint(d)]
        if devices:
            self.outbox.post(change.home_id, lambda token: m.add_or_update_report(devices, token))

    def flush(self, timeout: float) -> bool:
        return True if self.outbox is None else self.outbox.flush(timeout)

    def close(self) -> None:
        self.work.shutdown(wait=False, cancel_futures=True)
        if self.outbox is not None:
            self.outbox.close()
