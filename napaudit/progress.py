"""Progress of a crawl of many businesses: one updating line on a terminal, a plain line per
business otherwise (cron mails and CI logs read those)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO


class Progress:
    """Counts what each business still waits for: a source (discovery) or a page (listings)."""

    def __init__(
        self, expected: dict[str, set[str]], by_source: bool, stream: TextIO | None = None
    ):
        self.expected = {b: set(keys) for b, keys in expected.items() if keys}
        self.by_source = by_source
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.total = sum(len(keys) for keys in self.expected.values())
        self.done = 0
        self.outcomes: dict[str, Counter] = {b: Counter() for b in self.expected}
        self.finished: list[str] = []
        self.started = time.monotonic()
        self.requests = 0

    def item(self, listing) -> None:
        """A listing (or a not-checked search) was stored for a business."""
        waiting = self.expected.get(listing.business_id)
        if waiting is None:
            return
        # a page fetched that shows no business is stored as not found (spiders.pipelines):
        # counted the same way here, so this line and the summary agree
        outcome = "not_found" if listing.outcome == "ok" and not listing.found else listing.outcome
        self.outcomes[listing.business_id][outcome] += 1
        key = listing.source if self.by_source else listing.url
        if key in waiting:
            waiting.discard(key)
            self.done += 1
        if not waiting and listing.business_id not in self.finished:
            self.finished.append(listing.business_id)
            if not self.tty:
                self.stream.write(self.business_line(listing.business_id) + "\n")
                self.stream.flush()

    def business_line(self, business_id: str) -> str:
        counts = self.outcomes[business_id]
        checked, not_checked = counts["ok"], sum(counts.values()) - counts["ok"]
        return f"{business_id}: {checked} listings checked, {not_checked} not checked"

    def tick(self, stats: dict) -> None:
        self.requests = stats.get("downloader/response_count", 0)
        if self.tty:
            self.stream.write("\r" + self.status_line() + "\x1b[K")
            self.stream.flush()

    def status_line(self) -> str:
        errors = sum(c["error"] + c["blocked"] for c in self.outcomes.values())
        line = (f"businesses {len(self.finished)}/{len(self.expected)} · requests {self.requests}"
                f" · not checked {errors}")  # fmt: skip
        if self.done and self.done < self.total:
            elapsed = time.monotonic() - self.started
            left = elapsed * (self.total - self.done) / self.done
            line += f" · about {_duration(left)} left"
        return line

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.status_line() + "\x1b[K\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
