"""renewal requests: members ask for another year, admins approve or decline

``renewal_request`` holds each request (the member's note, when it was made,
and the admin's decision: who, when, approved or declined, and the message sent
to the member). A partial unique index keeps one open request per membership.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:40:31.974051

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OPEN_REQUEST = sa.text('decided_at IS NULL')


def upgrade():
    op.create_table('renewal_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('message', sa.String(length=1000), nullable=True),
    sa.CheckConstraint("outcome IN ('approved', 'declined')", name=op.f('ck_renewal_request_outcome')),
    sa.CheckConstraint('(decided_at IS NULL) = (outcome IS NULL)', name=op.f('ck_renewal_request_decided')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_renewal_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_renewal_request_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal_request'))
    )
    with op.batch_alter_table('renewal_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_request_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index('uq_renewal_request_open', ['membership_id'], unique=True, sqlite_where=OPEN_REQUEST, postgresql_where=OPEN_REQUEST)


def downgrade():
    with op.batch_alter_table('renewal_request', schema=None) as batch_op:
        batch_op.drop_index('uq_renewal_request_open')
        batch_op.drop_index(batch_op.f('ix_renewal_request_membership_id'))

    op.drop_table('renewal_request')
