"""The page asked for in a paginated list (`?page=`)."""

from __future__ import annotations

from flask import request

# Far beyond any list of Comité, and within every database's integers.
LAST_PAGE = 100_000


def page_number() -> int:
    """The page asked for, between 1 and LAST_PAGE whatever was typed (a page past the end
    shows an empty list)."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), LAST_PAGE)
