"""Writes of the KPI engine: statements (with history) and targets."""

from .statements import record_statement
from .targets import derive_targets, set_target

__all__ = ["derive_targets", "record_statement", "set_target"]
