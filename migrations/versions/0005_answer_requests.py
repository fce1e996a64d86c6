"""answer requests: routing questions to the members best placed to answer

``answer_request`` records who was asked about which question (round 1 when it
is posted, round 2 by the 48-hour follow-up); ``unanswered_follow_up`` is the
once-per-question claim of that follow-up; ``portal_setting`` holds settings an
admin saves on a screen (routing on or off); two preferences let a member opt
out of being asked, or of the email about it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('round IN (1, 2)', name=op.f('ck_answer_request_round')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_request_question_id_question')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_answer_request_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_request')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_answer_request_question_id_user_id'))
    )
    with op.batch_alter_table('answer_request', schema=None) as batch_op:
        batch_op.create_index('ix_answer_request_recent', ['user_id', 'created_at'], unique=False)

    op.create_table('unanswered_follow_up',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_unanswered_follow_up_question_id_question')),
    sa.PrimaryKeyConstraint('question_id', name=op.f('pk_unanswered_follow_up'))
    )
    op.create_table('portal_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_portal_setting'))
    )

    true = sa.true()
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_requests', sa.Boolean(), nullable=False, server_default=true))
        batch_op.add_column(sa.Column('email_request', sa.Boolean(), nullable=False, server_default=true))
    # The model sets these in Python; the server default only filled old rows.
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.alter_column('answer_requests', server_default=None)
        batch_op.alter_column('email_request', server_default=None)


def downgrade():
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_column('email_request')
        batch_op.drop_column('answer_requests')

    op.drop_table('portal_setting')
    op.drop_table('unanswered_follow_up')
    with op.batch_alter_table('answer_request', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_request_recent')

    op.drop_table('answer_request')
