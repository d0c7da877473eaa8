"""Bilingual stored text: records carry a Chinese and an English name; show the active one."""

from django.utils.translation import get_language


def localized(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one."""
    language = get_language() or "zh-hans"
    if language.startswith("zh"):
        return zh or en
    return en or zh


def bilingual(field: str) -> property:
    """`title = bilingual("title")`: a read-only property giving `title_zh` or `title_en`."""

    def read(obj) -> str:
        return localized(getattr(obj, f"{field}_zh"), getattr(obj, f"{field}_en"))

    return property(read, doc=f"{field}_zh or {field}_en, in the active language")


class BilingualNameMixin:
    name = bilingual("name")


def enumeration(items) -> str:
    """Items listed the way the active language lists them: 甲、乙、丙 or A, B, C."""
    language = get_language() or "zh-hans"
    return ("、" if language.startswith("zh") else ", ").join(str(i) for i in items)
