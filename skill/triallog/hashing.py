"""Keyed hashes of Alexa user ids, so the trial log can't be matched back to a person.

A plain SHA-256 of an id could be reversed by anyone holding a list of ids (hash each, compare);
an HMAC needs the install's secret too. The secret comes from `VOICE_DEMO_TRIAL_SECRET`, else
a file in the data folder (created once, owner-only), else — in cloud mode, where /tmp is not
kept — one item in the user-state table, created once with a conditional write so concurrent
cold starts agree on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.settings import Settings

ENV = "VOICE_DEMO_TRIAL_SECRET"
SECRET_FILE = "trial_secret"
SECRET_ITEM = "voice-demo#trial-secret"  # a state-table key no Alexa user id can take
HASH_CHARS = 16  # 64 bits: unambiguous for any trial, short enough to read out or paste
_HASH = re.compile(rf"[0-9a-f]{{{HASH_CHARS}}}")


def hash_user(secret: bytes, user_id: str) -> str:
    return hmac.new(secret, user_id.encode(), hashlib.sha256).hexdigest()[:HASH_CHARS]


def looks_hashed(value: str) -> bool:
    """True for a hash as the admin page shows it (so the CLI accepts either form)."""
    return bool(_HASH.fullmatch(value))


def file_secret(folder: Path, name: str = SECRET_FILE) -> bytes:
    """The secret kept in `folder/name` (skill/feedback keeps its own the same way)."""
    path = folder / name
    if not path.exists():
        # Written whole to a temporary name, then linked into place: link() refuses to
        # replace, so two processes starting together both end up with the first secret.
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        raise ValueError(f"{path} holds no usable secret; remove it to start afresh")
    return value.encode()


def dynamodb_secret(table: str, dynamodb: Any, item_id: str = SECRET_ITEM) -> bytes:
    key = {"user_id": {"S": item_id}}
    item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item") or {}
    if "secret" in item:
        return str(item["secret"]["S"]).encode()
    # If another container made it first, the condition fails and we read theirs.
    with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET secret = :s",
            ConditionExpression="attribute_not_exists(secret)",
            ExpressionAttributeValues={":s": {"S": secrets.token_hex(32)}},
        )
    item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    return str(item["secret"]["S"]).encode()


def load_secret(settings: Settings) -> bytes:
    return kept_secret(settings, settings.trial_secret, ENV, SECRET_FILE, SECRET_ITEM)


def kept_secret(
    settings: Settings, from_env: str | None, env: str, file_name: str, item_id: str
) -> bytes:
    """A secret from its setting (`env`), else kept in the data folder (`file_name`) or, in
    the cloud, in one item of the state table (`item_id`), made once by whoever comes first."""
    if from_env:
        if len(from_env) < 16:
            raise ValueError(f"{env} is too short to be a secret (use 32 or more characters)")
        return from_env.encode()
    if settings.store == "dynamodb":
        from skill.storage.dynamodb import client

        return dynamodb_secret(settings.state_table, client("dynamodb"), item_id)
    return file_secret(settings.data_dir, file_name)


def user_hasher(settings: Settings) -> Callable[[str], str]:
    """A hash function bound to this install's secret, loaded on first use: a cold start
    never waits for it, and if it can't be had, only the log entry is lost, not the answer."""
    secret: list[bytes] = []

    def hash_(user_id: str) -> str:
        if not secret:
            secret.append(load_secret(settings))
        return hash_user(secret[0], user_id)

    return hash_
