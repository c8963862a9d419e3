"""The shared SQLite helper: a data folder several processes open at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from skill.storage.sqlite import ThreadConnections


def test_opening_waits_for_another_processs_write_instead_of_failing(tmp_path):
    # A second process mid-write on a file not yet in WAL mode: SQLite refuses the switch at
    # once (no busy handler), which used to fail a plug command with "database is locked".
    path = tmp_path / "shared.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (a)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.3, other.execute, args=("COMMIT",)).start()

    conns = ThreadConnections(path, schema="CREATE TABLE IF NOT EXISTS t (a);", timeout=5.0)

    assert conns().execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conns().execute("SELECT a FROM t").fetchall() == [(1,)]
    other.close()


def test_a_lock_held_past_the_timeout_still_fails_loudly(tmp_path):
    path = tmp_path / "stuck.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE t (a)")
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        ThreadConnections(path, timeout=0.2)()
    other.rollback()
    other.close()
