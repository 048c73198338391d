"""SQLite, as `make run` uses it: a writer waits for another's transaction, never fails at once.

The server's threads and the background worker write to one SQLite file. With
SQLite's default deferred transactions, two that have both read cannot both
write: the second fails at once with "database is locked" (a 500), whatever
the timeout. ``settings.database`` makes them immediate, with a busy timeout.
"""

import threading

from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from settings.database import SQLITE_BUSY_TIMEOUT, database_config


def connect(path, alias: str) -> DatabaseWrapper:
    """A connection with the settings `make run` uses, known as ``alias`` in this thread."""
    config = database_config(f"sqlite:///{path}", conn_max_age=0)
    for key, value in {"TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False}.items():
        config.setdefault(key, value)
    connections[alias] = DatabaseWrapper(config, alias=alias)
    return connections[alias]


def test_sqlite_transactions_are_immediate_with_a_busy_timeout(tmp_path):
    options = database_config(f"sqlite:///{tmp_path / 'x.db'}")["OPTIONS"]
    assert options == {"transaction_mode": "IMMEDIATE", "timeout": SQLITE_BUSY_TIMEOUT}


def test_postgresql_is_left_as_it_is():
    assert "transaction_mode" not in database_config("postgres://u@127.0.0.1:5432/db").get("OPTIONS", {})


def test_two_read_then_write_transactions_both_commit(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database of its own, not the suite's
        two_read_then_write_transactions(tmp_path / "db.sqlite3")


def two_read_then_write_transactions(path):
    first = connect(path, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    second_has_read = threading.Event()
    errors: list[Exception] = []

    def second_writer():
        second = connect(path, "second")
        try:
            with transaction.atomic(using="second"), second.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")  # deferred: only a read lock yet
                second_has_read.set()
                cursor.execute("UPDATE counter SET n = n + 1")
        except Exception as err:  # "database is locked", reported below
            errors.append(err)
        finally:
            second.close()

    try:
        with transaction.atomic(using="first"), first.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            thread = threading.Thread(target=second_writer)
            thread.start()
            # Deferred, the second transaction reads now; immediate, it waits for this one to end.
            second_has_read.wait(timeout=1)
            cursor.execute("UPDATE counter SET n = n + 1")
        thread.join(timeout=SQLITE_BUSY_TIMEOUT + 5)
        assert errors == []
        with first.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            assert cursor.fetchone() == (2,)
    finally:
        first.close()
