"""Words for ten years of a busy city duty desk. Starts from the demo's vocabulary
(dutydesk/services/demo/demo.py) and widens it so that a million calls do not repeat each other."""

from __future__ import annotations

import random

from dutydesk.services.demo import demo

OFFICE_NAME = "滨海市人民政府总值班室"

# 40 units: the demo's 24 and 16 more (乡镇, 街道, 园区, 部门, 重点区域).
UNITS = [
    *demo.UNITS,
    "白沙镇", "青山乡", "杨柳青镇", "大王庄街道", "小白楼街道", "海河东路街道", "港城街道",
    "滨海新区管委会", "市应急管理局", "市公安局指挥中心", "市供电公司", "市燃气集团",
    "市自来水公司", "市城市管理委", "市规划和自然资源局", "市地震局",
]  # fmt: skip
assert len(UNITS) == 40 and len(set(UNITS)) == 40

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰飞鹏辉玲建国红梅波宁浩宇晨雪峰斌琳亮婷鑫健凯彬志刚"
POSTS = [*demo.POSTS, "总值班室主任", "应急办科员", "派出所民警", "社区书记", "安全员", "调度员"]

ROADS = [
    "人民路", "建设路", "解放路", "中山路", "黄河路", "长江路", "文化路", "迎宾大道", "滨河路",
    "和平街", "胜利街", "工业大道", "新华路", "光明路", "育才路", "海河大道", "津塘公路",
    "京津高速", "外环线", "复兴路", "友谊路", "卫津路", "南京路", "红旗路",
]  # fmt: skip
SPOTS = ["交叉口", "东段", "西段", "北侧", "南侧", "附近", "桥下", "隧道口", "公交站", "加油站旁"]
PLACES = [
    *demo.PLACES,
    "阳光花园", "锦绣家园", "滨江小区", "第一中学", "市人民医院", "长途汽车站", "农贸市场",
    "体育中心", "开发区管委会", "物流仓库", "化工园区南门", "老旧小区", "建筑工地", "地铁站B口",
    "城中村", "养老院", "商业综合体", "污水处理厂", "高压线塔", "河道闸口",
]  # fmt: skip

