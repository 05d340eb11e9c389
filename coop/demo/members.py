"""The demonstration association's members, modelled on the DAOA case study (Niujiaotang, Duyun,
Guizhou): thirteen member enterprises, eleven founding members from 1999 and two that joined
later, each with one to three zinc mines."""

from datetime import date

from coop.services.members import save_enterprise, save_mine

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


def load(demo):
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
    demo.counts |= {"enterprises": len(ENTERPRISES), "mines": len(MINES)}
