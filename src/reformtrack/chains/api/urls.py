"""API routes of the chains app: (prefix, viewset, basename), registered on the one router."""

from .views import (
    ChainViewSet,
    FirstItemViewSet,
    GreenChannelViewSet,
    KeyItemViewSet,
    ProcurementViewSet,
)

routes: list[tuple] = [
    ("chains/chains", ChainViewSet, "chain"),
    ("chains/items", KeyItemViewSet, "chainitem"),
    ("chains/firsts", FirstItemViewSet, "firstitem"),
    ("chains/procurements", ProcurementViewSet, "procurement"),
    ("chains/channels", GreenChannelViewSet, "greenchannel"),
]
