"""One module per source, named after its catalog id: a source declares, a base does the work."""

from __future__ import annotations

from functools import cache

from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader


@cache
def spider_classes() -> dict[str, type]:
    """Source id -> its spider class, for every module in this package."""
    settings = Settings({"SPIDER_MODULES": [__name__]})
    loader = SpiderLoader.from_settings(settings)
    return {name: loader.load(name) for name in loader.list()}
