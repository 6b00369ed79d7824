"""Opening with ``create=False`` refuses a database that holds no ledger, and starts none."""

from __future__ import annotations

import pytest

from aidrules.ledger import Ledger, NotFound


def test_a_missing_sqlite_file_is_not_created(tmp_path):
    with pytest.raises(NotFound, match="no ledger here; create one with 'aidrules ledger"):
        Ledger.open(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()


@pytest.mark.postgres
def test_an_empty_postgres_schema_is_not_a_ledger(postgres_url):
    with pytest.raises(NotFound, match="no ledger here") as refused:
        Ledger.open(postgres_url, create=False, upgrade=True)
    assert "upgrade postgresql://" in str(refused.value)
    Ledger.upgrade(postgres_url)
    Ledger.open(postgres_url, create=False).close()
