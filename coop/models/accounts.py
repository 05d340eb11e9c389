"""User accounts and API tokens."""

import hashlib
import secrets

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from coop.extensions import db
from coop.models.base import Audited, one_of

ROLES = ("admin", "president", "operator", "bureau")


class User(Audited, UserMixin, db.Model):
    __tablename__ = "users"
    audit_key = "username"
    audit_redact = ("password_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    enterprise = relationship("Enterprise")
    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user")

    __table_args__ = (
        one_of("role", ROLES, "role"),
        # An operator is bound to exactly one enterprise; no one else is.
        CheckConstraint(
            "(role = 'operator' AND enterprise_id IS NOT NULL)"
            " OR (role <> 'operator' AND enterprise_id IS NULL)",
            name="operator_enterprise",
        ),
    )

    @property
    def is_active(self):
        return self.active

    @staticmethod
    def hash_password(password):
        return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def enterprise_code(self):
        return self.enterprise.code if self.enterprise else None

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


class ApiToken(Audited, db.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"
    audit_redact = ("digest",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def digest_of(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user):
        """Create a token for user; returns (ApiToken, the token text shown once)."""
        token = secrets.token_urlsafe(32)
        return cls(user=user, digest=cls.digest_of(token)), token
