"""The demonstration meetings' minutes and actions (docs/design.md "Meetings").

Minutes: Markdown, in Chinese; the general assemblies, a few monthly meetings and the 2006
flood's bilingual, and the meeting of August 2006 (ENGLISH_MINUTES) in English. A monthly
meeting reports the month before's production and takes three topics (TOPICS: assays,
safety, tailings, villagers' grievances, reinvestment, boundaries, sales, training,
rehabilitation, insurance), some with decisions, which are the meeting's actions. Minutes
are approved at the next monthly meeting: the one of the following month (for December 2007,
and the extraordinary meetings between the DAOA's years and the recent months, a meeting the
demo does not record); the latest meetings, whose next monthly meeting is yet to come, are not
approved yet. AMENDED: the last approved monthly meeting but one has an amendment correcting
its tonnage.

Actions: those of the DAOA's years are done; a recent one is done by its due date when that day
has come, else open and not due; designed: OVERDUE_ACTION (open, due a month after a meeting
at least 60 days before today), RENEWAL_ACTION (DY02's, the demo operator's, from the latest
monthly meeting: NJT-02B's permit, which ends EXPIRING_IN_DAYS after today; not due yet), and
the overlap's follow-up (the association's, open, with no due date). NOTICES: four recent ones,
by the operator and the president, which nobody has read yet."""

from datetime import timedelta

import numpy as np

from coop.demo.calendar import (
    ENGLISH_MINUTES,
    EXTRAORDINARY,
    KIND_ORDER,
    MEETING_SEED,
    MEMBERS,
    MISSED_REASONS,
    OFFICE,
    OVERDUE_ACTION,
    PRESIDENT,
    RENEWAL_ACTION,
    attendance_of_day,
    members_on,
    mines_on,
    missed_month,
    next_monthly,
    schedule,
)
from coop.demo.leases import EXPIRING_IN_DAYS
from coop.demo.production import DAOA_YEARS, levels_of
from coop.demo.topics import ENGLISH_MONTHS, TOPICS, ZH_NUMBERS, topic_production, typo
from coop.domain import months as month_rules


