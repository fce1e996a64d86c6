"""Screens for admins; they own no models and call the features' services."""
