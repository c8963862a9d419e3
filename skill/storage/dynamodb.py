"""boto3 clients for cloud mode, sized for a voice request, and the DynamoDB user-state store.

Alexa waits 8 s for an answer, so every AWS call gets short timeouts (connect 1 s, read 2 s)
and at most two attempts; boto3's defaults (60 s reads, several retries) would let one slow
call eat the whole answer. Endpoints follow `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`
(boto3 reads them itself), which is how tests point everything at a local moto server.

DynamoDB hands numbers back as `Decimal` and refuses floats, so values are converted here, at
the boundary, and the rest of the skill only ever sees plain JSON-style values.
"""

from __future__ import annotations

import logging
import math
import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from skill.settings import Settings

log = logging.getLogger(__name__)

# botocore's `max_attempts` counts retries (2 would mean three tries, 6 s of reads);
# `total_max_attempts` counts tries: one retry, then give up.
CLIENT_CONFIG = Config(
    connect_timeout=1,
    read_timeout=2,
    retries={"total_max_attempts": 2, "mode": "standard"},
)

#: What a failed AWS call raises: network trouble, timeouts, or an error answer.
AWS_ERRORS = (BotoCoreError, ClientError)

_session: boto3.session.Session | None = None
_clients: dict[tuple[str, str | None, str | None], Any] = {}
_lock = threading.Lock()


def client(service: str, *, region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A shared, thread-safe client per service: creating one costs tens of milliseconds."""
    key = (service, region, endpoint_url)
    with _lock:
        found = _clients.get(key)
        if found is None:
            global _session
            if _session is None:
                _session = boto3.session.Session()
            found = _session.client(
                service, region_name=region, endpoint_url=endpoint_url, config=CLIENT_CONFIG
            )
            _clients[key] = found
        return found


def reset_clients() -> None:
    """Forget cached clients (tests that move the endpoint, a simulated cold start)."""
    global _session
    with _lock:
        _clients.clear()
        _session = None


# --- values across the DynamoDB boundary ----------------------------------------------------


def to_dynamo(value: Any) -> Any:
    """JSON-style value -> what DynamoDB accepts (floats become exact decimal strings)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int | Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"DynamoDB cannot store {value!r}")
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {str(k): to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamo(v) for v in value]
    raise TypeError(f"{type(value).__name__} is not a JSON-style value")


def from_dynamo(value: Any) -> Any:
    """DynamoDB value -> plain Python: whole Decimals become int, others float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [from_dynamo(v) for v in value]
    return value


_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_attribute(value: Any) -> dict[str, Any]:
    """One value in the low-level client's typed form ({"N": "1.5"}, {"M": {...}}, ...)."""
    attribute: dict[str, Any] = _serializer.serialize(to_dynamo(value))
    return attribute


def from_attribute(attribute: dict[str, Any]) -> Any:
    return from_dynamo(_deserializer.deserialize(attribute))


# --- per-user state -------------------------------------------------------------------------

USER_KEY = "user_id"
# The state table's TTL attribute (template.yaml): a preference by that name would vanish.
EXPIRES = "expires"


class DynamoStateStore:
    """One item per user, one attribute per preference.

    A preference is set with a single UpdateItem (no read-modify-write race between two
    devices of the same user). Reads degrade to "no preferences" when DynamoDB is unreachable:
    a missing speaking rate must not cost the person their answer. Writes raise, so the
    intent that asked for the change can say it didn't stick.
    """

    def __init__(self, table: str, dynamodb: Any) -> None:
        self.table = table
        self._db = dynamodb

    def _key(self, user_id: str) -> dict[str, Any]:
        return {USER_KEY: {"S": user_id}}

    def get(self, user_id: str) -> dict[str, Any]:
        try:
            item = self._db.get_item(
                TableName=self.table, Key=self._key(user_id), ConsistentRead=True
            ).get("Item")
        except AWS_ERRORS as exc:
            log.warning("user state unavailable (%s); using defaults", exc.__class__.__name__)
            return {}
        return {k: from_attribute(v) for k, v in (item or {}).items() if k != USER_KEY}

    def put(self, user_id: str, key: str, value: Any) -> None:
        if not key or key in (USER_KEY, EXPIRES):
            raise ValueError(f"{key!r} cannot be used as a state key")
        self._db.update_item(
            TableName=self.table,
            Key=self._key(user_id),
            UpdateExpression="SET #k = :v",
            ExpressionAttributeNames={"#k": key},
            ExpressionAttributeValues={":v": to_attribute(value)},
        )

    def delete_user(self, user_id: str) -> None:
        self._db.delete_item(TableName=self.table, Key=self._key(user_id))


def dynamodb_state_store(settings: Settings) -> DynamoStateStore:
    return DynamoStateStore(settings.state_table, client("dynamodb"))
