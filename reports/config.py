"""The weights a report uses: the catalog's source weights and the severity weights, with the
overrides of the configuration file ([sources], [severity]; see napaudit.auditor.config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from napaudit.auditor.catalog import DEFAULT_WEIGHT, Source, load_catalog
from napaudit.auditor.config import SEVERITY_WEIGHTS, Config, ConfigError, load_config

__all__ = ["ConfigError", "Weights", "load_weights", "weights_of"]


@dataclass(frozen=True)
class Weights:
    """Source weights (catalog, then overrides) and severity weights, in one place."""

    catalog: dict[str, Source]
    sources: dict[str, float] = field(default_factory=dict)  # overrides from the config file
    severity: dict[str, float] = field(default_factory=lambda: dict(SEVERITY_WEIGHTS))
    path: str | None = None  # the config file read, if any

    def source(self, source_id: str) -> float:
        if source_id in self.sources:
            return self.sources[source_id]
        known = self.catalog.get(source_id)
        return known.weight if known else DEFAULT_WEIGHT

    def of_severity(self, severity: str) -> float:
        return self.severity.get(severity, 0)  # "none" needs no fix

    def reach(self, source_id: str) -> int:
        known = self.catalog.get(source_id)
        return known.reach if known else 1


def load_weights(path: str | Path | None = None) -> Weights:
    """The catalog weights with the overrides of the configuration (`path`, or the one the
    precedence picks). Raises ConfigError for a file that cannot be used."""
    return weights_of(load_config(path))


def weights_of(config: Config) -> Weights:
    """The weights of a configuration already read."""
    return Weights(
        load_catalog(), config.sources, config.severity, str(config.path) if config.path else None
    )
