"""The upload form of every import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(_l("Choose a file to import.")),
            # GeoJSON only for record types with a boundary: the importer says which take it.
            FileAllowed(["csv", "xlsx", "geojson", "json"], _l("Use a .csv or .xlsx file.")),
        ],
    )
    submit = SubmitField(_l("Import"))
