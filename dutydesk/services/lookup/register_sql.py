"""The SQL that says what the documents' and contacts' search indexes hold (migration 0024).

One definition serves the migration's triggers, `dutydesk reindex` and `dutydesk verify`, so the
three cannot drift apart. Each register has a derived table `<register>_search` (id, text):
the text search reads for each live record; a trigram index of it (external content) and a
contentless index of its characters and adjacent pairs, for one- and two-character terms. Pieces of text are joined by a newline, which no typed term holds
(terms are split on whitespace), so no term matches across two fields.

- A document's text is its number, party, title and body (a classified document's body is
  never stored; it is left out here too), then each routing (to whom, note), each follow-up and
  its closing note, in the order recorded. Documents are never corrected, so every document is
  live and its text grows as it is handled.
- A contact's text is its unit, name, post, phones and the phones as digits only (as
  migration 0014 makes for calls). Only the phone list in force is indexed: a change (a new row
  replacing one) takes the replaced row out, a withdrawal leaves nothing in."""

from __future__ import annotations

from dataclasses import dataclass

POSITIONS = "search_position"  # ids 1..MAX_TEXT: a trigger cannot use a recursive CTE to cut pairs
# (its column is called id, as every plain table's is: archive packs copy it, empty, and read ids)
MAX_TEXT = 8192  # a document's fields allow about 4,900 characters with a few steps
SEP = "char(10)"
NOT_DIGITS = ("-", " ", "+", "(", ")", "#", "*", ",", "转", "x", "X")  # as migration 0014


def digits_sql(column: str) -> str:
    """`column` with every non-digit a phone may hold removed."""
    expression = column
    for char in NOT_DIGITS:
        expression = f"replace({expression}, '{char}', '')"
    return expression


def grams_sql(text: str) -> str:
    """Every character and adjacent pair of `text` (an SQL expression), space-separated. The
    unicode61 tokenizer drops the punctuation and newlines among them."""
    return (
        f"coalesce((SELECT group_concat(substr({text}, p.id, 1) || ' ' || substr({text}, p.id, 2), "
        f"' ') FROM {POSITIONS} AS p WHERE p.id <= length({text})), '')"
    )


def _joined(*pieces: str) -> str:
    return f" || {SEP} || ".join(f"coalesce({piece}, '')" for piece in pieces)


def _steps(table: str, pieces: tuple[str, ...], document_id: str) -> str:
    each = f"{SEP} || " + _joined(*pieces)
    return (
        f"coalesce((SELECT group_concat(piece, '') FROM (SELECT {each} AS piece FROM {table} "
        f"WHERE document_id = {document_id} ORDER BY id)), '')"
    )


def document_text_sql(document_id: str) -> str:
    """The text of document `document_id` (an SQL expression) with its steps so far."""
    own = _joined("number", "party", "title", "CASE WHEN classified THEN '' ELSE body END")
    return (
        f"(SELECT {own} FROM document WHERE id = {document_id})"
        f" || {_steps('document_routing', ('routed_to', 'note'), document_id)}"
        f" || {_steps('document_followup', ('text',), document_id)}"
        f" || {_steps('document_closure', ('note',), document_id)}"
    )


def contact_text_sql(contact_id: str) -> str:
    """The text of contact row `contact_id` (an SQL expression)."""
    own = _joined("unit", "name", "post", "phone", "mobile", digits_sql("phone"),
                  digits_sql("mobile"))  # fmt: skip
    return f"(SELECT {own} FROM contact WHERE id = {contact_id})"


LIVE_CONTACTS = (
    "SELECT id FROM contact AS live WHERE NOT live.withdrawn AND NOT EXISTS "
    "(SELECT 1 FROM contact AS newer WHERE newer.replaces_id = live.id)"
)


@dataclass(frozen=True)
class RegisterIndex:
    """One register's search index: what `verify` checks and `reindex` rebuilds."""

    register: str  # the register's own table
    live_ids: str  # SQL: the ids of the records the index must hold
    text_of: str  # SQL expression of the text of record `{id}` (format placeholder)

    @property
    def table(self) -> str:
        return f"{self.register}_search"

    @property
    def fts(self) -> tuple[str, str]:
        return (f"{self.register}_fts", f"{self.register}_grams")

    def text(self, record_id: str) -> str:
        return self.text_of.format(id=record_id)


REGISTER_INDEXES = (
    RegisterIndex("document", "SELECT id FROM document", document_text_sql("{id}")),
    RegisterIndex("contact", LIVE_CONTACTS, contact_text_sql("{id}")),
)
INDEX_SINCE = 24  # the migration that made them: an older register has none


def insert_sql(index: RegisterIndex, record_id: str, where: str = "") -> str:
    """INSERT of record `record_id`'s text into the index table."""
    return (
        f"INSERT INTO {index.table}(id, text) SELECT {record_id}, {index.text(record_id)} {where}"
    )


def refresh_document_sql(document_id: str) -> str:
    """UPDATE of a document's text after a step was recorded for it."""
    return (
        f"UPDATE document_search SET text = {document_text_sql(document_id)} "
        f"WHERE id = {document_id}"
    )


def rebuild_sql(index: RegisterIndex) -> list[str]:
    """Statements writing the index table and both FTS5 indexes again from the register, with
    the sync triggers absent (each text is computed once; the pairs are cut from the stored
    text, a column, not from the expression, which SQLite would compute again per position)."""
    fts, grams = index.fts
    return [
        f"DELETE FROM {index.table}",
        f"INSERT INTO {index.table}(id, text) SELECT live.id, {index.text('live.id')} "
        f"FROM ({index.live_ids}) AS live",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"INSERT INTO {grams}({grams}) VALUES ('delete-all')",
        f"INSERT INTO {grams}(rowid, grams) SELECT s.id, {grams_sql('s.text')} "
        f"FROM {index.table} AS s",
    ]


def sync_triggers_sql(index: RegisterIndex) -> dict[str, str]:
    """The triggers keeping the two FTS5 indexes in step with the index table, by name. The
    pairs index is contentless: a row is deleted with the pairs of its old text, which are
    cut again the same way."""
    fts, grams = index.fts
    add = (
        f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); "
        f"INSERT INTO {grams}(rowid, grams) VALUES (new.id, {grams_sql('new.text')});"
    )
    remove = (
        f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {grams}({grams}, rowid, grams) "
        f"VALUES ('delete', old.id, {grams_sql('old.text')});"
    )
    table = index.table
    return {
        f"{table}_ai": f"AFTER INSERT ON {table} BEGIN {add} END",
        f"{table}_ad": f"AFTER DELETE ON {table} BEGIN {remove} END",
        f"{table}_au": f"AFTER UPDATE ON {table} BEGIN {remove} {add} END",
    }
