"""Named admin accounts with roles, replacing the one shared password.

*editor* changes the programme; *ot* sees only the homes assigned to them (and never another
OT's homes or people); *admin* manages accounts and everything else. The old single
`VOICE_DEMO_ADMIN_PASSWORD` still logs in, as an administrator, for a one-person demo.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from skill.homes.model import Account, HomeError, Role
from skill.homes.passwords import check_password, hash_password, weak
from skill.homes.store import HomeStore

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,59}")


class SharedPassword(Protocol):
    """The one-person demo's password (skill/web/admin/auth.py: PasswordCheck)."""

    fingerprint: str

    def matches(self, attempt: str) -> bool: ...


class Accounts:
    def __init__(self, store: HomeStore, shared: SharedPassword | None = None) -> None:
        self.store = store
        self.shared = shared

    def add(self, name: str, role: str, password: str) -> Account:
        name = _clean(name)
        if self.store.get_account(name) is not None:
            raise HomeError(
                f"There is already an account called {name!r}: enter another name.", "name"
            )
        problem = weak(password)
        if problem:
            raise HomeError(problem, "password")
        account = Account(name, _role(role), hash_password(password))
        self.store.put_account(account)
        return account

    def get(self, name: str) -> Account | None:
        return self.store.get_account(" ".join(name.split()))

    def require(self, name: str) -> Account:
        found = self.get(name)
        if found is None:
            raise HomeError(f"There is no account called {name!r}.")
        return found

    def all(self) -> list[Account]:
        return self.store.accounts()

    def remove(self, name: str) -> None:
        if not self.store.remove_account(self.require(name).name):
            raise HomeError(f"There is no account called {name!r}.")

    def set_password(self, name: str, password: str) -> None:
        account = self.require(name)
        problem = weak(password)
        if problem:
            raise HomeError(problem)
        self.store.put_account(
            Account(account.name, account.role, hash_password(password), account.homes)
        )

    def set_role(self, name: str, role: str) -> Account:
        account = self.require(name)
        updated = Account(account.name, _role(role), account.password_hash, account.homes)
        self.store.put_account(updated)
        return updated

    def assign(self, name: str, home_id: str, assigned: bool = True) -> Account:
        account = self.require(name)
        if self.store.get_home(home_id) is None:
            raise HomeError(f"There is no home {home_id!r}.")
        if account.role is not Role.OT:
            raise HomeError(f"{account.name} is not an OT account; only OTs are assigned homes.")
        homes = account.homes | {home_id} if assigned else account.homes - {home_id}
        updated = Account(account.name, account.role, account.password_hash, frozenset(homes))
        self.store.put_account(updated)
        return updated

    def log_in(self, name: str, password: str) -> Account | None:
        """The account these credentials open, or None.

        A named account is checked against its own hash only; any other name with the shared
        password is the one-person demo's administrator (named as typed, for the change log).
        """
        name = " ".join(name.split())
        if not name or not password:
            return None
        account = self.store.get_account(name)
        if account is not None:
            return account if check_password(account.password_hash, password) else None
        if self.shared is not None and self.shared.matches(password):
            return Account(name, Role.ADMIN)
        return None

    def fingerprint(self, account: Account) -> str:
        """Changes when the account's password or role changes: old sessions stop working.

        Built from the salted scrypt hash, never the password, since cookies are only signed.
        """
        if not account.password_hash:
            if self.shared is None:
                return ""
            # Keep the cookie as small as before accounts: it carries flashed messages too.
            return hashlib.sha256(f"shared:{self.shared.fingerprint}".encode()).hexdigest()[:16]
        basis = f"{account.password_hash}|{account.role.value}"
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def current(self, name: str, fingerprint: str) -> Account | None:
        """The account a session names, if the session is still valid for it."""
        account = self.store.get_account(name)
        if account is None:
            if self.shared is None:
                return None
            account = Account(name, Role.ADMIN)
        found = self.fingerprint(account)
        return account if found and found == fingerprint else None


def _clean(name: str) -> str:
    name = " ".join(name.split())
    if not _NAME.fullmatch(name):
        raise HomeError(
            "Enter a name of 1 to 60 letters, digits, spaces or . _ @ -, "
            "starting with a letter or digit.",
            "name",
        )
    return name


def _role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise HomeError(
            f"Choose a role: editor, ot or admin ({role!r} is not one).", "role"
        ) from None
