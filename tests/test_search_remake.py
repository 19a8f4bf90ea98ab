"""`reindex` makes again a search index whatever was done to its tables by hand (breaker,
session 21: a shadow table dropped stopped it with "SQL logic error", one remade as a view or
another shape with a traceback), and `verify` names the damage instead of saying the register
cannot be opened."""

from __future__ import annotations

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from dutydesk.services.core.search_catch_up import catch_up
from dutydesk.services.core.search_remake import DEFINITIONS
from tests.support_reliability import scalar, tamper

SHAPES = "(id INTEGER PRIMARY KEY, block BLOB)", "(k PRIMARY KEY, v) WITHOUT ROWID"
DAMAGES = {
    "docsize dropped": ["DROP TABLE call_fts_docsize"],
    "index dropped": ["DROP TABLE call_bigram"],
    "idx dropped": ["DROP TABLE call_digits_idx"],
    "config dropped": ["DROP TABLE call_phone_config"],
    "several dropped": ["DROP TABLE call_fts_idx", "DROP TABLE call_phone_data",
                        "DROP TABLE call_digits_config"],
    "a view for data": ["DROP TABLE call_fts_data",
                        "CREATE VIEW call_fts_data AS SELECT 1 AS id, x'' AS block"],
    "idx of another shape": ["DROP TABLE call_phone_idx", "CREATE TABLE call_phone_idx(a, b)"],
    "a view for the index": ["DROP TABLE call_digits",
                             "CREATE VIEW call_digits AS SELECT 1 AS digits"],
    "a plain table for it": ["DROP TABLE call_phone",
                             f"CREATE TABLE call_phone_data{SHAPES[0]}",
                             "CREATE TABLE call_phone(digits)"],
    "blobs rewritten": ["UPDATE call_fts_data SET block = randomblob(length(block)) WHERE id > 10",
                        "UPDATE call_phone_data SET block = x'ffffffff' WHERE id > 10"],
}  # fmt: skip


def _verified(path, deep: bool) -> bool:  # noqa: ANN001
    try:
        return verify_register(path, deep=deep).ok
    except DutyError as error:  # "the register cannot be opened": it can, only an index is hurt
        raise AssertionError(error.message()) from error


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_reindex_makes_a_damaged_index_again(cli, desk, officer, damage):
    call = save_call(desk, CallDraft(caller="李明", unit="城关镇", phone="022-23456789",
                                     summary="人民路积水"), officer)  # fmt: skip
    catch_up(desk)
    desk.close()
    settings = {name: scalar(desk.path, f"SELECT group_concat(k || '=' || v) FROM {name}_config")
                for name in DEFINITIONS}  # fmt: skip
    for statement in DAMAGES[damage]:
        tamper(desk.path, statement)
    assert not _verified(desk.path, deep=True)
    result = cli("reindex", db=desk.path)
    assert result.exit_code == 0, result.output
    assert _verified(desk.path, deep=True)
    for name in DEFINITIONS:  # the merge settings as the migrations left them
        assert (
            scalar(desk.path, f"SELECT group_concat(k || '=' || v) FROM {name}_config")
            == (settings[name])
        )
    for term in ("积水", "水", "人民路积水", "022-2345", "23456789"):
        assert [view.number for view in list_calls(desk, search=term)] == [call.number], term
