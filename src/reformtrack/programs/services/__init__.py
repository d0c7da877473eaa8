"""Writes of the programs app, one module per concept; each owns its transaction."""
