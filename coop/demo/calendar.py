"""The demonstration meetings' calendar and attendance (docs/design.md "Meetings").

The DAOA agreed to meet monthly (docs/design.md "Meetings"). A monthly meeting is held on the second
Friday (meeting_day) of every month of the DAOA's years and of the RECENT_MONTHS full months
before the association's today (from the January of the first, so that the calendar shows
whole years), and of today's month once that day has come; but for one month
of the last 12 full months (missed_month, MISSED_REASONS): the one gap the calendar and the rule
monthly_meeting show. A general assembly is held on the last Saturday of December of those
years, and three extraordinary meetings (EXTRAORDINARY) on a flood, the NJT-09A/NJT-10A
overlap (dispute NJT-JF-2024-01) and the flooding that suspended NJT-06B. The next monthly
meeting is recorded with its agenda only. The meetings rotate between the association's office
and the members' offices; the president (DY01's legal representative) chairs them.

Attendance: every enterprise that is a member on the day. All are present at the general
assemblies and the extraordinary meetings (some by a deputy, MEMBERS); at the monthly meetings
each member but DY01 (the president's) misses one in a cycle of 7 to 11 months (ABSENCE_CYCLE),
at most two of any 13 months, so that each stays at 80 % or over; but LOW_ATTENDANCE, which
after the DAOA's years misses every other monthly meeting and the extraordinary ones: the one
member under 75 % over the last 12 months, whatever the day the demo is loaded."""

from datetime import date, timedelta

from coop.demo.members import ENTERPRISES, MINES
from coop.demo.production import (
    DAOA_YEARS,
    RECENT_MONTHS,
    SPRING_FESTIVAL,
    SUSPENDED_ON,
    last_full_month,
)
from coop.domain import months as month_rules
from coop.domain.members import was_member

MEETING_SEED = 1999  # the year the DAOA was founded


KIND_ORDER = ("monthly", "extraordinary", "general_assembly")


MEETING_FIELDS = ("held_on", "kind", "location", "chair", "agenda", "minutes")


#: The president of the association, DY01's legal representative, chairs the meetings.
PRESIDENT = ("王建国", "Wang Jianguo")


OFFICE = ("协会办公室（牛角塘）", "the association's office, Niujiaotang")


# Each member's short name (Chinese, English) and the deputy who sometimes attends in place of its
# legal representative (Chinese, pinyin). DY01's legal representative is the president.
MEMBERS = {
    "DY01": ("鑫隆锌业", "Xinlong Zinc", None),
    "DY02": ("宏达矿业", "Hongda Mining", ("李文斌", "Li Wenbin")),
    "DY03": ("黔南锌矿", "Qiannan Zinc", ("张晓峰", "Zhang Xiaofeng")),
    "DY04": ("富源矿业", "Fuyuan Mining", ("杨再兴", "Yang Zaixing")),
    "DY05": ("金鑫采选", "Jinxin Mining", ("陈国华", "Chen Guohua")),
    "DY06": ("兴旺锌业", "Xingwang Zinc", ("吴志刚", "Wu Zhigang")),
    "DY07": ("苗岭矿业", "Miaoling Mining", ("龙海波", "Long Haibo")),
    "DY08": ("剑江矿产品", "Jianjiang Minerals", ("罗建军", "Luo Jianjun")),
    "DY09": ("顺达采矿", "Shunda Mining", ("黄明辉", "Huang Minghui")),
    "DY10": ("丰源锌业", "Fengyuan Zinc", ("蒙光明", "Meng Guangming")),
    "DY11": ("布依矿业", "Buyi Mining", ("韦小兵", "Wei Xiaobing")),
    "DY12": ("新星矿业", "Xinxing Mining", ("潘志远", "Pan Zhiyuan")),
    "DY13": ("荣昌锌业", "Rongchang Zinc", ("刘永红", "Liu Yonghong")),
}


#: The one member under 75 % attendance over the last 12 months, and why.
LOW_ATTENDANCE = "DY11"


LOW_ATTENDANCE_REASON = (
    "布依矿业的布依一号井在矿区最远端，法定代表人常驻外地：2008年以后每隔一次例会请假或缺席，"
    "临时会议也多请假，近12个月出勤率约一半。"
)


#: Every other member but DY01 misses the monthly meeting of the months index % cycle == offset.
ABSENCE_CYCLE = {
    code: (7 + k % 5, (3 * k) % (7 + k % 5))
    for k, (code, *_) in enumerate(ENTERPRISES)
    if code not in ("DY01", LOW_ATTENDANCE)
}


