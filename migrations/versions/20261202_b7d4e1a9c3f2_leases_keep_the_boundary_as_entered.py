"""Leases keep their boundary as it was entered (a permit's corner table) and its CRS.

Revision ID: b7d4e1a9c3f2
Revises: f31c208f868b
Create Date: 2026-12-02 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d4e1a9c3f2"
down_revision = "f31c208f868b"
branch_labels = None
depends_on = None


def upgrade():
    # Leases saved before have neither: their pages say so (or, for WGS84 lon/lat, show the
    # stored corners, which are the entered ones).
    with op.batch_alter_table("leases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("boundary_as_entered", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("crs_as_entered", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("leases", schema=None) as batch_op:
        batch_op.drop_column("crs_as_entered")
        batch_op.drop_column("boundary_as_entered")
