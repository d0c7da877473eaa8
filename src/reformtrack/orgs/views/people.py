"""The security administrator's pages: accounts, administrator roles, business role grants."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from reformtrack.core.models import AdminRole
from reformtrack.core.security import otp
from reformtrack.core.services import users as user_services
from reformtrack.core.views.mixins import AdminRoleRequiredMixin

from .. import services
from ..forms import PasswordResetForm, RoleGrantForm, UserCreateForm, UserStateForm
from ..models import RoleAssignment
from ..selectors import roles_of
from .organisations import ServiceFormMixin


class SecurityAdminMixin(AdminRoleRequiredMixin):
    admin_role = AdminRole.SECURITY


class UserListView(SecurityAdminMixin, ListView):
    template_name = "orgs/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = get_user_model().objects.prefetch_related("role_assignments__organisation")
        query = self.request.GET.get("q", "").strip()
        return qs.filter(username__icontains=query) if query else qs


class UserCreateView(SecurityAdminMixin, ServiceFormMixin, FormView):
    form_class = UserCreateForm
    template_name = "orgs/user_form.html"
    success_message = gettext_lazy("The account was created.")

    def run_service(self, form):
        data = form.cleaned_data
        try:
            return user_services.create_user(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
                admin_role=data["admin_role"] or "",
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise ValidationError({"password": exc.messages}) from exc
            raise

    def get_success_url(self):
        return reverse("orgs:user", kwargs={"pk": self.result.pk})

    def form_valid(self, form):
        response = super().form_valid(form)
        user = getattr(self, "result", None)
        if user is None or not user.is_administrator or response.status_code != 302:
            return response
        return issued_key(self.request, user, user_services.issue_second_factor(user=user))


def issued_key(request, person, device):
    """The new administrator key, shown once to the security administrator to hand over."""
    return render(
        request,
        "orgs/otp_issued.html",
        {"person": person, "qr_svg": otp.qr_svg(device), "secret": otp.base32_secret(device)},
    )


class UserDetailView(SecurityAdminMixin, DetailView):
    template_name = "orgs/user_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return get_user_model().objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            roles=roles_of(self.object),
            grant_form=RoleGrantForm(),
            password_form=PasswordResetForm(),
            **kwargs,
        )


class _UserActionView(SecurityAdminMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("orgs:user", pk=self.person.pk)

    def fail(self, form_or_exc):
        errors = getattr(form_or_exc, "messages", None) or [
            e for errs in form_or_exc.errors.values() for e in errs
        ]
        for error in errors:
            messages.error(self.request, error)
        return self.back()


class RoleGrantView(_UserActionView):
    def post(self, request, pk):
        form = RoleGrantForm(request.POST)
        if not form.is_valid():
            return self.fail(form)
        try:
            services.grant_role(
                user=self.person,
                organisation=form.cleaned_data["organisation_code"],
                role=form.cleaned_data["role"],
                granted_by=request.user,
            )
        except ValidationError as exc:
            return self.fail(exc)
        messages.success(request, _("The role was granted."))
        return self.back()


class RoleRevokeView(_UserActionView):
    def post(self, request, pk, role_pk):
        assignment = get_object_or_404(RoleAssignment, pk=role_pk, user=self.person)
        services.revoke_role(assignment=assignment)
        messages.success(request, _("The role was revoked."))
        return self.back()


class PasswordResetView(_UserActionView):
    def post(self, request, pk):
        form = PasswordResetForm(request.POST)
        if not form.is_valid():
            return self.fail(form)
        try:
            user_services.set_password(
                user=self.person,
                password=form.cleaned_data["password"],
                force_change=form.cleaned_data["force_change"],
            )
        except ValidationError as exc:
            return self.fail(exc)
        messages.success(request, _("The password was set."))
        return self.back()


class UserStateView(_UserActionView):
    def post(self, request, pk):
        form = UserStateForm(request.POST)
        if not form.is_valid():
            return self.fail(form)
        action = form.cleaned_data["action"]
        if action in ("activate", "deactivate"):
            user_services.set_active(user=self.person, active=action == "activate")
        elif action == "unlock":
            user_services.unlock(user=self.person)
        else:
            device = user_services.reset_second_factor(user=self.person)
            if device is not None:
                return issued_key(request, self.person, device)
        messages.success(request, _("Done."))
        return self.back()
