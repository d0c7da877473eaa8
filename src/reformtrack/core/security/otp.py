"""Second factor (django-otp TOTP): required for administrators, optional for everyone else."""

from __future__ import annotations

import io
from functools import cache

from django.db import transaction
from django_otp import device_classes
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..compiled_sql import rows as compiled_rows


def otp_required(user) -> bool:
    """Administrators must use a second factor; others must once they enrolled a device, or
    after an administrator reset theirs (they enrol a new one before anything else)."""
    return user.is_authenticated and (
        user.is_administrator or user.must_enrol_otp or has_confirmed_device(user)
    )


@cache
def _device_models() -> tuple:
    """The installed device models (fixed once the apps are loaded; django_otp walks every
    model of every app to find them on each call)."""
    return tuple(device_classes())


def has_confirmed_device(user) -> bool:
    """django_otp's user_has_device(user), as one `SELECT id … LIMIT 1` per device model whose
    SQL is compiled once per user (`compiled_sql`) and run fresh on every call: a device
    enrolled or removed elsewhere counts at once."""
    return any(
        compiled_rows(
            ("otp-device", model._meta.label, user.pk),
            lambda model=model: (
                model.objects.filter(user_id=user.pk, confirmed=True)
                .order_by()
                .values_list("pk")[:1]
            ),
        )
        for model in _device_models()
    )


def may_self_enrol(user) -> bool:
    """Administrators never set up their own key: whoever holds an administrator's password
    alone must not be able to enrol a device. Their key is issued by the security administrator
    (`issue`) or the installation command, and handed over out of band."""
    return not user.is_administrator


def pending_device(user) -> TOTPDevice | None:
    """The unconfirmed device an enrolling user is setting up (created on first visit)."""
    if not may_self_enrol(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


@transaction.atomic
def enrol(user, *, key_hex: str | None = None, confirmed: bool = True) -> TOTPDevice:
    """Give `user` one TOTP device (replacing others); a fixed key is for demo accounts only."""
    TOTPDevice.objects.filter(user=user).delete()
    kwargs = {"key": key_hex} if key_hex else {}
    return TOTPDevice.objects.create(user=user, name="default", confirmed=confirmed, **kwargs)


def confirm(device: TOTPDevice) -> None:
    """A code from the new device was right: it is the account's second factor from now on."""
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    user = device.user
    if user.must_enrol_otp:
        user.must_enrol_otp = False
        user.save(update_fields=["must_enrol_otp"])


def issue(user) -> TOTPDevice:
    """A new, ready device whose key the issuer hands over; replaces any earlier device."""
    return enrol(user, confirmed=True)


def qr_svg(device: TOTPDevice) -> str:
    import qrcode  # loads Pillow: only when a QR code is drawn, not at every start
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def base32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