# Openers by who calls: a unit's duty room, a member of the public, or the city's duty office.
UNIT_OPENERS = [
    "{unit}{post}{caller}来电报告：",
    "接{unit}值班室电话：",
    "{hour}时{minute}分，{unit}{caller}（{post}）来电称，",
    "{unit}值班员{caller}电话报告，",
]
PUBLIC_OPENERS = ["群众{caller}来电反映，", "{hour}时{minute}分，群众{caller}来电称，"]
CITY_OPENERS = ["{hour}时{minute}分，市政府总值班室来电：", "接市政府办公厅电话："]
OPENERS = {
    "incident": UNIT_OPENERS + PUBLIC_OPENERS,
    "verification": CITY_OPENERS,
    "instruction": CITY_OPENERS,
    "inquiry": PUBLIC_OPENERS + UNIT_OPENERS[:2],
    "notice": UNIT_OPENERS + CITY_OPENERS,
    "document": ["{hour}时{minute}分，", "{unit}来文："],
    "spotcheck": ["{hour}时{minute}分，", "按抽查计划，"],
    "other": UNIT_OPENERS,
}
EVENTS: dict[str, list[str]] = {
    "incident": [
        "{place}发生道路积水，深约{n}厘米，{n2}辆车辆熄火，交警已到场疏导",
        "{place}一处民房因线路老化起火，过火面积约{n}平方米，消防已到场扑灭",
        "{place}燃气管道被施工挖破，已关阀断气，疏散群众约{n}人",
        "{place}发生两车相撞，{n2}人轻伤送医，道路单向通行",
        "{place}一棵大树被风刮倒，压住{n2}辆停放车辆",
        "{place}自来水主管爆裂，周边约{n}户居民停水，抢修队已出发",
        "{place}发生路面塌陷，塌陷面积约{n2}平方米，道路中断",
        "{place}一名老人走失，家属报警，派出所组织{n}人搜寻",
        "{place}变电站故障，约{n}户停电，供电公司正在抢修",
        "{place}企业发生危化品泄漏，已划定警戒区，疏散{n}人",
        "{place}电梯困人，{n2}名群众被困，消防救援人员正在施救",
        "{place}河道水位上涨，超警戒水位{n2}厘米，已组织巡堤",
    ],
    "verification": [
        "要求核实{unit2}{place}网传塌方信息",
        "要求核实网传{place}发生火灾一事",
        "要求核报{unit2}{place}积水点处置情况",
        "要求核实{place}停电范围及原因",
    ],
    "instruction": [
        "市领导批示：请{unit2}立即核查{place}积水点并报告处置情况",
        "市领导批示：做好{place}事故伤员救治和善后工作，及时报告进展",
        "带班领导要求{unit2}加强{place}周边巡查，每{n2}小时报告一次",
    ],
    "inquiry": [
        "咨询{place}停电原因及恢复时间",
        "询问节假日值班表报备时限",
        "咨询{place}道路封闭时间",
        "反映{place}噪声扰民，询问投诉渠道",
    ],
    "notice": [
        "报送本周值班安排表，带班领导及值班人员已确认",
        "明日起强降雨，请各单位加强值守，做好防汛准备",
        "{n2}日召开安全生产视频会议，请各单位值班领导参加",
        "气象台发布寒潮蓝色预警，最低气温将降至零下{n2}度，请做好防寒准备",
    ],
    "document": [
        "收到传真《关于做好近期安全生产工作的通知》，共{n2}页",
        "收到《关于{place}事故情况的续报》，共{n2}页",
        "收到明传电报《关于加强节日期间值守工作的通知》",
    ],
    "spotcheck": [
        "电话抽查{unit2}值班情况，值班员在岗，应答及时，情况熟悉",
        "视频抽查{unit2}值班室，带班领导在岗",
        "抽查{unit2}值班电话，响铃{n2}声后接听",
    ],
    "other": [
        "反映值班电话线路故障",
        "值班系统网络中断约{n2}分钟",
        "传真机卡纸，补收传真{n2}份",
    ],
}
DETAILS: dict[str, list[str]] = {
    "incident": [
        "暂无人员伤亡报告。", "属地已启动应急预案，相关部门正赶赴现场。", "现场秩序正常。",
        "涉及{n}户居民约{n3}人。", "预计{n2}小时内恢复。", "已拉设警戒线，安排专人值守。",
        "周边交通已基本恢复。", "后续情况将及时续报。", "事故原因正在调查中。",
    ],
    "verification": [
        "已电话联系属地核实。", "经属地核实，情况属实，已妥善处置。", "经核实系谣言，无此事。",
        "已向市政府总值班室反馈核实结果。", "要求{n2}分钟内反馈。",
    ],
    "instruction": [
        "已电话传达至{unit2}值班室，{caller}接收。", "要求{n2}小时内反馈落实情况。",
        "已呈报带班领导阅示。", "已登记批示件并跟踪督办。",
    ],
    "inquiry": [
        "已告知供电所联系电话。", "已答复须提前{n2}个工作日报送。", "已告知交警部门公告。",
        "已告知12345热线。", "来电人表示满意。", "已登记来电人联系方式，便于回访。",
    ],
    "notice": [
        "已通知各单位值班室，{n2}个单位已确认收到。", "已报带班领导阅知。",
        "已在值班群转发。", "要求各单位当日报送落实情况。",
    ],
    "document": [
        "文号滨政办发〔{n2}〕{n}号。", "已登记并转综合科。", "已呈带班领导阅示。",
        "已按程序分办。",
    ],
    "spotcheck": [
        "值班记录完整，交接班手续齐全。", "已提醒该单位严格落实24小时值班制度。",
        "已提醒及时接听值班电话。", "抽查结果已登记。",
    ],
    "other": ["已通知电信维修。", "已恢复。", "已处理。", "已报办公室。"],
}  # fmt: skip
HANDLING = [
    *demo.HANDLING,
    "已报带班领导，按要求续报",
    "已报带班领导{leader}同意，通知{unit2}值班室跟进，要求{n2}小时内报告处置结果",
    "已电话报告市政府总值班室，并通知应急、公安、消防等部门，{unit2}负责人已赶赴现场",
    "已电话通知{unit2}核实，{n2}分钟内回复",
    "已按程序报市政府总值班室",
    "已通知应急、公安、消防等部门联动处置",
    "已答复来电人，登记备查",
    "已转{unit2}办理，要求当日反馈",
]
CATEGORY_WEIGHTS = {
    "incident": 22,
    "verification": 8,
    "instruction": 5,
    "inquiry": 25,
    "notice": 15,
    "document": 12,
    "spotcheck": 8,
    "other": 5,
}
AMEND_REASONS = ["单位记错", "电话号码记错", "来电人姓名有误", "补充处理情况", "内容记录不全"]
# Calls by hour of day (local time): quiet at night, busy in office hours.
HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 8, 9, 11, 12, 11, 10, 8, 6, 5, 4, 3, 2]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def place(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(ROADS) + rng.choice(SPOTS)
    return rng.choice(PLACES)


def phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"022-{rng.randint(20000000, 89999999)}"
    return f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"
