"""What the demonstration's monthly meetings talk about: the topics of their minutes (assays,
safety, tailings, villagers' grievances, reinvestment, boundaries, sales, training,
rehabilitation, insurance), each in Chinese and English with its decisions, and the villages,
grievances, projects and findings they name."""

from coop.demo.calendar import MEMBERS
from coop.demo.leases import DISPUTES
from coop.demo.production import DAOA_YEARS, SPRING_FESTIVAL, levels_of, price_of

VILLAGES = [
    ("牛角塘村", "Niujiaotang"),
    ("大坪村", "Daping"),
    ("摆桑村", "Baisang"),
    ("甘塘村", "Gantang"),
    ("新场村", "Xinchang"),
]


# grievance (Chinese, English), what the member does about it (Chinese, English)
GRIEVANCES = [
    (
        "运矿车辆扬尘大，沿路农户晾晒的粮食和房屋受影响",
        "dust from the ore trucks along the road",
        "每日早晚洒水降尘，运矿车辆一律加盖篷布",
        "water the road twice a day and cover the trucks",
    ),
    (
        "井下爆破震动，部分房屋墙体出现裂缝",
        "cracks in houses from underground blasting",
        "请有资质单位鉴定房屋，按鉴定结果维修或补偿",
        "have the houses assessed and repair or pay",
    ),
    (
        "选厂回水池渗漏，废水流入稻田",
        "mill water leaking into rice fields",
        "修复回水池防渗层，选矿废水全部循环使用",
        "reline the return-water pond and recycle all",
    ),
    (
        "山泉水源变浑浊，担心饮水安全",
        "a cloudy spring, their drinking water",
        "配合村委会送检水样，检测结果出来前每日送水",
        "have the water tested and deliver water",
    ),
    (
        "夜间运矿噪声影响休息",
        "night-time ore haulage noise",
        "晚十时至早六时停止运矿",
        "stop hauling from 10 pm to 6 am",
    ),
]


PROJECTS = [
    ("通村公路硬化", "paving the village road"),
    ("小学校舍维修", "repairing the primary school"),
    ("人畜饮水工程", "a drinking-water supply"),
    ("村卫生室添置设备", "equipment for the village clinic"),
    ("小学贫困学生助学", "grants for the village school's poorest pupils"),
]


# a finding of a safety inspection (Chinese, English), its correction (Chinese)
SAFETY_FINDINGS = [
    ("局部通风机风量不足", "insufficient auxiliary ventilation", "局部通风整改"),
    ("采场顶板支护不规范", "irregular roof support in a stope", "采场顶板支护整改"),
    ("炸药库领退台账不全", "an incomplete explosives register", "炸药库台账整改"),
    ("安全出口标识缺失", "missing escape-way signs", "安全出口标识补设"),
    ("提升绞车信号装置失灵", "faulty hoist signals", "提升信号装置检修"),
    ("井下作业人员未佩戴自救器", "miners underground without self-rescuers", "自救器配发和检查"),
]


BOUNDARY_PAIRS = [("NJT-01B", "NJT-02A"), ("NJT-06A", "NJT-07A"), ("NJT-09A", "NJT-10A")]


ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


ZH_NUMBERS = "一二三四五六七八九十"


def pick(rng, items):
    return items[int(rng.integers(len(items)))]


def typo(number):
    """A tonnage as a clerk mistypes it: two digits swapped."""
    digits = list(str(number))
    for k in (1, 2, 0):
        if digits[k] != digits[k + 1]:
            digits[k], digits[k + 1] = digits[k + 1], digits[k]
            return int("".join(digits))
    return number + 100


def _reported_levels(c):
    """The association's levels of the month reported (December 2002: the DAOA's first year's)."""
    return levels_of(max(c["reported"][0], DAOA_YEARS[0]))


def topic_production(c):
    """The month before's production; c["ore"] is the figure, which the minutes mistype when
    c["typo"]."""
    rng, (year, month) = c["rng"], c["reported"]
    feed, conc, _t, _w, level = _reported_levels(c)
    festival = 0.6 if month == SPRING_FESTIVAL.get(year, 2) else 1.0
    ore = round(len(c["members"]) * rng.uniform(560, 700) * level * festival)
    processed = round(ore * rng.uniform(0.97, 1.03))
    concentrate = round(processed * feed * rng.uniform(0.88, 0.93) / conc)
    price = round(price_of(year, month), -1)
    c["ore"] = ore
    said = typo(ore) if c["typo"] else ore
    return (
        ("生产情况", "Production"),
        (
            f"各会员企业通报{month}月生产：合计采出原矿{said:,}吨，入选{processed:,}吨，产出锌精矿"
            f"{concentrate:,}吨；锌精矿（按50%品位计）售价约每吨{price:,.0f}元。",
            f"Production in {ENGLISH_MONTHS[month - 1]}: the members mined {said:,} t of ore, "
            f"milled {processed:,} t and produced {concentrate:,} t of zinc concentrate, sold at "
            f"about RMB {price:,.0f} a tonne (at 50 % Zn).",
        ),
        [],
    )


