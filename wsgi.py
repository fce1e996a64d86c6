"""WSGI entry point: ``gunicorn wsgi:app``; the ``flask`` CLI finds ``app`` here."""

from portal import create_app
from portal.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # One line that says what to fix, not a traceback through the factory.
    raise SystemExit(f"Configuration error: {error}.") from None
