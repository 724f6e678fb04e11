"""Dossiers (fiches produit and impact reviews), their versions and their attachments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comite.core.models import Base, str_enum, utcnow
from comite.dossiers.content import Content, read_content
from comite.dossiers.workflow import DossierKind, VersionState

if TYPE_CHECKING:
    from comite.auth.models import User
    from comite.startups.models import Startup


class Dossier(Base):
    """A fiche produit or an impact review of one startup, through all its versions."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup.id"), index=True)
    kind: Mapped[DossierKind] = mapped_column(str_enum(DossierKind, 16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    startup: Mapped[Startup] = relationship()
    created_by: Mapped[User] = relationship()
    versions: Mapped[list[DossierVersion]] = relationship(
        back_populates="dossier",
        order_by="DossierVersion.number",
        cascade="all, delete-orphan",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", order_by="Attachment.uploaded_at"
    )

    @property
    def latest(self) -> DossierVersion:
        return self.versions[-1]

    @property
    def draft(self) -> DossierVersion | None:
        latest = self.latest
        return latest if latest.state is VersionState.DRAFT else None

    @property
    def last_submitted(self) -> DossierVersion | None:
        """The version the committee reads: the latest one that is not a draft."""
        for version in reversed(self.versions):
            if version.state is not VersionState.DRAFT:
                return version
        return None


class DossierVersion(Base):
    """One version; a draft changes in place, a submitted version never changes again."""

    __tablename__ = "dossier_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(sa.ForeignKey("dossier.id", ondelete="CASCADE"))
    number: Mapped[int]
    state: Mapped[VersionState] = mapped_column(
        str_enum(VersionState, 16), default=VersionState.DRAFT
    )
    content_json: Mapped[dict[str, Any]] = mapped_column("content", sa.JSON, default=dict)
    # Raised at every change: a save made on an older value is refused (no silent
    # overwrite), down to the UPDATE itself, which SQLAlchemy makes conditional on it.
    revision: Mapped[int] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    submitted_at: Mapped[dt.datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    returned_at: Mapped[dt.datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    return_comment: Mapped[str] = mapped_column(sa.Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="versions")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    __table_args__ = (
        sa.UniqueConstraint("dossier_id", "number", name="uq_dossier_version_number"),
    )
    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 (SQLAlchemy's own dict)

    @property
    def content(self) -> Content:
        return read_content(self.dossier.kind, self.content_json)


class Attachment(Base):
    """A file joined to a dossier, kept in the database so that every instance serves it."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # Read only on download.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship()
