"""The auditor: normalize each field, identify which business a listing is, judge every field.

Pure Python: nothing here imports Scrapy, the reports or the CLI, so every audit rule can be
tested with no crawler and no network.
"""
