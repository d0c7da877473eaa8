"""Bilingual stored text: records carry a Chinese and an English name; show the active one."""

from django.utils.translation import get_language


def localized(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one."""
    language = get_language() or "zh-hans"
    if language.startswith("zh"):
        return zh or en
    return en or zh


class BilingualNameMixin:
    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)