def _topic_assays(c):
    rng, (_year, month) = c["rng"], c["reported"]
    feed, conc, tail, _w, _level = _reported_levels(c)
    f, t = round(feed * rng.normal(1, 0.03), 2), round(tail * rng.normal(1, 0.06), 2)
    cg = round(conc + rng.normal(0, 0.5), 1)
    code, enterprise, name = pick(rng, c["mines"])
    high = round(t * rng.uniform(1.35, 1.7), 2)
    actions = []
    if rng.random() < 0.6:
        actions.append(
            (
                enterprise,
                f"{MEMBERS[enterprise][0]}检查{name}（{code}）浮选药剂制度和磨矿细度，下月复检尾矿",
                f"{MEMBERS[enterprise][1]} to check the reagents and grind at {code}",
                30,
            )
        )
    return (
        ("化验结果", "Assays"),
        (
            f"{month}月各矿原矿平均品位{f:.2f}% Zn，精矿{cg:.1f}%，尾矿{t:.2f}%。{name}（{code}）"
            f"尾矿品位{high:.2f}%，明显偏高，损失金属较多。",
            f"In {ENGLISH_MONTHS[month - 1]} the mines' feed averaged {f:.2f} % Zn, concentrate "
            f"{cg:.1f} % and tailings {t:.2f} %. {code}'s tailings, at {high:.2f} %, lose too "
            "much metal.",
        ),
        actions,
    )


def _topic_safety(c):
    rng, day = c["rng"], c["day"]
    bureau = (
        ("都匀市安全生产监督管理局", "the Duyun Work Safety Bureau")
        if day.year < 2019
        else ("都匀市应急管理局", "the Duyun Emergency Management Bureau")
    )
    inspected = int(rng.integers(3, 7))
    code, enterprise, name = pick(rng, c["mines"])
    finding, finding_en, fix = pick(rng, SAFETY_FINDINGS)
    return (
        ("安全检查", "Safety inspection"),
        (
            f"协会会同{bureau[0]}对{inspected}座矿井进行联合安全检查。{name}（{code}）{finding}，"
            "已要求限期整改；其余矿井未发现重大隐患。",
            f"The association and {bureau[1]} inspected {inspected} mines. At {code} they found "
            f"{finding_en}, to be corrected; no serious hazard elsewhere.",
        ),
        [
            (
                enterprise,
                f"{MEMBERS[enterprise][0]}完成{name}（{code}）{fix}，报协会复查",
                f"{MEMBERS[enterprise][1]} to correct {finding_en} at {code}",
                int(rng.integers(14, 31)),
            )
        ],
    )


def _topic_tailings(c):
    rng, day = c["rng"], c["day"]
    code, enterprise, name = pick(rng, c["mines"])
    rainy = 4 <= day.month <= 8
    season = ("汛期", "rainy-season") if rainy else ("例行", "routine")
    actions = []
    if rng.random() < 0.7:
        actions.append(
            (
                enterprise,
                f"{MEMBERS[enterprise][0]}清理{name}（{code}）选厂尾矿库排洪沟，处理坝体渗水点",
                f"{MEMBERS[enterprise][1]} to clear the spillway of {code}'s tailings dam",
                int(rng.integers(20, 41)),
            )
        )
    return (
        ("尾矿库安全", "Tailings dams"),
        (
            f"{season[0]}尾矿库巡查：各选厂尾矿库坝体稳定，干滩长度符合要求；{name}（{code}）尾矿库"
            "排洪沟有淤积，坝脚有一处渗水点。协会重申尾矿不得外排，回水全部循环使用。",
            f"The {season[1]} round of the tailings dams found them stable; {code}'s spillway is "
            "silting and its dam seeps at the toe. No tailings may leave the dams; all water is "
            "recycled.",
        ),
        actions,
    )


def _topic_grievance(c):
    rng = c["rng"]
    village, village_en = pick(rng, VILLAGES)
    grievance, grievance_en, fix, fix_en = pick(rng, GRIEVANCES)
    code, enterprise, name = pick(rng, c["mines"])
    member, member_en, _deputy = MEMBERS[enterprise]
    return (
        ("村民反映的问题", "Villagers' grievances"),
        (
            f"{village}村民代表到会反映{grievance}。经协会核实，与{member}{name}（{code}）有关。"
            f"会议决定由{member}{fix}，协会一个月内回访。",
            f"Villagers of {village_en} complained of {grievance_en}, traced to {code} "
            f"({member_en}), which is to {fix_en}; the association will check within a month.",
        ),
        [
            (
                enterprise,
                f"{member}{fix}，并向{village}村委会反馈",
                f"{member_en} to {fix_en} and report to the {village_en} village committee",
                int(rng.integers(10, 31)),
            )
        ],
    )


