"""The crawl's start imports Scrapy's HTTP handler without reading the whole stack for each of
its deprecated aliases (spiders.crawl._import_handlers_now), and the aliases come out as
Scrapy makes them. Each case imports in a fresh interpreter: what a crawl's process sees."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

ALIASES = (
    ("scrapy.core.downloader.contextfactory", "ScrapyClientContextFactory"),
    ("scrapy.core.downloader.contextfactory", "AcceptableProtocolsContextFactory"),
    ("scrapy.core.downloader.tls", "ScrapyClientTLSOptions"),
)

REPORT = f"""
import importlib, inspect, json, sys, warnings
import scrapy.utils.deprecate as deprecate
whole_stacks = []
real_stack = inspect.stack
inspect.stack = lambda *a, **k: whole_stacks.append(1) or real_stack(*a, **k)[1:]  # as if not here
with warnings.catch_warnings(record=True) as said:
    warnings.simplefilter("always")
    IMPORT
aliases = {{}}
for module, name in {ALIASES!r}:
    alias = getattr(importlib.import_module(module), name)
    base = alias.__bases__[0]
    aliases[name] = [alias.__module__, alias.__qualname__, base.__module__ + "." + base.__qualname__]
print(json.dumps({{"aliases": aliases, "whole_stacks": len(whole_stacks),
                  "warnings": [str(w.message) for w in said],
                  "inspect_back": deprecate.inspect is inspect,
                  "handler": "napaudit.spiders.handlers" in sys.modules}}))
"""


def _report(how_to_import: str) -> dict:
    code = REPORT.replace("IMPORT", how_to_import)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_crawls_start_never_reads_the_whole_stack_and_names_the_aliases_as_scrapy_does():
    ours = _report("from napaudit.spiders.crawl import _import_handlers_now; "
                   "_import_handlers_now()")  # fmt: skip
    scrapys = _report("import scrapy.core.downloader.handlers.http11")
    assert scrapys["whole_stacks"] == 3, "Scrapy reads the stack once for each alias"
    assert ours["handler"] is True
    assert ours["whole_stacks"] == 0
    assert ours["aliases"] == scrapys["aliases"]
    assert ours["aliases"]["ScrapyClientTLSOptions"][0] == "scrapy.core.downloader.tls"
    assert not [w for w in ours["warnings"] if "parent module" in w]
    assert ours["inspect_back"] is True, "scrapy.utils.deprecate gets the real inspect back"
