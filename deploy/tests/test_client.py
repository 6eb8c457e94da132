"""The drill's phones (deploy.client): a request with no answer or a 5xx answer is sent again, with a
doubling pause, at most TRIES times; a 4xx is final. Against a real server on a local port whose
answers are scripted: the connection cut before any answer, a 503, then a 200."""

import asyncio

from bench.checkin_burst import http_request
from deploy import client


class Scripted:
    """A local HTTP server answering each request with the next of SCRIPT: a status, or None for
    a connection closed without an answer. Records what it received and when."""

    def __init__(self, script):
        self.script = list(script)
        self.seen = []

    async def handle(self, reader, writer):
        while self.script:
            head = (await reader.readuntil(b"\r\n\r\n")).decode().lower()
            await reader.readexactly(int(head.split("content-length:")[1].split("\r\n")[0]))
            self.seen.append(asyncio.get_running_loop().time())
            status = self.script.pop(0)
            if status is None:
                break  # cut: the client sees the connection close with no status line
            body = b'{"outcome": "ok"}'
            writer.write(b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n%s" % (status, len(body), body))
            await writer.drain()
        writer.close()


def answer(script, tries=client.TRIES, backoff=0.01, jobs=1):
    """The outcomes of JOBS requests sent to a Scripted(SCRIPT) server, and the server."""
    server = Scripted(script)

    async def main():
        listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = listening.sockets[0].getsockname()[1]
        requests = [(i, http_request("POST", port, "/api/v1/x", "t", b"{}")) for i in range(jobs)]
        async with listening:
            return await client.fire("127.0.0.1", port, requests, 1, tries=tries, backoff=backoff)

    return asyncio.run(main()), server


def test_a_request_cut_then_refused_by_a_5xx_is_sent_again_until_answered():
    [outcome], server = answer([None, 503, 200])
    assert (outcome.status, outcome.tries) == (200, 3) and outcome.body == b'{"outcome": "ok"}'
    first, second, third = server.seen
    assert third - second >= 2 * 0.01 > 0 and second - first >= 0.01  # the pause doubles


def test_the_last_answer_counts_after_tries_run_out():
    [outcome], server = answer([502, 502, 502, 200], tries=3)
    assert (outcome.status, outcome.tries) == (502, 3) and len(server.seen) == 3


def test_a_4xx_is_final():
    [outcome], server = answer([409, 200])
    assert (outcome.status, outcome.tries) == (409, 1) and len(server.seen) == 1


def test_every_request_is_answered_once_and_counted():
    outcomes, _ = answer([200, 503, 200, 200], jobs=3)
    assert sorted(o.key for o in outcomes) == [0, 1, 2] and [o.tries for o in outcomes] == [1, 2, 1]
    assert all(o.status == 200 and o.ended >= o.started for o in outcomes)
