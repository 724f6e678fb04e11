"""A startup with its team, and the form data of complete dossiers."""

from __future__ import annotations

import pytest

from comite.auth.roles import Role
from comite.startups.workflow import MemberRole


@pytest.fixture
def team(make_user, make_startup):
    """A startup, its intrapreneur (logged in by the tests that want it) and its sponsor."""
    intrapreneur = make_user(Role.INTRAPRENEUR, given_name="Julie", usual_name="Moreau")
    colleague = make_user(Role.INTRAPRENEUR, given_name="Hugo", usual_name="Laurent")
    sponsor = make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    startup = make_startup(
        "Carte Grise en Ligne",
        members={
            intrapreneur: MemberRole.INTRAPRENEUR,
            colleague: MemberRole.TEAM,
            sponsor: MemberRole.SPONSOR,
        },
    )
    return {
        "startup": startup,
        "intrapreneur": intrapreneur,
        "colleague": colleague,
        "sponsor": sponsor,
    }


def sheet_form(revision: int, action: str = "save", indicators: int = 3, lines: int = 2, **fields):
    data = {
        "revision": str(revision),
        "action": action,
        "problem": "Les changements de titulaire demandent\ntrois déplacements.",
        "users": "Les particuliers qui vendent un véhicule.",
        "solution": "Une démarche en ligne de bout en bout.",
        "success_conditions": "L'accord de l'ANTS.",
        "organisation": "Une équipe de quatre.",
        "actors": "Ministère de l'Intérieur, ANTS.",
        "skills": "Développement, design.",
        "requested_phase": "construction",
    }
    for index in range(indicators):
        data |= {
            f"indicators-{index}-name": f"Indicateur {index + 1}",
            f"indicators-{index}-unit": "%",
            f"indicators-{index}-baseline": "10",
            f"indicators-{index}-target": "50",
            f"indicators-{index}-measurement": "Statistiques",
        }
    for index in range(lines):
        data |= {
            f"budget_lines-{index}-work_unit_code": ["DEVOPS-SENIOR", "PM"][index % 2],
            f"budget_lines-{index}-quantity": "2,5",
            f"budget_lines-{index}-period_start": "2027-01-01",
            f"budget_lines-{index}-period_end": "2027-06-30",
        }
    data.update(fields)
    return data
