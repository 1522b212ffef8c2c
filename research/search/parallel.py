"""Running one search's independent reads at the same time, on PostgreSQL.

A search asks the database several independent questions (the transcript matches beside the
other types'; the filter counts beside the result details). On PostgreSQL each connection has
its own server process, so a second connection answers one of them on another core while the
request's own connection answers the rest: a search waits for the slower part, not the sum.

Only outside a transaction: another connection would not see the request's uncommitted writes.
SQLite reads in the request's process anyway, so there everything runs in line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_connections: set = set()  # the helper threads' own connections


def enabled() -> bool:
    return (
        settings.FIELDNOTES_SEARCH_PARALLEL
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def start(function: Callable, /, *args, **kwargs) -> Future:
    """Run `function` on a helper thread's own connection when `enabled()`, else right now;
    `.result()` of what is returned gives its value (or raises its error)."""
    if not enabled():
        done: Future = Future()
        try:
            done.set_result(function(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - handed to the caller by .result()
            done.set_exception(error)
        return done
    return _pool().submit(_on_own_connection, function, args, kwargs)


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search")
        return _executor


def _on_own_connection(function: Callable, args: tuple, kwargs: dict):
    # The thread keeps its connection between searches, like a request thread does, and
    # drops it once broken or older than CONN_MAX_AGE.
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        _connections.add(connections[DEFAULT_DB_ALIAS])
        close_old_connections()


def shutdown() -> None:
    """Stop the helper threads and close their connections (tests; a process just exits)."""
    global _executor
    with _lock:
        if _executor is not None:
            _executor.shutdown(wait=True)
            _executor = None
        for wrapper in _connections:
            wrapper.inc_thread_sharing()  # the threads are gone: closing from here is safe
            try:
                wrapper.close()
            finally:
                wrapper.dec_thread_sharing()
        _connections.clear()
