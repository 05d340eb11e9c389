"""Generating the keys a new record leaves empty (coop.domain.refs), for every kind whose key
field says how (its metadata's generated RefFormat): the form, the API and imports all save
through the kind's save function, which calls save_new."""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from coop.domain.refs import next_ref, random_ref, ref_prefix
from coop.extensions import db
from coop.services.errors import Conflict
from coop.services.records import apply

#: Tries before giving up when other writers keep taking the key generated (or, unguessable,
#: the random draws keep meeting taken codes).
ATTEMPTS = 5


def generated_fields(schema):
    """{field name: RefFormat} of a schema's keys that are generated when left empty."""
    return {
        name: field.metadata["generated"]
        for name, field in schema._declared_fields.items()
        if field.metadata.get("generated") is not None
    }


def generate_ref(model, name, fmt, values):
    """A free key of model's column name for a record of values (fmt: coop.domain.refs)."""
    column = getattr(model, name)
    prefix = ref_prefix(fmt, values)
    if fmt.unguessable:
        for _attempt in range(ATTEMPTS):
            key = random_ref(fmt, prefix)
            if not db.session.execute(db.select(column).where(column == key)).first():
                return key
        raise Conflict({name: [_("no free reference could be generated; try again.")]})
    taken = db.session.execute(
        db.select(column).where(column.startswith(prefix, autoescape=True))
    ).scalars()
    return next_ref(fmt, prefix, taken)


def save_new(schema, model, values, named=None):
    """apply() a new record of model whose generated keys (generated_fields) values leave
    empty: each the next free one, made of named (default: values; the fields as given, before a
    service turned codes into ids). Should another writer take the same key between the lookup
    and the insert, the unique constraint refuses it and the next one is taken."""
    missing = {name: fmt for name, fmt in generated_fields(schema).items() if not values.get(name)}
    if not missing:
        return apply(model(), values)
    for _attempt in range(ATTEMPTS):
        for name, fmt in missing.items():
            values[name] = generate_ref(model, name, fmt, named or values)
        try:
            with db.session.begin_nested():
                return apply(model(), values)
        except IntegrityError:
            taken = [
                name
                for name in missing
                if db.session.execute(
                    db.select(model.id).where(getattr(model, name) == values[name])
                ).first()
            ]
            if not taken:
                raise
    raise Conflict(
        {name: [_("no free reference could be generated; try again.")] for name in missing}
    )
