"""Framework contracts (accords-cadres) and their unit prices per UO type, with validity dates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 18:02:42.475915

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('framework_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('holder_siret', sa.String(length=14), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_framework_contract_dates_in_order')),
    sa.CheckConstraint('vat_rate >= 0 AND vat_rate < 1', name=op.f('ck_framework_contract_vat_rate_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_contract')),
    sa.UniqueConstraint('reference', name=op.f('uq_framework_contract_reference'))
    )
    op.create_table('unit_price',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('work_unit_type_id', sa.Integer(), nullable=False),
    sa.Column('price_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_ht >= 0', name=op.f('ck_unit_price_price_not_negative')),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= valid_from', name=op.f('ck_unit_price_period_in_order')),
    sa.ForeignKeyConstraint(['contract_id'], ['framework_contract.id'], name=op.f('fk_unit_price_contract_id_framework_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_unit_type_id'], ['work_unit_type.id'], name=op.f('fk_unit_price_work_unit_type_id_work_unit_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_price')),
    sa.UniqueConstraint('contract_id', 'work_unit_type_id', 'valid_from', name='uq_unit_price_start')
    )
    with op.batch_alter_table('unit_price', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_price_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_price_work_unit_type_id'), ['work_unit_type_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unit_price', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_price_work_unit_type_id'))
        batch_op.drop_index(batch_op.f('ix_unit_price_contract_id'))

    op.drop_table('unit_price')
    op.drop_table('framework_contract')
