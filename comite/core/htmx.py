"""One URL, two answers: the full page, or the fragment htmx asked for."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """htmx wants a fragment unless the request is boosted or restores history."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context: Any):
    """Render the fragment for htmx, the page otherwise; caches must tell them apart."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
