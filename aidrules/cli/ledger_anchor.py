"""``aidrules ledger keygen``, ``ledger anchor`` and ``ledger verify --anchor``: the chain
heads signed with a key the county holds, kept away from the database (see anchor.py).

The anchor library and cryptography are imported inside the commands, so the rest of the
``aidrules`` command starts as fast as before.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aidrules.cli.console import err, out

if TYPE_CHECKING:
    from aidrules.ledger.chain import BadEntry
    from aidrules.ledger.integrity import Broken
    from aidrules.ledger.ledger import Ledger

AnchorFile = Annotated[Path | None, typer.Option(
    "--anchor", help="An anchor file (ledger anchor): prove no entry before it was rewritten.")]
PublicKey = Annotated[Path | None, typer.Option(
    "--public-key", help="The county's public key (PEM) that signed the anchor.")]


def register(ledger_app: typer.Typer,
             opened: Callable[[str], AbstractContextManager[Ledger]]) -> None:
    """Add ``keygen`` and ``anchor`` to ``aidrules ledger`` (``opened`` is its context
    manager that opens a ledger and turns a library error into one line and exit 1)."""

    @ledger_app.command()
    def keygen(key: Annotated[Path, typer.Option("--key", help="The private key file to "
                                                 "write (PEM; keep it away from the "
                                                 "database).")] = Path("anchor.key"),
               public_key: Annotated[Path, typer.Option("--public-key", help="The public "
                                                        "key file to write (PEM).")]
               = Path("anchor.pub")) -> None:
        """Make an Ed25519 key pair for signing anchors; never overwrites a file."""
        from aidrules.ledger.anchor import AnchorError, make_keys
        try:
            made = make_keys(key, public_key)
        except AnchorError as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        out.print(f"key {made}: private {key}, public {public_key}", markup=False)

    @ledger_app.command()
    def anchor(key: Annotated[Path, typer.Option("--key", help="The private key (PEM) "
                                                 "that signs.")],
               output: Annotated[Path, typer.Option("--out", help="The anchor file to "
                                                    "write.")],
               db: Annotated[str, typer.Option("--db", help="SQLite file or database URL.")]
               = "aidrules.db") -> None:
        """Sign the current chain heads with a timestamp into a small file to keep
        elsewhere; refused when the ledger does not verify."""
        from aidrules.ledger.anchor import anchor_text, read_private_key
        with opened(db) as ledger:
            signer = read_private_key(key)
            bad = ledger.verify()
            if bad is not None:
                err.print(f"error: not anchored, the ledger does not verify: {bad}",
                          markup=False, soft_wrap=True)
                raise typer.Exit(1)
            with ledger.engine.connect() as connection:
                text = anchor_text(connection, signer)
        output.write_text(text, encoding="utf-8")
        out.print(f"anchored the chain heads in {output}", markup=False)


def anchor_problem(ledger: Ledger, anchor_file: Path, public_key: Path | None
                   ) -> BadEntry | Broken | None:
    """``ledger verify --anchor``: the first anchored head the ledger no longer holds."""
    from aidrules.ledger.anchor import AnchorError, anchor_problem, read_anchor, read_public_key
    if public_key is None:
        raise AnchorError("--anchor needs --public-key: the county's key that signed it")
    anchored = read_anchor(anchor_file, read_public_key(public_key))
    with ledger.engine.connect() as connection:
        return anchor_problem(connection, anchored)
