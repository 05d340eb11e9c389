"""The demonstration association, modelled on the DAOA case study (Niujiaotang, Duyun, Guizhou):
thirteen member enterprises, eleven founding members from 1999 and two that joined later, each
with one to three zinc mines; one account of each role; and the mining leases and boundary
disputes of DOMAIN.md "Leases". Later issues add their records.

Leases. Every mine has a lease: the twenty lie in a cluster of about 7 km by 4.5 km around
107.40-107.47 E, 26.16-26.20 N, each enterprise's mines side by side. Their boundaries are entered
as the permits print them: corner-point tables in CGCS2000 Gauss-Kruger zone 36 (EPSG:4524, Y with
the zone prefix 36; three in EPSG:4545, without it) and two in CGCS2000 longitude and latitude
(EPSG:4490, one in D°M'S", one in decimal degrees). Some mines have expired permits before the one
in force; a renewal keeps the boundary and starts the day after its predecessor ends. The closed
mine's only permit ended with its closure. Designed for the demonstration:

- one overlap: NJT-10A's permit puts its corner 6 about 25 m inside NJT-09A's lease (a wedge of
  about 4,375 m2, at overlapping elevations), the one conflict the overlap scan reports, under
  mediation by the association (dispute NJT-JF-2024-01);
- leases that only share an edge, which do not conflict: NJT-01B and NJT-02A (two enterprises),
  NJT-06A and NJT-07A (scene of the resolved dispute NJT-JF-2015-02 about a drift driven across
  that edge), and the three leases of DY01;
- one permit about to expire: NJT-02B's ends EXPIRING_IN_DAYS after the association's today
  (coop.clock), whatever day the demo is loaded; every other permit in force ends in 2031 or
  later.

Samples and monthly production (DOMAIN.md "Production and assays") cover the DAOA's years 2003 to
2007 and the 24 full months before the association's today; see the section "Production and
assays" below for the design, and DAOA_2005 for the year the case study reports.

Meetings (DOMAIN.md "Meetings"): a monthly meeting in every month of those years and months (and
today's month once its day has come) but one designed month of the last 12 (missed_month), general
assemblies and three extraordinary meetings, with attendance, minutes, approvals, one amendment and
actions; one member under 75 % attendance (LOW_ATTENDANCE), an overdue action (OVERDUE_ACTION)
and an open one of the demo operator's enterprise (RENEWAL_ACTION); and a few recent notices. See
the section "Meetings" below."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from coop import clock
from coop.services import accounts, registry, tabular
from coop.services.leases import save_dispute, save_lease
from coop.services.meetings import (
    amend_minutes,
    approve_minutes,
    save_action,
    save_attendance,
    save_meeting,
    save_notice,
)
from coop.services.members import save_enterprise, save_mine
from coop.services.production import save_production

DEMO_PASSWORD = "coop-demo-2026"

# code, name, legal representative, joined_on, phone
ENTERPRISES = [
    ("DY01", "都匀市牛角塘鑫隆锌业有限公司", "王建国", date(1999, 6, 18), "0854-8211001"),
    ("DY02", "都匀市宏达矿业有限公司", "李志强", date(1999, 6, 18), "0854-8211002"),
    ("DY03", "都匀市黔南锌矿开发有限公司", "张德明", date(1999, 6, 18), "0854-8211003"),
    ("DY04", "都匀市牛角塘富源矿业有限公司", "杨光荣", date(1999, 6, 18), "0854-8211004"),
    ("DY05", "都匀市金鑫采选有限公司", "陈永福", date(1999, 6, 18), "0854-8211005"),
    ("DY06", "都匀市兴旺锌业有限公司", "吴文华", date(1999, 6, 18), "0854-8211006"),
    ("DY07", "都匀市苗岭矿业有限公司", "龙正祥", date(1999, 6, 18), "0854-8211007"),
    ("DY08", "都匀市剑江矿产品有限公司", "罗成林", date(1999, 6, 18), "0854-8211008"),
    ("DY09", "都匀市顺达采矿有限公司", "黄国平", date(1999, 6, 18), "0854-8211009"),
    ("DY10", "都匀市丰源锌业有限公司", "蒙德贵", date(1999, 6, 18), "0854-8211010"),
    ("DY11", "都匀市布依矿业有限公司", "韦明亮", date(1999, 6, 18), "0854-8211011"),
    ("DY12", "都匀市新星矿业有限公司", "潘家兴", date(2003, 3, 12), "0854-8211012"),
    ("DY13", "都匀市荣昌锌业有限公司", "刘德胜", date(2004, 9, 6), "0854-8211013"),
]

# code, enterprise, name, minerals, method, status, opened_on, closed_on
MINES = [
    ("NJT-01A", "DY01", "牛角塘一号井", "Zn,Pb", "underground", "active", date(1996, 4, 1), None),
    ("NJT-01B", "DY01", "牛角塘二号井", "Zn,Pb", "underground", "active", date(1998, 9, 1), None),
    ("NJT-01C", "DY01", "大塘坡露天采场", "Zn", "open_pit", "active", date(2001, 5, 1), None),
    ("NJT-02A", "DY02", "宏达一号井", "Zn", "underground", "active", date(1997, 3, 1), None),
    ("NJT-02B", "DY02", "宏达二号井", "Zn,Cd", "underground", "active", date(2002, 7, 1), None),
    ("NJT-03A", "DY03", "黔南锌矿主井", "Zn", "underground", "active", date(1995, 10, 1), None),
    ("NJT-04A", "DY04", "富源一号井", "Zn,Pb", "underground", "active", date(1998, 1, 1), None),
    (
        "NJT-04B",
        "DY04",
        "富源老井",
        "Zn",
        "underground",
        "closed",
        date(1993, 5, 1),
        date(2005, 12, 31),
    ),
    ("NJT-05A", "DY05", "金鑫采场", "Zn", "open_pit", "active", date(1999, 2, 1), None),
    ("NJT-06A", "DY06", "兴旺一号井", "Zn", "underground", "active", date(1997, 8, 1), None),
    ("NJT-06B", "DY06", "兴旺二号井", "Zn,Pb", "underground", "suspended", date(2003, 4, 1), None),
    ("NJT-07A", "DY07", "苗岭锌矿", "Zn", "underground", "active", date(1998, 6, 1), None),
    ("NJT-08A", "DY08", "剑江一号井", "Zn,Pb", "underground", "active", date(1996, 11, 1), None),
    ("NJT-09A", "DY09", "顺达一号井", "Zn", "underground", "active", date(1999, 3, 1), None),
    ("NJT-09B", "DY09", "顺达二号井", "Zn", "underground", "active", date(2004, 6, 1), None),
    ("NJT-10A", "DY10", "丰源锌矿", "Zn", "underground", "active", date(1998, 12, 1), None),
    ("NJT-11A", "DY11", "布依一号井", "Zn,Pb", "underground", "active", date(1997, 5, 1), None),
    ("NJT-12A", "DY12", "新星一号井", "Zn", "underground", "active", date(2003, 2, 1), None),
    ("NJT-13A", "DY13", "荣昌一号井", "Zn", "underground", "active", date(2004, 8, 1), None),
    ("NJT-13B", "DY13", "荣昌露天采场", "Zn", "open_pit", "active", date(2005, 3, 1), None),
]

# username, role, enterprise
USERS = [
    ("admin", "admin", None),
    ("president", "president", None),
    ("operator", "operator", "DY02"),
    ("bureau", "bureau", None),
]


# Each mine's lease boundary as its permit prints it: the CRS, then the corner points in order.
# Gauss-Kruger: (X northing, Y easting) in metres; EPSG:4490: (longitude, latitude) as printed.
# A renewal keeps its mine's boundary, so every permit of a mine (LEASES) uses the one below.
BOUNDARIES = {
    "NJT-01A": (
        "EPSG:4524",
        [
            (2895143.27, 36440286.51),
            (2895198.21, 36441184.83),
            (2896146.44, 36441126.84),
            (2896167.05, 36440644.68),
            (2896121.44, 36440226.68),
        ],
    ),
    "NJT-01B": (
        "EPSG:4524",
        [
            (2895198.21, 36441184.83),
            (2895247.05, 36441983.34),
            (2896195.28, 36441925.34),
            (2896240.73, 36441521.82),
            (2896146.44, 36441126.84),
        ],
    ),
    "NJT-01C": (
        "EPSG:4524",
        [
            (2896121.44, 36440226.68),
            (2896167.05, 36440644.68),
            (2896146.44, 36441126.84),
            (2896744.10, 36441070.24),
            (2896758.60, 36440488.27),
            (2896640.47, 36440194.94),
        ],
    ),
    "NJT-02A": (
        "EPSG:4524",
        [
            (2895247.05, 36441983.34),
            (2895308.10, 36442981.47),
            (2895910.03, 36442994.75),
            (2896303.18, 36442870.52),
            (2896195.28, 36441925.34),
        ],
    ),
    "NJT-02B": (
        "EPSG:4524",
        [
            (2896348.05, 36441966.09),
            (2896379.98, 36442815.73),
            (2897051.78, 36442824.73),
            (2897049.80, 36441973.27),
        ],
    ),
    "NJT-03A": (
        "EPSG:4545",
        [
            (2895220.50, 443187.21),
            (2895349.77, 444481.73),
            (2896101.42, 444485.85),
            (2896691.14, 444299.50),
            (2896574.08, 443204.60),
            (2895916.14, 443094.57),
        ],
    ),
    "NJT-04A": (
        "EPSG:4524",
        [
            (2895411.88, 36444678.30),
            (2895516.73, 36445573.57),
            (2896461.91, 36445465.67),
            (2896360.11, 36444620.31),
        ],
    ),
    "NJT-04B": (
        "EPSG:4524",
        [
            (2896512.88, 36444661.06),
            (2896602.47, 36445306.79),
            (2897148.39, 36445223.31),
            (2897058.81, 36444577.57),
        ],
    ),
    "NJT-05A": (
        "EPSG:4490",
        [
            ("107°27'27.13\"", "26°10'07.02\""),
            ("107°27'55.64\"", "26°10'11.96\""),
            ("107°27'52.32\"", "26°10'32.93\""),
            ("107°27'23.69\"", "26°10'29.61\""),
        ],
    ),
    "NJT-06A": (
        "EPSG:4524",
        [
            (2896890.01, 36440179.68),
            (2896901.15, 36441180.86),
            (2897999.10, 36441113.71),
            (2897987.95, 36440112.52),
        ],
    ),
    "NJT-06B": (
        "EPSG:4524",
        [
            (2898087.77, 36440106.42),
            (2898106.66, 36440906.76),
            (2898788.45, 36440915.15),
            (2898789.51, 36440113.59),
        ],
    ),
    "NJT-07A": (
        "EPSG:4524",
        [
            (2896901.15, 36441180.86),
            (2897158.77, 36442116.88),
            (2898212.92, 36442152.59),
            (2897999.10, 36441113.71),
        ],
    ),
    "NJT-08A": (
        "EPSG:4545",
        [
            (2897223.94, 442363.36),
            (2897241.19, 443464.36),
            (2898245.43, 443503.13),
            (2898275.03, 442349.17),
        ],
    ),
    "NJT-09A": (
        "EPSG:4524",
        [
            (2897153.58, 36443670.09),
            (2897214.63, 36444668.23),
            (2898212.77, 36444607.18),
            (2898207.73, 36443705.81),
        ],
    ),
    "NJT-09B": (
        "EPSG:4524",
        [
            (2898310.59, 36443749.61),
            (2898356.38, 36444498.21),
            (2898952.21, 36444411.67),
            (2898862.62, 36443765.94),
        ],
    ),
    # Corners 1 and 4 are NJT-09A's corners 2 and 3; corners 5 and 7 lie on that shared edge, and
    # corner 6 between them lies about 25 m to the west of it, inside NJT-09A's lease.
    "NJT-10A": (
        "EPSG:4524",
        [
            (2897214.63, 36444668.23),
            (2897319.48, 36445563.50),
            (2898364.47, 36445449.49),
            (2898212.77, 36444607.18),
            (2897913.33, 36444625.50),
            (2897742.12, 36444610.92),
            (2897563.98, 36444646.86),
        ],
    ),
    "NJT-11A": (
        "EPSG:4490",
        [
            ("107.4578500", "26.1781327"),
            ("107.4677992", "26.1791713"),
            ("107.4677444", "26.1868563"),
            ("107.4582284", "26.1867477"),
            ("107.4570248", "26.1826065"),
        ],
    ),
    "NJT-12A": (
        "EPSG:4524",
        [
            (2898348.44, 36441092.34),
            (2898353.48, 36441993.72),
            (2899158.09, 36442044.69),
            (2899202.96, 36441140.26),
            (2898794.55, 36441014.96),
        ],
    ),
    "NJT-13A": (
        "EPSG:4524",
        [
            (2898421.70, 36442290.10),
            (2898432.84, 36443291.29),
            (2899284.31, 36443289.31),
            (2899376.03, 36442331.92),
        ],
    ),
    "NJT-13B": (
        "EPSG:4545",
        [
            (2898994.03, 443457.34),
            (2898983.80, 444109.18),
            (2899535.83, 444125.51),
            (2899546.05, 443473.67),
        ],
    ),
}

#: NJT-02B's permit (valid_to None below) ends this many days after the association's today.
EXPIRING_IN_DAYS = 45

# permit_no, mine, valid_from, valid_to, elevation top and bottom (metres above sea level).
# Permits issued before 2009 carry the old 13-digit numbers, later ones the 23-character
# C + county code (522701 Duyun) + year and month of issue + serial numbers.
LEASES = [
    ("C5227012011047130042117", "NJT-01A", date(2011, 5, 1), date(2021, 4, 30), 1250, 850),
    ("C5227012021047130118352", "NJT-01A", date(2021, 5, 1), date(2031, 4, 30), 1250, 850),
    ("C5227012022067130127746", "NJT-01B", date(2022, 6, 15), date(2032, 6, 14), 1230, 880),
    ("C5227012023037130136605", "NJT-01C", date(2023, 3, 20), date(2033, 3, 19), 1290, 1120),
    ("C5227012021117130121930", "NJT-02A", date(2021, 11, 10), date(2031, 11, 9), 1210, 860),
    ("C5227012016127130071458", "NJT-02B", date(2016, 12, 28), None, 1200, 900),
    ("5227000060031", "NJT-03A", date(2006, 3, 1), date(2016, 2, 29), 1220, 800),
    ("C5227012016027130064418", "NJT-03A", date(2016, 3, 1), date(2036, 2, 29), 1220, 800),
    ("C5227012021107130122687", "NJT-04A", date(2021, 10, 15), date(2031, 10, 14), 1200, 880),
    ("5227000000017", "NJT-04B", date(2000, 7, 1), date(2005, 12, 31), 1180, 950),
    ("C5227012022097130130219", "NJT-05A", date(2022, 9, 1), date(2032, 8, 31), 1260, 1100),
    ("5227000010023", "NJT-06A", date(2001, 8, 1), date(2011, 7, 31), 1240, 900),
    ("C5227012011077130043305", "NJT-06A", date(2011, 8, 1), date(2021, 7, 31), 1240, 900),
    ("C5227012021077130119518", "NJT-06A", date(2021, 8, 1), date(2031, 7, 31), 1240, 900),
    ("C5227012023057130138840", "NJT-06B", date(2023, 5, 10), date(2033, 5, 9), 1220, 950),
    ("C5227012012027130047761", "NJT-07A", date(2012, 3, 1), date(2022, 2, 28), 1200, 870),
    ("C5227012022027130125032", "NJT-07A", date(2022, 3, 1), date(2032, 2, 29), 1200, 870),
    ("C5227012024017130143390", "NJT-08A", date(2024, 1, 20), date(2034, 1, 19), 1190, 850),
    ("C5227012021127130124461", "NJT-09A", date(2021, 12, 20), date(2031, 12, 19), 1150, 850),
    ("C5227012025047130152208", "NJT-09B", date(2025, 4, 1), date(2035, 3, 31), 1180, 950),
    ("C5227012022107130131877", "NJT-10A", date(2022, 10, 8), date(2032, 10, 7), 1180, 900),
    ("C5227012023087130140052", "NJT-11A", date(2023, 8, 1), date(2033, 7, 31), 1210, 880),
    ("C5227012023067130139407", "NJT-12A", date(2023, 6, 1), date(2033, 5, 31), 1230, 900),
    ("C5227012014087130055802", "NJT-13A", date(2014, 8, 15), date(2024, 8, 14), 1230, 900),
    ("C5227012024087130145913", "NJT-13A", date(2024, 8, 15), date(2034, 8, 14), 1230, 900),
    ("C5227012025067130153374", "NJT-13B", date(2025, 6, 1), date(2035, 5, 31), 1280, 1120),
]

# ref, opened_on, lease_a, lease_b, description, status, resolved_on, resolution
DISPUTES = [
    (
        "NJT-JF-2015-02",
        date(2015, 6, 18),
        "C5227012011077130043305",  # NJT-06A (DY06), the permit then in force
        "C5227012012027130047761",  # NJT-07A (DY07), the permit then in force
        "兴旺锌业反映：苗岭矿业苗岭锌矿+1000米中段沿脉巷道越过两矿共用边界（兴旺一号井采矿"
        "许可证拐点2至拐点3连线）约35米，进入兴旺一号井矿区范围采矿。两证矿区范围只共用边界、"
        "互不重叠，属越界开采。双方同意由协会居中调解。",
        "resolved",
        date(2015, 9, 25),
        "协会于2015年7月组织双方代表和都匀市国土资源局测量人员井下联合测量，确认越界巷道长约"
        "35米，越界采出矿石约1100吨。经协会调解，双方签订协议：苗岭矿业按当期原矿价格向兴旺"
        "锌业补偿人民币7.7万元；越界巷道在边界处砌筑封闭墙，两矿在共用边界两侧各留10米保安"
        "矿柱，今后开拓相邻中段前互相通报。协会派员现场确认封闭完成，协议存档。",
    ),
    (
        "NJT-JF-2024-01",
        date(2024, 3, 12),
        "C5227012021127130124461",  # NJT-09A (DY09)
        "C5227012022107130131877",  # NJT-10A (DY10)
        "顺达采矿反映：丰源锌业丰源锌矿2022年10月换发的采矿许可证，拐点6坐标"
        "（X=2897742.12，Y=36444610.92）位于顺达一号井矿区东边界以西约25米，两证矿区范围在"
        "拐点5至拐点7之间重叠约4375平方米（约6.6亩）；两证开采标高（+1150米至+850米，"
        "+1180米至+900米）在+1150米至+900米之间重叠。丰源锌矿+1050米中段巷道已掘进至重叠区"
        "边缘。2024年4月协会召开双方协调会，委托测绘单位复测拐点，并报都匀市自然资源局核实"
        "发证坐标；复测结果出来前，双方暂停在重叠区内作业。",
        "mediating",
        None,
        None,
    ),
]


def corner_table(corners):
    """A permit's corner-point table: one corner a line, its number then its two coordinates
    (metres to the centimetre; degrees as printed)."""
    return "\n".join(
        " ".join([str(number), *(f"{v:.2f}" if isinstance(v, float) else v for v in corner)])
        for number, corner in enumerate(corners, 1)
    )


def load(production=True):
    """Add the demo association; the caller commits. Returns counts of what was added.

    production False leaves out the samples and months of production (for tests of the rest,
    which then load in a fraction of the time)."""
    for code, name, representative, joined_on, phone in ENTERPRISES:
        save_enterprise(
            {
                "code": code,
                "name": name,
                "legal_representative": representative,
                "business_license_no": f"5227010000{code[2:]}{joined_on.year}",
                "joined_on": joined_on,
                "left_on": None,
                "contact_phone": phone,
            }
        )
    for code, enterprise, name, minerals, method, status, opened_on, closed_on in MINES:
        save_mine(
            {
                "code": code,
                "enterprise_code": enterprise,
                "name": name,
                "minerals": minerals,
                "mining_method": method,
                "processing_method": "flotation",
                "status": status,
                "opened_on": opened_on,
                "closed_on": closed_on,
            }
        )
    for username, role, enterprise in USERS:
        accounts.create_user(username, role, DEMO_PASSWORD, enterprise)
    expiring_on = clock.today() + timedelta(days=EXPIRING_IN_DAYS)
    for permit_no, mine, valid_from, valid_to, top, bottom in LEASES:
        crs, corners = BOUNDARIES[mine]
        save_lease(
            {
                "permit_no": permit_no,
                "mine_code": mine,
                "valid_from": valid_from,
                "valid_to": expiring_on if valid_to is None else valid_to,
                "boundary": corner_table(corners),
                "crs": crs,
                "elevation_top_m": float(top),
                "elevation_bottom_m": float(bottom),
            }
        )
    for ref, opened_on, lease_a, lease_b, description, status, resolved_on, resolution in DISPUTES:
        save_dispute(
            {
                "ref": ref,
                "opened_on": opened_on,
                "lease_a": lease_a,
                "lease_b": lease_b,
                "description": description,
                "status": status,
                "resolved_on": resolved_on,
                "resolution": resolution,
            }
        )
    counts = {
        "enterprises": len(ENTERPRISES),
        "mines": len(MINES),
        "users": len(USERS),
        "leases": len(LEASES),
        "disputes": len(DISPUTES),
    }
    counts |= load_meetings(clock.today())
    if production:
        months, samples = production_and_samples(clock.today())
        # As a clerk imports a table: in one go through the bulk path (save_sample row by row
        # where a kind has none), all or nothing.
        tabular.import_table(registry.KINDS["samples"], sample_frame(samples))
        for values in months:
            save_production(values)
        counts |= {"samples": len(samples), "months of production": len(months)}
    return counts


# --- Production and assays ---------------------------------------------------------------------
#
# Every mine produces every month it may (from the later of its opening and its enterprise's
# joining, to its closing, before its suspension): in the DAOA's years 2003-2007, and in the
# RECENT_MONTHS full months before the association's today, where a mine also needs a permit of
# LEASES in force. Tonnages follow the case study ("from one to three mines, annually extracting
# an average of 5,000-10,000 tons", read as tonnes of ore per enterprise), with the Spring
# Festival and the rainy season in them; ore processed is within 5 % of ore mined (stockpile).
# Grades and recovery improve year by year (LEVELS: the DAOA lowered the tailings grade);
# concentrate_t = ore_processed_t * f * R / c, R being the month's two-product recovery less a
# loss of 0.4 to 2 points (so the two methods stay well within 5 points of each other); revenue
# is the month's price of a tonne of 50 % concentrate (PRICES), paid by grade.
#
# A producing month has a feed, a tailings and a concentrate sample, and a mine a waste sample in
# April and October; but for the designed gaps (HISTORIC_GAP, RECENT_GAP), and 2005.
#
# 2005 is the year the case study reports (DAOA_2005): 216 samples, pooled means feed 3.48 %,
# tailings 0.28 %, waste 0.55 %, and a recovery of 91.25 %, which only the mass balance can give
# (the two-product formula with f = 3.48 and t = 0.28 is at least 91.95 %). 216 samples cannot
# give the year's 235 producing months a feed and a tailings sample each (that alone is 470):
# in 2005 the samples are those of the association's quarterly inspection rounds with the
# bureau, each producing mine visited once a quarter (feed and tailings; concentrate in the 2nd
# and 4th quarter), and waste dumps sampled on the rounds. The other months of 2005 are producing
# months without samples, which the data-quality flags report. The grades are nudged by
# hundredths until each pooled mean is exact; each mine's 2005 concentrate_t comes from its 2005
# mean grades and a recovery R_m (its two-product recovery less a loss, all shifted so that the
# feed-metal-weighted mean is 91.25); one month's concentrate_t then closes the last rounding.

SEED = 2005
DAOA_YEARS = range(2003, 2008)
RECENT_MONTHS = 24

#: A suspended mine produces nothing from this day's month on.
SUSPENDED_ON = {"NJT-06B": date(2025, 4, 1)}

#: The DAOA's figures for 2005 (the case study), which the demo gives exactly (to 2 decimals).
DAOA_2005 = {"samples": 216, "feed": 3.48, "tailings": 0.28, "waste": 0.55, "recovery": 91.25}

#: The designed gaps: a producing month without a sample of that type. The recent one is in the
#: last full month before today, so the compliance rule monthly_samples shows it amber.
HISTORIC_GAP = ("NJT-08A", "2006-07", "tailings")
RECENT_GAP = ("NJT-11A", "feed")
GAP_NOTES = {
    "tailings": "7月暴雨冲毁尾矿库取样点，本月未取尾矿样。",
    "feed": "原矿样送检途中破损，本月未能补取。",
}

# Association levels by year: feed, concentrate, tailings and waste grades (% Zn), ore mined as a
# share of 2005's.
LEVELS = {
    2003: (3.62, 47.0, 0.50, 0.82, 0.86),
    2004: (3.55, 48.0, 0.40, 0.68, 0.93),
    2005: (3.48, 48.8, 0.28, 0.55, 1.00),
    2006: (3.43, 49.2, 0.26, 0.52, 1.07),
    2007: (3.38, 49.5, 0.25, 0.50, 1.10),
}
RECENT_LEVELS = (3.05, 50.0, 0.21, 0.42, 1.15)

# RMB per tonne of concentrate at 50 % Zn, at some months (linear between them).
PRICES = [
    ("2003-01", 4100),
    ("2003-12", 4400),
    ("2004-06", 4600),
    ("2004-12", 4900),
    ("2005-06", 5300),
    ("2005-12", 6600),
    ("2006-05", 9000),
    ("2006-12", 8500),
    ("2007-06", 8800),
    ("2007-12", 7000),
    ("2008-06", 5500),
    ("2023-12", 9400),
    ("2024-06", 11000),
    ("2024-12", 10600),
    ("2025-06", 10200),
    ("2025-12", 10800),
]

# The month of the Spring Festival (mines stop for part of it); February otherwise.
SPRING_FESTIVAL = {2004: 1, 2006: 1, 2025: 1, 2028: 1, 2031: 1, 2033: 1}

CITY_LAB = "都匀市矿产品检测中心"
PROVINCE_LAB = "贵州省地质矿产中心实验室"
MILL_LABS = {
    "DY01": "鑫隆锌业选厂化验室",
    "DY03": "黔南锌矿选厂化验室",
    "DY08": "剑江矿产品公司化验室",
}
WASTE_PLACES = ["老窿废石堆", "废弃矿渣堆", "旧选厂尾砂堆", "坑口废石场"]
TYPE_ORDER = {"feed": 0, "tailings": 1, "concentrate": 2, "waste": 3}


def _index(year, month):
    return year * 12 + month - 1


def _year_month(index):
    return index // 12, index % 12 + 1


def _label(year, month):
    return f"{year:04d}-{month:02d}"


def _month_last_day(year, month):
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _span(code):
    """(first, end) month indexes a mine may produce in: first included, end excluded."""
    _, enterprise, *_, opened_on, closed_on = next(m for m in MINES if m[0] == code)
    joined_on = next(e[3] for e in ENTERPRISES if e[0] == enterprise)
    start = max(opened_on, joined_on)
    first = _index(start.year, start.month)
    end = 10**6
    if closed_on is not None:
        end = _index(closed_on.year, closed_on.month) + 1
    if code in SUSPENDED_ON:
        end = min(end, _index(SUSPENDED_ON[code].year, SUSPENDED_ON[code].month))
    return first, end


def _permit_in_force(code, year, month):
    """Whether a permit of LEASES is in force in some part of the month (NJT-02B's never ends)."""
    first, last = date(year, month, 1), _month_last_day(year, month)
    return any(
        mine == code and valid_from <= last and (valid_to is None or valid_to >= first)
        for _, mine, valid_from, valid_to, *_ in LEASES
    )


def last_full_month(today):
    """(year, month) of the last month wholly before today."""
    return _year_month(_index(today.year, today.month) - 1)


def producing_months(code, today):
    """The months (year, month) the demo gives production to mine code: the DAOA's years, and
    the RECENT_MONTHS full months before today while a permit is in force."""
    first, end = _span(code)
    last = _index(*last_full_month(today))
    daoa = range(_index(DAOA_YEARS[0], 1), _index(DAOA_YEARS[-1], 12) + 1)
    recent = range(max(last - RECENT_MONTHS + 1, daoa.stop), last + 1)
    months = [_year_month(i) for i in daoa if first <= i < end and i <= last]
    months += [
        _year_month(i)
        for i in recent
        if first <= i < end and _permit_in_force(code, *_year_month(i))
    ]
    return months


def _profiles():
    """Each mine's grades relative to the association's, its Pb grade, and its ore mined a month
    at 2005's level: each enterprise 5,500 to 10,000 t a year, shared among its mines."""
    rng = np.random.default_rng(SEED)
    annual = {code: rng.uniform(5500, 10000) for code, *_ in ENTERPRISES}
    share = {code: rng.uniform(0.6, 1.4) for code, *_ in MINES}
    total = {e: sum(share[m[0]] for m in MINES if m[1] == e) for e in annual}
    n = len(MINES)
    # relative to the association's level: the mines' mean is the level
    feed, tail = rng.uniform(0.82, 1.18, n), rng.uniform(0.85, 1.15, n)
    feed, tail, conc = feed / feed.mean(), tail / tail.mean(), rng.uniform(-1.5, 1.5, n)
    profiles = {}
    for k, (code, enterprise, _name, minerals, method, *_) in enumerate(MINES):
        profiles[code] = {
            "feed": float(feed[k]),
            "conc": float(conc[k] - conc.mean()),
            "tail": float(tail[k]),
            "pb": rng.uniform(0.3, 1.0) if "Pb" in minerals else None,
            "ore_t": annual[enterprise] * share[code] / total[enterprise] / 12,
            "open_pit": method == "open_pit",
            "enterprise": enterprise,
        }
    return profiles


def _levels(year):
    return LEVELS.get(year, RECENT_LEVELS)


def _grades(profile, year, rng):
    """A month's feed, concentrate and tailings grades (% Zn, 2 decimals)."""
    feed, conc, tail, _waste, _ore = _levels(year)
    f = feed * profile["feed"] * rng.normal(1, 0.06)
    c = conc + profile["conc"] + rng.normal(0, 0.6)
    t = tail * profile["tail"] * (f / feed) ** 0.5 * rng.normal(1, 0.08)
    return round(f, 2), round(c, 2), round(max(t, 0.05), 2)


def _pb(profile, kind, rng):
    """A sample's Pb grade: only the mines that list Pb have it assayed."""
    if profile["pb"] is None:
        return None
    feed = profile["pb"] * rng.normal(1, 0.1)
    factor = {"feed": 1, "tailings": rng.uniform(0.12, 0.22), "waste": rng.uniform(0.2, 0.5)}
    if kind == "concentrate":
        return round(rng.uniform(0.9, 2.4), 2)
    return round(feed * factor[kind], 2)


def _ore(profile, code, year, month, rng):
    """(ore mined, ore processed) in tonnes to 0.1 t."""
    first, _ = _span(code)
    factor = _levels(year)[4] * rng.uniform(0.9, 1.1)
    if month == SPRING_FESTIVAL.get(year, 2):
        factor *= 0.6
    if month in (6, 7):  # the rainy season: pumping underground, mud in the open pits
        factor *= 0.8 if profile["open_pit"] else 0.93
    since = _index(year, month) - first
    if since < 3:  # a new mine's first months
        factor *= (0.45, 0.65, 0.85)[since]
    if code == "NJT-04B" and year == 2005:  # worked out, closing at the end of the year
        factor *= 1 - 0.5 * (month - 1) / 11
    mined = round(profile["ore_t"] * factor, 1)
    return mined, round(mined * rng.uniform(0.95, 1.05), 1)


def two_product(f, c, t):
    return 100 * c * (f - t) / (f * (c - t))


def _price(year, month):
    """RMB per tonne of 50 % concentrate in a month: PRICES, linear between its months."""
    months = [_index(int(m[:4]), int(m[5:])) for m, _ in PRICES]
    return float(np.interp(_index(year, month), months, [p for _, p in PRICES]))


def _revenue(concentrate_t, c, year, month, rng):
    amount = concentrate_t * _price(year, month) * c / 50 * rng.uniform(0.97, 1.03)
    return Decimal(f"{amount:.2f}")


def _sample(code, day, kind, zn, pb, lab, notes=None):
    return {
        "mine_code": code,
        "sampled_on": day,
        "sample_type": kind,
        "zn_pct": zn,
        "pb_pct": pb,
        "lab": lab,
        "notes": notes,
    }


def _month(code, profile, year, month, rng, gap=None):
    """A month of production with its samples (but for the gap: a sample type left out)."""
    mined, processed = _ore(profile, code, year, month, rng)
    f, c, t = _grades(profile, year, rng)
    recovery = two_product(f, c, t) - rng.uniform(0.4, 2.0)
    concentrate = round(processed * f * recovery / (100 * c), 2)
    production = {
        "mine_code": code,
        "month": _label(year, month),
        "ore_mined_t": mined,
        "ore_processed_t": processed,
        "concentrate_t": concentrate,
        "revenue_rmb": _revenue(concentrate, c, year, month, rng),
    }
    lab = MILL_LABS.get(profile["enterprise"], CITY_LAB)
    mill_day = date(year, month, int(rng.integers(3, 27)))
    sale_day = date(year, month, int(rng.integers(5, 29)))
    samples = [
        _sample(code, mill_day, "feed", f, _pb(profile, "feed", rng), lab),
        _sample(code, mill_day, "tailings", t, _pb(profile, "tailings", rng), lab),
        _sample(code, sale_day, "concentrate", c, _pb(profile, "concentrate", rng), CITY_LAB),
    ]
    if gap is not None:
        samples = [s for s in samples if s["sample_type"] != gap]
        samples[0]["notes"] = GAP_NOTES[gap]
    if month in (4, 10):
        waste = _levels(year)[3] * rng.lognormal(0, 0.2)
        samples.append(
            _sample(
                code,
                date(year, month, int(rng.integers(3, 29))),
                "waste",
                round(waste, 2),
                _pb(profile, "waste", rng),
                PROVINCE_LAB,
                WASTE_PLACES[int(rng.integers(len(WASTE_PLACES)))],
            )
        )
    return production, samples


def _hit_mean(samples, target, rng):
    """Nudge the samples' zinc grades by hundredths (after scaling them to the target) until
    their mean is exactly target (2 decimals)."""
    scale = target / (sum(s["zn_pct"] for s in samples) / len(samples))
    cents = [round(s["zn_pct"] * scale * 100) for s in samples]
    missing = round(target * 100) * len(samples) - sum(cents)
    order = rng.permutation(len(samples))
    step = 1 if missing > 0 else -1
    for k in range(abs(missing)):
        cents[order[k % len(samples)]] += step
    for sample, cent in zip(samples, cents, strict=True):
        sample["zn_pct"] = cent / 100


def _year_2005(profiles, months):
    """The DAOA's 2005: the samples of the quarterly rounds, and each mine's concentrate and
    revenue from its 2005 mean grades. months: {mine: [production of its 2005 months]}, whose
    concentrate_t and revenue_rmb this fills in."""
    rng = np.random.default_rng([SEED, 2005])
    samples = []
    if not months:
        return samples
    for position, code in enumerate(months):
        produced = [int(p["month"][5:]) for p in months[code]]
        profile = profiles[code]
        lab = CITY_LAB
        for quarter in range(1, 5):
            in_quarter = [m for m in produced if (m - 1) // 3 + 1 == quarter]
            if not in_quarter:
                continue
            month = in_quarter[(position + quarter) % len(in_quarter)]
            day = date(2005, month, int(rng.integers(4, 27)))
            f, c, t = _grades(profile, 2005, rng)
            notes = f"协会2005年第{quarter}季度联合巡查"
            samples += [
                _sample(code, day, "feed", f, _pb(profile, "feed", rng), lab, notes),
                _sample(code, day, "tailings", t, _pb(profile, "tailings", rng), lab, notes),
            ]
            if quarter in (2, 4):
                pb = _pb(profile, "concentrate", rng)
                samples.append(_sample(code, day, "concentrate", c, pb, lab, notes))
    wastes = DAOA_2005["samples"] - len(samples)
    older = [code for code in months if _span(code)[0] < _index(2005, 1)]
    for k in range(wastes):
        code = older[int(rng.integers(len(older)))]
        quarter = k % 4 + 1
        day = date(2005, 3 * quarter - int(rng.integers(3)), int(rng.integers(4, 27)))
        waste = DAOA_2005["waste"] * rng.lognormal(0, 0.25)
        pb = _pb(profiles[code], "waste", rng)
        place = WASTE_PLACES[int(rng.integers(len(WASTE_PLACES)))]
        notes = f"协会2005年第{quarter}季度联合巡查：{place}"
        samples.append(_sample(code, day, "waste", round(waste, 2), pb, PROVINCE_LAB, notes))
    for kind in ("feed", "tailings", "waste"):
        _hit_mean([s for s in samples if s["sample_type"] == kind], DAOA_2005[kind], rng)

    # Each mine's recovery: its two-product recovery on its 2005 means, less a loss; then all
    # shifted so that the feed-metal-weighted mean is the DAOA's.
    means, weight, recovery = {}, {}, {}
    for code in months:
        mine = [s for s in samples if s["mine_code"] == code]
        means[code] = {
            kind: float(np.mean([s["zn_pct"] for s in mine if s["sample_type"] == kind]))
            for kind in ("feed", "concentrate", "tailings")
        }
        f, c, t = (means[code][kind] for kind in ("feed", "concentrate", "tailings"))
        weight[code] = sum(p["ore_processed_t"] for p in months[code]) * f
        recovery[code] = two_product(f, c, t) - rng.uniform(0.5, 2.0)
    shift = DAOA_2005["recovery"] - sum(weight[m] * recovery[m] for m in months) / sum(
        weight.values()
    )
    for code, production in months.items():
        f, c = means[code]["feed"], means[code]["concentrate"]
        for p in production:
            share = f * (recovery[code] + shift) / (100 * c)
            p["concentrate_t"] = round(p["ore_processed_t"] * share, 2)
    # The last rounding: the largest mine's last month takes what is left of the metal.
    largest = max(weight, key=weight.get)
    metal = sum(p["concentrate_t"] * means[m]["concentrate"] for m in months for p in months[m])
    wanted = DAOA_2005["recovery"] / 100 * sum(weight.values())
    last = months[largest][-1]
    last["concentrate_t"] = round(
        last["concentrate_t"] + (wanted - metal) / means[largest]["concentrate"], 2
    )
    for code, production in months.items():
        for p in production:
            year, month = 2005, int(p["month"][5:])
            c = means[code]["concentrate"]
            p["revenue_rmb"] = _revenue(p["concentrate_t"], c, year, month, rng)
    return samples


def production_and_samples(today):
    """The demo's months of production and samples (dicts of values as save_production and
    save_sample take them; samples with their codes), for the association's today."""
    profiles = _profiles()
    last = last_full_month(today)
    production, samples, months_2005 = [], [], {}
    for position, (code, *_) in enumerate(MINES):
        for year, month in producing_months(code, today):
            rng = np.random.default_rng([SEED, position, year, month])
            gap = None
            if (code, _label(year, month)) == HISTORIC_GAP[:2]:
                gap = HISTORIC_GAP[2]
            elif (code, (year, month)) == (RECENT_GAP[0], last):
                gap = RECENT_GAP[1]
            values, found = _month(code, profiles[code], year, month, rng, gap)
            production.append(values)
            if year == 2005:
                months_2005.setdefault(code, []).append(values)
            else:
                samples += found
    samples += _year_2005(profiles, months_2005)
    samples.sort(
        key=lambda s: (
            s["mine_code"],
            s["sampled_on"],
            TYPE_ORDER[s["sample_type"]],
            s["notes"] or "",
        )
    )
    number = {}
    for sample in samples:
        key = (sample["mine_code"], sample["sampled_on"].year)
        number[key] = number.get(key, 0) + 1
        sample["sample_code"] = f"{key[0]}-{key[1]}-{number[key]:04d}"
    return production, samples


def _cell(value):
    """A value as the text of an import table's cell (grades to 2 decimals, as assayed)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sample_frame(samples):
    """The samples as an import table: the samples kind's columns, text cells."""
    columns = registry.KINDS["samples"].columns
    rows = [[_cell(sample[name]) for name in columns] for sample in samples]
    return pd.DataFrame(rows, columns=columns, dtype=object)


# --- Meetings ------------------------------------------------------------------------------------
#
# The DAOA agreed to meet monthly (DOMAIN.md "Meetings"). A monthly meeting is held on the second
# Friday (meeting_day) of every month of the DAOA's years and of the RECENT_MONTHS full months
# before the association's today (from the January of the first, so that the calendar shows
# whole years), and of today's month once that day has come; but for one month
# of the last 12 full months (missed_month, MISSED_REASONS): the one gap the calendar and the rule
# monthly_meeting show. A general assembly is held on the last Saturday of December of those
# years, and three extraordinary meetings (EXTRAORDINARY) on a flood, the NJT-09A/NJT-10A
# overlap (dispute NJT-JF-2024-01) and the flooding that suspended NJT-06B. The next monthly
# meeting is recorded with its agenda only. The meetings rotate between the association's office
# and the members' offices; the president (DY01's legal representative) chairs them.
#
# Attendance: every enterprise that is a member on the day. All are present at the general
# assemblies and the extraordinary meetings (some by a deputy, MEMBERS); at the monthly meetings
# each member but DY01 (the president's) misses one in a cycle of 7 to 11 months (ABSENCE_CYCLE),
# at most two of any 13 months, so that each stays at 80 % or over; but LOW_ATTENDANCE, which
# after the DAOA's years misses every other monthly meeting and the extraordinary ones: the one
# member under 75 % over the last 12 months, whatever the day the demo is loaded.
#
# Minutes: Markdown, in Chinese; the general assemblies, a few monthly meetings and the 2006
# flood's bilingual, and the meeting of August 2006 (ENGLISH_MINUTES) in English. A monthly
# meeting reports the month before's production and takes three topics (TOPICS: assays,
# safety, tailings, villagers' grievances, reinvestment, boundaries, sales, training,
# rehabilitation, insurance), some with decisions, which are the meeting's actions. Minutes
# are approved at the next monthly meeting: the one of the following month (for December 2007,
# and the extraordinary meetings between the DAOA's years and the recent months, a meeting the
# demo does not record); the latest meetings, whose next monthly meeting is yet to come, are not
# approved yet. AMENDED: the last approved monthly meeting but one has an amendment correcting
# its tonnage.
#
# Actions: those of the DAOA's years are done; a recent one is done by its due date when that day
# has come, else open and not due; designed: OVERDUE_ACTION (open, due a month after a meeting
# at least 60 days before today), RENEWAL_ACTION (DY02's, the demo operator's, from the latest
# monthly meeting: NJT-02B's permit, which ends EXPIRING_IN_DAYS after today; not due yet), and
# the overlap's follow-up (the association's, open, with no due date). NOTICES: four recent ones,
# by the operator and the president, which nobody has read yet.

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
    last = _index(*last_full_month(today))
    window = [_year_month(i) for i in range(last - 11, last + 1)]
    festival = [(y, m) for y, m in window if m == SPRING_FESTIVAL.get(y, 2)]
    if festival:
        return festival[-1], "festival"
    return next((y, m) for y, m in window if m == 1), "frost"


def _members_on(day):
    return [code for code, _n, _r, joined_on, _p in ENTERPRISES if joined_on <= day]


def _mines_on(day):
    """(code, enterprise, name) of the mines working on day."""
    members = set(_members_on(day))
    return [
        (code, enterprise, name)
        for code, enterprise, name, *_, opened_on, closed_on in MINES
        if enterprise in members
        and opened_on <= day
        and (closed_on is None or closed_on >= day)
        and not (code in SUSPENDED_ON and SUSPENDED_ON[code] <= day)
    ]


def _next_monthly(day, missed):
    """The monthly meeting after day (recorded or not), skipping the missed month."""
    i = _index(day.year, day.month)
    while meeting_day(*_year_month(i)) <= day or i == missed:
        i += 1
    return meeting_day(*_year_month(i))


def _schedule(today):
    """(held, next_day, missed): the (held_on, kind) of the meetings held by today, oldest first;
    the next monthly meeting's day; the missed month's index."""
    current = _index(today.year, today.month)
    daoa = range(_index(DAOA_YEARS[0], 1), _index(DAOA_YEARS[-1], 12) + 1)
    # From the January of the first of the recent months: the calendar shows whole years.
    first = current - RECENT_MONTHS
    recent = range(max(first - first % 12, daoa.stop), current + 1)
    missed = _index(*missed_month(today)[0])
    held = []
    for i in (*daoa, *recent):
        year, month = _year_month(i)
        if i != missed and meeting_day(year, month) <= today:
            held.append((meeting_day(year, month), "monthly"))
        if month == 12 and assembly_day(year) <= today:
            held.append((assembly_day(year), "general_assembly"))
    held += [(item[0], "extraordinary") for item in EXTRAORDINARY if item[0] <= today]
    held.sort(key=lambda meeting: (meeting[0], KIND_ORDER.index(meeting[1])))
    upcoming = current
    while meeting_day(*_year_month(upcoming)) <= today:
        upcoming += 1
    return held, meeting_day(*_year_month(upcoming)), missed


def _attendance(day, kind, rng):
    """The attendance rows of a meeting: every member of the day."""
    rows = []
    month = _index(day.year, day.month)
    for code in _members_on(day):
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


def _zh_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _en_date(day):
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def _location(day):
    """Every third month at the association's office, else at a member's office in turn."""
    month = _index(day.year, day.month)
    if month % 3 == 0:
        return OFFICE
    members = _members_on(day)
    code = members[(month - month // 3) % len(members)]
    return f"{MEMBERS[code][0]}会议室", f"the office of {MEMBERS[code][1]}"


def _attendance_lines(rows):
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


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


def _typo(number):
    """A tonnage as a clerk mistypes it: two digits swapped."""
    digits = list(str(number))
    for k in (1, 2, 0):
        if digits[k] != digits[k + 1]:
            digits[k], digits[k + 1] = digits[k + 1], digits[k]
            return int("".join(digits))
    return number + 100


# --- the topics of a monthly meeting: each (agenda, text, actions), agenda and text (Chinese,
# English); actions (owner, description, English, due in days).


def _reported_levels(c):
    """The association's levels of the month reported (December 2002: the DAOA's first year's)."""
    return _levels(max(c["reported"][0], DAOA_YEARS[0]))


def _topic_production(c):
    """The month before's production; c["ore"] is the figure, which the minutes mistype when
    c["typo"]."""
    rng, (year, month) = c["rng"], c["reported"]
    feed, conc, _t, _w, level = _reported_levels(c)
    festival = 0.6 if month == SPRING_FESTIVAL.get(year, 2) else 1.0
    ore = round(len(c["members"]) * rng.uniform(560, 700) * level * festival)
    processed = round(ore * rng.uniform(0.97, 1.03))
    concentrate = round(processed * feed * rng.uniform(0.88, 0.93) / conc)
    price = round(_price(year, month), -1)
    c["ore"] = ore
    said = _typo(ore) if c["typo"] else ore
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
    code, enterprise, name = _pick(rng, c["mines"])
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
    code, enterprise, name = _pick(rng, c["mines"])
    finding, finding_en, fix = _pick(rng, SAFETY_FINDINGS)
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
    code, enterprise, name = _pick(rng, c["mines"])
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
    village, village_en = _pick(rng, VILLAGES)
    grievance, grievance_en, fix, fix_en = _pick(rng, GRIEVANCES)
    code, enterprise, name = _pick(rng, c["mines"])
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
    village, village_en = _pick(rng, VILLAGES)
    project, project_en = _pick(rng, PROJECTS)
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
    a, b = _pick(rng, BOUNDARY_PAIRS[:2])
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
    price = round(_price(year, month), -1)
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
    code, enterprise, name = _pick(rng, c["mines"])
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


def _compose(title, day, location, rows, sections, decisions, language):
    """Minutes in Markdown: title (Chinese, English); sections [(heading, text)] with both
    languages; decisions [(Chinese, English)]; language "zh", "en" or "both"."""
    zh_attendance, en_attendance = _attendance_lines(rows)
    zh = [
        f"# {title[0]}",
        "",
        f"- 时间：{_zh_date(day)}",
        f"- 地点：{location[0]}",
        f"- 主持：{PRESIDENT[0]}（会长）",
        *zh_attendance,
    ]
    en = [
        f"# {title[1]}",
        "",
        f"- Date: {_en_date(day)}",
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
        zh = "、".join(f"{_zh_date(d)}{KIND_NAMES[k][0]}" for d, k in approved_here)
        en = [f"the {KIND_NAMES[k][1]} of {_en_date(d)}" for d, k in approved_here]
        en = " and ".join([", ".join(en[:-1]), en[-1]] if len(en) > 1 else en)
    else:
        zh, en = "上次例会", "the last monthly meeting"
    text = (f"会议审议通过了{zh}纪要。", f"The minutes of {en} were approved.")
    previous = _index(day.year, day.month) - 1
    if previous == missed[0]:
        month = _year_month(previous)[1]
        reason_zh, reason_en = MISSED_REASONS[missed[1]]
        text = (
            f"{month}月{reason_zh}。" + text[0],
            f"No meeting in {ENGLISH_MONTHS[month - 1]}: {reason_en}. " + text[1],
        )
    return ("审议上次会议纪要", "Minutes of the last meetings"), text, []


def _monthly(day, rng, rows, approved_here, missed, designed, typo):
    """(agenda, minutes, decisions) of a monthly meeting."""
    year, month = day.year, day.month
    label = _label(year, month)
    language = "en" if label in ENGLISH_MINUTES else ("both" if rng.random() < 0.1 else "zh")
    c = {
        "rng": rng,
        "day": day,
        "reported": _year_month(_index(year, month) - 1),
        "members": _members_on(day),
        "mines": _mines_on(day),
        "typo": typo,
    }
    weights = np.array([w * (3 if month in months else 1) for _, w, months in TOPICS], float)
    chosen = rng.choice(len(TOPICS), size=3, replace=False, p=weights / weights.sum())
    topics = [
        _approval_section(day, approved_here, missed),
        _topic_production(c),
        *(TOPICS[k][0](c) for k in sorted(chosen)),
        *designed,
    ]
    # a topic's actions are done by their due date when that day has come (done None)
    decided = [(*a, None) if len(a) == 4 else a for *_, actions in topics for a in actions]
    minutes = _compose(
        (f"协会{year}年{month}月例会纪要", f"Monthly meeting, {ENGLISH_MONTHS[month - 1]} {year}"),
        day,
        _location(day),
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
    members, mines = _members_on(day), _mines_on(day)
    level = _levels(year)[4]
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
        (f"协会{_zh_date(day)}临时会议纪要", f"Extraordinary meeting, {_en_date(day)}"),
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
    held, next_day, missed_index = _schedule(today)
    missed = (missed_index, missed_month(today)[1])
    approved = {}
    for day, kind in held:
        following = _next_monthly(day, missed_index)
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
        rows = _attendance(day, kind, rng)
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
                            f"宏达二号井（NJT-02B）采矿许可证将于{_zh_date(expiring_on)}到期。"
                            "会议要求宏达矿业抓紧准备储量核实报告和延续申请材料。",
                            f"NJT-02B's permit ends on {_en_date(expiring_on)}: Hongda Mining is "
                            "to prepare the renewal.",
                        ),
                        [
                            (
                                owner,
                                zh.format(due=_zh_date(renewal_due)),
                                en.format(due=_en_date(renewal_due)),
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
                said = _typo(ore)
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
        location = OFFICE if kind == "general_assembly" else _location(day)
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
            "location": _location(next_day)[0],
            "chair": PRESIDENT[0],
            "agenda": "1. 审议上次会议纪要\n2. 生产情况\n3. 安全与尾矿库\n4. 其他事项",
            "minutes": None,
            "attendance": [],
            "actions": [],
            "approved_on": None,
        }
    )
    return plan, amendment


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
                "body": f"协会将会同都匀市应急管理局于{_zh_date(inspection)}对各选厂尾矿库进行联合"
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
                "body": f"协会出资硬化的牛角塘至摆桑通村公路自{_zh_date(road)}起分段施工，约20天，"
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
                "body": f"丰源锌业通报：丰源锌矿（NJT-10A）将于{_zh_date(face)}在+1000米中段"
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
                "body": f"宏达一号井（NJT-02A）+950米中段自{_zh_date(blasting)}起每日12:00—12:30、"
                "17:30—18:00爆破，爆破前鸣哨三次。相邻的牛角塘二号井（NJT-01B）请在上述时段撤出"
                "靠近两矿共用边界的作业人员。",
                "mine_code": "NJT-02A",
                "effective_on": blasting,
            },
        ),
    ]


def load_meetings(today):
    """Add the demo's meetings with their attendance, approvals, amendment and actions, and the
    notices, through the services; returns their counts."""
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
    return counts
