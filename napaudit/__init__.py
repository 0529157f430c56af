"""napaudit: audit how a local business is listed across the web, and say what to fix first."""