#: Why the month of missed_month has no monthly meeting: the Spring Festival, or (when none of the
#: last 12 full months is the festival's month) the freezing rain of a Guizhou January.
MISSED_REASONS = {
    "festival": (
        "春节放假，各矿停产，例会取消",
        "the Spring Festival holiday: the mines stopped and the monthly meeting was called off",
    ),
    "frost": (
        "凝冻天气，矿区道路结冰封闭，例会取消",
        "freezing rain closed the roads of the mining area and the monthly meeting was called off",
    ),
}


#: Months whose minutes were kept in English (by the visiting project officer).
ENGLISH_MINUTES = {"2006-08"}


#: Designed actions: (owner, description).
OVERDUE_ACTION = (
    "DY08",
    "剑江矿产品公司完成尾矿库排洪沟清淤和坝体渗水点处理，书面报协会复查",
    "Jianjiang Minerals to clear the tailings dam's spillway channel and treat the seepage, "
    "and report to the association",
)


RENEWAL_ACTION = (
    "DY02",
    "宏达矿业于{due}前向都匀市自然资源局提交宏达二号井（NJT-02B）采矿许可证延续申请材料，"
    "并将受理回执报协会",
    "Hongda Mining to apply for the renewal of NJT-02B's permit by {due}",
)


OVERLAP_FOLLOW_UP = (
    None,
    "协会将复测成果报都匀市自然资源局核实NJT-10A发证坐标，跟进答复并及时向会员通报",
    "The association to submit the re-survey to the Natural Resources Bureau and follow up",
)


# held_on, location, agenda, minutes (Chinese, English or None), actions: (owner, description,
# English, due days, done days or None) after the meeting.
EXTRAORDINARY = [
    (
        date(2006, 7, 19),
        ("剑江矿产品公司会议室", "the office of Jianjiang Minerals"),
        ["暴雨灾情通报", "尾矿库和采场边坡安全", "汛期值班"],
        (
            "7月16日至17日矿区连降暴雨。剑江矿产品公司尾矿库排洪沟堵塞，库内取样点被冲毁，"
            "坝体未见险情；金鑫采场东侧边坡局部滑塌约300立方米，无人员伤亡。各矿井下排水正常。",
            "Heavy rain fell on 16 and 17 July. The spillway channel of the Jianjiang Minerals "
            "tailings dam was blocked and its sampling point washed away; the dam itself held. "
            "About 300 m3 of the east slope of the Jinxin open pit slid; nobody was hurt. "
            "Pumping underground kept up everywhere.",
        ),
        [
            (
                "DY08",
                "剑江矿产品公司疏通尾矿库排洪沟、加固坝体，恢复尾矿取样点",
                "Jianjiang Minerals to clear the spillway, reinforce the dam and restore the "
                "sampling point",
                10,
                9,
            ),
            (
                "DY05",
                "金鑫采选清理采场边坡滑塌体、开挖截水沟，经协会检查合格后复产",
                "Jinxin Mining to clear the slide and dig a catch drain; to resume work after the "
                "association's inspection",
                14,
                12,
            ),
            (
                None,
                "汛期各矿每日巡查尾矿库和排土场，暴雨期间井下停止作业并撤出人员",
                "Every mine to inspect its tailings dam and dumps daily in the rainy season and to "
                "stop work underground in heavy rain",
                60,
                58,
            ),
        ],
    ),
    (
        date(2024, 4, 9),
        OFFICE,
        ["顺达一号井与丰源锌矿矿区重叠（NJT-JF-2024-01）协调", "复测安排", "重叠区内作业"],
        (
            "顺达采矿反映丰源锌矿（NJT-10A）采矿许可证拐点6位于顺达一号井（NJT-09A）矿区东边界"
            "以西约25米，两证在拐点5至拐点7之间重叠约4375平方米，开采标高在+1150米至+900米之间"
            "重叠（纠纷编号NJT-JF-2024-01）。丰源锌业表示发证坐标系原测绘单位提供，+1050米中段"
            "巷道已掘进至重叠区边缘，尚未进入。双方同意由协会居中调解，复测结果出来前暂停在"
            "重叠区内作业。",
            None,
        ),
        [
            (
                "DY10",
                "丰源锌矿暂停+1050米中段向重叠区方向掘进，撤出设备，协会派员现场确认",
                "Fengyuan Zinc to stop driving towards the overlap on the +1050 m level",
                3,
                2,
            ),
            (
                None,
                "协会委托有资质的测绘单位复测NJT-10A拐点5至拐点7及NJT-09A拐点2、拐点3",
                "The association to commission a re-survey of the corners concerned",
                30,
                27,
            ),
            (*OVERLAP_FOLLOW_UP, None, None),
        ],
    ),
    (
        date(2025, 3, 21),
        ("兴旺锌业会议室", "the office of Xingwang Zinc"),
        ["兴旺二号井透水征兆处置", "井下防治水检查"],
        (
            "3月18日兴旺二号井（NJT-06B）+980米中段掘进工作面出水量突增、岩壁挂汗，矿方按预案"
            "立即撤出井下全部人员，无人员伤亡。都匀市应急管理局现场检查后责令停产整顿。会议要求"
            "各矿严格执行“有疑必探、先探后掘”。",
            None,
        ),
        [
            (
                "DY06",
                "兴旺二号井自4月1日起停产整顿，完成探放水设计和防治水措施后申请复查",
                "Xingwang Zinc to suspend NJT-06B from 1 April until its water control is approved",
                11,
                10,
            ),
            (
                None,
                "各会员企业自查井下探放水执行情况，报协会汇总后通报",
                "Every member to check its exploratory drilling for water and report",
                30,
                28,
            ),
        ],
    ),
]


