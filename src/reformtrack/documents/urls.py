"""Pages of the documents app."""

from django.urls import path

from . import views, views_briefs, views_spun

app_name = "documents"

urlpatterns: list = [
    path("documents/", views.DocumentListView.as_view(), name="list"),
    path("documents/upload/", views.DocumentUploadView.as_view(), name="upload"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document"),
    path("documents/items/<int:pk>/review/", views.ItemReviewView.as_view(), name="item-review"),
    path("documents/items/<int:pk>/promote/", views.ItemPromoteView.as_view(), name="item-promote"),
    path("documents/spun/", views_spun.SpunReviewView.as_view(), name="spun-review"),
    path(
        "documents/spun/<int:pk>/decide/", views_spun.SpunDecideView.as_view(), name="spun-decide"
    ),
    path("documents/briefs/", views_briefs.BriefListView.as_view(), name="briefs"),
    path("documents/briefs/<int:pk>/", views_briefs.BriefDetailView.as_view(), name="brief"),
    path(
        "documents/briefs/<int:pk>/publish/",
        views_briefs.BriefPublishView.as_view(),
        name="brief-publish",
    ),
    path(
        "documents/briefs/<int:pk>/<str:fmt>/",
        views_briefs.BriefDownloadView.as_view(),
        name="brief-download",
    ),
]
