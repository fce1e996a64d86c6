"""WSGI entry point: ``gunicorn wsgi:app``; the ``flask`` CLI finds ``app`` here."""

from portal import create_app

app = create_app()
