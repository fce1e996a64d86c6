"""Reusable board selects: each module is named after what it reads."""
