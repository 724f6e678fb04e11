"""What changed between two versions of a dossier, section by section."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from comite.dossiers.content import SECTIONS, Content, section_text
from comite.dossiers.workflow import DossierKind


@dataclass(frozen=True)
class SectionDiff:
    title: str
    changed: bool
    # (" ", "-", "+") and the line: kept, removed, added
    lines: list[tuple[str, str]]


def compare(kind: DossierKind, old: Content, new: Content) -> list[SectionDiff]:
    """Every section, with its lines marked as kept, removed or added."""
    sections = []
    for attribute, title in SECTIONS[kind]:
        before = section_text(old, attribute).splitlines()
        after = section_text(new, attribute).splitlines()
        lines = [
            (line[0], line[2:])
            for line in difflib.ndiff(before, after)
            if line[:1] in {" ", "-", "+"}
        ]
        sections.append(SectionDiff(title, before != after, lines))
    return sections
