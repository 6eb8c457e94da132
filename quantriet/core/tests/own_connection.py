"""Running test code outside the test's transaction (shared by tests; no tests here)."""

import threading

from django.db import connection


def in_own_connection(work):
    """Run WORK so that every connection sees what it wrote. PostgreSQL: in a thread of its own,
    whose connection commits at once. SQLite: in the test's connection, the only writer there."""
    if connection.vendor != "postgresql":
        return work()
    done = {}

    def run():
        try:
            done["result"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return done["result"]
