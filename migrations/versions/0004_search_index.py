"""search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000

The FTS5 tables and their triggers (SQLite) and the tsvector columns, their
storage and their GIN indexes (PostgreSQL) are copies of CREATE in
portal/search/engines/sqlite.py and postgresql.py, which run them for
db.create_all(); migrations import no app code. tests/search/test_schema.py
checks that both ways build the same thing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SQLITE = (
    """CREATE VIRTUAL TABLE search_fts USING fts5(
    title, tags, body, answers, facets,
    content='search_document', content_rowid='question_id',
    tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
)""",
    """CREATE VIRTUAL TABLE search_title_fts USING fts5(
    title, tags,
    content='search_document', content_rowid='question_id',
    tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
)""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN
    INSERT INTO search_fts(rowid, title, tags, body, answers, facets)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers, new.facets);
    INSERT INTO search_title_fts(rowid, title, tags)
    VALUES (new.question_id, new.title, new.tags);
END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers, facets)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers,
            old.facets);
    INSERT INTO search_title_fts(search_title_fts, rowid, title, tags)
    VALUES ('delete', old.question_id, old.title, old.tags);
END""",
    """CREATE TRIGGER search_fts_update
AFTER UPDATE OF title, tags, body, answers, facets ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers, facets)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers,
            old.facets);
    INSERT INTO search_title_fts(search_title_fts, rowid, title, tags)
    VALUES ('delete', old.question_id, old.title, old.tags);
    INSERT INTO search_fts(rowid, title, tags, body, answers, facets)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers, new.facets);
    INSERT INTO search_title_fts(rowid, title, tags)
    VALUES (new.question_id, new.title, new.tags);
END""",
)

POSTGRESQL = (
    """ALTER TABLE search_document ADD COLUMN vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english', replace(title, '<', ' ')), 'A')
    || setweight(to_tsvector('english', tags), 'A')
    || setweight(to_tsvector('english', replace(body, '<', ' ')), 'B')
    || setweight(to_tsvector('english', replace(answers, '<', ' ')), 'C')
    || setweight(to_tsvector('simple', facets), 'D')
) STORED""",
    """ALTER TABLE search_document ADD COLUMN title_vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english', replace(title, '<', ' ')), 'A')
    || setweight(to_tsvector('english', tags), 'B')
) STORED""",
    """ALTER TABLE search_document
    ALTER COLUMN vector SET STORAGE MAIN,
    ALTER COLUMN title_vector SET STORAGE MAIN,
    SET (toast_tuple_target = 4080)""",
    """CREATE INDEX ix_search_document_vector ON search_document USING gin (vector)""",
    """CREATE INDEX ix_search_document_title_vector ON search_document
USING gin (title_vector)""",
)


def upgrade():
    op.create_table('search_document',
    sa.Column('question_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('answer_count', sa.Integer(), nullable=False),
    sa.Column('has_accepted', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('boost', sa.Double(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('facets', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_search_document_question_id_question')),
    sa.PrimaryKeyConstraint('question_id', name=op.f('pk_search_document'))
    )
    op.create_index('ix_search_document_accepted', 'search_document', ['has_accepted', 'question_id'], unique=False)
    op.create_index('ix_search_document_unanswered', 'search_document', ['answer_count', 'question_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in {'sqlite': SQLITE, 'postgresql': POSTGRESQL}.get(dialect, ()):
        op.execute(statement)
    # Existing questions are indexed by `flask search reindex`, which needs the
    # app's code; run it once after this upgrade.


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # The triggers go with search_document; the FTS5 tables must go by hand.
        op.execute('DROP TABLE IF EXISTS search_fts')
        op.execute('DROP TABLE IF EXISTS search_title_fts')
    op.drop_index('ix_search_document_unanswered', table_name='search_document')
    op.drop_index('ix_search_document_accepted', table_name='search_document')
    op.drop_table('search_document')
