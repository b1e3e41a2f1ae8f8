"""The plan interchange format (civicplan.plan/1): plain dataclasses, JSON in and out, a JSON Schema.

Produced by the importer, consumed by the loader (civicplan.plans.loading), produced again by export and
backups. Pure Python: no Django here. docs/interchange.md explains every field.
"""

from civicplan.interchange.model import (
    FORMAT,
    Anomaly,
    Chapter,
    Goal,
    Indicator,
    Owner,
    PlanDocument,
    Revision,
    Section,
    Source,
    Target,
    Theme,
)
from civicplan.interchange.serialise import from_dict, from_json, to_dict, to_json

__all__ = [
    "FORMAT", "Anomaly", "Chapter", "Goal", "Indicator", "Owner", "PlanDocument", "Revision", "Section",
    "Source", "Target", "Theme", "from_dict", "from_json", "to_dict", "to_json",
]
