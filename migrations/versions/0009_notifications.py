"""E-mail notifications: the outbox the worker sends, and the notifications each person turned off

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 00:01:39.712239

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_opt_out',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notification', sa.Enum('agenda_published', 'meeting_reminder', 'vote_reminder', 'dossier_returned', 'decision_published', 'order_sent', name='notification', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'notification', name=op.f('pk_notification_opt_out'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification', sa.Enum('agenda_published', 'meeting_reminder', 'vote_reminder', 'dossier_returned', 'decision_published', 'order_sent', name='notification', native_enum=False, length=32), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=250), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment_name', sa.String(length=120), nullable=True),
    sa.Column('attachment_type', sa.String(length=80), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sent', name='messagestate', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_outbox_message_recipient_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_message_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_recipient_id'), ['recipient_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_recipient_id'))
        batch_op.drop_index('ix_outbox_message_due')

    op.drop_table('outbox_message')
    op.drop_table('notification_opt_out')
