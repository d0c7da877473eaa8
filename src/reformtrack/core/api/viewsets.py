"""Base viewsets: every queryset comes from the scoping layer, for the action the method needs."""

from rest_framework import viewsets

from ..scoping import Action

METHOD_ACTIONS = {"GET": Action.VIEW, "HEAD": Action.VIEW, "OPTIONS": Action.VIEW}


class ScopedViewSetMixin:
    """Reads need `view`; writes need `write_action` on the object's organisation."""

    model = None
    write_action = Action.CHANGE

    def scope_action(self) -> str:
        return METHOD_ACTIONS.get(self.request.method, self.write_action)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.scope_action())


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
