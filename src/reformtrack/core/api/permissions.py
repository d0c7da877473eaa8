"""API gate: signed-in business users; what they reach is then decided by the scoping layer."""

from rest_framework.permissions import BasePermission


class BusinessUserPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and not user.is_administrator)
