"""A page's work beside the crawl: what a fetched page shows, extracted, normalized, scored and
judged against its client, done in a second process while the crawl goes on.

The crawling process is one core's work: Scrapy's own, napaudit's middlewares, storing. A page's
work (extraction ~0.45 ms, normalizing and scoring what it shows ~0.5 ms, judging) doubled it,
so `audit --listings` with many pages hands the page text to a worker forked before the crawl
(`PageWorker`) and stores the rows the worker sends back (`auditor.store.result_rows`, plain
tuples). Both ways run `page_rows`, so the store holds the same either way
(tests/test_pagework.py).

The worker shares the clients as the audit normalized them (forked after, copied on write). It
ignores Ctrl-C: the crawl drains on Ctrl-C and waits for what the worker still holds. It ends
when the crawl closes its pipe, or when the crawling process dies (its pipe ends are its own).
"""

from __future__ import annotations

import fcntl
import gc
import os
import pickle
import select
import signal
import traceback
from collections import deque
from multiprocessing import get_context
from multiprocessing.connection import Connection

from napaudit.auditor.audit import not_checked, page_listing
from napaudit.auditor.normalize.record import Normalized
from napaudit.auditor.store import ResultRows, result_rows
from napaudit.spiders.extract import extract
from napaudit.spiders.outcome import OK, from_response, no_business

# Pages handed over and not yet answered, past which the crawl waits for answers: the worker
# holds at most this many pages' text.
MOST_PENDING = 256
CHUNK = 32  # answers sent back together at most, so that the crawl stores as they come
_PIPE_SIZE = 1 << 20  # Linux's default most for a pipe: a page rarely waits to be written
_F_SETPIPE_SZ, _F_GETPIPE_SZ = 1031, 1032  # Linux's fcntl commands


def page_rows(business: Normalized, version: str | None, found: list[dict], source: str,
              url: str, outcome: str, reason: str, fetched_at: str, key: str,
              ) -> tuple[str, ResultRows]:  # fmt: skip
    """(outcome, the rows storing it) for a page fetched for `business`: what it shows, judged
    (the best scored of what it shows), else not checked with why. A page fetched that shows
    no business is not found."""
    if outcome == OK and not found:
        outcome, reason = no_business()
    if outcome == OK:
        result = page_listing(business, found, source, url, fetched_at, key)
    else:
        result = not_checked(business, source, url, outcome, reason, fetched_at, key)
    return outcome, result_rows(result, version)


def read_page(status: int, text: str, url: str, limit: int | None,
              ) -> tuple[str, str, list[dict], int]:  # fmt: skip
    """(outcome, reason, what the page shows, how many more) for a page that answered `status`
    below 400, read at `url`. It is read first: a page that shows no business is blocked when
    it is a bot wall (spiders.outcome), one that shows a business is never taken for one."""
    found, more = shown_on(text, url, limit) if status < 400 else ([], 0)
    outcome, reason = from_response(status, text, shows_business=bool(found))
    if outcome != OK:
        return outcome, reason, [], 0
    return outcome, reason, found, more


def shown_on(text: str, url: str, limit: int | None) -> tuple[list[dict], int]:
    """What a page shows (extract(), at most `limit` businesses) as stored, and how many more."""
    shown = extract(text, url, limit=limit or None)
    return [b.as_dict() for b in shown], shown.left_out


