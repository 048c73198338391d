"""The database settings from ``DATABASE_URL``, with what each engine needs to take
concurrent writers (the development server, its background worker, several threads)."""

import dj_database_url

# Seconds a SQLite writer waits for another's transaction to end before giving up.
SQLITE_BUSY_TIMEOUT = 20


def database_config(url: str, *, conn_max_age: int = 60) -> dict:
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite's default (deferred) transactions take the write lock only at their
        # first write: two that have both read cannot both write, and the second fails
        # at once with "database is locked", whatever the timeout. Immediate ones take
        # the lock when they begin, so the second waits its turn, up to the timeout.
        config.setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "timeout": SQLITE_BUSY_TIMEOUT}
        )
    return config
