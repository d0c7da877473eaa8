"""What the pipeline extracts from a sentence written for a test, in the shapes the extraction
tests compare: items of one kind, people with their titles, organisations as written."""

from __future__ import annotations

from reformtrack.documents.pipeline import process


def items(text: str, kind: str) -> list[dict]:
    return [i for i in process(text.encode(), "t.txt").items if i["kind"] == kind]


def titled(text: str) -> set[tuple[str, str]]:
    """(name, title) of every person found."""
    return {(i["value"]["name"], i["value"].get("title", "")) for i in items(text, "person")}


def organisations(text: str) -> set[str]:
    """Every organisation as the text writes it."""
    return {i["text"] for i in items(text, "organisation")}
