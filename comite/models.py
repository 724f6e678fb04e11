"""Every model of Comité, imported in one place for the metadata and Alembic."""

from comite.auth.models import User, UserRole
from comite.committee.models import (
    AgendaItem,
    Decision,
    DecisionBudgetLine,
    Meeting,
    MeetingMember,
    Proxy,
    Question,
    Recusal,
    Vote,
)
from comite.core.audit import AuditEvent
from comite.dossiers.models import Attachment, Dossier, DossierVersion
from comite.exports.models import ExportJob
from comite.notifications.models import NotificationOptOut, OutboxMessage
from comite.orders.models import (
    Consumption,
    FrameworkContract,
    OrderCounter,
    PurchaseOrder,
    PurchaseOrderLine,
    UnitPrice,
    WorkUnitType,
)
from comite.startups.models import Incubator, Membership, PhaseChange, Startup

__all__ = [
    "AgendaItem",
    "Attachment",
    "AuditEvent",
    "Consumption",
    "Decision",
    "DecisionBudgetLine",
    "Dossier",
    "DossierVersion",
    "ExportJob",
    "FrameworkContract",
    "Incubator",
    "Meeting",
    "MeetingMember",
    "Membership",
    "NotificationOptOut",
    "OrderCounter",
    "OutboxMessage",
    "PhaseChange",
    "Proxy",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Question",
    "Recusal",
    "Startup",
    "UnitPrice",
    "User",
    "UserRole",
    "Vote",
    "WorkUnitType",
]
