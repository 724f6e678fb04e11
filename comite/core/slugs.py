"""Slugs: the short names in Comité's addresses (/startups/aides-velo)."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_HINT = "Lettres minuscules sans accent, chiffres et tirets, par exemple « aides-velo »."


def slugify(text: str, max_length: int = 80) -> str:
    """« Santé à l'École » → « sante-a-l-ecole »: accents dropped, words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
