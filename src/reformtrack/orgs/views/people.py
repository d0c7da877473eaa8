"""The administrators' account pages under dual control (三员分立): the system administrator
creates, disables and resets accounts; the security administrator grants roles and revokes API
tokens; the audit administrator reads accounts, grants and their events. Each sees its own part
of the shared pages; the services refuse whatever the role may not do."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from reformtrack.core.models import AdminRole, ApiToken
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.models.users import CredentialReset
from reformtrack.core.security import otp
from reformtrack.core.selectors.audit import audit_records
from reformtrack.core.selectors.tokens import all_tokens, tokens_of
from reformtrack.core.services import tokens as token_services
from reformtrack.core.services import users as user_services
from reformtrack.core.views.mixins import AdminRoleRequiredMixin

from .. import services
from ..forms import AdminRoleForm, ResetDecisionForm, RoleGrantForm, UserCreateForm, UserStateForm
from ..models import RoleAssignment
from ..selectors import roles_of
from .organisations import ServiceFormMixin

ALL_ADMINS = (AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT)
ACCOUNT_EVENT_TYPES = ("core.user", "orgs.roleassignment")
ACCOUNT_EVENT_ACTIONS = (
    AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.SECURITY,
)  # fmt: skip


class SecurityAdminMixin(AdminRoleRequiredMixin):
    admin_role = AdminRole.SECURITY


class SystemAdminMixin(AdminRoleRequiredMixin):
    admin_role = AdminRole.SYSTEM


class AnyAdminMixin(AdminRoleRequiredMixin):
    admin_roles = ALL_ADMINS


def open_resets():
    return CredentialReset.objects.filter(
        done_at__isnull=True, cancelled_at__isnull=True
    ).select_related("user", "requested_by", "confirmed_by")


def account_events():
    """Audit records of accounts and role grants (not sign-ins), newest first."""
    return audit_records().filter(
        object_type__in=ACCOUNT_EVENT_TYPES, action__in=ACCOUNT_EVENT_ACTIONS
    )


def fail(request, error) -> None:
    for text in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, text)


class UserListView(AnyAdminMixin, ListView):
    template_name = "orgs/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = get_user_model().objects.prefetch_related("role_assignments__organisation")
        query = self.request.GET.get("q", "").strip()
        return qs.filter(username__icontains=query) if query else qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(open_resets=open_resets().count(), **kwargs)


class UserCreateView(SystemAdminMixin, ServiceFormMixin, FormView):
    form_class = UserCreateForm
    template_name = "orgs/user_form.html"
    success_message = gettext_lazy(
        "The account was created. Hand the initial password to its user, who must replace it "
        "at the first sign-in; the security administrator grants its roles."
    )

    def run_service(self, form):
        data = form.cleaned_data
        try:
            return user_services.create_user(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
                by=self.request.user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise ValidationError({"password": exc.messages}) from exc
            raise

    def get_success_url(self):
        return reverse("orgs:user", kwargs={"pk": self.result.pk})


def handover(request, person, secret):
    """The new secret, shown once to the system administrator who reset it, to hand over."""
    context = {"person": person}
    if isinstance(secret, str):
        context["password"] = secret
    else:
        context.update(qr_svg=otp.qr_svg(secret), secret=otp.base32_secret(secret))
    return render(request, "orgs/credential_handover.html", context)


class UserDetailView(AnyAdminMixin, DetailView):
    template_name = "orgs/user_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return get_user_model().objects.all()

    def get_context_data(self, **kwargs):
        role = self.request.user.admin_role
        person = self.object
        context = {
            "roles": roles_of(person),
            "resets": open_resets().filter(user=person),
            "is_system": role == AdminRole.SYSTEM,
            "is_security": role == AdminRole.SECURITY,
            "is_audit": role == AdminRole.AUDIT,
        }
        if role == AdminRole.SECURITY:
            context.update(
                grant_form=RoleGrantForm(),
                admin_role_form=AdminRoleForm(initial={"admin_role": person.admin_role}),
                tokens=tokens_of(person).filter(revoked_at__isnull=True),
            )
        if role == AdminRole.AUDIT:
            context["events"] = account_events().filter(object_id=str(person.pk))[:50]
        return super().get_context_data(**context, **kwargs)


class _UserActionView(View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("orgs:user", pk=self.person.pk)

    def fail(self, form_or_exc):
        if hasattr(form_or_exc, "errors") and not isinstance(form_or_exc, Exception):
            for errs in form_or_exc.errors.values():
                for error in errs:
                    messages.error(self.request, error)
        else:
            fail(self.request, form_or_exc)
        return self.back()


class RoleGrantView(SecurityAdminMixin, _UserActionView):
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
        except (ValidationError, PermissionDenied) as exc:
            return self.fail(exc)
        messages.success(request, _("The role was granted."))
        return self.back()


class RoleRevokeView(SecurityAdminMixin, _UserActionView):
    def post(self, request, pk, role_pk):
        assignment = get_object_or_404(RoleAssignment, pk=role_pk, user=self.person)
        services.revoke_role(assignment=assignment, by=request.user)
        messages.success(request, _("The role was revoked."))
        return self.back()


class AdminRoleView(SecurityAdminMixin, _UserActionView):
    def post(self, request, pk):
        form = AdminRoleForm(request.POST)
        if not form.is_valid():
            return self.fail(form)
        try:
            user_services.set_admin_role(
                user=self.person, admin_role=form.cleaned_data["admin_role"], by=request.user
            )
        except (ValidationError, PermissionDenied) as exc:
            return self.fail(exc)
        messages.success(request, _("The administrator role was changed."))
        return self.back()


def _request_admin_reset(request, person, kind):
    reset = user_services.request_reset(user=person, kind=kind, by=request.user)
    messages.success(
        request,
        _("Reset requested (#%(id)s). Another administrator confirms it on the resets page; "
          "then you carry it out and hand the new secret over.") % {"id": reset.pk},
    )  # fmt: skip


class PasswordResetView(SystemAdminMixin, _UserActionView):
    """A business account's password is reset at once and shown once to hand over; an
    administrator's waits for a second administrator's confirmation."""

    def post(self, request, pk):
        try:
            if self.person.is_administrator:
                _request_admin_reset(request, self.person, "password")
                return self.back()
            password = user_services.reset_password(user=self.person, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            return self.fail(exc)
        return handover(request, self.person, password)


class UserStateView(SystemAdminMixin, _UserActionView):
    def post(self, request, pk):
        form = UserStateForm(request.POST)
        if not form.is_valid():
            return self.fail(form)
        action, by = form.cleaned_data["action"], request.user
        try:
            if action in ("activate", "deactivate"):
                user_services.set_active(user=self.person, active=action == "activate", by=by)
            elif action == "unlock":
                user_services.unlock(user=self.person, by=by)
            elif self.person.is_administrator:
                _request_admin_reset(request, self.person, "otp")
                return self.back()
            else:
                user_services.reset_second_factor(user=self.person, by=by)
        except (ValidationError, PermissionDenied) as exc:
            return self.fail(exc)
        messages.success(request, _("Done."))
        return self.back()


class ResetListView(AnyAdminMixin, View):
    """Open resets of administrators' credentials: another administrator confirms, then the
    requester carries the reset out and sees the new secret once."""

    template_name = "orgs/reset_list.html"

    def get(self, request):
        return render(request, self.template_name, {"resets": open_resets()})

    def post(self, request):
        form = ResetDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a reset and what to do."))
            return redirect("orgs:resets")
        reset = get_object_or_404(open_resets(), pk=form.cleaned_data["reset"])
        action = form.cleaned_data["action"]
        try:
            if action == "confirm":
                user_services.confirm_reset(reset=reset, by=request.user)
                messages.success(request, _("Confirmed. The requester can carry it out now."))
            elif action == "cancel":
                user_services.cancel_reset(reset=reset, by=request.user)
                messages.success(request, _("The request was cancelled."))
            else:
                secret = user_services.carry_out_reset(reset=reset, by=request.user)
                return handover(request, reset.user, secret)
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        return redirect("orgs:resets")


class TokenAdminView(SecurityAdminMixin, ListView):
    """Every account's active API tokens (never their secrets); the security administrator
    revokes any of them."""

    template_name = "orgs/token_admin.html"
    paginate_by = 50

    def get_queryset(self):
        return all_tokens()

    def post(self, request):
        raw = request.POST.get("token", "")
        token = get_object_or_404(ApiToken, pk=int(raw) if raw.isdigit() else 0)
        token_services.revoke_token(token=token, by=request.user)
        messages.success(request, _("The token was revoked."))
        return redirect("orgs:tokens")


class AccountEventsView(AdminRoleRequiredMixin, ListView):
    """The audit administrator's review of account and role-grant events (read-only)."""

    admin_role = AdminRole.AUDIT
    template_name = "orgs/account_events.html"
    paginate_by = 50

    def get_queryset(self):
        qs = account_events()
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(object_repr__icontains=query) | Q(actor_username__icontains=query))
        return qs
