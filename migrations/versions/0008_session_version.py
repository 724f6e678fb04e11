"""Session version of each user: logout and deactivation end every session of the user

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 23:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, even on SQLite (3.35+ drops columns): a batch operation would copy the
# table and lose its expression index on lower(email).
def upgrade():
    op.add_column('user', sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    op.drop_column('user', 'session_version')