def zh_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day):
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def location_of(day):
    """Every third month at the association's office, else at a member's office in turn."""
    month = month_rules.index_of(day.year, day.month)
    if month % 3 == 0:
        return OFFICE
    members = members_on(day)
    code = members[(month - month // 3) % len(members)]
    return f"{MEMBERS[code][0]}会议室", f"the office of {MEMBERS[code][1]}"


def attendance_lines(rows):
    """The minutes' lines on attendance, (Chinese, English)."""
    present = [r for r in rows if r["status"] == "present"]
    deputies = [r for r in present if r["representative"]]
    zh_dep = "；".join(
        f"{MEMBERS[r['enterprise_code']][0]}由{r['representative']}代为出席" for r in deputies
    )
    en_dep = "; ".join(
        f"{MEMBERS[r['enterprise_code']][1]} represented by {MEMBERS[r['enterprise_code']][2][1]}"
        for r in deputies
    )
    zh = [f"- 出席：{len(present)}家会员企业" + (f"（{zh_dep}）" if zh_dep else "")]
    en = [f"- Present: {len(present)} members" + (f" ({en_dep})" if en_dep else "")]
    for status, zh_label, en_label in (
        ("excused", "请假", "Excused"),
        ("absent", "缺席", "Absent"),
    ):
        codes = [r["enterprise_code"] for r in rows if r["status"] == status]
        zh.append(f"- {zh_label}：" + ("、".join(MEMBERS[c][0] for c in codes) or "无"))
        en.append(f"- {en_label}: " + (", ".join(MEMBERS[c][1] for c in codes) or "none"))
    return zh, en


def _compose(title, day, location, rows, sections, decisions, language):
    """Minutes in Markdown: title (Chinese, English); sections [(heading, text)] with both
    languages; decisions [(Chinese, English)]; language "zh", "en" or "both"."""
    zh_attendance, en_attendance = attendance_lines(rows)
    zh = [
        f"# {title[0]}",
        "",
        f"- 时间：{zh_date(day)}",
        f"- 地点：{location[0]}",
        f"- 主持：{PRESIDENT[0]}（会长）",
        *zh_attendance,
    ]
    en = [
        f"# {title[1]}",
        "",
        f"- Date: {en_date(day)}",
        f"- Place: {location[1]}",
        f"- Chair: {PRESIDENT[1]} (president)",
        *en_attendance,
    ]
    for k, ((heading, heading_en), (text, text_en)) in enumerate(sections):
        zh += ["", f"## {ZH_NUMBERS[k]}、{heading}", "", text]
        if text_en:
            en += ["", f"## {k + 1}. {heading_en}", "", text_en]
    if decisions:
        zh += ["", "## 会议决定", ""] + [f"{k}. {d}" for k, (d, _) in enumerate(decisions, 1)]
        en += ["", "## Decisions", ""] + [f"{k}. {d}" for k, (_, d) in enumerate(decisions, 1)]
    if language == "zh":
        return "\n".join(zh)
    if language == "en":
        return "\n".join(en)
    return "\n".join([*zh, "", "---", "", *en])


KIND_NAMES = {
    "monthly": ("例会", "monthly meeting"),
    "extraordinary": ("临时会议", "extraordinary meeting"),
    "general_assembly": ("会员大会", "general assembly"),
}


#: An action's done days for one that stays open.
OPEN = "open"


def _actions(day, decided, rng, today):
    """The actions of decisions (owner, description, English, due in days, done in days): done
    None is done by its due date (in the DAOA's years up to two weeks late) if that day has
    come, else open; OPEN, and None without a due date, stay open."""
    actions = []
    for owner, description, _english, due, done in decided:
        due_on = None if due is None else day + timedelta(days=due)
        if done == OPEN:
            done = None
        elif done is None and due is not None:
            late = int(rng.integers(0, 16)) if day.year <= DAOA_YEARS[-1] else 0
            done = int(rng.integers(min(5, due), due + 1)) + late
        done_on = None if done is None else day + timedelta(days=done)
        if done_on is not None and done_on > today:
            done_on = None
        actions.append(
            {
                "description": description,
                "owner_enterprise_code": owner,
                "due_on": due_on,
                "done_on": done_on,
            }
        )
    return actions


def _approval_section(day, approved_here, missed):
    """The first item of a monthly meeting: the minutes it approves."""
    if approved_here:
        zh = "、".join(f"{zh_date(d)}{KIND_NAMES[k][0]}" for d, k in approved_here)
        en = [f"the {KIND_NAMES[k][1]} of {en_date(d)}" for d, k in approved_here]
        en = " and ".join([", ".join(en[:-1]), en[-1]] if len(en) > 1 else en)
    else:
        zh, en = "上次例会", "the last monthly meeting"
    text = (f"会议审议通过了{zh}纪要。", f"The minutes of {en} were approved.")
    previous = month_rules.index_of(day.year, day.month) - 1
    if previous == missed[0]:
        month = month_rules.at_index(previous)[1]
        reason_zh, reason_en = MISSED_REASONS[missed[1]]
        text = (
            f"{month}月{reason_zh}。" + text[0],
            f"No meeting in {ENGLISH_MONTHS[month - 1]}: {reason_en}. " + text[1],
        )
    return ("审议上次会议纪要", "Minutes of the last meetings"), text, []


def _monthly(day, rng, rows, approved_here, missed, designed, typo):
    """(agenda, minutes, decisions) of a monthly meeting."""
    year, month = day.year, day.month
    label = month_rules.label(year, month)
    language = "en" if label in ENGLISH_MINUTES else ("both" if rng.random() < 0.1 else "zh")
    c = {
        "rng": rng,
        "day": day,
        "reported": month_rules.at_index(month_rules.index_of(year, month) - 1),
        "members": members_on(day),
        "mines": mines_on(day),
        "typo": typo,
    }
    weights = np.array([w * (3 if month in months else 1) for _, w, months in TOPICS], float)
    chosen = rng.choice(len(TOPICS), size=3, replace=False, p=weights / weights.sum())
    topics = [
        _approval_section(day, approved_here, missed),
        topic_production(c),
        *(TOPICS[k][0](c) for k in sorted(chosen)),
        *designed,
    ]
    # a topic's actions are done by their due date when that day has come (done None)
    decided = [(*a, None) if len(a) == 4 else a for *_, actions in topics for a in actions]
    minutes = _compose(
        (f"协会{year}年{month}月例会纪要", f"Monthly meeting, {ENGLISH_MONTHS[month - 1]} {year}"),
        day,
        location_of(day),
        rows,
        [(heading, text) for heading, text, _ in topics],
        [(zh, en) for _, zh, en, *_ in decided],
        language,
    )
    agenda = "\n".join(
        f"{k}. {heading[1] if language == 'en' else heading[0]}"
        for k, (heading, *_) in enumerate(topics, 1)
    )
    return agenda, minutes, decided, c["ore"]


def _assembly(day, rng, rows):
    year = day.year
    members, mines = members_on(day), mines_on(day)
    level = levels_of(year)[4]
    ore = round(len(members) * rng.uniform(6800, 8200) * level, -2)
    fund = int(rng.integers(20, 45)) * 10000
    trees = int(rng.integers(80, 200)) * 100
    inspections = int(rng.integers(10, 16))
    sections = [
        (
            ("会长工作报告", "The president's report"),
            (
                f"{PRESIDENT[0]}会长代表理事会作{year}年工作报告：协会现有会员企业{len(members)}家，"
                f"在产矿井{len(mines)}座；全年坚持每月召开例会，会同主管部门开展联合安全检查"
                f"{inspections}次。",
                f"{PRESIDENT[1]} reported for {year}: {len(members)} member enterprises with "
                f"{len(mines)} working mines; a meeting every month and {inspections} joint "
                "safety inspections with the authorities.",
            ),
        ),
        (
            ("年度生产", "The year's production"),
            (
                f"全年会员企业合计采出原矿约{ore:,.0f}吨，尾矿品位继续下降。",
                f"The members mined about {ore:,.0f} t of ore; tailings grades fell again.",
            ),
        ),
        (
            ("社区回馈与复垦", "Villages and rehabilitation"),
            (
                f"全年从协会公益金中支出{fund:,}元用于周边村寨道路、学校和饮水工程，各矿植树约"
                f"{trees:,}株。",
                f"RMB {fund:,} from the community fund went to roads, schools and water in the "
                f"villages; the mines planted about {trees:,} trees.",
            ),
        ),
        (
            ("下年度工作计划", "Plans for the coming year"),
            (
                f"大会审议通过{year + 1}年工作计划和会费标准。",
                f"The assembly adopted the plan and the dues for {year + 1}.",
            ),
        ),
    ]
    decided = [
        (
            None,
            f"协会编制{year + 1}年度复垦绿化和社区回馈计划，报都匀市主管部门备案",
            f"The association to draw up the {year + 1} rehabilitation and community plan",
            45,
            None,
        ),
        (
            None,
            f"各会员企业于{year + 1}年1月底前缴纳年度会费",
            f"Every member to pay its {year + 1} dues by the end of January",
            35,
            None,
        ),
    ]
    minutes = _compose(
        (f"协会{year}年度会员大会纪要", f"General assembly {year}"),
        day,
        OFFICE,
        rows,
        sections,
        [(zh, en) for _, zh, en, *_ in decided],
        "both",
    )
    agenda = "\n".join(f"{k}. {heading[0]}" for k, (heading, _) in enumerate(sections, 1))
    return agenda, minutes, decided


def _extraordinary(day, rows):
    _, location, agenda, (zh, en), decided = next(e for e in EXTRAORDINARY if e[0] == day)
    minutes = _compose(
        (f"协会{zh_date(day)}临时会议纪要", f"Extraordinary meeting, {en_date(day)}"),
        day,
        location,
        rows,
        [(("情况通报", "What happened"), (zh, en))],
        [(zh, en) for _, zh, en, *_ in decided],
        "both" if en else "zh",
    )
    return "\n".join(f"{k}. {item}" for k, item in enumerate(agenda, 1)), minutes, decided


def meeting_plan(today):
    """The demo's meetings for the association's today, oldest first, and the amendment: dicts
    of the meeting's values (as save_meeting takes them) with its "attendance" rows (as
    take_attendance takes them), "actions" (as save_action takes them, without the meeting) and
    "approved_on"; the amendment's held_on, kind, text and reason."""
    held, next_day, missed_index = schedule(today)
    missed = (missed_index, missed_month(today)[1])
    approved = {}
    for day, kind in held:
        following = next_monthly(day, missed_index)
        approved[(day, kind)] = following if following <= today else None
    monthly = [day for day, kind in held if kind == "monthly"]
    amended = [day for day in monthly if approved[(day, "monthly")]][-2]
    overdue = max(day for day in monthly if day <= today - timedelta(days=60))
    renewal = monthly[-1]
    expiring_on = today + timedelta(days=EXPIRING_IN_DAYS)
    renewal_due = expiring_on - timedelta(days=30)

    plan, amendment = [], None
    for day, kind in held:
        rng = np.random.default_rng([MEETING_SEED, day.toordinal(), KIND_ORDER.index(kind)])
        rows = attendance_of_day(day, kind, rng)
        if kind == "monthly":
            designed = []
            if day == overdue:
                owner, zh, en = OVERDUE_ACTION
                designed.append(
                    (
                        ("剑江尾矿库隐患", "The Jianjiang tailings dam"),
                        (
                            "剑江矿产品公司尾矿库排洪沟淤积严重，坝体下游坡出现两处渗水点，须在一个月内"
                            "处理完毕。",
                            "The spillway of the Jianjiang tailings dam is badly silted and the "
                            "dam's downstream face seeps in two places: to be put right.",
                        ),
                        [(owner, zh, en, 30, OPEN)],
                    )
                )
            if day == renewal:
                owner, zh, en = RENEWAL_ACTION
                designed.append(
                    (
                        ("采矿许可证延续", "Permit renewal"),
                        (
                            f"宏达二号井（NJT-02B）采矿许可证将于{zh_date(expiring_on)}到期。"
                            "会议要求宏达矿业抓紧准备储量核实报告和延续申请材料。",
                            f"NJT-02B's permit ends on {en_date(expiring_on)}: Hongda Mining is "
                            "to prepare the renewal.",
                        ),
                        [
                            (
                                owner,
                                zh.format(due=zh_date(renewal_due)),
                                en.format(due=en_date(renewal_due)),
                                (renewal_due - day).days,
                                OPEN,
                            )
                        ],
                    )
                )
            approved_here = [m for m in held if approved[m] == day]
            agenda, minutes, decided, ore = _monthly(
                day, rng, rows, approved_here, missed, designed, day == amended
            )
            if day == amended:
                said = typo(ore)
                amendment = {
                    "held_on": day,
                    "kind": kind,
                    "text": f"第二项“生产情况”中“合计采出原矿{said:,}吨”"
                    f"应为“合计采出原矿{ore:,}吨”。",
                    "reason": "宏达矿业核对生产月报时发现，汇总表录入时两位数字颠倒。",
                }
                if f"{said:,} t" in minutes:
                    amendment["text"] += f"\n\nEnglish: for {said:,} t read {ore:,} t."
        elif kind == "general_assembly":
            agenda, minutes, decided = _assembly(day, rng, rows)
        else:
            agenda, minutes, decided = _extraordinary(day, rows)
        location = OFFICE if kind == "general_assembly" else location_of(day)
        if kind == "extraordinary":
            location = next(e[1] for e in EXTRAORDINARY if e[0] == day)
        plan.append(
            {
                "held_on": day,
                "kind": kind,
                "location": location[0],
                "chair": PRESIDENT[0],
                "agenda": agenda,
                "minutes": minutes,
                "attendance": rows,
                "actions": _actions(day, decided, rng, today),
                "approved_on": approved[(day, kind)],
            }
        )
    plan.append(
        {
            "held_on": next_day,
            "kind": "monthly",
            "location": location_of(next_day)[0],
            "chair": PRESIDENT[0],
            "agenda": "1. 审议上次会议纪要\n2. 生产情况\n3. 安全与尾矿库\n4. 其他事项",
            "minutes": None,
            "attendance": [],
            "actions": [],
            "approved_on": None,
        }
    )
    return plan, amendment
