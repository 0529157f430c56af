"""The local sample web: fictional listing pages, directory search pages and mock APIs served on
127.0.0.1 for `napaudit demo`, the tests and the benchmarks. Production code never imports it;
a crawl reaches it through `napaudit.sampleweb.middleware` when a crawl setting switches it on."""
