"""`reindex` makes again a search index whose tables were dropped by hand (breaker, session 21:
with a shadow table of the trigram index dropped it stopped with "SQL logic error")."""

from __future__ import annotations

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from dutydesk.services.core.search_catch_up import catch_up
from dutydesk.services.core.search_remake import DEFINITIONS
from tests.support_reliability import scalar, tamper


@pytest.mark.parametrize(
    "dropped", ["call_fts_docsize", "call_bigram", "call_digits_idx", "call_phone_config"]
)
def test_reindex_makes_a_dropped_index_again(cli, desk, officer, dropped):
    call = save_call(desk, CallDraft(caller="李明", unit="城关镇", phone="022-23456789",
                                     summary="人民路积水"), officer)  # fmt: skip
    catch_up(desk)
    desk.close()
    settings = {name: scalar(desk.path, f"SELECT group_concat(k || '=' || v) FROM {name}_config")
                for name in DEFINITIONS}  # fmt: skip
    tamper(desk.path, f"DROP TABLE {dropped}")
    try:
        found = verify_register(desk.path).ok
    except DutyError:  # an index that cannot be opened at all: the register "cannot be read"
        found = False
    assert not found
    result = cli("reindex", db=desk.path)
    assert result.exit_code == 0, result.output
    assert verify_register(desk.path, deep=True).ok
    for name in DEFINITIONS:  # the merge settings as the migrations left them
        assert (
            scalar(desk.path, f"SELECT group_concat(k || '=' || v) FROM {name}_config")
            == (settings[name])
        )
    for term in ("积水", "水", "人民路积水", "022-2345", "23456789"):
        assert [view.number for view in list_calls(desk, search=term)] == [call.number], term
