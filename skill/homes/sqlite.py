"""The homes store in one SQLite file in the data folder (`homes.sqlite3`)."""

from __future__ import annotations

import json
from pathlib import Path

from skill.homes.model import Account, Home, LinkCode, Role
from skill.homes.store import StoredRegistry
from skill.storage.sqlite import ThreadConnections

FILENAME = "homes.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS homes (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, time_zone TEXT NOT NULL,
    registry TEXT, revision INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS homes_label ON homes (label COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS secrets (
    home_id TEXT NOT NULL, name TEXT NOT NULL, sealed TEXT NOT NULL,
    PRIMARY KEY (home_id, name));
CREATE TABLE IF NOT EXISTS speakers (device_id TEXT PRIMARY KEY, home_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS speakers_home ON speakers (home_id);
CREATE TABLE IF NOT EXISTS oauth_accounts (sub TEXT PRIMARY KEY, home_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS link_codes (
    code TEXT PRIMARY KEY, device_id TEXT NOT NULL, expires_at REAL NOT NULL, used_at REAL);
CREATE TABLE IF NOT EXISTS people (
    home_id TEXT NOT NULL, user TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (home_id, user));
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    homes TEXT NOT NULL DEFAULT '[]');
"""
# A used or expired code is kept this long, so typing it again says "used"/"expired".
KEEP_CODES_S = 24 * 3600


class SqliteHomeStore:
    def __init__(self, path: Path) -> None:
        self._db = ThreadConnections(path, schema=SCHEMA)

    @classmethod
    def in_folder(cls, data_dir: Path) -> SqliteHomeStore:
        return cls(Path(data_dir) / FILENAME)

    # --- homes -------------------------------------------------------------------------

    def put_home(self, home: Home) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO homes (id, label, time_zone) VALUES (?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET label = excluded.label,"
                " time_zone = excluded.time_zone",
                (home.id, home.label, home.time_zone),
            )

    def get_home(self, home_id: str) -> Home | None:
        row = (
            self._db()
            .execute("SELECT id, label, time_zone FROM homes WHERE id = ?", (home_id,))
            .fetchone()
        )
        return Home(*row) if row else None

    def homes(self) -> list[Home]:
        rows = self._db().execute("SELECT id, label, time_zone FROM homes ORDER BY label")
        return [Home(*row) for row in rows]

    def remove_home(self, home_id: str) -> None:
        with self._db() as db:
            for table in ("homes", "secrets", "speakers", "oauth_accounts", "people"):
                column = "id" if table == "homes" else "home_id"
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (home_id,))
            for name, homes in db.execute("SELECT name, homes FROM accounts").fetchall():
                kept = [h for h in json.loads(homes) if h != home_id]
                db.execute("UPDATE accounts SET homes = ? WHERE name = ?", (json.dumps(kept), name))

    # --- registry and secrets ----------------------------------------------------------

    def registry(self, home_id: str) -> StoredRegistry | None:
        row = (
            self._db()
            .execute("SELECT registry, revision FROM homes WHERE id = ?", (home_id,))
            .fetchone()
        )
        if row is None or row[0] is None:
            return None
        return StoredRegistry(row[0], row[1])

    def put_registry(self, home_id: str, text: str) -> int:
        with self._db() as db:
            db.execute(
                "UPDATE homes SET registry = ?, revision = revision + 1 WHERE id = ?",
                (text, home_id),
            )
            row = db.execute("SELECT revision FROM homes WHERE id = ?", (home_id,)).fetchone()
        return int(row[0]) if row else 0

    def secrets(self, home_id: str) -> dict[str, str]:
        rows = self._db().execute("SELECT name, sealed FROM secrets WHERE home_id = ?", (home_id,))
        return dict(rows.fetchall())

    def put_secret(self, home_id: str, name: str, sealed: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO secrets (home_id, name, sealed) VALUES (?, ?, ?)"
                " ON CONFLICT(home_id, name) DO UPDATE SET sealed = excluded.sealed",
                (home_id, name, sealed),
            )
            # A credential changes the plug: a cached DeviceService must be rebuilt.
            db.execute("UPDATE homes SET revision = revision + 1 WHERE id = ?", (home_id,))

    def delete_secret(self, home_id: str, name: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM secrets WHERE home_id = ? AND name = ?", (home_id, name))
            db.execute("UPDATE homes SET revision = revision + 1 WHERE id = ?", (home_id,))

    # --- speakers and accounts ---------------------------------------------------------

    def speaker_home(self, device_id: str) -> str | None:
        row = (
            self._db()
            .execute("SELECT home_id FROM speakers WHERE device_id = ?", (device_id,))
            .fetchone()
        )
        return row[0] if row else None

    def link_speaker(self, device_id: str, home_id: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO speakers (device_id, home_id) VALUES (?, ?)"
                " ON CONFLICT(device_id) DO UPDATE SET home_id = excluded.home_id",
                (device_id, home_id),
            )

    def unlink_speaker(self, device_id: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM speakers WHERE device_id = ?", (device_id,)).rowcount > 0

    def speakers(self, home_id: str) -> list[str]:
        rows = self._db().execute(
            "SELECT device_id FROM speakers WHERE home_id = ? ORDER BY device_id", (home_id,)
        )
        return [row[0] for row in rows]

    def account_home(self, sub: str) -> str | None:
        row = (
            self._db()
            .execute("SELECT home_id FROM oauth_accounts WHERE sub = ?", (sub,))
            .fetchone()
        )
        return row[0] if row else None

    def link_account(self, sub: str, home_id: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO oauth_accounts (sub, home_id) VALUES (?, ?)"
                " ON CONFLICT(sub) DO UPDATE SET home_id = excluded.home_id",
                (sub, home_id),
            )

    def unlink_account(self, sub: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM oauth_accounts WHERE sub = ?", (sub,)).rowcount > 0

    # --- link codes ----------------------------------------------------------------------

    def add_code(self, code: LinkCode, now: float) -> bool:
        with self._db() as db:
            db.execute("DELETE FROM link_codes WHERE expires_at < ?", (now - KEEP_CODES_S,))
            cursor = db.execute(
                "INSERT INTO link_codes (code, device_id, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT(code) DO UPDATE SET device_id = excluded.device_id,"
                " expires_at = excluded.expires_at, used_at = NULL"
                " WHERE link_codes.used_at IS NOT NULL OR link_codes.expires_at < ?",
                (code.code, code.device_id, code.expires_at, now),
            )
            return cursor.rowcount > 0

    def use_code(self, code: str, now: float) -> LinkCode | None:
        """The code as it was before this use; it is marked used if it was live."""
        db = self._db()
        with db:
            row = db.execute(
                "SELECT code, device_id, expires_at, used_at FROM link_codes WHERE code = ?",
                (code,),
            ).fetchone()
            if row is None:
                return None
            found = LinkCode(*row)
            if found.used_at is None and found.expires_at > now:
                updated = db.execute(
                    "UPDATE link_codes SET used_at = ? WHERE code = ? AND used_at IS NULL",
                    (now, code),
                ).rowcount
                if not updated:  # another request used it between our read and write
                    return LinkCode(found.code, found.device_id, found.expires_at, now)
        return found

    # --- people ------------------------------------------------------------------------

    def person_labels(self, home_id: str) -> dict[str, str]:
        rows = self._db().execute("SELECT user, label FROM people WHERE home_id = ?", (home_id,))
        return dict(rows.fetchall())

    def set_person_label(self, home_id: str, user: str, label: str) -> None:
        with self._db() as db:
            if not label:
                db.execute("DELETE FROM people WHERE home_id = ? AND user = ?", (home_id, user))
                return
            db.execute(
                "INSERT INTO people (home_id, user, label) VALUES (?, ?, ?)"
                " ON CONFLICT(home_id, user) DO UPDATE SET label = excluded.label",
                (home_id, user, label),
            )

    # --- admin accounts ------------------------------------------------------------------

    def put_account(self, account: Account) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO accounts (name, role, password_hash, homes) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET role = excluded.role,"
                " password_hash = excluded.password_hash, homes = excluded.homes",
                (account.name, account.role.value, account.password_hash, _homes(account)),
            )

    def get_account(self, name: str) -> Account | None:
        row = (
            self._db()
            .execute(
                "SELECT name, role, password_hash, homes FROM accounts WHERE name = ?", (name,)
            )
            .fetchone()
        )
        return _account(row) if row else None

    def accounts(self) -> list[Account]:
        rows = self._db().execute(
            "SELECT name, role, password_hash, homes FROM accounts ORDER BY name"
        )
        return [_account(row) for row in rows]

    def remove_account(self, name: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount > 0


def _homes(account: Account) -> str:
    return json.dumps(sorted(account.homes))


def _account(row: tuple[str, str, str, str]) -> Account:
    return Account(row[0], Role(row[1]), row[2], frozenset(json.loads(row[3])))
