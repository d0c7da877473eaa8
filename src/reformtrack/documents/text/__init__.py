"""Text processing for documents: reading files, detection, normalisation, spun-text repair,
metadata, entities and facts. Pure functions over strings; no database."""
