"""Cloud-mode programme store: one DynamoDB table (template.yaml's ProgrammeTable, pk/sk).

Items, all under pk "programme":
- sk "live": the pointer {live, latest, events}. Every publish or rollback is one
  TransactWriteItems that moves it on condition that `events` is what the writer read,
  so two publishers can never both win.
- sk "version#00000007": a version's metadata (who, when, note, session count, zone).
- sk "body#<token>#000": the version's sessions as a JSON string, chunked at 300 KB per
  item (DynamoDB's item limit is 400 KB). The demo week is one ~10 KB chunk; 10,000
  sessions are about ten. Chunks are written before the transaction, under a fresh token,
  and only become reachable when it commits, so readers always get a whole version.
- sk "audit#0000000003": one item per publish or rollback.

Everything is a string or an integer, so DynamoDB's Decimals and its refusal of floats
never reach the domain.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.clock import utc_now
from skill.programme.model import Session
from skill.programme.programme import DEFAULT_ZONE, Programme
from skill.programme.store import (
    PUBLISH,
    ROLLBACK,
    AuditEntry,
    ProgrammeConflict,
    StoreUnavailable,
    VersionInfo,
    VersionNotFound,
    dump_sessions,
    load_sessions,
    prepare,
)
from skill.storage.aws_errors import BotoCoreError, ClientError

log = logging.getLogger(__name__)

PK = "programme"
CHUNK_BYTES = 300_000
_ATTEMPTS = 3  # transaction retries while the live version is still the caller's base


def chunks(text: str, size: int = CHUNK_BYTES) -> list[str]:
    """Split `text` into pieces of at most `size` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")
    pieces, start = [], 0
    while start < len(data):
        end = min(start + size, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # continuation byte
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start = end
    return pieces or [""]


@dataclass(frozen=True)
class _Pointer:
    live: int | None
    latest: int
    events: int


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(int(value))}


def _key(sk: str) -> dict[str, Any]:
    return {"pk": _s(PK), "sk": _s(sk)}


def _version_sk(version: int) -> str:
    return f"version#{version:08d}"


