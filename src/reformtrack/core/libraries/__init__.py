"""Versioned YAML libraries (programmes, rule sets, KPI sets): one loader for every kind.

An app registers its kind with a pydantic schema and an installer; `load_library` parses the
YAML, validates it whole (every error with its line), refuses older versions and installs the
content in one transaction, recording what was loaded in `Library`.
"""

from .loader import (
    LibraryError,
    install_library,
    is_library,
    parse_library,
    register_kind,
    registered_kinds,
)

__all__ = [
    "LibraryError",
    "install_library",
    "is_library",
    "parse_library",
    "register_kind",
    "registered_kinds",
]
