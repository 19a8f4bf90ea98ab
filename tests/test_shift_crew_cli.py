"""The command line's side of issue 14 items 5-6: `shift open --second-officer` and
`handover sign --outgoing-second/--incoming-second` under Henan 三(一) 双人专职, and the early
sign-off said before the PINs."""

from __future__ import annotations

from dutydesk.i18n import t
from tests.conftest import add_person_cli, init_cli
from tests.support_people import ADMIN, ADMIN_PIN
from tests.test_handover_cli import _invoke, _tick_everything

PIN = "271828"
HANDOVER_AT = "2026-11-23T17:45:00+08:00"


def _henan(cli):
    assert init_cli(cli, profile="henan").exit_code == 0
    for name, role in (("张伟", "officer"), ("李娜", "officer"), ("刘洋", "officer"),
                       ("陈静", "officer"), ("王建国", "leader")):  # fmt: skip
        added = add_person_cli(cli, "--name", name, "--role", role, "--in-post-since", "2024-01-01")
        assert added.exit_code == 0, added.output
        result = _invoke(cli, "people", "set-pin", name, "--by", ADMIN,
                         input=f"{ADMIN_PIN}\n{PIN}\n{PIN}\n")  # fmt: skip
        assert result.exit_code == 0, result.output
    return cli


def test_henan_shift_open_and_sign_off_take_both_officers(cli):
    _henan(cli)
    refused = cli("shift", "open", "--officer", "张伟", "--leader", "王建国")
    assert refused.exit_code == 1
    assert t("shift.second_officer_needed", cite="Henan 三(一)") in refused.stderr
    opened = cli("shift", "open", "--officer", "张伟", "--second-officer", "李娜",
                 "--leader", "王建国")  # fmt: skip
    assert opened.exit_code == 0, opened.output
    cli.at(HANDOVER_AT)
    _tick_everything(cli)
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.handover.handover import mark
    from dutydesk.services.handover.handover_checklist import build_checklist

    desk = open_desk(cli.db_path, FrozenClock(HANDOVER_AT))
    for item in build_checklist(desk).blocking:
        mark(desk, item.key, "not_done", "无")
    desk.close()
    one = _invoke(cli, "handover", "sign", "--outgoing", "张伟", "--incoming", "刘洋",
                  "--incoming-second", "陈静", input=f"{PIN}\n{PIN}\n{PIN}\n")  # fmt: skip
    assert one.exit_code == 1
    assert one.stderr.strip() == t("handover.second_signer_needed", cite="Henan 三(一)")
    signed = _invoke(cli, "handover", "sign", "--outgoing", "张伟", "--outgoing-second", "李娜",
                     "--incoming", "刘洋", "--incoming-second", "陈静",
                     input=f"{PIN}\n{PIN}\n{PIN}\n{PIN}\n")  # fmt: skip
    assert signed.exit_code == 0, signed.output
    early = t("handover.early", due="2026-11-23 18:00", hours=0, minutes=15)
    assert early in signed.stdout  # said before the PINs
    status = cli("shift", "status")
    assert t("header.on_duty", officer="刘洋", leader="王建国") in status.output


def _henan_at_handover(cli):
    _henan(cli)
    opened = cli("shift", "open", "--officer", "张伟", "--second-officer", "李娜",
                 "--leader", "王建国")  # fmt: skip
    assert opened.exit_code == 0, opened.output
    cli.at(HANDOVER_AT)
    _tick_everything(cli)
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.handover.handover import mark
    from dutydesk.services.handover.handover_checklist import build_checklist

    desk = open_desk(cli.db_path, FrozenClock(HANDOVER_AT))
    for item in build_checklist(desk).blocking:
        mark(desk, item.key, "not_done", "无")
    desk.close()


def test_one_person_signs_once_refused_by_name_before_any_pin(cli):
    """QA: 陈静 signed as both the outgoing and the incoming second officer; the leader as the
    incoming second officer was refused only after every PIN had been typed."""
    _henan_at_handover(cli)
    for second_out, second_in in (("李娜", "李娜"), ("李娜", "王建国")):
        refused = _invoke(cli, "handover", "sign", "--outgoing", "张伟", "--outgoing-second",
                          second_out, "--incoming", "刘洋", "--incoming-second", second_in,
                          "--leader", "王建国", input="")  # fmt: skip
        assert refused.exit_code == 1, refused.output
        assert refused.stderr.strip() == t("handover.signs_twice", name=second_in)
        assert "密码" not in refused.output  # no PIN was asked for
    status = cli("shift", "status")
    assert t("header.on_duty", officer="张伟", leader="王建国") in status.output  # nothing signed
