"""Shared foundation: users, scoping, audit trail, approvals, inbox, command and view helpers."""
