"""For gunicorn: ``gunicorn bench.wsgi:app`` (settings from the environment)."""

from bench.app import create_bench_app

app = create_bench_app()
