"""The demonstration meetings (coop.demo.calendar, coop.demo.minutes) and notices between members,
loaded through the services."""

from datetime import timedelta

from coop.demo.calendar import MEETING_FIELDS
from coop.demo.minutes import meeting_plan, zh_date
from coop.services import accounts
from coop.services.actions import save_action
from coop.services.attendance import save_attendance
from coop.services.meetings import amend_minutes, approve_minutes, save_meeting
from coop.services.notices import save_notice


def notices(today):
    """The demo's notices: (author's username, values as save_notice takes them), in the order
    they were posted, all in the last weeks before today."""
    blasting = today + timedelta(days=3)
    face = today + timedelta(days=7)
    inspection = today + timedelta(days=10)
    road = today + timedelta(days=5)
    return [
        (
            "president",
            {
                "title": "尾矿库联合安全检查安排",
                "body": f"协会将会同都匀市应急管理局于{zh_date(inspection)}对各选厂尾矿库进行联合"
                "安全检查（坝体、排洪设施、干滩长度、监测记录）。请各会员企业安排专人陪同，备齐尾矿库"
                "安全检查台账。",
                "mine_code": None,
                "effective_on": inspection,
            },
        ),
        (
            "president",
            {
                "title": "通村公路（牛角塘至摆桑段）硬化施工，半幅通行",
                "body": f"协会出资硬化的牛角塘至摆桑通村公路自{zh_date(road)}起分段施工，约20天，"
                "施工路段半幅通行。运矿车辆限速20公里/小时，早晚上学时段（7:30—8:30、"
                "16:30—17:30）暂停运矿。",
                "mine_code": None,
                "effective_on": road,
            },
        ),
        (
            "president",
            {
                "title": "丰源锌矿+1000米中段新开掘进工作面（靠近顺达一号井边界）",
                "body": f"丰源锌业通报：丰源锌矿（NJT-10A）将于{zh_date(face)}在+1000米中段"
                "开始掘进新工作面，位置在与顺达一号井（NJT-09A）共用边界以东约30米，不进入NJT-JF-2024-01"
                "所涉重叠区。请顺达采矿注意井下贯通风险；双方每周向协会通报掘进进度。",
                "mine_code": "NJT-10A",
                "effective_on": face,
            },
        ),
        (
            "operator",
            {
                "title": "宏达一号井+950米中段爆破时间",
                "body": f"宏达一号井（NJT-02A）+950米中段自{zh_date(blasting)}起每日12:00—12:30、"
                "17:30—18:00爆破，爆破前鸣哨三次。相邻的牛角塘二号井（NJT-01B）请在上述时段撤出"
                "靠近两矿共用边界的作业人员。",
                "mine_code": "NJT-02A",
                "effective_on": blasting,
            },
        ),
    ]


def load(demo):
    """Add the demo's meetings with their attendance, approvals, amendment and actions, and the
    notices, through the services."""
    today = demo.today
    plan, amendment = meeting_plan(today)
    held = {}
    counts = {"meetings": len(plan), "attendance": 0, "actions": 0, "notices": 0}
    for item in plan:
        values = {name: item[name] for name in MEETING_FIELDS}
        held[(item["held_on"], item["kind"])] = save_meeting(values)
        for row in item["attendance"]:
            save_attendance({"held_on": item["held_on"], "kind": item["kind"]} | row)
            counts["attendance"] += 1
        for action in item["actions"]:
            save_action({"held_on": item["held_on"], "kind": item["kind"]} | action)
            counts["actions"] += 1
    for item in plan:
        if item["approved_on"] is not None:
            approve_minutes(held[(item["held_on"], item["kind"])], item["approved_on"])
    amend_minutes(
        held[(amendment["held_on"], amendment["kind"])],
        amendment["text"],
        amendment["reason"],
        "president",
    )
    for username, values in notices(today):
        save_notice(values, author=accounts.user_by_name(username))
        counts["notices"] += 1
    demo.counts |= counts
