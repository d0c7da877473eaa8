"""The roster of managers as an Excel sheet in the importer's columns, so it round-trips."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reformtrack.core.exporters import xlsx_bytes

from .importers import COLUMNS, LEAVE_TEXT

SELECTION_TEXT = {"appointed": "任命", "market": "市场化选聘", "professional": "职业经理人"}


def roster_xlsx(members, language: str = "zh") -> bytes:
    header = [c.header(language) for c in COLUMNS]
    rows = (
        [
            m.organisation.code,
            m.name,
            m.post,
            m.appointed_on,
            SELECTION_TEXT.get(m.selection, m.selection),
            m.tenure_start,
            m.tenure_end,
            "是" if m.is_active else "否",
            m.left_on,
            LEAVE_TEXT.get(m.leave_reason, m.leave_reason),
            m.leave_note,
        ]  # fmt: skip
        for m in members
    )
    return xlsx_bytes(_("Managers"), header, rows)


def figures_xlsx(figures) -> bytes:
    """Three-systems figures, one row per year (see `figures.figures_rows`)."""
    from .figures import figures_rows

    header = [
        _("Year"), _("Managers in tenure"), _("Under signed tenure contracts"),
        _("Share under tenure contracts (%)"), _("Ledger coverage task (%)"),
        _("Selected on the market or professional managers (%)"), _("Managers down"),
        _("Managers down and why"), _("Average headcount"), _("Market-based exits of staff"),
        _("Market-based exit rate (%)"), _("New hires"), _("New hires recruited openly"),
        _("Open recruitment share (%)"), _("Pay spread (highest / lowest approved pay)"),
        _("Pay spread in the same post (top / bottom performer)"), _("Labour productivity"),
    ]  # fmt: skip
    return xlsx_bytes(_("Three-systems reform"), header, figures_rows(figures))


def exits_xlsx(results, language: str = "zh") -> bytes:
    """The exit-trigger report: each flagged manager and year, score, grade and why."""
    english = language.startswith("en")
    header = [_("Organisation"), _("Name"), _("Post"), _("Year"), _("Score"), _("Grade"),
              _("Status"), _("Why")]  # fmt: skip
    rows = (
        [
            r.contract.tenure.member.organisation.code,
            r.contract.tenure.member.name,
            r.contract.tenure.member.post,
            r.contract.year,
            r.score,
            r.grade_label,
            r.get_status_display(),
            "；".join(e["text_en" if english else "text_zh"] for e in r.exits),
        ]  # fmt: skip
        for r in results
    )
    return xlsx_bytes(_("Exit triggers"), header, rows)
