"""Notifications: the in-app inbox and its emails (docs/notifications.md)."""
