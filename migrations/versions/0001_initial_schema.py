"""Users, roles, incubators, startups, memberships, phase history, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 16:24:57.404045

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incubator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubator')),
    sa.UniqueConstraint('name', name=op.f('uq_incubator_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_incubator_slug'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('given_name', sa.String(length=120), nullable=False),
    sa.Column('usual_name', sa.String(length=120), nullable=False),
    sa.Column('proconnect_sub', sa.String(length=255), nullable=True),
    sa.Column('siret', sa.String(length=14), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('proconnect_sub', name=op.f('uq_user_proconnect_sub'))
    )
    # Emails are unique whatever their case (autogenerate does not write functional indexes).
    op.create_index('uq_user_email_lower', 'user', [sa.text('lower(email)')], unique=True)
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('startup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('pitch', sa.Text(), nullable=False),
    sa.Column('sponsoring_administration', sa.String(length=200), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('investigation', 'construction', 'acceleration', 'consolidation', 'transfere', 'opere', 'abandon-investigation', 'abandon', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('phase_started_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'stopped', 'transferred', name='startupstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubator.id'], name=op.f('fk_startup_incubator_id_incubator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_startup')),
    sa.UniqueConstraint('slug', name=op.f('uq_startup_slug'))
    )
    with op.batch_alter_table('startup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_startup_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_startup_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_startup_phase'), ['phase'], unique=False)

    op.create_table('user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'member', 'intrapreneur', 'sponsor', 'finance', name='role', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_role_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role'))
    )
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('intrapreneur', 'team', 'coach', 'sponsor', name='memberrole', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['startup_id'], ['startup.id'], name=op.f('fk_membership_startup_id_startup'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'startup_id', 'role', name='uq_membership_user_startup_role')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_startup_id'), ['startup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)

    op.create_table('phase_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('investigation', 'construction', 'acceleration', 'consolidation', 'transfere', 'opere', 'abandon-investigation', 'abandon', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['startup_id'], ['startup.id'], name=op.f('fk_phase_change_startup_id_startup'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_change'))
    )
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_change_startup_id'), ['startup_id'], unique=False)



def downgrade():
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_change_startup_id'))

    op.drop_table('phase_change')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_startup_id'))

    op.drop_table('membership')
    op.drop_table('user_role')
    with op.batch_alter_table('startup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_startup_phase'))
        batch_op.drop_index(batch_op.f('ix_startup_name'))
        batch_op.drop_index(batch_op.f('ix_startup_incubator_id'))

    op.drop_table('startup')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_occurred_at'))
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_index('uq_user_email_lower', table_name='user')
    op.drop_table('user')
    op.drop_table('incubator')
