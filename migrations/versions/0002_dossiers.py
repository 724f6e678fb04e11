"""Dossiers (fiches produit, impact reviews), their versions and attachments; UO catalogue.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 16:45:38.996343

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('work_unit_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('profile', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_unit_type')),
    sa.UniqueConstraint('code', name=op.f('uq_work_unit_type_code'))
    )
    op.create_table('dossier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('fiche_produit', 'bilan', name='dossierkind', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_dossier_created_by_id_user')),
    sa.ForeignKeyConstraint(['startup_id'], ['startup.id'], name=op.f('fk_dossier_startup_id_startup')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_startup_id'), ['startup_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_attachment_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'under_review', 'decided', name='versionstate', native_enum=False, length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_dossier_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_version_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_dossier_version_returned_by_id_user')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_dossier_version_submitted_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_dossier_version_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_version')),
    sa.UniqueConstraint('dossier_id', 'number', name='uq_dossier_version_number')
    )
    # The UO types of the 2021 framework contract (shared/DOMAIN.md), written out here so
    # that this migration does not change if the code's list does.
    work_unit_type = sa.table(
        'work_unit_type',
        sa.column('code', sa.String), sa.column('label', sa.String),
        sa.column('profile', sa.String), sa.column('is_active', sa.Boolean),
    )
    op.bulk_insert(work_unit_type, [
        {'code': code, 'label': label, 'profile': profile, 'is_active': True}
        for code, label, profile in [
            ('DEVOPS-JUNIOR', 'UO Devops – Junior', '< 3 ans, développement standard'),
            ('DEVOPS-CONFIRME', 'UO Devops – Confirmé', '3 à 8 ans, forte responsabilité sur le code'),
            ('DEVOPS-SENIOR', 'UO Devops – Senior', '8 ans et plus, encadre une équipe'),
            ('DESIGN-JUNIOR', 'UO Design – Junior', '< 3 ans'),
            ('DESIGN-CONFIRME', 'UO Design – Confirmé', '> 3 ans, parties prenantes complexes'),
            ('BIZDEV-CS', 'UO Déploiement – Bizdev & Customer Success', 'croissance et support'),
            ('PM-JUNIOR', 'UO Product Management – Junior', '> 6 mois en startup'),
            ('PM', 'UO Product Management', '> 3 ans'),
            ('REVERSIBILITE', 'UO Réversibilité', 'transfert en fin de marché (≤ 1 mois)'),
        ]
    ])


def downgrade():
    op.drop_table('dossier_version')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_dossier_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_startup_id'))

    op.drop_table('dossier')
    op.drop_table('work_unit_type')
