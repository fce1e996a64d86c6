"""Shared building blocks used by every feature package.

Everything imports ``core`` (the database base, the extensions), so this package
runs nothing on import; its blueprint (the home page, the health check and the
``flask mail`` commands) is built in ``core.views``.
"""
