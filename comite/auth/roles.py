"""The roles of Comité and what each one is called on screen."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    MEMBER = "member"
    INTRAPRENEUR = "intrapreneur"
    SPONSOR = "sponsor"
    FINANCE = "finance"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Secrétariat du comité",
    Role.MEMBER: "Membre du comité",
    Role.INTRAPRENEUR: "Intrapreneur",
    Role.SPONSOR: "Sponsor",
    Role.FINANCE: "Direction financière (DSAF)",
}
