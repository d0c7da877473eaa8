"""The permission gates every page uses: business pages go through the scoping layer."""

from django.contrib.auth.mixins import AccessMixin, LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from ..scoping import Action


class BusinessViewMixin(LoginRequiredMixin):
    """Signed-in business users only: the three administrators hold no business data."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_administrator:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedViewMixin(BusinessViewMixin):
    """Objects come from `model.objects.visible_to(user, scope_action)`: others are a 404."""

    scope_action = Action.VIEW

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.scope_action)


class AdminRoleRequiredMixin(AccessMixin):
    """Pages of one administrator role (三员分立), or of several (`admin_roles`) when each sees
    its own part of the page."""

    admin_role: str = ""
    admin_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.admin_role not in (self.admin_roles or (self.admin_role,)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
