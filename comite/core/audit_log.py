"""Reading the audit log: the secretariat's filters (action, author, object, period) and
the query they make. Reads only: the log is written by comite.core.audit and never changed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from comite.auth.models import User
from comite.core.audit import AuditEvent
from comite.core.forms import PeriodForm
from comite.core.periods import within_paris_days


class AuditFilterForm(PeriodForm):
    action = SelectField("Action", default="")
    actor = StringField(
        "Auteur",
        description="Une partie du nom ou de l'adresse électronique",
        validators=[Optional(), Length(max=120)],
    )
    object_type = SelectField("Type d'objet", default="")
    object_id = StringField("N° de l'objet", validators=[Optional(), Length(max=64)])

    def prepare(self, session: Session) -> AuditFilterForm:
        """The actions and object types offered are those the log holds."""
        actions = session.scalars(
            sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
        )
        types = session.scalars(
            sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
        )
        self.action.choices = [SelectChoice("", "Toutes les actions"), *actions]
        self.object_type.choices = [SelectChoice("", "Tous les types"), *types]
        return self

    @property
    def is_filtering(self) -> bool:
        return any(
            field.data
            for field in (
                self.action,
                self.actor,
                self.object_type,
                self.object_id,
                self.start,
                self.end,
            )
        )


def audit_events(form: AuditFilterForm | None) -> sa.Select[tuple[AuditEvent]]:
    """The events the filters keep (all of them without a valid form), newest first."""
    query = sa.select(AuditEvent).options(selectinload(AuditEvent.actor))
    if form is not None:
        if form.action.data:
            query = query.where(AuditEvent.action == form.action.data)
        if form.actor.data and form.actor.data.strip():
            pattern = f"%{_escape_like(form.actor.data.strip().lower())}%"
            name = sa.func.lower(User.given_name + " " + User.usual_name)
            query = query.join(AuditEvent.actor).where(
                sa.or_(
                    name.like(pattern, escape="\\"),
                    sa.func.lower(User.email).like(pattern, escape="\\"),
                )
            )
        if form.object_type.data:
            query = query.where(AuditEvent.object_type == form.object_type.data)
        if form.object_id.data and form.object_id.data.strip():
            query = query.where(AuditEvent.object_id == form.object_id.data.strip())
        query = query.where(
            *within_paris_days(AuditEvent.occurred_at, form.start.data, form.end.data)
        )
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
