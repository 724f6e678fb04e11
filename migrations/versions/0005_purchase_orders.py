"""Draft purchase orders (projets de bons de commande), their lines and the yearly counter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 18:16:11.517240

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_order_counter'))
    )
    op.create_table('purchase_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'sent', 'committed', 'cancelled', name='orderstate', native_enum=False, length=16), nullable=False),
    sa.Column('beneficiary_administration', sa.String(length=200), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('legal_commitment', sa.String(length=20), nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['framework_contract.id'], name=op.f('fk_purchase_order_contract_id_framework_contract')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_purchase_order_created_by_id_user')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_purchase_order_decision_id_decision')),
    sa.ForeignKeyConstraint(['startup_id'], ['startup.id'], name=op.f('fk_purchase_order_startup_id_startup')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_order_number'))
    )
    with op.batch_alter_table('purchase_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_startup_id'), ['startup_id'], unique=False)

    op.create_table('purchase_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('work_unit_code', sa.String(length=32), nullable=False),
    sa.Column('work_unit_label', sa.String(length=120), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('unit_price_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_purchase_order_line_order_id_purchase_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_line'))
    )
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_line_order_id'), ['order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_line_order_id'))

    op.drop_table('purchase_order_line')
    with op.batch_alter_table('purchase_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_startup_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_decision_id'))

    op.drop_table('purchase_order')
    op.drop_table('order_counter')
