"""Membership: residencies, graduates, terms, reminders, directory."""
