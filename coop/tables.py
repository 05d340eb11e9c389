"""The columns of a list page's table (_macros/tables.html): what each is called, whether the
list sorts by it, and whether it folds into its row on a phone. A page declares its columns
once, as a dict of column(...), and writes each cell as <td{{ cols.name.cell }}>: the header,
the sort links and the phone's labels follow from the declaration."""

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Column:
    label: str
    # The name of the kind's sort (Kind.sorts) its header sorts by; None: not sortable.
    sort: str | None = None
    # A secondary column: on a phone, its cells go under the row's key cells, labelled.
    fold: bool = False
    # Right-aligned on a wide screen (numbers).
    end: bool = False
    # Other classes of its cells (text-nowrap, ...).
    classes: str = ""

    @property
    def css(self):
        return " ".join(
            x
            for x in ("fold" if self.fold else "", "text-end" if self.end else "", self.classes)
            if x
        )

    @property
    def cell(self):
        """The attributes of the column's <td>: its classes and its label for a phone."""
        if self.css:
            return Markup(' class="{}" data-label="{}"').format(self.css, self.label)
        return Markup(' data-label="{}"').format(self.label)


def column(label, sort=None, fold=False, end=False, classes=""):
    return Column(str(label), sort, fold, end, classes)


def next_sort(current, name):
    """The sort a column's header asks for: ascending first, then the other way round."""
    return f"-{name}" if current == name else name


def init_app(app):
    from coop import registry

    app.jinja_env.globals.update(column=column, next_sort=next_sort, record_kind=registry.kind)
