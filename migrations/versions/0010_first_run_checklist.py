"""first-run checklist: what a new member has done that leaves no other trace

``member_checklist`` holds, per member, when they opened "How the network
works", and when their first-run checklist closed (dismissed, or found
complete). The other steps are read from the profile, tag follows and posts.

Members who have already asked or answered are not new: their checklist is
recorded as closed, so the upgrade shows it only to those who have not posted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_checklist',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('guide_read_at', sa.DateTime(), nullable=True),
    sa.Column('dismissed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_member_checklist_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_member_checklist'))
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.execute(
        sa.text(
            "INSERT INTO member_checklist (user_id, completed_at) "
            "SELECT id, :now FROM user_account u "
            "WHERE EXISTS (SELECT 1 FROM question q WHERE q.author_id = u.id) "
            "OR EXISTS (SELECT 1 FROM answer a WHERE a.author_id = u.id)"
        ).bindparams(sa.bindparam("now", now, type_=sa.DateTime()))
    )


def downgrade():
    op.drop_table('member_checklist')
