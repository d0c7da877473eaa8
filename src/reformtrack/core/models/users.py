"""Accounts. The three administrator roles (三员分立) are one field, so no account can hold two."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdminRole(models.TextChoices):
    NONE = "", _("None")
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    admin_role = models.CharField(
        _("administrator role"), max_length=16, choices=AdminRole.choices, blank=True, default=""
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Set by an administrator's reset: the user chooses a new password (and enrols a second
    # factor) before anything else at the next sign-in.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    must_enrol_otp = models.BooleanField(_("must enrol a second factor"), default=False)
    # Dual control (三员分立): who last set this account's credentials may not grant it roles,
    # and who last granted it a role may not set its credentials.
    credentials_set_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("credentials set by"),
    )  # fmt: skip
    roles_granted_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("roles granted by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False
        self._password_to_remember = self.password

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        encoded = self.__dict__.pop("_password_to_remember", None)
        if encoded and self.has_usable_password():
            UsedPassword.remember(self, encoded)

    @property
    def is_administrator(self) -> bool:
        """True for the system, security and audit administrators (no business data)."""
        return bool(self.admin_role)


class UsedPassword(models.Model):
    """The hashes of an account's recent passwords, so none of them is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="used_passwords")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.set_at:%Y-%m-%d}"

    @classmethod
    def remember(cls, user, encoded: str) -> None:
        from django.conf import settings

        cls.objects.create(user=user, password=encoded)
        keep = max(settings.PASSWORD_HISTORY_COUNT, 1)
        old = cls.objects.filter(user=user).values_list("pk", flat=True)[keep:]
        cls.objects.filter(pk__in=list(old)).delete()


class ResetKind(models.TextChoices):
    PASSWORD = "password", _("Password")
    SECOND_FACTOR = "otp", _("Second factor")


class CredentialReset(models.Model):
    """An administrator's credentials reset: requested by a system administrator, confirmed by
    another administrator, then carried out by the requester, who hands the new secret over."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    kind = models.CharField(_("what"), max_length=16, choices=ResetKind.choices)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    done_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("credentials reset")
        verbose_name_plural = _("credentials resets")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None
