"""'My API tokens': a business user makes named tokens (the secret shown once), lists and
revokes them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..selectors.tokens import tokens_of
from ..services import tokens as token_services
from ..token_forms import ApiTokenForm
from .mixins import BusinessViewMixin


class MyTokensView(BusinessViewMixin, View):
    template_name = "core/tokens.html"

    def page(self, request, form=None, **extra):
        context = {"form": form or ApiTokenForm(), "tokens": tokens_of(request.user), **extra}
        return render(request, self.template_name, context)

    def get(self, request):
        return self.page(request)

    def post(self, request):
        if "revoke" in request.POST:
            raw = request.POST["revoke"]
            token = get_object_or_404(tokens_of(request.user), pk=int(raw) if raw.isdigit() else 0)
            token_services.revoke_token(token=token, by=request.user)
            messages.success(request, _("The token was revoked."))
            return redirect("core:tokens")
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        try:
            token, secret = token_services.create_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))
            return self.page(request, form)
        return self.page(request, new_token=token, secret=secret)
