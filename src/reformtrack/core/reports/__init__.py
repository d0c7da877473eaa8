"""Shared report rendering: Word files from editable docxtpl templates, PDFs from Django HTML
templates through WeasyPrint (offline, CJK font), and simple charts drawn without plotting
libraries (SVG for PDFs, PNG for Word). See docs/reports.md.

Names load on first use (PEP 562): importing this package (every app's `ready` does, to
register its templates) costs nothing, and WeasyPrint, python-docx and Pillow load only when a
report is rendered.
"""

from importlib import import_module

_WHERE = {
    "docx": "",
    "pdf": "",
    "charts": "",
    "Image": "docx",
    "Table": "docx",
    "docx_template_path": "docx",
    "register_docx": "docx",
    "render_docx": "docx",
    "render_pdf": "pdf",
    "bar_chart_png": "charts",
    "bar_chart_svg": "charts",
    "radar_chart_png": "charts",
    "radar_chart_svg": "charts",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(f"{__name__}.{_WHERE[name] or name}")
    return module if not _WHERE[name] else getattr(module, name)
