"""`dutydesk units ...` and `dutydesk spotcheck ...` on a district register: what they print,
and that bad input ends with one clear line on stderr, a non-zero exit and nothing written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.spotcheck_support import UNITS, make_district_template, snapshot
from tests.support_template import copy_register


@pytest.fixture(scope="module")
def district_template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("district-cli"))


@pytest.fixture
def dcli(cli, district_template):
    """The CLI on a district register with 10 units and 张伟 on the open weekly shift."""
    copy_register(district_template, cli.db_path)
    return cli


@pytest.fixture
def bare_dcli(cli, tmp_path):
    """The CLI on a district register with no units yet."""
    copy_register(make_district_template(tmp_path, with_units=False), cli.db_path)
    return cli


def refused(result) -> str:
    """The one line a refused command writes on stderr."""
    assert result.exit_code != 0, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def _sample(cli, *extra: str) -> dict:
    result = cli("spotcheck", "sample", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- units


def test_units_import_list_add(bare_dcli, tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_text("名称,类别,值班电话\n城关镇,乡镇,0371-66001001\n东关街道,街道,0371-66001003\n",
                    encoding="utf-8-sig")  # fmt: skip
    result = bare_dcli("units", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "导入 2 个被抽查单位" in result.stdout
    result = bare_dcli("units", "add", "--name", "区水利局", "--kind", "department",
                       "--phone", "0371-66001009")  # fmt: skip
    assert result.exit_code == 0 and "区水利局（区直部门，0371-66001009）" in result.stdout
    listed = json.loads(bare_dcli("units", "list", "--json").stdout)
    assert [(u["name"], u["kind"], u["active"]) for u in listed] == [
        ("城关镇", "township", True), ("东关街道", "subdistrict", True),
        ("区水利局", "department", True),
    ]  # fmt: skip
    text = bare_dcli("units", "list").stdout
    assert "城关镇  乡镇  0371-66001001" in text


def test_units_deactivate_and_activate(dcli):
    assert refused(dcli("units", "deactivate", "城关镇")).startswith("缺少原因")
    result = dcli("units", "deactivate", "城关镇", "--reason", "撤并")
    assert result.exit_code == 0, result.output
    assert "［停止抽查：撤并］" in dcli("units", "list").stdout
    assert dcli("units", "activate", "城关镇").exit_code == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["units", "add", "--kind", "township", "--phone", "0371-66001001"], "缺少单位名称（--name）"),
        (["units", "add", "--name", "新镇", "--kind", "村", "--phone", "0371-66001001"], "单位类别"),
        (["units", "add", "--name", "城关镇", "--kind", "乡镇", "--phone", "0371-1"], "已在被抽查单位名录中"),
        (["units", "import", "nowhere.csv"], "无法读取"),
        (["units", "deactivate", "不存在", "--reason", "x"], "没有“不存在”"),
    ],
)  # fmt: skip
def test_bad_unit_commands(dcli, args, expected):
    before = snapshot(dcli.db_path)
    assert expected in refused(dcli(*args))
    assert snapshot(dcli.db_path) == before


def test_a_bad_csv_names_its_line_and_imports_nothing(dcli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("名称,类别,值班电话\n新一镇,乡镇,0371-66001101\n新二镇,村,0371-66001102\n",
                    encoding="utf-8")  # fmt: skip
    before = snapshot(dcli.db_path)
    line = refused(dcli("units", "import", str(path)))
    assert "第3行" in line and "未导入任何单位" in line
    assert snapshot(dcli.db_path) == before


# ---------------------------------------------------------------- sampling


def test_sample_json_and_text(dcli):
    data = _sample(dcli, "--seed", "42")
    assert set(data) >= {"round_id", "seed", "rate", "active_units", "drawn"}
    assert (data["round_id"], data["seed"], data["rate"], data["active_units"]) == (1, 42, 0.6, 10)
    assert len(data["drawn"]) == 6 and set(data["drawn"]) <= {name for name, _ in UNITS}
    result = dcli("spotcheck", "status")
    assert "本班已完成 0/2 轮" in result.stdout and "——未达标" in result.stdout


def test_same_seed_same_sample_on_the_same_register(dcli, district_template, tmp_path):
    other = tmp_path / "other.sqlite3"
    copy_register(district_template, other)
    first = _sample(dcli, "--seed", "99")
    result = dcli("spotcheck", "sample", "--seed", "99", "--json", db=other)
    assert json.loads(result.stdout)["drawn"] == first["drawn"]


def test_sample_text_lists_units_with_phones(dcli):
    result = dcli("spotcheck", "sample", "--seed", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("第1轮抽查（编号 1，随机种子 1）：从 10 个单位中抽取 6 个")
    assert "区值班工作制度第五条" in lines[0]
    assert len(lines) == 7 and all("0371-6600" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seed", "abc"], "随机种子须为非负整数"),
        (["--seed", "-3"], "随机种子须为非负整数"),
        (["--seed", str(2**63)], "随机种子"),
        (["--count", "2"], "须在 6 至 10 之间"),
        (["--count", "11"], "须在 6 至 10 之间"),
        (["--as", "无名氏"], "人员名册中没有“无名氏”"),
    ],
)
def test_bad_sample_options(dcli, args, expected):
    before = snapshot(dcli.db_path)
    assert expected in refused(dcli("spotcheck", "sample", *args))
    assert snapshot(dcli.db_path) == before


def test_sample_without_units(bare_dcli):
    assert "没有在抽查范围内的单位" in refused(bare_dcli("spotcheck", "sample"))


# ---------------------------------------------------------------- record, close, status, table


def test_a_whole_round_from_the_command_line(dcli):
    data = _sample(dcli, "--seed", "5")
    rid = str(data["round_id"])
    first, *rest = data["drawn"]
    result = dcli("spotcheck", "record", rid, first, "--method", "phone", "--not-answered")
    assert result.exit_code == 0 and "未应答" in result.stdout and "还有5个" in result.stdout
    result = dcli("spotcheck", "record", rid, first, "--method", "电话抽查", "--answered",
                  "--by", "王五", "--not-on-roster", "--fault", "absent", "--fault", "迟报",
                  "--note", "外出")  # fmt: skip
    assert refused(result).startswith("未保存，请修改")  # 迟报 is not a fault's name
    result = dcli("spotcheck", "record", rid, first, "--method", "电话抽查", "--answered",
                  "--by", "王五", "--not-on-roster", "--fault", "absent", "--fault", "信息迟报",
                  "--note", "外出")  # fmt: skip
    assert result.exit_code == 0 and "发现问题" in result.stdout and "还有5个" in result.stdout
    for unit in rest[:-1]:
        ok = dcli("spotcheck", "record", rid, unit, "--method", "radio", "--answered", "--no-name")
        assert ok.exit_code == 0, ok.output
    line = refused(dcli("spotcheck", "close", rid))
    assert rest[-1] in line and "--reason" in line
    result = dcli("spotcheck", "close", rid, "--reason", f"{rest[-1]}=停电，无法联系")
    assert result.exit_code == 0 and "未达到要求" in result.stdout
    status = json.loads(dcli("spotcheck", "status", "--json").stdout)
    assert (status["rounds_done"], status["rounds_required"], status["short"]) == (0, 2, True)
    [round_] = status["rounds"]
    assert (round_["covered"], round_["closed"], round_["meets_quota"]) == (5, True, False)
    assert round_["unreached"] == {rest[-1]: "停电，无法联系"}
    table = list(csv.reader(io.StringIO(dcli("spotcheck", "table", "--csv").stdout)))
    assert table[0][:6] == ["轮次", "被抽查单位", "抽查时间", "抽查方式", "接听人", "抽查结果"]
    assert table[1][1:] == [first, "11-23 10:00", "电话抽查", "王五（非排班人员）", "发现问题",
                            "擅离岗位/脱岗/漏岗、信息迟报",
                            "外出；此前 11-23 10:00 电话抽查：未应答"]  # fmt: skip
    assert len(table) == 1 + 6  # one line a unit: the retry is noted on the unit's line
    markdown = dcli("spotcheck", "table").stdout
    assert markdown.startswith("# 值班抽查表") and "未能联系" in markdown
    assert "可复现" in dcli("spotcheck", "replay", rid).stdout
    history = json.loads(dcli("spotcheck", "history", first, "--json").stdout)
    assert history["faults"] == {"absent": 1, "late_report": 1} and history["checks"] == 1


def test_two_full_rounds_meet_the_quota(dcli):
    for _ in range(2):
        data = _sample(dcli)
        for unit in data["drawn"]:
            ok = dcli("spotcheck", "record", str(data["round_id"]), unit, "--method", "phone",
                      "--answered", "--by", "李红", "--on-roster")  # fmt: skip
            assert ok.exit_code == 0, ok.output
        assert "达到要求" in dcli("spotcheck", "close", str(data["round_id"])).stdout
    status = json.loads(dcli("spotcheck", "status", "--json").stdout)
    assert (status["rounds_done"], status["short"]) == (2, False)
    text = dcli("spotcheck", "status").stdout
    assert "本班已完成 2/2 轮" in text and "未达标" not in text.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["x", "UNIT", "--method", "phone", "--answered", "--no-name"], "抽查编号须为正整数"),
        (["9", "城关镇", "--method", "phone", "--answered", "--no-name"], "没有编号为 9 的抽查"),
        (["1", "不存在", "--method", "phone", "--answered", "--no-name"], "没有“不存在”"),
        (["1", "UNIT", "--method", "fax", "--answered"], "抽查方式只能是"),
        (["1", "UNIT", "--answered"], "缺少抽查方式（--method）"),
        (["1", "UNIT", "--method", "phone"], "--answered / --not-answered"),
        (["1", "UNIT", "--method", "phone", "--not-answered", "--by", "李红"], "接听人"),
        (["1", "UNIT", "--method", "phone", "--answered", "--at", "明天"], "时间无法识别"),
        (
            ["1", "UNIT", "--method", "phone", "--answered", "--at", "2026-11-23 11:00"],
            "不能晚于现在",
        ),
        (
            ["1", "NOT_DRAWN", "--method", "phone", "--answered", "--no-name"],
            "不在第1号抽查的抽取名单中",
        ),
    ],
)
def test_bad_record_commands(dcli, args, expected):
    data = _sample(dcli, "--seed", "3")
    not_drawn = next(name for name, _ in UNITS if name not in data["drawn"])
    args = [data["drawn"][0] if a == "UNIT" else not_drawn if a == "NOT_DRAWN" else a for a in args]
    before = snapshot(dcli.db_path)
    assert expected in refused(dcli("spotcheck", "record", *args))
    assert snapshot(dcli.db_path) == before


def test_recording_on_a_closed_round(dcli):
    data = _sample(dcli)
    rid = str(data["round_id"])
    reasons = [arg for unit in data["drawn"] for arg in ("--reason", f"{unit}=线路故障")]
    assert dcli("spotcheck", "close", rid, *reasons).exit_code == 0
    before = snapshot(dcli.db_path)
    line = refused(dcli("spotcheck", "record", rid, data["drawn"][0], "--method", "phone",
                        "--answered", "--no-name"))  # fmt: skip
    assert line == "第1号抽查已结束，不能再记录或修改。"
    assert "已结束" in refused(dcli("spotcheck", "close", rid))
    assert snapshot(dcli.db_path) == before


def test_bad_close_reasons(dcli):
    data = _sample(dcli)
    before = snapshot(dcli.db_path)
    assert "应为：单位=原因" in refused(dcli("spotcheck", "close", "1", "--reason", "线路故障"))
    assert snapshot(dcli.db_path) == before
    assert data["round_id"] == 1


def test_an_overdue_shift_is_still_on_duty_for_spot_checks(dcli):
    dcli.at("2026-12-10T10:00:00+08:00")  # the week shift of 11-23 never handed over
    assert dcli("spotcheck", "sample").exit_code == 0
    assert dcli("spotcheck", "status").exit_code == 0


def test_english(dcli):
    data = _sample(dcli)
    result = dcli("spotcheck", "status", lang="en")
    assert "0/2 rounds done this shift" in result.stdout and "SHORT" in result.stdout
    line = refused(dcli("spotcheck", "close", str(data["round_id"]), lang="en"))
    assert line.startswith("Spot check 1 cannot be closed: 6 units have no result")
    assert dcli("spotcheck", "table", "--csv", lang="en").stdout.startswith("Round,Unit,Time")
