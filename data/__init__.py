"""Reference data the code reads: the source catalog (sources.toml) and the sample clients."""