class PageWorker:
    """One forked process doing pages' work for the crawl. `submit` hands a page over; `answers`
    gives what came back so far, without waiting; `finish` ends the input and waits for the
    rest. An answer is (ticket, outcome, rows, found, left_out, client), or (ticket, None,
    error text) when the page's work raised; `client` is the client's values as the store keeps
    them when this page was its first (normalized for it), else None.

    The crawl never waits to write a page: no more is written than the pipe holds until the
    worker answers (a page past that waits here, sent as answers come). It waits only for
    answers: when more than MOST_PENDING pages are owed, and in `finish`.

    `businesses` maps each client's id to it normalized, on demand (judging.OnDemand): the
    worker normalizes a client when its first page comes (its values go back with that page's
    answer, stored with its rows), and the others at the end; `finish` gives those others, for
    the rows of clients with no page stored."""

    def __init__(self, businesses: dict[str, Normalized], versions: dict[str, str]):
        context = get_context("fork")
        tasks_in, self._tasks = context.Pipe(duplex=False)
        self._answers, answers_out = context.Pipe(duplex=False)
        self._room = _widen(self._tasks)  # what the crawl may write before the worker reads
        _widen(answers_out)
        self._answered = _Ready(self._answers)
        self._process = context.Process(
            target=_serve, args=(tasks_in, answers_out, self._tasks, self._answers, businesses,
                                 versions), daemon=True)  # fmt: skip
        self._process.start()
        tasks_in.close()  # the worker's ends: its own, so that each side sees the other end
        answers_out.close()
        self.pending = 0  # pages handed over (sent or held here) and not answered
        self._next = 0
        self._held: deque[tuple[int, bytes]] = deque()  # (ticket, page) not written yet
        self._written: dict[int, int] = {}  # ticket -> bytes written, until answered
        self._in_pipe = 0  # bytes written and not answered: what the pipe may still hold
        self._normalized: list[tuple[str, dict]] | None = None

    def submit(self, business_id: str, source: str, url: str, fetched_at: str, key: str,
               status: int, text: str, read_at: str, limit: int | None) -> int:  # fmt: skip
        """Hand over a page fetched for `url` (its status, its text, read at `read_at` after
        redirects); returns its ticket (the answer carries it back)."""
        ticket, self._next = self._next, self._next + 1
        task = (ticket, business_id, source, url, fetched_at, key, status, text, read_at, limit)
        self._held.append((ticket, pickle.dumps(task, pickle.HIGHEST_PROTOCOL)))
        self.pending += 1
        self._write()
        return ticket

    def answers(self) -> list[tuple]:
        """What the worker answered so far, without waiting; waiting only while more than
        MOST_PENDING pages are owed."""
        out: list[tuple] = []
        while self.pending and (self.pending > MOST_PENDING or self._answered(0)):
            out.extend(self._receive())
        return out

    def finish(self) -> tuple[list[tuple], list[tuple[str, dict]]]:
        """(every answer still owed, each business id with its normalized values as the store
        keeps them: the clients whose values came with no page's answer), once the worker has
        read the end of its input."""
        out: list[tuple] = []
        while self._held:
            out.extend(self._receive())
        self._tasks.close()
        while self._normalized is None:
            out.extend(self._receive())
        self._process.join(timeout=5)
        return out, self._normalized

    def close(self) -> None:
        """End the worker, at once when it was not finished (no one will read what it owes).
        Again: nothing."""
        if not self._tasks.closed:
            self._tasks.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._answers.close()

    def _write(self) -> None:
        """Write the pages held here while the pipe has room for them (a page larger than the
        pipe, alone: the worker reads it as it is written)."""
        while self._held:
            ticket, page = self._held[0]
            if self._in_pipe and self._in_pipe + len(page) > self._room:
                return
            self._tasks.send_bytes(page)
            self._held.popleft()
            self._written[ticket] = len(page)
            self._in_pipe += len(page)

    def _receive(self) -> list[tuple]:
        while not self._answered(1.0):
            if not self._process.is_alive():
                owed, self.pending = self.pending, 0
                raise RuntimeError(f"the page worker ended unexpectedly (exit code "
                                   f"{self._process.exitcode}) with {owed} pages owed")  # fmt: skip
        message = pickle.loads(self._answers.recv_bytes())
        if isinstance(message, dict):  # its last: the businesses
            self._normalized = message["businesses"]
            return []
        self.pending -= len(message)
        for answer in message:
            self._in_pipe -= self._written.pop(answer[0])
        self._write()
        return message


class _Ready:
    """Whether a connection has something to read (or its other end closed), within `timeout`
    seconds: Connection.poll's answer from one poll object kept for the connection's life
    (Connection.poll builds a selector each call: ~7 us against ~0.6, asked a few times a
    page)."""

    def __init__(self, conn: Connection):
        self._poll = select.poll()
        self._poll.register(conn.fileno(), select.POLLIN)

    def __call__(self, timeout: float) -> bool:
        return bool(self._poll.poll(int(timeout * 1000)))


def _widen(conn: Connection) -> int:
    """The pipe's size, made 1 MiB where Linux lets us (64 KiB by default)."""
    try:
        fcntl.fcntl(conn.fileno(), _F_SETPIPE_SZ, _PIPE_SIZE)
        return fcntl.fcntl(conn.fileno(), _F_GETPIPE_SZ)
    except (OSError, AttributeError):
        return 1 << 16  # POSIX promises less; Linux and macOS give this


def _serve(tasks: Connection, answers: Connection, parent_tasks: Connection,
           parent_answers: Connection, businesses: dict[str, Normalized],
           versions: dict[str, str]) -> None:  # fmt: skip
    """In the worker: answer each page handed over, in order, in chunks: when nothing more is
    waiting to be read, or CHUNK answers are ready."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl stops on Ctrl-C and drains us
    parent_tasks.close()  # the crawl's ends: with them closed, its death is our end of input
    parent_answers.close()
    gc.disable()  # a page's objects hold no cycles; the clients were frozen before the fork
    chunk: list[tuple] = []
    waiting = _Ready(tasks)
    sent: set[str] = set()  # clients whose values went with a page's answer
    while True:
        try:
            task = pickle.loads(tasks.recv_bytes())
        except (EOFError, OSError):  # the crawl closed its end, or ended
            break
        answer = _answer(task, businesses, versions)
        if answer[1] is not None and answer[-1] is not None:
            sent.add(task[1])
        chunk.append(answer)
        if len(chunk) >= CHUNK or not waiting(0):
            answers.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
            chunk = []
    if chunk:
        answers.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
    normalized = [(bid, businesses[bid].as_dict()) for bid in businesses.records
                  if bid not in sent]  # fmt: skip
    answers.send_bytes(pickle.dumps({"businesses": normalized}, pickle.HIGHEST_PROTOCOL))
    answers.close()
    os._exit(0)  # nothing of the crawl's (its database connection) is ours to close


def _answer(task: tuple, businesses: dict[str, Normalized], versions: dict[str, str]) -> tuple:
    ticket, business_id, source, url, fetched_at, key, status, text, read_at, limit = task
    first = business_id not in businesses  # normalized now: its values go with this answer
    try:
        outcome, reason, found, left_out = read_page(status, text, read_at, limit)
        outcome, rows = page_rows(businesses[business_id], versions.get(business_id), found,
                                  source, url, outcome, reason, fetched_at, key)  # fmt: skip
        client = businesses[business_id].as_dict() if first else None
        return ticket, outcome, rows, found, left_out, client
    except Exception:  # said in the crawl's log as an item's error is; the page is not stored
        return ticket, None, traceback.format_exc()
