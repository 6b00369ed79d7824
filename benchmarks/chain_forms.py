"""CPU seconds of the chain's canonical forms on a real ledger, side by side in one run:
every covered row's digest in the legacy form (json.dumps, the cost before RFC 8785), in
RFC 8785 (JCS), and in both (what ``verify`` computes, so that each seal is checked in the
form of the entry that made it); every chain entry's hash in either form; then one whole
``Ledger.verify()``.

    aidrules demo                                   # makes aidrules-demo.db
    python benchmarks/chain_forms.py aidrules-demo.db
"""

from __future__ import annotations

import sys
import time

from aidrules.ledger import Ledger, integrity
from aidrules.ledger import tables as t
from aidrules.ledger.chain import JCS, LEGACY, entry_hash


def main(path: str, rounds: int = 3) -> None:
    ledger = Ledger.open(path, upgrade=False)
    try:
        with ledger.engine.connect() as connection:
            rows = len(integrity.all_digests(connection, t.metadata.tables, forms=(LEGACY,)))
            for name, forms in (("legacy", (LEGACY,)), ("jcs", (JCS,)), ("both", (JCS, LEGACY))):
                spent = []
                for _ in range(rounds):
                    start = time.process_time()
                    integrity.all_digests(connection, t.metadata.tables, forms=forms)
                    spent.append(time.process_time() - start)
                print(f"row digests, {name:6}: {min(spent):.2f} s CPU (best of {rounds}), "
                      f"{rows} rows")
            entries = connection.execute(t.metadata.tables["chain_entries"].select()).all()
            for name, form in (("legacy", LEGACY), ("jcs", JCS)):
                start = time.process_time()
                for e in entries:
                    entry_hash(e.prev_hash, e.household_id, e.seq, e.kind, e.day, e.payload,
                               e.rows, form)
                print(f"entry hashes, {name:6}: {time.process_time() - start:.2f} s CPU, "
                      f"{len(entries)} entries")
        start = time.process_time()
        problem = ledger.verify()
        print(f"Ledger.verify: {time.process_time() - start:.2f} s CPU, "
              f"{'verifies' if problem is None else problem}")
    finally:
        ledger.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "aidrules-demo.db")
