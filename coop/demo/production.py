"""The demonstration samples and monthly production (docs/design.md "Production and assays").

Every mine produces every month it may (from the later of its opening and its enterprise's
joining, to its closing, before its suspension): in the DAOA's years 2003-2007, and in the
RECENT_MONTHS full months before the association's today, where a mine also needs a permit of
LEASES in force. Tonnages follow the case study ("from one to three mines, annually extracting
an average of 5,000-10,000 tons", read as tonnes of ore per enterprise), with the Spring
Festival and the rainy season in them; ore processed is within 5 % of ore mined (stockpile).
Grades and recovery improve year by year (LEVELS: the DAOA lowered the tailings grade);
concentrate_t = ore_processed_t * f * R / c, R being the month's two-product recovery less a
loss of 0.4 to 2 points (so the two methods stay well within 5 points of each other); revenue
is the month's price of a tonne of 50 % concentrate (PRICES), paid by grade.

A producing month has a feed, a tailings and a concentrate sample, and a mine a waste sample in
April and October; but for the designed gaps (HISTORIC_GAP, RECENT_GAP), and 2005.

2005 is the year the case study reports (DAOA_2005): 216 samples, pooled means feed 3.48 %,
tailings 0.28 %, waste 0.55 %, and a recovery of 91.25 %, which only the mass balance can give
(the two-product formula with f = 3.48 and t = 0.28 is at least 91.95 %). 216 samples cannot
give the year's 235 producing months a feed and a tailings sample each (that alone is 470):
in 2005 the samples are those of the association's quarterly inspection rounds with the
bureau, each producing mine visited once a quarter (feed and tailings; concentrate in the 2nd
and 4th quarter), and waste dumps sampled on the rounds. The other months of 2005 are producing
months without samples, which the data-quality flags report. The grades are nudged by
hundredths until each pooled mean is exact; each mine's 2005 concentrate_t comes from its 2005
mean grades and a recovery R_m (its two-product recovery less a loss, all shifted so that the
feed-metal-weighted mean is 91.25); one month's concentrate_t then closes the last rounding.

At about 470 lines this module is over the usual size: the generator of the months and the one
that makes 2005 give the case study's figures exactly share their profiles and levels, and read
best together."""

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from coop import registry
from coop.demo.leases import LEASES
from coop.demo.members import ENTERPRISES, MINES
from coop.domain import months as month_rules
from coop.domain.meetings import last_full_months
from coop.domain.recovery import two_product_recovery
from coop.services import tabular
from coop.services.production import save_production

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


def _span(code):
    """(first, end) month indexes a mine may produce in: first included, end excluded."""
    _, enterprise, *_, opened_on, closed_on = next(m for m in MINES if m[0] == code)
    joined_on = next(e[3] for e in ENTERPRISES if e[0] == enterprise)
    start = max(opened_on, joined_on)
    first = month_rules.index_of(start.year, start.month)
    end = 10**6
    if closed_on is not None:
        end = month_rules.index_of(closed_on.year, closed_on.month) + 1
    if code in SUSPENDED_ON:
        end = min(end, month_rules.index_of(SUSPENDED_ON[code].year, SUSPENDED_ON[code].month))
    return first, end


def _permit_in_force(code, year, month):
    """Whether a permit of LEASES is in force in some part of the month (NJT-02B's never ends)."""
    first, last = date(year, month, 1), month_rules.last_day(year, month)
    return any(
        mine == code and valid_from <= last and (valid_to is None or valid_to >= first)
        for _, mine, valid_from, valid_to, *_ in LEASES
    )


def last_full_month(today):
    """(year, month) of the last month wholly before today (the last of the attendance rule's
    last_full_months)."""
    (month,) = last_full_months(today, 1)
    return month_rules.year_month(month)


def producing_months(code, today):
    """The months (year, month) the demo gives production to mine code: the DAOA's years, and
    the RECENT_MONTHS full months before today while a permit is in force."""
    first, end = _span(code)
    last = month_rules.index_of(*last_full_month(today))
    daoa = range(
        month_rules.index_of(DAOA_YEARS[0], 1), month_rules.index_of(DAOA_YEARS[-1], 12) + 1
    )
    recent = range(max(last - RECENT_MONTHS + 1, daoa.stop), last + 1)
    months = [month_rules.at_index(i) for i in daoa if first <= i < end and i <= last]
    months += [
        month_rules.at_index(i)
        for i in recent
        if first <= i < end and _permit_in_force(code, *month_rules.at_index(i))
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


def levels_of(year):
    return LEVELS.get(year, RECENT_LEVELS)


def _grades(profile, year, rng):
    """A month's feed, concentrate and tailings grades (% Zn, 2 decimals)."""
    feed, conc, tail, _waste, _ore = levels_of(year)
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
    factor = levels_of(year)[4] * rng.uniform(0.9, 1.1)
    if month == SPRING_FESTIVAL.get(year, 2):
        factor *= 0.6
    if month in (6, 7):  # the rainy season: pumping underground, mud in the open pits
        factor *= 0.8 if profile["open_pit"] else 0.93
    since = month_rules.index_of(year, month) - first
    if since < 3:  # a new mine's first months
        factor *= (0.45, 0.65, 0.85)[since]
    if code == "NJT-04B" and year == 2005:  # worked out, closing at the end of the year
        factor *= 1 - 0.5 * (month - 1) / 11
    mined = round(profile["ore_t"] * factor, 1)
    return mined, round(mined * rng.uniform(0.95, 1.05), 1)


def price_of(year, month):
    """RMB per tonne of 50 % concentrate in a month: PRICES, linear between its months."""
    months = [month_rules.index_of(int(m[:4]), int(m[5:])) for m, _ in PRICES]
    return float(np.interp(month_rules.index_of(year, month), months, [p for _, p in PRICES]))


def _revenue(concentrate_t, c, year, month, rng):
    amount = concentrate_t * price_of(year, month) * c / 50 * rng.uniform(0.97, 1.03)
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
    recovery = two_product_recovery(f, c, t).value - rng.uniform(0.4, 2.0)
    concentrate = round(processed * f * recovery / (100 * c), 2)
    production = {
        "mine_code": code,
        "month": month_rules.label(year, month),
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
        waste = levels_of(year)[3] * rng.lognormal(0, 0.2)
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
    older = [code for code in months if _span(code)[0] < month_rules.index_of(2005, 1)]
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
        recovery[code] = two_product_recovery(f, c, t).value - rng.uniform(0.5, 2.0)
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
            if (code, month_rules.label(year, month)) == HISTORIC_GAP[:2]:
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
    columns = registry.kind("samples").columns
    rows = [[_cell(sample[name]) for name in columns] for sample in samples]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def load(demo):
    months, samples = production_and_samples(demo.today)
    # As a clerk imports a table: in one go through the bulk path (save_sample row by row
    # where a kind has none), all or nothing.
    tabular.import_table(registry.kind("samples"), sample_frame(samples))
    for values in months:
        save_production(values)
    demo.counts |= {"samples": len(samples), "months of production": len(months)}
