"""The demonstration association, modelled on the DAOA case study (Niujiaotang, Duyun, Guizhou):
each domain's part is a module of this package, named by its manifest (Domain.demo,
coop/registry.py), and loaded here in the order of coop.DOMAINS through the services, as a clerk
would enter it:

- members (coop.demo.members): thirteen member enterprises with their twenty zinc mines;
- accounts (coop.demo.accounts): one account of each role;
- leases (coop.demo.leases): a lease for every mine, one designed overlap under mediation, a
  resolved dispute, one permit about to expire;
- production (coop.demo.production): samples and monthly production of 2003-2007, 2005 giving
  the case study's figures exactly, and of the last 24 full months, with designed gaps;
- meetings (coop.demo.meetings, with calendar, minutes and topics): monthly meetings with one
  designed gap, general assemblies and extraordinary meetings, attendance with one member under
  75 %, minutes in Chinese and English, actions and notices.

Everything follows the association's today (coop.clock): the demo looks the same whatever day
it is loaded, relative to that day."""

from dataclasses import dataclass, field
from datetime import date

from coop import clock, registry


@dataclass
class Demo:
    """What every domain's loader is given: the day the demo is loaded for, and the counts of
    what was added, which loaders add to."""

    today: date
    counts: dict = field(default_factory=dict)


def load(skip=()):
    """Add the demo association; the caller commits. Returns counts of what was added.

    skip names domains whose part to leave out (tests of the rest leave out "production", its
    samples and months of production, and load in a fraction of the time)."""
    demo = Demo(clock.today())
    for domain in registry.domains():
        if domain.demo and domain.name not in skip:
            registry.resolve(domain.demo)(demo)
    return demo.counts
