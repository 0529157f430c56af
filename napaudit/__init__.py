"""napaudit: audit how a local business is listed across the web, and say what to fix first."""

__version__ = "0.2.0"
