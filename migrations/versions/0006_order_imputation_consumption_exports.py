"""Order imputation (centre financier, domaine fonctionnel, activité) and beneficiary
service, declared consumption (service fait) per order line, background export jobs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 19:39:50.755005

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=32), nullable=False),
    sa.Column('file_format', sa.String(length=8), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'running', 'done', 'failed', 'expired', name='exportstate', native_enum=False, length=16), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('done_rows', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_export_job_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_job_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('consumption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('days <> 0', name=op.f('ck_consumption_days_not_zero')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_consumption_created_by_id_user')),
    sa.ForeignKeyConstraint(['line_id'], ['purchase_order_line.id'], name=op.f('fk_consumption_line_id_purchase_order_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consumption'))
    )
    with op.batch_alter_table('consumption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consumption_line_id'), ['line_id'], unique=False)

    with op.batch_alter_table('purchase_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('beneficiary_service', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('financial_centre', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('functional_domain', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('activity', sa.String(length=40), nullable=False, server_default=''))



def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would reflect the user
    # table and its expression index, which SQLite cannot describe.
    for column in ('activity', 'functional_domain', 'financial_centre', 'beneficiary_service'):
        op.drop_column('purchase_order', column)

    with op.batch_alter_table('consumption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consumption_line_id'))

    op.drop_table('consumption')
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_job_created_by_id'))

    op.drop_table('export_job')
