"""Notices between members (docs/design.md "Meetings": "other mine owners will be notified
quickly"): posting one, and who has read which. Flush, never commit: the caller commits."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coop.extensions import db
from coop.models import Notice, NoticeRead
from coop.services.members import take_mine
from coop.services.records import apply


def save_notice(values, notice=None, author=None):
    """Post a notice (notice None, by author) or change one."""
    values = dict(values)
    take_mine(values)
    if notice is None:
        notice = Notice(author_id=author.id)
    return apply(notice, values)


def _unread(user):
    read = db.select(NoticeRead.notice_id).where(NoticeRead.user_id == user.id)
    return Notice.id.not_in(read), Notice.author_id != user.id


def unread_notices(user, limit=None):
    """Notices user has not read and did not post, the newest first."""
    query = (
        db.select(Notice)
        .where(*_unread(user))
        .options(joinedload(Notice.author), joinedload(Notice.mine))
        .order_by(Notice.posted_at.desc(), Notice.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def notices_about(mine, limit=None):
    """The notices about a mine, the newest first."""
    query = (
        db.select(Notice)
        .where(Notice.mine_id == mine.id)
        .options(joinedload(Notice.author))
        .order_by(Notice.posted_at.desc(), Notice.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).scalars().all()


def count_unread(user):
    return db.session.scalar(db.select(db.func.count(Notice.id)).where(*_unread(user)))


def mark_read(user, notices):
    """Record that user has read notices (those already read are left as they are)."""
    ids = {n.id for n in notices}
    if not ids:
        return
    done = set(
        db.session.execute(
            db.select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
            )
        ).scalars()
    )
    for notice_id in sorted(ids - done):
        try:
            with db.session.begin_nested():
                db.session.add(NoticeRead(notice_id=notice_id, user_id=user.id))
        except IntegrityError:
            pass  # read at the same moment in another request: read all the same


def read_ids(user, notices):
    ids = [n.id for n in notices]
    if not ids:
        return set()
    return set(
        db.session.execute(
            db.select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
            )
        ).scalars()
    )
