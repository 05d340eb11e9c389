"""What a person reads for docs/design.md's coded values, in their language. Each domain declares
its vocabularies ({value: label}, coop/registry.py), which templates read as name_label(value)
(mine_status_label(mine.status)); a record type's label is its kind's (record_type_label); a
list page's filter offers its filter schema's values (filter_options, _macros/filters.html)."""

from functools import partial


def label(labels, value):
    """The label of a coded value (the value itself when it has none; "" for None)."""
    return labels.get(value, value) if value is not None else ""


def choices(labels):
    """Select options for a field of coded values."""
    from coop.forms.base import select_choices

    return select_choices(labels.items())


def filter_options(filters, field):
    """The options of a list page's filter of coded values, [(value, label)] in order: those of
    a filter schema (filters, or the filters of the kind named filters: those its API list
    takes too)."""
    from coop import registry

    if isinstance(filters, str):
        filters = registry.kind(filters).filters
    return list(filters._declared_fields[field].metadata["labels"].items())


def init_app(app):
    from coop import registry

    app.jinja_env.globals.update(
        {
            f"{name}_label": partial(label, labels)
            for name, labels in registry.vocabularies().items()
        }
    )
    record_types = registry.record_type_labels()
    app.jinja_env.globals["record_type_label"] = partial(label, record_types)
    app.jinja_env.globals["title"] = registry.title
    app.jinja_env.globals["abilities"] = registry.abilities
    app.jinja_env.globals["mine_lists"] = registry.mine_lists
    app.jinja_env.globals["filter_options"] = filter_options
