"""A validated rule-set library becomes (or updates) a RuleSet; parts are matched by code."""

from __future__ import annotations

from reformtrack.core.libraries import LibraryError

from ..models import Dimension, Indicator, RatingBand, RuleSet, Score, VetoItem


def install_rule_set(*, document, library) -> RuleSet:
    header, spec = document.library, document.ruleset
    rule_set, _created = RuleSet.objects.update_or_create(
        code=header.code,
        defaults={
            "library": library, "version": header.version, "name_zh": header.name_zh,
            "name_en": header.name_en, "issuer_zh": header.issuer_zh,
            "issuer_en": header.issuer_en, "source": header.source,
            "provenance": header.provenance,
            "applies_to": spec.applies_to.model_dump(mode="json"),
        },
    )  # fmt: skip
    for rank, band in enumerate(spec.bands, start=1):
        RatingBand.objects.update_or_create(
            rule_set=rule_set, code=band.code,
            defaults={"label_zh": band.label_zh, "label_en": band.label_en,
                      "min_score": band.min_score, "top_share": band.top_share, "rank": rank},
        )  # fmt: skip
    rule_set.bands.exclude(code__in=[b.code for b in spec.bands]).delete()
    for veto in spec.vetoes:
        VetoItem.objects.update_or_create(
            rule_set=rule_set, code=veto.code,
            defaults={"text_zh": veto.text_zh, "text_en": veto.text_en, "cap": veto.cap},
        )  # fmt: skip
    rule_set.vetoes.exclude(code__in=[v.code for v in spec.vetoes]).delete()
    codes = []
    for d_order, dim in enumerate(spec.dimensions):
        dimension, _c = Dimension.objects.update_or_create(
            rule_set=rule_set, code=dim.code,
            defaults={"name_zh": dim.name_zh, "name_en": dim.name_en, "order": d_order,
                      "origin": dim.origin},
        )  # fmt: skip
        for order, ind in enumerate(dim.indicators):
            codes.append(ind.code)
            Indicator.objects.update_or_create(
                rule_set=rule_set, code=ind.code,
                defaults={
                    "dimension": dimension, "title_zh": ind.title_zh, "title_en": ind.title_en,
                    "order": order, "max_points": ind.max_points, "method": ind.method,
                    "items": [i.model_dump(mode="json") for i in ind.items],
                    "guidance_zh": ind.guidance_zh, "guidance_en": ind.guidance_en,
                    "evidence_zh": ind.evidence_zh, "evidence_en": ind.evidence_en,
                    "value_source": ind.value.source if ind.value else "",
                    "value_code": ind.value.code if ind.value else "",
                    "applies_to": ind.applies_to.model_dump(mode="json"), "origin": ind.origin,
                },
            )  # fmt: skip
    gone = rule_set.indicators.exclude(code__in=codes)
    if Score.objects.filter(indicator__in=gone).exists():
        message = "an indicator that already has scores cannot be removed"
        raise LibraryError([{"line": None, "field": "ruleset.dimensions", "message": message}])
    gone.delete()
    rule_set.dimensions.exclude(code__in=[d.code for d in spec.dimensions]).delete()
    return rule_set
