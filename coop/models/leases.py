"""Mining leases with their boundaries, and boundary disputes between them (docs/design.md
"Leases")."""

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, case, exists
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from coop.domain import leases as rules
from coop.extensions import db
from coop.models.base import Audited, one_of
from coop.models.members import Mine

DISPUTE_STATUSES = ("open", "mediating", "resolved")


@lru_cache(maxsize=4096)
def _geometry(boundary):
    from coop.domain.boundaries import load_geometry  # shapely, only where a geometry is needed

    return load_geometry(boundary)


class Lease(Audited, db.Model):
    __tablename__ = "leases"
    audit_key = "permit_no"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_no: Mapped[str] = mapped_column(String(32), unique=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mines.id"), index=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    # GeoJSON Polygon or MultiPolygon in lon/lat, as coop.domain.boundaries.parse_boundary gives
    # it.
    boundary: Mapped[str] = mapped_column(Text)
    # The CRS of the stored lon/lat: EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84).
    crs: Mapped[str] = mapped_column(String(16), default=rules.DEFAULT_CRS)
    # The boundary as it was entered (a permit's corner table, GeoJSON or WKT) and the CRS it
    # was entered in, so that its page shows the corners as the permit prints them; None for
    # leases saved before they were kept.
    boundary_as_entered: Mapped[str | None] = mapped_column(Text)
    crs_as_entered: Mapped[str | None] = mapped_column(String(16))
    elevation_top_m: Mapped[float | None] = mapped_column(Float)
    elevation_bottom_m: Mapped[float | None] = mapped_column(Float)
    # Derived from the boundary when it is saved (geodesic, GRS80), kept for lists and sums.
    area_m2: Mapped[float] = mapped_column(Float)

    mine: Mapped[Mine] = relationship(back_populates="leases")

    __table_args__ = (
        CheckConstraint("valid_to >= valid_from", name="valid_to_after_from"),
        CheckConstraint(
            "elevation_top_m IS NULL OR elevation_bottom_m IS NULL "
            "OR elevation_bottom_m < elevation_top_m",
            name="bottom_below_top",
        ),
        CheckConstraint("area_m2 > 0", name="area_positive"),
    )

    @property
    def mine_code(self):
        return self.mine.code if self.mine else None

    @property
    def enterprise_id(self):
        return self.mine.enterprise_id if self.mine else None

    @property
    def area_mu(self):
        return rules.area_mu(self.area_m2)

    @property
    def area_ha(self):
        return rules.area_ha(self.area_m2)

    @property
    def area_km2(self):
        return rules.area_km2(self.area_m2)

    @property
    def geometry(self):
        """The boundary as a shapely geometry (lon/lat)."""
        return _geometry(self.boundary) if self.boundary else None

    def extent(self):
        """What the overlap rules need (coop.domain.overlap.LeaseExtent)."""
        from coop.domain.overlap import LeaseExtent

        return LeaseExtent(
            self.permit_no,
            self.geometry,
            self.valid_from,
            self.valid_to,
            self.elevation_top_m,
            self.elevation_bottom_m,
        )

    def days_to_expiry(self, today):
        return rules.days_to_expiry(self.valid_to, today)

    @property
    def renewed(self):
        """Whether a later lease of the same mine follows this one (coop.domain.leases)."""
        others = [lease.valid_to for lease in self.mine.leases if lease is not self]
        return rules.is_renewed(self.valid_to, others)

    def state(self, day, ending_within=rules.ENDING_WITHIN_DAYS):
        """The lease's state on day: coop.domain.leases.lease_state."""
        return rules.lease_state(self.valid_from, self.valid_to, day, self.renewed, ending_within)

    @classmethod
    def valid_during(cls, start, end):
        """SQL for coop.domain.leases.periods_overlap of a lease and Period(start, end): valid
        on some day from start to end (None: no bound)."""
        conditions = []
        if end is not None:
            conditions.append(cls.valid_from <= end)
        if start is not None:
            conditions.append(cls.valid_to >= start)
        return db.and_(db.true(), *conditions)

    @classmethod
    def renewed_sql(cls):
        """SQL for Lease.renewed: another lease of the mine ends later."""
        later = aliased(Lease)
        return exists().where(later.mine_id == cls.mine_id, later.valid_to > cls.valid_to)

    @classmethod
    def state_on(cls, day, ending_within=rules.ENDING_WITHIN_DAYS):
        """SQL for Lease.state (coop.domain.leases.lease_state): the state's name."""
        return case(
            (cls.valid_from > day, rules.NOT_YET_VALID),
            (cls.valid_to < day, rules.EXPIRED),
            (cls.renewed_sql(), rules.RENEWED),
            (cls.valid_to <= day + timedelta(days=ending_within), rules.ENDING),
            else_=rules.VALID,
        )

    def __repr__(self):
        return f"<Lease {self.permit_no}>"


class Dispute(Audited, db.Model):
    __tablename__ = "disputes"
    audit_key = "ref"
    audit_names = {"first_lease_id": "lease_a", "second_lease_id": "lease_b"}

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    opened_on: Mapped[date]
    first_lease_id: Mapped[int] = mapped_column(ForeignKey("leases.id"), index=True)
    second_lease_id: Mapped[int] = mapped_column(ForeignKey("leases.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_on: Mapped[date | None]
    resolution: Mapped[str | None] = mapped_column(Text)

    first_lease: Mapped[Lease] = relationship(foreign_keys=[first_lease_id])
    second_lease: Mapped[Lease] = relationship(foreign_keys=[second_lease_id])

    __table_args__ = (
        one_of("status", DISPUTE_STATUSES, "status"),
        CheckConstraint("first_lease_id <> second_lease_id", name="two_leases"),
        CheckConstraint(
            "status <> 'resolved' OR resolved_on IS NOT NULL", name="resolved_has_date"
        ),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= opened_on", name="resolved_after"),
    )

    @property
    def lease_a(self):
        return self.first_lease.permit_no if self.first_lease else None

    @property
    def lease_b(self):
        return self.second_lease.permit_no if self.second_lease else None

    @property
    def leases(self):
        return [lease for lease in (self.first_lease, self.second_lease) if lease is not None]

    @property
    def enterprise_ids(self):
        return frozenset(lease.enterprise_id for lease in self.leases)

    def __repr__(self):
        return f"<Dispute {self.ref}>"
