"""The calls' four search indexes dropped and made again, empty, before `reindex` fills them,
whatever was done to their tables by hand (breaker, session 21: with a shadow table of the
trigram index dropped, or one remade as a view, `reindex` stopped with a traceback and the
search could not be mended).

Each definition is the one the migrations left (0012 the trigram index, 0001 the bigram index,
0014 the phone digits, 0027 the digit grams), with the merge settings of 0007 and 0028."""

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


def remake_indexes(connection: Any) -> None:
    """Each of the four indexes dropped, whatever stands at its names (a view, a table of another
    shape, shadow tables missing or remade by hand), and created again empty, for `reindex` to
    fill. `connection`: a SQLAlchemy connection (exec_driver_sql)."""
    run = connection.exec_driver_sql
    for name, definition in DEFINITIONS.items():
        _drop(run, name)
        run(definition)
        run(f"INSERT INTO {name}({name}, rank) VALUES ('automerge', {AUTOMERGE})")
        run(f"INSERT INTO {name}({name}, rank) VALUES ('usermerge', {USERMERGE})")


def _drop(run: Any, name: str) -> None:
    shadows = {f"{name}_{shadow}": shadow for shadow in SHADOWS}
    found = _schema(run, [name, *shadows])
    kind, sql = found.get(name, (None, ""))
    if kind == "view":
        run(f"DROP VIEW {name}")
    elif kind == "table" and not sql.upper().startswith("CREATE VIRTUAL TABLE"):
        run(f"DROP TABLE {name}")
    elif kind == "table":  # FTS5 opens it to drop it: its shadow tables as it made them first
        for table, shadow in shadows.items():
            columns, empty = SHADOWS[shadow]
            wanted = f"CREATE TABLE '{table}'{columns}"
            if found.get(table) == ("table", wanted):
                continue
            _drop_plain(run, table, found.get(table, (None, ""))[0])
            run(wanted)
            if empty is not None:
                run(f"INSERT INTO '{table}'{empty}")
        try:
            run(f"DROP TABLE {name}")
        except Exception as error:  # noqa: BLE001 - its definition itself rewritten by hand
            from dutydesk.errors import DutyError

            raise DutyError("reindex.cannot_remake", index=name, detail=str(error)) from error
    for table, (table_kind, _sql) in _schema(run, list(shadows)).items():
        _drop_plain(run, table, table_kind)


def _drop_plain(run: Any, table: str, kind: str | None) -> None:
    if kind == "view":
        run(f"DROP VIEW '{table}'")
    elif kind is not None:
        run(f"DROP TABLE '{table}'")


def _schema(run: Any, names: list[str]) -> dict[str, tuple[str, str]]:
    marks = ", ".join("?" * len(names))
    rows = run(f"SELECT name, type, sql FROM sqlite_master WHERE name IN ({marks})", tuple(names))
    return {row[0]: (row[1], row[2] or "") for row in rows.fetchall()}
