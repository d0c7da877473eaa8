"""Pages of the chains app."""

from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("chains/", views.ChainListView.as_view(), name="list"),
    path("chains/<int:pk>/", views.ChainDetailView.as_view(), name="detail"),
    path("chains/<int:pk>/export/", views.ChainExportView.as_view(), name="export"),
    path("chains/import/", views.ChainImportView.as_view(), name="import"),
    path("chains/firsts/", views.FirstsView.as_view(), name="firsts"),
]
