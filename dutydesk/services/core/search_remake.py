"""The calls' four search indexes made again when their tables were dropped by hand, before
`reindex` fills them (breaker, session 21: with a shadow table of the trigram index dropped,
`reindex` stopped with "SQL logic error" and a traceback, and the search could not be mended).

Each definition is the one the migrations left (0012 the trigram index, 0001 the bigram index,
0014 the phone digits, 0027 the digit grams), with the merge settings of 0007 and 0028. An
index whose table and four shadow tables are all there is left as it is."""

from __future__ import annotations

from typing import Any

DEFINITIONS = {
    "call_fts": "CREATE VIRTUAL TABLE call_fts USING fts5(caller, unit, phone, summary, handling, "
    "place, content='call_record', content_rowid='id', tokenize='trigram')",
    "call_bigram": "CREATE VIRTUAL TABLE call_bigram USING fts5(grams, content='', "
    "tokenize='unicode61')",
    "call_phone": "CREATE VIRTUAL TABLE call_phone USING fts5(digits, content='', "
    "tokenize='trigram')",
    "call_digits": "CREATE VIRTUAL TABLE call_digits USING fts5(digits, content='', detail=none, "
    "tokenize='unicode61')",
}
# FTS5's shadow tables as it makes them, with the rows of an empty index: made again where one
# was dropped, so that the index itself can be dropped (FTS5 cannot open it without them)
SHADOWS = {
    "config": ("(k PRIMARY KEY, v) WITHOUT ROWID", "(k, v) VALUES ('version', 4)"),
    "data": ("(id INTEGER PRIMARY KEY, block BLOB)",
             "(id, block) VALUES (1, X''), (10, X'00000000000000')"),
    "docsize": ("(id INTEGER PRIMARY KEY, sz BLOB)", None),
    "idx": ("(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID", None),
}  # fmt: skip
AUTOMERGE = 0  # merging is upkeep's, off the save (migration 0007)
USERMERGE = 2  # migration 0028


def remake_damaged_indexes(connection: Any) -> list[str]:
    """Drop what is left of each index missing a table and create it again, empty; the names
    of those made again. `connection`: a SQLAlchemy connection (exec_driver_sql)."""
    run = connection.exec_driver_sql
    remade = []
    for name, definition in DEFINITIONS.items():
        shadows = [f"{name}_{shadow}" for shadow in SHADOWS]
        wanted = [name, *shadows]
        marks = ", ".join("?" * len(wanted))
        present = {row[0] for row in run(
            f"SELECT name FROM sqlite_master WHERE name IN ({marks})", tuple(wanted)
        ).fetchall()}  # fmt: skip
        if present == set(wanted):
            continue
        if name in present:
            for shadow, (columns, empty) in SHADOWS.items():
                if f"{name}_{shadow}" not in present:
                    run(f"CREATE TABLE '{name}_{shadow}'{columns}")
                    if empty is not None:
                        run(f"INSERT INTO '{name}_{shadow}'{empty}")
            run(f"DROP TABLE {name}")  # and FTS5 its shadow tables with it
        for shadow in shadows:
            run(f"DROP TABLE IF EXISTS {shadow}")
        run(definition)
        run(f"INSERT INTO {name}({name}, rank) VALUES ('automerge', {AUTOMERGE})")
        run(f"INSERT INTO {name}({name}, rank) VALUES ('usermerge', {USERMERGE})")
        remade.append(name)
    return remade
