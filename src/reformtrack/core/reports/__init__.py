"""Shared report rendering: Word files from editable docxtpl templates, PDFs from Django HTML
templates through WeasyPrint (offline, CJK font), and simple charts drawn without plotting
libraries (SVG for PDFs, PNG for Word). See docs/reports.md."""

from . import docx, pdf
from .charts import bar_chart_png, bar_chart_svg, radar_chart_png, radar_chart_svg
from .docx import Image, Table, docx_template_path, register_docx, render_docx
from .pdf import render_pdf

__all__ = [
    "docx",
    "pdf",
    "Image",
    "Table",
    "bar_chart_png",
    "bar_chart_svg",
    "docx_template_path",
    "radar_chart_png",
    "radar_chart_svg",
    "register_docx",
    "render_docx",
    "render_pdf",
]
