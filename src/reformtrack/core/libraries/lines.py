"""YAML with line numbers: where each key or item of a document starts, for error messages."""

from __future__ import annotations

import yaml


def line_index(text: str) -> dict[tuple, int]:
    """Map each path (keys and list indexes) of the document to its 1-based line."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    index: dict[tuple, int] = {}

    def walk(node, path: tuple) -> None:
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                walk(value, child)
                index[child] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return index


def line_of(index: dict[tuple, int], path: tuple) -> int | None:
    """The line of `path`, or of its nearest ancestor present in the document."""
    for end in range(len(path), -1, -1):
        if path[:end] in index:
            return index[path[:end]]
    return None
