"""How extracted items read on the review page: names instead of codes, translated methods,
fact values as a sentence fragment ("4 家 中央企业主要负责同志"), period and line choices."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lexicons

METHODS = {
    "alias": gettext_lazy("alias match"),
    "dictionary": gettext_lazy("dictionary"),
    "title-rule": gettext_lazy("title rule"),
    "number-rule": gettext_lazy("number rule"),
    "rating-rule": gettext_lazy("rating rule"),
    "target-rule": gettext_lazy("target rule"),
    "recogniser": gettext_lazy("named-entity recogniser"),
    "abbreviation": gettext_lazy("short name"),
    "appointment": gettext_lazy("appointment sentence"),
    "title-anchor": gettext_lazy("title before a name"),
    "title-after": gettext_lazy("title after a name"),
    "shape": gettext_lazy("programme wording"),
    "target-shape": gettext_lazy("target wording"),
}


def method_label(method: str) -> str:
    return str(METHODS.get(method, method))


def _organisation_names(codes: set[str]) -> dict[str, str]:
    from reformtrack.orgs.models import Organisation

    names = {o.code: o.short_name or o.name for o in Organisation.objects.filter(code__in=codes)}
    for entry in lexicons.organisation_aliases():  # not on the platform: its first alias
        if entry.code in codes and entry.code not in names and entry.aliases:
            names[entry.code] = entry.aliases[0]
    return names


def _programme_names(codes: set[str]) -> dict[str, str]:
    from reformtrack.programs.models import Programme

    names = {p.code: p.name for p in Programme.objects.filter(code__in=codes)}
    for entry in lexicons.programme_names():  # a term of the dictionary: its first name
        if entry.code in codes and entry.code not in names and entry.names:
            names[entry.code] = entry.names[0]
    return names


def fact_value(item, org_names: dict[str, str]) -> str:
    """The normalised value of a fact as a reader would write it."""
    v = item.value or {}
    if item.kind == "count":
        return " ".join(str(x) for x in (v.get("count"), v.get("unit"), v.get("noun")) if x)
    if item.kind == "money":
        currency = v.get("currency", "")
        extra = (
            currency if currency and currency != "CNY" and currency not in v.get("unit", "") else ""
        )
        return " ".join(str(x) for x in (v.get("amount"), v.get("unit"), extra) if x)
    if item.kind == "percent":
        return f"{v.get('percent', '')}%"
    if item.kind == "multiple":
        return _("%(value)s times") % {"value": v.get("value", "")}
    if item.kind == "target":
        if v.get("deadline"):
            return _("%(percent)s%% by %(deadline)s") % {
                "percent": v.get("percent", ""), "deadline": v["deadline"]}  # fmt: skip
        return f"{v.get('percent', '')}%"
    if item.kind == "rating":
        code = v.get("organisation", "")
        return _("%(organisation)s: %(rating)s (%(year)s)") % {
            "organisation": org_names.get(code, code), "rating": v.get("rating", ""),
            "year": v.get("year", ""),
        }  # fmt: skip
    return " ".join(f"{k}={val}" for k, val in v.items() if k != "what")


def describe(items: list) -> list:
    """Sets `linked_name`, `linked_code`, `value_text` and `method_label` on each item."""
    org_codes = {i.org_code for i in items if i.org_code}
    org_codes |= {i.value.get("organisation") for i in items if i.value.get("organisation")}
    org_codes |= {
        i.value["code"] for i in items if i.kind == "organisation" and i.value.get("code")
    }
    programme_codes = {
        i.value["code"] for i in items if i.kind == "programme" and "code" in i.value
    }
    programme_codes |= {i.value["programme"] for i in items if i.value.get("programme")}
    org_names, programme_names = _organisation_names(org_codes), _programme_names(programme_codes)
    for item in items:
        code = item.value.get("programme") or item.value.get("code", "")
        if item.kind == "organisation":
            item.linked_code, item.linked_name = code, org_names.get(code, code)
        elif item.kind == "programme":
            item.linked_code, item.linked_name = code, programme_names.get(code, code)
        else:
            item.linked_code, item.linked_name = "", item.value.get("title", "")
        item.value_text = fact_value(item, org_names)
        item.method_label = method_label(item.method)
    return items


def period_choices() -> list[tuple[str, str]]:
    """Statement periods with their names: 全年; 第2季度 · 1–6月累计; 5月 · 1–5月累计."""
    from reformtrack.kpis.units import PERIODS, period_label

    choices = []
    for code in PERIODS:
        if code == "Y":
            choices.append((code, period_label(code)))
            continue
        if code.startswith("Q"):
            name = _("Quarter %(n)s") % {"n": code[1:]}
        else:
            name = _("Month %(n)s") % {"n": int(code[1:])}
        choices.append((code, f"{name} · {period_label(code)}"))
    return choices
