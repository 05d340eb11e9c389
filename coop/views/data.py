"""Import and export pages for every exchanged record kind (coop/registry.py). pandas, which the
import and export machinery uses, loads with the first of these pages."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coop import policy, registry
from coop.extensions import db
from coop.forms.data import ImportForm
from coop.services.errors import ImportFailed
from coop.views.helpers import list_args

bp = Blueprint("data", __name__, url_prefix="/data")


@bp.before_request
@login_required
def signed_in():
    pass


def kind_or_404(name):
    kind = registry.exchanged().get(name)
    if kind is None:
        abort(404)
    return kind


def download(content, fmt, stem):
    from coop.services import tabular

    return Response(
        content,
        content_type=tabular.MEDIA_TYPES[fmt],  # as is: mimetype= would add a charset again
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


@bp.get("/")
def index():
    kinds = [k for k in registry.exchanged().values() if policy.can_read(current_user, k)]
    return render_template("data/index.html", kinds=kinds)


@bp.get("/<kind>/export.<fmt>")
def export(kind, fmt):
    from coop.services import tabular

    kind = kind_or_404(kind)
    if fmt not in tabular.formats(kind):
        abort(404)
    policy.require(policy.can_read(current_user, kind))
    # The list as its page shows it: the same filters and sort, every page of it.
    _, filters = list_args(kind)
    records = db.session.execute(kind.select(current_user, filters)).scalars().all()
    return download(tabular.export_bytes(kind, records, fmt), fmt, kind.name)


@bp.get("/<kind>/template.<fmt>")
def template(kind, fmt):
    from coop.services import tabular

    kind = kind_or_404(kind)
    if fmt not in tabular.FORMATS:
        abort(404)
    content = tabular.to_bytes(tabular.template_frame(kind), fmt, kind.name)
    return download(content, fmt, f"{kind.name}-template")


@bp.route("/<kind>/import", methods=["GET", "POST"])
def import_(kind):
    from coop.services import tabular

    kind = kind_or_404(kind)
    policy.require(policy.can_write(current_user, kind))
    form = ImportForm()
    if tabular.GEOJSON in tabular.formats(kind):
        form.file.label.text = _("CSV, XLSX or GeoJSON file")
    problems, unit = [], "line"
    if form.validate_on_submit():
        upload = form.file.data
        try:
            frame = tabular.read_table(upload.stream, upload.filename, kind)
            summary = tabular.import_table(kind, frame, current_user)
        except ImportFailed as error:
            db.session.rollback()
            problems, unit = error.entries(), error.unit
        else:
            db.session.commit()
            message = _(
                "%(kind)s imported: %(created)s created, %(updated)s updated.",
                kind=kind.label,
                created=summary.created,
                updated=summary.updated,
            )
            if summary.unchanged:
                message += " " + _("%(unchanged)s already up to date.", unchanged=summary.unchanged)
            flash(message, "success")
            return redirect(url_for(".import_", kind=kind.name))
    status = 400 if problems or form.errors else 200
    return render_template(
        "data/import.html",
        kind=kind,
        form=form,
        problems=problems,
        unit=unit,
        formats=tabular.formats(kind),
    ), status
