"""board counters, stored html and indexes for speed

Tag pages read counters on ``tag`` instead of counting rows; question and answer
bodies keep their rendered, sanitised HTML (NULL here: pages render an old
version on the fly until ``flask board render`` stores it); indexes serve the
reputation and "top contributors" statements.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 12:21:19.240359

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# List orders over live questions only: PostgreSQL walks an index in order only
# when the WHERE pins its leading columns by equality (IS NULL does not).
LIVE = {
    'sqlite_where': sa.text('deleted_at IS NULL'),
    'postgresql_where': sa.text('deleted_at IS NULL'),
}
LIVE_INDEXES = {
    'ix_question_newest': ['created_at', 'id'],
    'ix_question_active': ['last_activity_at', 'id'],
    'ix_question_top': ['score', 'id'],
    'ix_question_unanswered': ['answer_count', 'created_at', 'id'],
}

COUNTS = """
UPDATE tag SET
  question_count = (
    SELECT count(*) FROM question_tag JOIN question ON question.id = question_tag.question_id
    WHERE question_tag.tag_id = tag.id AND question.deleted_at IS NULL),
  follower_count = (SELECT count(*) FROM tag_follow WHERE tag_follow.tag_id = tag.id)
"""


def upgrade():
    zero = sa.text('0')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_html_version', sa.SmallInteger(), nullable=False, server_default=zero))
        batch_op.create_index('ix_answer_created_at', ['created_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_answer_author_id'))
        batch_op.create_index('ix_answer_author_newest', ['author_id', 'created_at', 'id'], unique=False)

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_html_version', sa.SmallInteger(), nullable=False, server_default=zero))
        for name in ('ix_question_newest', 'ix_question_active', 'ix_question_top', 'ix_question_unanswered'):
            batch_op.drop_index(name)
        for name, columns in LIVE_INDEXES.items():
            batch_op.create_index(name, columns, unique=False, **LIVE)
        batch_op.create_index('ix_question_accepted_answer', ['accepted_answer_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_question_author_id'))
        batch_op.create_index('ix_question_author_newest', ['author_id', 'created_at', 'id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index('ix_user_account_name', ['name', 'id'], unique=False)

    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_count', sa.Integer(), nullable=False, server_default=zero))
        batch_op.add_column(sa.Column('follower_count', sa.Integer(), nullable=False, server_default=zero))

    op.execute(COUNTS)
    # The models set these in Python; the server defaults only filled old rows.
    for table, columns in (('answer', ['body_html_version']), ('question', ['body_html_version']),
                           ('tag', ['question_count', 'follower_count'])):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index('ix_user_account_name')

    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_column('follower_count')
        batch_op.drop_column('question_count')

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_author_newest')
        batch_op.create_index(batch_op.f('ix_question_author_id'), ['author_id'], unique=False)
        batch_op.drop_index('ix_question_accepted_answer')
        for name in LIVE_INDEXES:
            batch_op.drop_index(name)
        batch_op.create_index('ix_question_newest', ['deleted_at', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_question_active', ['deleted_at', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_question_top', ['deleted_at', 'score', 'id'], unique=False)
        batch_op.create_index('ix_question_unanswered', ['deleted_at', 'answer_count', 'created_at'], unique=False)
        batch_op.drop_column('body_html_version')
        batch_op.drop_column('body_html')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_author_newest')
        batch_op.create_index(batch_op.f('ix_answer_author_id'), ['author_id'], unique=False)
        batch_op.drop_index('ix_answer_created_at')
        batch_op.drop_column('body_html_version')
        batch_op.drop_column('body_html')
