"""The shipped migrations build, from an empty database, exactly the schema the models say."""

from __future__ import annotations

import sqlalchemy as sa

from aidrules.ledger import migrate


def test_an_empty_database_migrates_to_head_and_matches_the_models(database_url):
    engine = sa.create_engine(database_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert migrate.differences(engine) == []
        migrate.upgrade(engine)  # upgrading an up-to-date database changes nothing
        assert migrate.differences(engine) == []
    finally:
        engine.dispose()


def test_a_database_missing_a_column_differs_from_the_models(database_url):
    """The comparison can fail: it is not a test that always passes."""
    engine = sa.create_engine(database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE warnings DROP COLUMN risk_level"))
        assert [d[0] for d in migrate.differences(engine)] == ["add_column"]
    finally:
        engine.dispose()
