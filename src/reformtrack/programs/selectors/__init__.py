"""Reads of the programs app, always through the scoping layer (`user=None`: the operator)."""
