"""The demonstration leases and boundary disputes (docs/design.md "Leases"). Every mine has a lease:
the twenty lie in a cluster of about 7 km by 4.5 km around 107.40-107.47 E, 26.16-26.20 N, each
enterprise's mines side by side. Their boundaries are entered as the permits print them:
corner-point tables in CGCS2000 Gauss-Kruger zone 36 (EPSG:4524, Y with the zone prefix 36; three in
EPSG:4545, without it) and two in CGCS2000 longitude and latitude (EPSG:4490, one in D°M'S", one in
decimal degrees). Some mines have expired permits before the one in force; a renewal keeps the
boundary and starts the day after its predecessor ends. The closed mine's only permit ended with its
closure. Designed for the demonstration:

- one overlap: NJT-10A's permit puts its corner 6 about 25 m inside NJT-09A's lease (a wedge of
  about 4,375 m2, at overlapping elevations), the one conflict the overlap scan reports, under
  mediation by the association (dispute NJT-JF-2024-01);
- leases that only share an edge, which do not conflict: NJT-01B and NJT-02A (two enterprises),
  NJT-06A and NJT-07A (scene of the resolved dispute NJT-JF-2015-02 about a drift driven across
  that edge), and the three leases of DY01;
- one permit about to expire: NJT-02B's ends EXPIRING_IN_DAYS after the association's today
  (coop.clock), whatever day the demo is loaded; every other permit in force ends in 2031 or
  later.

Most of this module is the permits' corner tables (BOUNDARIES)."""

from datetime import date, timedelta

from coop.services.leases import save_dispute, save_lease

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


def load(demo):
    expiring_on = demo.today + timedelta(days=EXPIRING_IN_DAYS)
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
    demo.counts |= {"leases": len(LEASES), "disputes": len(DISPUTES)}
