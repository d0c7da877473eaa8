"""Text out of a file: plain text, HTML (main text via trafilatura), .docx and PDF (text layer)."""

from __future__ import annotations

import io
from pathlib import PurePath

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


class UnreadableDocument(ValueError):
    """A file we cannot turn into text (unknown type, broken file, no text layer)."""


def kind_of(filename: str) -> str:
    kind = KINDS.get(PurePath(filename).suffix.lower())
    if kind is None:
        raise UnreadableDocument(f"{filename}: unsupported file type")
    return kind


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("text is neither UTF-8, GB18030 nor Big5")


def html_to_text(html: str) -> str:
    """Main text of a page; scripts, styles and navigation never reach the text."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=False
    )
    if not text:
        import nh3

        text = nh3.clean(html, tags=set())
    return text or ""


def read_text(data: bytes, filename: str) -> str:
    kind = kind_of(filename)
    try:
        if kind == "text":
            return decode(data)
        if kind == "html":
            return html_to_text(decode(data))
        if kind == "docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            return "\n".join(p.text for p in document.paragraphs)
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a broken file of any kind is the user's error, named
        raise UnreadableDocument(f"{filename}: cannot read {kind}: {exc}") from exc
