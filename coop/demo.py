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
assays" below for the design, and DAOA_2005 for the year the case study reports."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from coop import clock
from coop.services import accounts, registry, tabular
from coop.services.leases import save_dispute, save_lease
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