class DynamoProgrammeStore:
    """See `skill.programme.store.ProgrammeStore` for the contract.

    `dynamodb` is a low-level boto3 client (`skill.storage.dynamodb.client("dynamodb")`: short
    timeouts, one retry). Do not use ask_sdk_dynamodb here: it builds a resource at import.
    """

    def __init__(
        self,
        table: str,
        dynamodb: Any,
        *,
        zone: str = DEFAULT_ZONE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.table = table
        self._db = dynamodb
        self._zone = zone
        self._clock = clock

    # --- reading ----------------------------------------------------------------------

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            reply: dict[str, Any] = getattr(self._db, operation)(TableName=self.table, **kwargs)
            return reply
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"DynamoDB {operation} failed: {exc}") from exc

    def _pointer(self) -> _Pointer:
        item = self._call("get_item", Key=_key("live"), ConsistentRead=True).get("Item")
        if not item:
            return _Pointer(None, 0, 0)
        return _Pointer(int(item["live"]["N"]), int(item["latest"]["N"]), int(item["events"]["N"]))

    def _query(self, prefix: str, forward: bool = True) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": _s(PK), ":prefix": _s(prefix)},
            "ConsistentRead": True,
            "ScanIndexForward": forward,
        }
        while True:
            page = self._call("query", **kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def live_version_id(self) -> int | None:
        return self._pointer().live

    def get(self, version: int) -> Programme:
        meta = self._call("get_item", Key=_key(_version_sk(version)), ConsistentRead=True)
        item = meta.get("Item")
        if not item:
            raise VersionNotFound(version)
        token, expected = item["body"]["S"], int(item["chunks"]["N"])
        parts = [c["data"]["S"] for c in self._query(f"body#{token}#")]
        if len(parts) != expected:
            raise StoreUnavailable(f"version {version} has {len(parts)} of {expected} chunks")
        return Programme(load_sessions("".join(parts)), zone=item["zone"]["S"], version=version)

    def live(self) -> Programme | None:
        live = self._pointer().live
        return None if live is None else self.get(live)

    def versions(self) -> list[VersionInfo]:
        return [
            VersionInfo(
                id=int(i["version"]["N"]),
                published_at=datetime.fromisoformat(i["published_at"]["S"]),
                author=i["author"]["S"],
                note=i["note"]["S"],
                session_count=int(i["session_count"]["N"]),
                zone=i["zone"]["S"],
            )
            for i in self._query("version#", forward=False)
        ]

    def audit(self) -> list[AuditEntry]:
        return [
            AuditEntry(
                at=datetime.fromisoformat(i["at"]["S"]),
                action=i["action"]["S"],
                version=int(i["version"]["N"]),
                previous=int(i["previous"]["N"]) if "previous" in i else None,
                author=i["author"]["S"],
                note=i["note"]["S"],
            )
            for i in self._query("audit#")
        ]

    # --- writing ----------------------------------------------------------------------

    def publish(
        self,
        sessions: Iterable[Session],
        *,
        base: int | None,
        author: str,
        note: str = "",
        zone: str | None = None,
    ) -> VersionInfo:
        ready = prepare(sessions)
        zone = zone or self._zone
        at = self._clock()
        pointer = self._pointer()
        if pointer.live != base:
            raise ProgrammeConflict(base, pointer.live)
        token = uuid.uuid4().hex
        pieces = chunks(dump_sessions(ready))
        for n, piece in enumerate(pieces):
            self._call(
                "put_item",
                Item={**_key(f"body#{token}#{n:03d}"), "data": _s(piece)},
                ConditionExpression="attribute_not_exists(sk)",
            )
        committed = False
        try:
            for _ in range(_ATTEMPTS):
                new = pointer.latest + 1
                meta = {
                    **_key(_version_sk(new)),
                    "version": _n(new),
                    "published_at": _s(at.isoformat()),
                    "author": _s(author),
                    "note": _s(note),
                    "session_count": _n(len(ready)),
                    "zone": _s(zone),
                    "body": _s(token),
                    "chunks": _n(len(pieces)),
                }
                put_meta = {
                    "Put": {
                        "TableName": self.table,
                        "Item": meta,
                        "ConditionExpression": "attribute_not_exists(sk)",
                    }
                }
                try:
                    committed = self._commit(pointer, new, new, put_meta, at, PUBLISH, author, note)
                except _FirstItemFailed:  # the version number was taken: re-read, go again
                    committed = False
                if committed:
                    return VersionInfo(new, at, author, note, len(ready), zone)
                pointer = self._pointer()
                if pointer.live != base:
                    raise ProgrammeConflict(base, pointer.live)
            raise StoreUnavailable("the programme kept changing; try again")
        finally:
            if not committed:
                self._forget(token, len(pieces))

    def rollback(
        self, version: int, *, base: int | None, author: str, note: str = ""
    ) -> AuditEntry:
        at = self._clock()
        for _ in range(_ATTEMPTS):
            pointer = self._pointer()
            if pointer.live != base:
                raise ProgrammeConflict(base, pointer.live)
            exists = {
                "ConditionCheck": {
                    "TableName": self.table,
                    "Key": _key(_version_sk(version)),
                    "ConditionExpression": "attribute_exists(sk)",
                }
            }
            try:
                if self._commit(
                    pointer, version, pointer.latest, exists, at, ROLLBACK, author, note
                ):
                    return AuditEntry(at, ROLLBACK, version, base, author, note)
            except _FirstItemFailed:
                raise VersionNotFound(version) from None
        raise StoreUnavailable("the programme kept changing; try again")

    def _commit(
        self,
        pointer: _Pointer,
        live: int,
        latest: int,
        first: dict[str, Any],
        at: datetime,
        action: str,
        author: str,
        note: str,
    ) -> bool:
        """One transaction: `first` (the version put or check), the pointer move on
        condition that nothing moved it since `pointer` was read, and the audit entry.
        False when the condition failed (someone else wrote first)."""
        events = pointer.events + 1
        if pointer.events == 0:
            condition, values = "attribute_not_exists(sk)", {}
        else:
            condition, values = "#events = :seen", {":seen": _n(pointer.events)}
        audit = {
            **_key(f"audit#{events:010d}"),
            "at": _s(at.isoformat()),
            "action": _s(action),
            "version": _n(live),
            "author": _s(author),
            "note": _s(note),
        }
        if pointer.live is not None:
            audit["previous"] = _n(pointer.live)
        items = [
            first,
            {
                "Update": {
                    "TableName": self.table,
                    "Key": _key("live"),
                    # Names, not words: several are DynamoDB reserved words.
                    "UpdateExpression": "SET #live = :live, #latest = :latest, #events = :events",
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": {
                        "#live": "live",
                        "#latest": "latest",
                        "#events": "events",
                    },
                    "ExpressionAttributeValues": {
                        ":live": _n(live),
                        ":latest": _n(latest),
                        ":events": _n(events),
                        **values,
                    },
                }
            },
            {
                "Put": {
                    "TableName": self.table,
                    "Item": audit,
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
        ]
        try:
            self._db.transact_write_items(TransactItems=items)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in (
                "TransactionCanceledException",
                "TransactionConflictException",
            ):
                raise StoreUnavailable(f"DynamoDB transaction failed: {exc}") from exc
            reasons = exc.response.get("CancellationReasons") or []
            codes = [r.get("Code") for r in reasons]
            if (
                codes
                and codes[0] == "ConditionalCheckFailed"
                and "ConditionalCheckFailed" not in codes[1:]
            ):
                raise _FirstItemFailed() from exc
            return False
        except BotoCoreError as exc:
            raise StoreUnavailable(f"DynamoDB transaction failed: {exc}") from exc

    def _forget(self, token: str, count: int) -> None:
        """Best effort: remove chunks of a publish that did not commit."""
        for n in range(count):
            try:
                self._db.delete_item(TableName=self.table, Key=_key(f"body#{token}#{n:03d}"))
            except (BotoCoreError, ClientError):
                log.warning("could not remove an unpublished programme chunk %s#%d", token, n)


class _FirstItemFailed(Exception):
    """Only the transaction's first item failed its condition (a version that isn't there,
    or a version number someone else took)."""
