"""Reusable membership selects: each module is named after what it reads."""
