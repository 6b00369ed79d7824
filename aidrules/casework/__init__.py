"""The case model without a database: what the law says about a case, its money and its
challenges, as pure functions over plain data. Storage lives in :mod:`aidrules.ledger`."""
