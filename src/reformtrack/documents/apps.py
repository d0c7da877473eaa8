from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "reformtrack.documents"
    label = "documents"
    verbose_name = _("Policies and news")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = [("documents:list", _("Policies and news"))]

    def ready(self):
        from reformtrack.core.services.audit import track

        from .models import Brief, BriefEntry, Cluster, Document, Extraction

        # The texts and fingerprints are kept on the row itself; the log records the rest.
        bulky = ("original_text", "text", "search_text", "tokens", "minhash", "keys", "changes")
        track(Document, exclude=bulky)
        track(Extraction)
        track(Cluster)
        track(Brief, exclude=("archived_html",))
        track(BriefEntry)