def _topic_reinvestment(c):
    rng = c["rng"]
    village, village_en = pick(rng, VILLAGES)
    project, project_en = pick(rng, PROJECTS)
    amount = int(rng.integers(3, 16)) * 10000
    return (
        ("社区回馈", "Reinvestment in the villages"),
        (
            f"会议同意从协会公益金中拨付{amount:,}元，用于{village}{project}，由村委会组织实施，"
            "协会监督资金使用。",
            f"RMB {amount:,} from the association's community fund for {project_en} in "
            f"{village_en}, carried out by the village committee.",
        ),
        [
            (
                None,
                f"协会拨付{village}{project}资金{amount:,}元，完工后张榜公示",
                f"The association to pay RMB {amount:,} for {project_en} in {village_en}",
                int(rng.integers(30, 61)),
            )
        ],
    )


def _topic_boundary(c):
    rng, day = c["rng"], c["day"]
    opened = next(d[1] for d in DISPUTES if d[0] == "NJT-JF-2024-01")
    if day > opened:
        return (
            ("边界管理", "Boundaries"),
            (
                "NJT-JF-2024-01（顺达一号井与丰源锌矿矿区重叠）：复测成果已报都匀市自然资源局，"
                "尚待核实；双方继续暂停在重叠区内作业，相邻中段掘进前互相通报。",
                "NJT-JF-2024-01 (the NJT-09A/NJT-10A overlap): the re-survey awaits the bureau; "
                "neither works in the overlap, and both notify each other before driving nearby.",
            ),
            [],
        )
    a, b = pick(rng, BOUNDARY_PAIRS[:2])
    posts = int(rng.integers(4, 9))
    return (
        ("边界管理", "Boundaries"),
        (
            f"协会检查{a}与{b}共用边界的{posts}处界桩，均完好。重申相邻矿井开拓靠近边界的中段前，"
            "须提前一个月书面通报协会和对方。",
            f"The {posts} boundary posts between {a} and {b} are in place. A member is to notify "
            "the association and its neighbour a month before driving near a boundary.",
        ),
        [],
    )


def _topic_sales(c):
    rng, (year, month) = c["rng"], c["reported"]
    price = round(price_of(year, month), -1)
    return (
        ("精矿销售", "Concentrate sales"),
        (
            f"锌精矿价格约每吨{price:,.0f}元。会议讨论由协会统一与冶炼厂商谈计价系数，"
            f"{int(rng.integers(6, 11))}家会员企业同意参加联合销售。",
            f"Concentrate fetches about RMB {price:,.0f} a tonne. The association is to "
            "negotiate the smelter's terms for the members that sell together.",
        ),
        [],
    )


def _topic_training(c):
    rng = c["rng"]
    trained = int(rng.integers(30, 90))
    passed = trained - int(rng.integers(0, 6))
    actions = []
    if passed < trained:
        actions.append((None, "协会安排安全培训补考", "The association to hold the resit", 30))
    return (
        ("安全培训", "Safety training"),
        (
            f"协会组织{trained}名井下作业人员参加安全培训（顶板管理、通风、自救互救），考核合格"
            f"{passed}人。",
            f"{trained} underground workers attended the association's safety course (ground "
            f"control, ventilation, self-rescue); {passed} passed.",
        ),
        actions,
    )


def _topic_rehabilitation(c):
    rng = c["rng"]
    code, enterprise, name = pick(rng, c["mines"])
    trees = int(rng.integers(10, 40)) * 100
    seed = int(rng.integers(10, 40))
    member, member_en, _deputy = MEMBERS[enterprise]
    return (
        ("复垦绿化", "Rehabilitation"),
        (
            f"{member}计划在{name}（{code}）废石场植树{trees:,}株、撒播草籽{seed}公斤，协会提供"
            "树苗补助。",
            f"{member_en} is to plant {trees:,} trees and sow {seed} kg of grass seed on "
            f"{code}'s waste dump, with seedlings from the association.",
        ),
        [
            (
                enterprise,
                f"{member}在{name}（{code}）废石场完成植树{trees:,}株",
                f"{member_en} to plant {trees:,} trees at {code}",
                int(rng.integers(30, 50)),
            )
        ],
    )


def _topic_insurance(c):
    return (
        ("工伤保险", "Work-injury insurance"),
        (
            "各会员企业为全部井下作业人员续保工伤保险，协会核对参保名册与下井人员名册。",
            "Every member renews the work-injury insurance of all its underground workers; the "
            "association checks the lists against the men going underground.",
        ),
        [
            (
                None,
                "各会员企业于月底前将工伤保险续保凭证交协会备案",
                "Every member to file its renewed work-injury policy with the association",
                20,
            )
        ],
    )


#: topic, weight, the months it is more likely in
TOPICS = [
    (_topic_assays, 3, ()),
    (_topic_safety, 3, ()),
    (_topic_tailings, 2, (4, 5, 6, 7, 8)),
    (_topic_grievance, 2, ()),
    (_topic_reinvestment, 2, ()),
    (_topic_boundary, 1, ()),
    (_topic_sales, 1, ()),
    (_topic_training, 1, ()),
    (_topic_rehabilitation, 1, (3, 4, 11)),
    (_topic_insurance, 1, (1, 12)),
]
