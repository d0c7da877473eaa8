"""Signals other apps listen to, so orgs never needs to know them."""

from django.dispatch import Signal

# Sent inside the move's transaction with old_path and new_path: apps that copy an
# organisation's path onto their rows (for fast subtree roll-ups) rewrite the prefix.
organisation_moved = Signal()
