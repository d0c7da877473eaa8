from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "reformtrack.chains"
    label = "chains"
    verbose_name = _("Industrial chains and innovation channels")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = [("chains:list", _("Industrial chains"))]

    def ready(self) -> None:
        from reformtrack.core.services.audit import track

        from . import models

        for model in (
            models.Chain, models.Link, models.LinkEdge, models.KeyItem, models.Participant,
            models.Supplier, models.ResilienceSnapshot, models.FirstItem, models.Procurement,
            models.GreenChannel,
        ):  # fmt: skip
            track(model)
