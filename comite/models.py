"""Every model of Comité, imported in one place for the metadata and Alembic."""

from comite.auth.models import User, UserRole
from comite.core.audit import AuditEvent
from comite.dossiers.models import Attachment, Dossier, DossierVersion
from comite.orders.models import WorkUnitType
from comite.startups.models import Incubator, Membership, PhaseChange, Startup

__all__ = [
    "Attachment",
    "AuditEvent",
    "Dossier",
    "DossierVersion",
    "Incubator",
    "Membership",
    "PhaseChange",
    "Startup",
    "User",
    "UserRole",
    "WorkUnitType",
]
