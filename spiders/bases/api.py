"""Discovery through a source's official API: search for each business, score every place the
API answers with the auditor's identification, and store the acceptable ones straight from the
API's data (no page to fetch).

The key (the spider's `api_key` argument, from the catalog's `key_env`) is never in a request the
spider makes: `meta["send_key"]` says where the API takes it (`key_header`/`key_prefix`, or
`key_param`), and spiders.keys.ApiKeyMiddleware adds it at send time only. So it never reaches a
stored URL, the HTTP cache, the JOBDIR queue, the database, a report or a log.

What a place shows is emitted in the shape extract() gives a page, plus three raw keys: `status`
(what the source says about the place being open, in its own words: "CLOSED_PERMANENTLY",
"closed since 2023-05-01"; "" when it says nothing), `categories` (its own category names,
joined with "; ") and `provenance` (whose data it is, when a third party's). The stored URL of a
place leaves out tracking and client parameters (utm_*, adjust_*, osq, g_mp...).

Outcomes, per business: an acceptable place is `ok` (several: each stored, a duplicate); none is
`not_found`, saying what was searched and what came closest; a refused key (HTTP 401/403, or
what the source's `answer_error` recognises) is `blocked`, "API key rejected"; 429 is retried as
the settings say, then `blocked`; anything else is `error`.

A place whose details were asked for (Google's Place Details) is scored again once they complete
it: a search that shows no phone accepts a sister business (same name words, same street, another
number) that its phone then tells apart. A place its details turn down is not stored as the
business's; when every place followed is turned down, the business is `not_found`, naming the
closest. A details request that fails leaves what the search showed, as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import scrapy
from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.fields import EXTRACTED
from napaudit.auditor.identify import THRESHOLD
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.listing import now, untracked
from napaudit.spiders.bases.search import SearchSpider
from napaudit.spiders.items import Listing
from napaudit.spiders.keys import SEND_KEY
from napaudit.spiders.outcome import BLOCKED, ERROR, NOT_FOUND, OK, from_failure, from_response
from napaudit.spiders.sites import redact
from scrapy.http import Response
from twisted.python.failure import Failure

KEY_REJECTED = "API key rejected"
RAW_KEYS = ("status", "categories", "provenance")  # what a place shows beyond extract()'s fields


@dataclass
class Following:
    """One business's places whose details were asked for: how many are still to come, how
    many were stored (or failed, which stores an error), how many turned down and the best of
    those."""

    pending: int
    kept: int = 0
    turned_down: int = 0
    closest: tuple[float, int, dict, str] | None = None  # score, rank in the search, place, URL


class ApiSpider(SearchSpider):
    """A source searched through its API (the catalog's `endpoint`).

    A source module sets `name`, how the key is sent (`key_header` or `key_param`), and
    overrides `params()` (the search request's query) and `candidates()` (the JSON answer as
    candidate dicts: name, address, city, state, zip, phone, website, url, id, and the raw
    status, categories, provenance). A source that needs a second request per place (Google's
    Place Details) overrides `details_request()` and `detail_values()`.
    """

    endpoint = ""  # default: the catalog's endpoint
    key_header = ""  # e.g. "Authorization": the key is sent in this header...
    key_prefix = ""  # ...after this prefix ("Bearer ")
    key_param = ""  # or as this URL parameter (added at send time, never stored)
    extra_headers: dict[str, str] = {}

    def __init__(self, businesses: dict[str, Normalized] | None = None, api_key: str = "",
                 **kwargs):  # fmt: skip
        super().__init__(businesses, **kwargs)
        self.api_key = api_key or ""
        self.endpoint = self.endpoint or (self.source.endpoint if self.source else "")
        self._following: dict[str, Following] = {}

    @property
    def following(self) -> dict[str, Following]:
        """business id -> its places whose details are awaited. In the JOBDIR's spider state when
        there is one (Scrapy saves it when the crawl stops), so a resumed crawl finishes the count
        with the details requests still in its queue."""
        if hasattr(self, "state"):
            return self.state.setdefault("following", {})
        return self._following

    @property
    def api_method(self) -> str:
        """How a listing's values were found, as its `method` says: "api:<source>"."""
        return f"api:{self.name}"

    # --- what a source declares -----------------------------------------------------------

    def params(self, business: Normalized) -> dict[str, str]:
        """The search request's query parameters for one business (the key excluded)."""
        raise NotImplementedError

    def candidates(self, data: object) -> list[dict]:
        """Every place in the API's answer, as candidate dicts (with `id` and, when the API
        gives one, `url`: the place's public page)."""
        raise NotImplementedError

    def answer_error(self, data: object) -> tuple[str, str] | None:
        """(outcome, reason) when an answer says the request failed in its own words (Google's
        REQUEST_DENIED in a 200, its API_KEY_INVALID in a 400)."""
        return None

    def details_request(self, candidate: dict, meta: dict) -> scrapy.Request | None:
        """A second request for an accepted place, or None when its data is complete."""
        return None

    def detail_values(self, data: object) -> dict:
        return {}

    # --- requests ---------------------------------------------------------------------------

    def key_at(self) -> dict[str, str]:
        """Where the API takes the key: what ApiKeyMiddleware reads (nothing secret)."""
        if self.key_param:
            return {"param": self.key_param}
        if self.key_header:
            return {"header": self.key_header, "prefix": self.key_prefix}
        return {}

    def api_request(self, url: str, params: dict[str, str], callback, meta: dict,
                    method: str = "GET", body: object = None, headers: dict | None = None,
                    ) -> scrapy.Request:  # fmt: skip
        sent = {"Accept": "application/json", **self.extra_headers, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/json"
        return scrapy.Request(
            f"{url}?{urlencode(params)}" if params else url,
            method=method,
            body=json.dumps(body) if body is not None else None,
            callback=callback,
            errback=self.api_failed,
            headers=sent,
            # robots.txt is for crawlers of pages; an API's terms govern its use
            meta={**meta, "dont_obey_robotstxt": True, SEND_KEY: self.key_at()},
            dont_filter=True,
        )

    def search_request(self, business: Normalized) -> scrapy.Request:
        meta = {"business_id": business.record.id, "searched": self.searched(business)}
        return self.api_request(self.endpoint, self.params(business), self.parse_api, meta)

    def searched(self, business: Normalized) -> str:
        """What was searched, in words: "'Harbor Lane Dental' in Costa Mesa, CA"."""
        values = self.query(business)
        where = ", ".join(v for v in (values["city"], values["state"]) if v)
        return f"'{values['name']}'" + (f" in {where}" if where else "")

    # --- answers ----------------------------------------------------------------------------

    def parse_api(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        business_id, searched = response.meta["business_id"], response.meta["searched"]
        data, problem = self.read(response)
        if problem:
            yield self.search_listing(business_id, response.url, *problem, status=response.status)
            return
        try:
            found = [c for c in self.candidates(data) if c.get("name")]
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/unreadable")
            yield self.search_listing(business_id, response.url, ERROR,
                                      f"unexpected API answer ({type(exc).__name__})")  # fmt: skip
            return
        scored, accepted = self.identified(business_id, found)
        self.crawler.stats.inc_value(f"napaudit/source/{self.name}/searches")
        if not accepted:
            reason = self.not_found_reason(searched, scored)
            yield self.search_listing(business_id, response.url, NOT_FOUND, reason,
                                      status=response.status)  # fmt: skip
            return
        if len(accepted) > 1:
            self.crawler.stats.inc_value(f"napaudit/source/{self.name}/duplicates")
        followed = accepted[: self.follow_at_most]
        requests = [
            self.details_request(candidate, {"business_id": business_id, "searched": searched,
                                             "candidate": candidate, "rank": rank})
            for rank, candidate in enumerate(followed)
        ]  # fmt: skip
        pending = sum(1 for r in requests if r is not None)
        if pending:  # counted before any is sent: their answers may come in any order
            self.following[business_id] = Following(pending, kept=len(followed) - pending)
        for candidate, request in zip(followed, requests, strict=True):
            yield request or self.api_listing(business_id, candidate, searched, response.url)

    def identified(self, business_id: str, found: list[dict]) -> tuple[list, list[dict]]:
        """Every place scored against the business, best first, and the acceptable ones."""
        scored = rank_candidates(self.businesses[business_id], found)
        return scored, [values for score, _, values in scored if score >= THRESHOLD]

    def parse_details(self, response: Response) -> Iterator[Listing]:
        """A place's details: they complete the candidate found by the search, which is then
        scored again (a phone the search did not show can tell a sister business apart)."""
        meta = response.meta
        business_id, candidate = meta["business_id"], meta["candidate"]
        data, problem = self.read(response)
        if not problem:
            try:
                details = self.detail_values(data)
            except (AttributeError, KeyError, TypeError, ValueError):
                details = {}
            candidate = {**candidate, **{k: v for k, v in details.items() if v}}
            scored, accepted = self.identified(business_id, [candidate])
            if not accepted:
                self.crawler.stats.inc_value(f"napaudit/source/{self.name}/turned_down")
                turned_down = (scored[0][0], meta.get("rank", 0), candidate, response.url)
                yield from self.settle(meta, turned_down)
                return
        # the search found the place: a failed details request still leaves what it showed
        yield from self.settle(meta)
        yield self.api_listing(business_id, candidate, meta["searched"], response.url)

    def settle(self, meta: dict, turned_down: tuple | None = None) -> Iterator[Listing]:
        """One awaited details answer is in (`turned_down`: score, rank, place and URL when its
        details said it is not the business). Once the last is in, a business none of whose
        places was kept is not found, and the reason names the closest."""
        business_id = meta["business_id"]
        # none recorded (a JOBDIR whose state was lost): this answer is taken as the only one
        following = self.following.get(business_id) or Following(pending=1)
        following.pending -= 1
        if turned_down is None:
            following.kept += 1
        else:
            following.turned_down += 1
            if following.closest is None or _closer(turned_down, following.closest):
                following.closest = turned_down
        if following.pending > 0:
            self.following[business_id] = following
            return
        self.following.pop(business_id, None)
        if not following.kept and following.closest is not None:
            reason = self.details_reason(meta["searched"], following)
            yield self.search_listing(business_id, following.closest[3], NOT_FOUND, reason)

    def details_reason(self, searched: str, following: Following) -> str:
        """not_found_reason's words, for places the search accepted and their details turned
        down."""
        label = self.source.name if self.source else self.name
        n = following.turned_down
        score, _, place, _ = following.closest
        return (f"searched {label} for {searched}: {n} place{'' if n == 1 else 's'} followed to "
                f"{'its' if n == 1 else 'their'} details, none is this business (closest: "
                f"'{place.get('name', '')}', score {score:.2f})")  # fmt: skip

    def read(self, response: Response) -> tuple[object, tuple[str, str] | None]:
        """(the JSON answer, None), or (None, (outcome, reason)) when it cannot be used."""
        text = getattr(response, "text", "")
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        said = self.answer_error(data) if data is not None else None
        if said:
            return None, said
        if response.status in (401, 403):
            return None, (BLOCKED, f"HTTP {response.status}: {KEY_REJECTED}")
        outcome, reason = from_response(response.status, text)
        if outcome != OK:
            return None, (outcome, reason)
        if data is None:
            return None, (ERROR, "the API answered something that is not JSON")
        return data, None

    def api_listing(self, business_id: str, candidate: dict, searched: str, api_url: str,
                    ) -> Listing:  # fmt: skip
        """The place as the API shows it, in the shape extract() gives for a page."""
        found = {f: candidate.get(f) or "" for f in EXTRACTED}
        found["method"] = {f: self.api_method for f in EXTRACTED if found[f]}
        found.update({k: candidate.get(k) or "" for k in RAW_KEYS})
        url = untracked(candidate.get("url") or "") or api_url
        if candidate.get("url"):
            found["url"] = url
        key = f"{self.name}:{candidate['id']}" if candidate.get("id") else ""
        return Listing(business_id, self.name, redact(url), OK, status=200, fetched_at=now(),
                       found=[found], listing_key=key, searched=searched)  # fmt: skip

    def search_listing(self, business_id: str, url: str, outcome: str, reason: str,
                       status: int | None = None) -> Listing:  # fmt: skip
        listing = super().search_listing(business_id, url, outcome, reason)
        listing.status = status
        return listing

    def api_failed(self, failure: Failure) -> Iterator[Listing]:
        outcome, reason = from_failure(failure)
        request = failure.request
        if "candidate" in request.meta:  # a details request: the error below is its result
            yield from self.settle(request.meta)
        yield self.search_listing(request.meta["business_id"], request.url, outcome,
                                  f"API: {reason}")  # fmt: skip


def _closer(one: tuple, other: tuple) -> bool:
    """Of two turned-down places, the one scored higher, or ranked first by the search."""
    return (one[0], -one[1]) > (other[0], -other[1])


def first(*values: object) -> str:
    """The first value that is a non-empty string (APIs leave fields out or null)."""
    return next((v.strip() for v in values if isinstance(v, str) and v.strip()), "")


def joined(*names: object) -> str:
    """Category names as one text, "; " between them, each once, in the order given."""
    seen: list[str] = []
    for name in names:
        text = first(name)
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)
