"""Monthly production and assay samples of the mines (docs/design.md "Production and assays")."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.domain.assays import SAMPLE_TYPES
from coop.extensions import db
from coop.models.base import Audited, one_of
from coop.models.members import Mine


class Production(Audited, db.Model):
    """One row per mine per month."""

    __tablename__ = "production"
    audit_key = "key"

    id: Mapped[int] = mapped_column(primary_key=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mines.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    ore_mined_t: Mapped[float | None] = mapped_column(Float)
    ore_processed_t: Mapped[float | None] = mapped_column(Float)
    concentrate_t: Mapped[float | None] = mapped_column(Float)
    revenue_rmb: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    mine: Mapped[Mine] = relationship()

    __table_args__ = (
        UniqueConstraint("mine_id", "month", name="one_row_a_month"),
        CheckConstraint("ore_mined_t IS NULL OR ore_mined_t >= 0", name="ore_mined_positive"),
        CheckConstraint(
            "ore_processed_t IS NULL OR ore_processed_t >= 0", name="ore_processed_positive"
        ),
        CheckConstraint("concentrate_t IS NULL OR concentrate_t >= 0", name="concentrate_positive"),
        CheckConstraint("revenue_rmb IS NULL OR revenue_rmb >= 0", name="revenue_positive"),
    )

    @property
    def mine_code(self):
        return self.mine.code if self.mine else None

    @property
    def enterprise_id(self):
        return self.mine.enterprise_id if self.mine else None

    @property
    def key(self):
        """The natural key: mine code and month, as NJT-01A:2005-03."""
        return f"{self.mine_code}:{self.month}"

    def __repr__(self):
        return f"<Production {self.key}>"


class Sample(Audited, db.Model):
    __tablename__ = "samples"
    audit_key = "sample_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_code: Mapped[str] = mapped_column(String(32), unique=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mines.id"))
    sampled_on: Mapped[date]
    sample_type: Mapped[str] = mapped_column(String(16))
    zn_pct: Mapped[float] = mapped_column(Float)
    pb_pct: Mapped[float | None] = mapped_column(Float)
    lab: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    mine: Mapped[Mine] = relationship()

    __table_args__ = (
        one_of("sample_type", SAMPLE_TYPES, "sample_type"),
        CheckConstraint("zn_pct >= 0 AND zn_pct <= 100", name="zn_pct_range"),
        CheckConstraint("pb_pct IS NULL OR (pb_pct >= 0 AND pb_pct <= 100)", name="pb_pct_range"),
        Index("ix_samples_mine_day", "mine_id", "sampled_on"),
        Index("ix_samples_day", "sampled_on"),
    )

    @property
    def mine_code(self):
        return self.mine.code if self.mine else None

    @property
    def enterprise_id(self):
        return self.mine.enterprise_id if self.mine else None

    def __repr__(self):
        return f"<Sample {self.sample_code}>"
