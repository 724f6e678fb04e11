"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from comite import create_app

app = create_app()
