"""Writes of the assessments app; `record_result` is the one entry point for final results
that arrive from outside (Excel import, ratings found in the news)."""

from .results import record_result

__all__ = ["record_result"]
