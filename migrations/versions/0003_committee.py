"""Séances, members, proxies, agenda, recusals, votes, questions, decisions and budgets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 17:10:36.332168

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('video_link', sa.String(length=500), nullable=False),
    sa.Column('state', sa.Enum('planned', 'agenda_published', 'in_progress', 'closed', name='meetingstate', native_enum=False, length=20), nullable=False),
    sa.Column('secret_ballot', sa.Boolean(), nullable=False),
    sa.Column('quorum', sa.Numeric(precision=3, scale=2), nullable=False),
    sa.Column('tie_break', sa.Enum('president', 'postpone', name='tiebreak', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    op.create_table('meeting_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_president', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_member_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_meeting_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_member')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_meeting_member')
    )
    with op.batch_alter_table('meeting_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_member_user_id'), ['user_id'], unique=False)

    op.create_table('proxy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('giver_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['giver_id'], ['user.id'], name=op.f('fk_proxy_giver_id_user')),
    sa.ForeignKeyConstraint(['holder_id'], ['user.id'], name=op.f('fk_proxy_holder_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_proxy_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxy')),
    sa.UniqueConstraint('meeting_id', 'giver_id', name='uq_proxy_giver'),
    sa.UniqueConstraint('meeting_id', 'holder_id', name='uq_proxy_holder')
    )
    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('dossier_version_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'open', 'closed', name='itemstate', native_enum=False, length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('continue', 'stop', 'postponed', name='outcome', native_enum=False, length=16), nullable=True),
    sa.Column('result_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_version_id'], ['dossier_version.id'], name=op.f('fk_agenda_item_dossier_version_id_dossier_version')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_agenda_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('draft', 'published', 'superseded', name='decisionstate', native_enum=False, length=16), nullable=False),
    sa.Column('outcome', sa.Enum('continue', 'stop', 'postponed', name='outcome', native_enum=False, length=16), nullable=False),
    sa.Column('next_phase', sa.Enum('investigation', 'construction', 'acceleration', 'consolidation', 'transfere', 'opere', 'abandon-investigation', 'abandon', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_decision_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_decision_created_by_id_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_decision_published_by_id_user')),
    sa.ForeignKeyConstraint(['startup_id'], ['startup.id'], name=op.f('fk_decision_startup_id_startup')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['decision.id'], name=op.f('fk_decision_supersedes_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_startup_id'), ['startup_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_question_answered_by_id_user')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_question_author_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], name=op.f('fk_question_item_id_agenda_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    op.create_table('recusal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], name=op.f('fk_recusal_item_id_agenda_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recusal_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusal')),
    sa.UniqueConstraint('item_id', 'user_id', name='uq_recusal_member')
    )
    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('continuer', 'arreter', 'abstention', name='choice', native_enum=False, length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cast_by_id'], ['user.id'], name=op.f('fk_vote_cast_by_id_user')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], name=op.f('fk_vote_item_id_agenda_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['user.id'], name=op.f('fk_vote_voter_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote'))
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_item_id'), ['item_id'], unique=False)

    op.create_table('decision_budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('work_unit_type_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_budget_line_decision_id_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_unit_type_id'], ['work_unit_type.id'], name=op.f('fk_decision_budget_line_work_unit_type_id_work_unit_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_budget_line'))
    )
    with op.batch_alter_table('decision_budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_budget_line_decision_id'), ['decision_id'], unique=False)



def downgrade():
    with op.batch_alter_table('decision_budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_budget_line_decision_id'))

    op.drop_table('decision_budget_line')
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_item_id'))

    op.drop_table('vote')
    op.drop_table('recusal')
    op.drop_table('question')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_startup_id'))

    op.drop_table('decision')
    op.drop_table('agenda_item')
    op.drop_table('proxy')
    with op.batch_alter_table('meeting_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_member_user_id'))

    op.drop_table('meeting_member')
    op.drop_table('meeting')
