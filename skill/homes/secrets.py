"""Plug credentials at rest: sealed with Fernet locally, SSM SecureString in the cloud.

A credential is written by an OT on the admin page and read only to build that home's
plugs; it is never shown again (pages show "set" / "not set"), never logged, never exported.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Protocol

from skill.homes.store import HomeStore

KEY_FILE = "homes.key"


class PlugSecrets(Protocol):
    def put(self, home_id: str, name: str, value: str) -> None: ...
    def get_all(self, home_id: str) -> dict[str, str]: ...
    def names(self, home_id: str) -> set[str]: ...
    def delete(self, home_id: str, name: str) -> None: ...


def load_or_create_key(data_dir: Path) -> bytes:
    """The Fernet key in the data folder, created once, readable only by the server's user."""
    from cryptography.fernet import Fernet

    path = Path(data_dir) / KEY_FILE
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class SealedSecrets:
    """Credentials kept in the homes store, encrypted with the data folder's key.

    The key (and `cryptography`) are only touched when a credential is stored or read, so a
    process whose homes have none, such as the Lambda bundle's local check, needs neither.
    """

    def __init__(self, store: HomeStore, data_dir: Path) -> None:
        self._store = store
        self._data_dir = Path(data_dir)
        self._cipher: Any = None

    @classmethod
    def in_folder(cls, store: HomeStore, data_dir: Path) -> SealedSecrets:
        return cls(store, data_dir)

    def _fernet(self) -> Any:
        if self._cipher is None:
            from cryptography.fernet import Fernet

            self._cipher = Fernet(load_or_create_key(self._data_dir))
        return self._cipher

    def put(self, home_id: str, name: str, value: str) -> None:
        sealed = self._fernet().encrypt(value.encode("utf-8")).decode("ascii")
        self._store.put_secret(home_id, name, sealed)

    def get_all(self, home_id: str) -> dict[str, str]:
        stored = self._store.secrets(home_id)
        if not stored:
            return {}
        from cryptography.fernet import InvalidToken

        values: dict[str, str] = {}
        for name, sealed in stored.items():
            try:
                values[name] = self._fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
            except InvalidToken:
                # Another key (a copied store): the plug will report an auth failure.
                continue
        return values

    def names(self, home_id: str) -> set[str]:
        return set(self._store.secrets(home_id))

    def delete(self, home_id: str, name: str) -> None:
        self._store.delete_secret(home_id, name)


class ParameterStoreSecrets:
    """Cloud mode: each credential is an SSM Parameter Store SecureString under `prefix`.

    `{prefix}/{home}/{device}/{password|token}`; the homes store keeps a marker row per
    name (so pages can say "set" and a change bumps the home's revision). The client is
    handed in; the Lambda's role may only GetParametersByPath under the prefix.
    """

    def __init__(self, store: HomeStore, ssm: Any, prefix: str) -> None:
        self._store = store
        self._ssm = ssm
        self.prefix = "/" + prefix.strip("/")

    def _path(self, home_id: str) -> str:
        return f"{self.prefix}/{home_id}/"

    def put(self, home_id: str, name: str, value: str) -> None:
        self._ssm.put_parameter(
            Name=self._path(home_id) + name, Value=value, Type="SecureString", Overwrite=True
        )
        self._store.put_secret(home_id, name, "ssm")

    def get_all(self, home_id: str) -> dict[str, str]:
        path = self._path(home_id)
        kwargs: dict[str, object] = {"Path": path, "Recursive": True, "WithDecryption": True}
        values: dict[str, str] = {}
        while True:
            page = self._ssm.get_parameters_by_path(**kwargs)
            for parameter in page.get("Parameters", []):
                values[parameter["Name"].removeprefix(path)] = parameter["Value"]
            if not page.get("NextToken"):
                return values
            kwargs["NextToken"] = page["NextToken"]

    def names(self, home_id: str) -> set[str]:
        return set(self._store.secrets(home_id))

    def delete(self, home_id: str, name: str) -> None:
        with contextlib.suppress(self._ssm.exceptions.ParameterNotFound):
            self._ssm.delete_parameter(Name=self._path(home_id) + name)
        self._store.delete_secret(home_id, name)
