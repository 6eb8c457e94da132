"""The members' phones in the drill: HTTP requests sent again when they fail, as an app would.

A request that gets no answer (refused, reset, cut short, timed out) or a 5xx answer is sent again
after a pause that doubles (BACKOFF, 2 × BACKOFF, …), at most TRIES times in all; the last answer
counts. That is safe here only because what is sent again is idempotent (the check-in: a repeat
answers 200 "lap_lai"). 4xx answers are final: sending them again changes nothing.

Built on the benchmark's raw HTTP/1.1 client (`bench.checkin_burst.Connection`).
"""

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bench.checkin_burst import REQUEST_ERRORS, REQUEST_TIMEOUT, Connection

TRIES = 5
BACKOFF = 0.1


@dataclass
class Outcome:
    """The last answer to one request (status None: no answer), when it was first sent and when the
    last answer came, and how many times it was sent."""

    key: object
    status: int | None
    body: bytes
    started: float
    ended: float
    tries: int


def worth_another_try(status: int | None) -> bool:
    """No answer, or the server's (or the balancer's) failure: 5xx."""
    return status is None or status >= 500


async def send(connection: Connection, raw: bytes, tries: int = TRIES, backoff: float = BACKOFF):
    """RAW sent on CONNECTION until it is answered below 500, at most TRIES times: (status, body, tries)."""
    for attempt in range(1, tries + 1):
        try:
            status, body = await asyncio.wait_for(connection.request(raw), REQUEST_TIMEOUT)
        except REQUEST_ERRORS as error:
            connection.close()  # a new connection for the next try
            status, body = None, repr(error).encode()
        if not worth_another_try(status) or attempt == tries:
            return status, body, attempt
        await asyncio.sleep(backoff * 2 ** (attempt - 1))


async def fire(host: str, port: int, jobs, concurrency: int, on_answer: Callable[[int], None] = lambda done: None,
               tries: int = TRIES, backoff: float = BACKOFF) -> list[Outcome]:  # fmt: skip
    """Send JOBS [(key, raw request)] over CONCURRENCY connections to HOST:PORT, each until answered
    (`send`); ON_ANSWER(answered so far) is called after each. The outcomes, in the order answered."""
    pending = deque(jobs)
    outcomes = []

    async def client():
        connection = Connection(port, host)
        try:
            while pending:
                key, raw = pending.popleft()
                started = time.perf_counter()
                status, body, used = await send(connection, raw, tries, backoff)
                outcomes.append(Outcome(key, status, body, started, time.perf_counter(), used))
                on_answer(len(outcomes))
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return outcomes