def meeting_day(year, month):
    """The day of a month's monthly meeting: its second Friday."""
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 7)


def assembly_day(year):
    """The day of a year's general assembly: the last Saturday of December."""
    last = date(year, 12, 31)
    return last - timedelta(days=(last.weekday() - 5) % 7)


def missed_month(today):
    """(year, month) of the one month of the last 12 full months without a monthly meeting, and
    the reason (MISSED_REASONS): the Spring Festival's month (the later if two); when none of them
    is (a February today whose festival is in February after one in January), the January."""
    last = month_rules.index_of(*last_full_month(today))
    window = [month_rules.at_index(i) for i in range(last - 11, last + 1)]
    festival = [(y, m) for y, m in window if m == SPRING_FESTIVAL.get(y, 2)]
    if festival:
        return festival[-1], "festival"
    return next((y, m) for y, m in window if m == 1), "frost"


def members_on(day):
    """The codes of the demo's members on day (none has left)."""
    return [code for code, _n, _r, joined_on, _p in ENTERPRISES if was_member(joined_on, None, day)]


def mines_on(day):
    """(code, enterprise, name) of the mines working on day."""
    members = set(members_on(day))
    return [
        (code, enterprise, name)
        for code, enterprise, name, *_, opened_on, closed_on in MINES
        if enterprise in members
        and opened_on <= day
        and (closed_on is None or closed_on >= day)
        and not (code in SUSPENDED_ON and SUSPENDED_ON[code] <= day)
    ]


def next_monthly(day, missed):
    """The monthly meeting after day (recorded or not), skipping the missed month."""
    i = month_rules.index_of(day.year, day.month)
    while meeting_day(*month_rules.at_index(i)) <= day or i == missed:
        i += 1
    return meeting_day(*month_rules.at_index(i))


def schedule(today):
    """(held, next_day, missed): the (held_on, kind) of the meetings held by today, oldest first;
    the next monthly meeting's day; the missed month's index."""
    current = month_rules.index_of(today.year, today.month)
    daoa = range(
        month_rules.index_of(DAOA_YEARS[0], 1), month_rules.index_of(DAOA_YEARS[-1], 12) + 1
    )
    # From the January of the first of the recent months: the calendar shows whole years.
    first = current - RECENT_MONTHS
    recent = range(max(first - first % 12, daoa.stop), current + 1)
    missed = month_rules.index_of(*missed_month(today)[0])
    held = []
    for i in (*daoa, *recent):
        year, month = month_rules.at_index(i)
        if i != missed and meeting_day(year, month) <= today:
            held.append((meeting_day(year, month), "monthly"))
        if month == 12 and assembly_day(year) <= today:
            held.append((assembly_day(year), "general_assembly"))
    held += [(item[0], "extraordinary") for item in EXTRAORDINARY if item[0] <= today]
    held.sort(key=lambda meeting: (meeting[0], KIND_ORDER.index(meeting[1])))
    upcoming = current
    while meeting_day(*month_rules.at_index(upcoming)) <= today:
        upcoming += 1
    return held, meeting_day(*month_rules.at_index(upcoming)), missed


def attendance_of_day(day, kind, rng):
    """The attendance rows of a meeting: every member of the day."""
    rows = []
    month = month_rules.index_of(day.year, day.month)
    for code in members_on(day):
        status = "present"
        if code == LOW_ATTENDANCE and day.year > DAOA_YEARS[-1]:
            if kind == "extraordinary" or (kind == "monthly" and month % 2 == 0):
                status = "excused" if rng.random() < 0.5 else "absent"
        elif kind == "monthly" and code in ABSENCE_CYCLE:
            cycle, offset = ABSENCE_CYCLE[code]
            if month % cycle == offset:
                status = "excused" if rng.random() < 0.7 else "absent"
        deputy = MEMBERS[code][2]
        representative = None
        if status == "present" and deputy and rng.random() < 0.15:
            representative = deputy[0]
        rows.append({"enterprise_code": code, "status": status, "representative": representative})
    return rows
