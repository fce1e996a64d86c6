"""Membership writes and rules: each module is named after what it changes."""
