"""Pages of the contracts app (people and incentives)."""

from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("people/", views.HomeView.as_view(), name="home"),
    path("people/member/<int:pk>/", views.MemberView.as_view(), name="member"),
    path("people/contract/<int:pk>/", views.AnnualView.as_view(), name="annual"),
    path("people/exits/", views.ExitsView.as_view(), name="exits"),
    path("people/export/", views.ExportView.as_view(), name="export"),
    path("people/import/", views.ImportView.as_view(), name="import"),
]
