"""Import and export of any registered record type as CSV or XLSX (docs/design.md "Import and
export").

An import is all or nothing: every row is parsed and checked, every bad row is reported with its
line (the header is line 1), column and reason, and if there is one, nothing is written."""

import io
import json
from dataclasses import dataclass
from pathlib import PurePath

import marshmallow as ma
import pandas as pd
from flask_babel import gettext as _

from coop import policy
from coop.extensions import db
from coop.services.cells import cell_value, neutralise, spreadsheet_text
from coop.services.errors import ImportFailed, RecordInvalid
from coop.services.owners import refusal
from coop.services.records import every_problem

FORMATS = ("csv", "xlsx")
GEOJSON = "geojson"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    GEOJSON: "application/geo+json",
}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows whose record already held exactly these values


def formats(kind=None):
    """The file formats of a kind: CSV and XLSX, and GeoJSON for kinds with a geometry."""
    return (*FORMATS, GEOJSON) if kind is not None and kind.geometry_field else FORMATS


def format_of(filename, kind=None):
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix == "json":
        suffix = GEOJSON
    if suffix not in formats(kind):
        if GEOJSON in formats(kind):
            raise ImportFailed([(None, None, _("Use a .csv, .xlsx or .geojson file."))])
        raise ImportFailed([(None, None, _("Use a .csv or .xlsx file."))])
    return suffix


def read_table(stream, filename, kind=None):
    """Read an uploaded CSV (UTF-8, a BOM accepted) or XLSX, or for a kind with a geometry a
    GeoJSON FeatureCollection, into a frame of text cells."""
    fmt = format_of(filename, kind)
    if fmt == GEOJSON:
        return read_geojson(stream, kind)
    try:
        if fmt == "csv":
            frame = pd.read_csv(
                stream,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skip_blank_lines=True,
            )
        else:
            frame = pd.read_excel(stream, dtype=object, engine="openpyxl").map(spreadsheet_text)
    except UnicodeDecodeError:
        raise ImportFailed([(None, None, _("The CSV file is not UTF-8 text."))]) from None
    except pd.errors.EmptyDataError:
        raise ImportFailed([(1, None, _("The file is empty: it has no header row."))]) from None
    except Exception as error:  # pandas and openpyxl raise many kinds for a damaged file
        raise ImportFailed(
            [(None, None, _("The file cannot be read: %(reason)s", reason=str(error)))]
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _property_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _legacy_crs(collection):
    """The CRS named by a FeatureCollection's "crs" member (GeoJSON 2008, which QGIS and GDAL
    still write for CRSs other than lon/lat WGS84), or None."""
    member = collection.get("crs")
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        name = member["properties"].get("name")
        return name if isinstance(name, str) else None
    return None


def read_geojson(stream, kind):
    """A GeoJSON FeatureCollection as a frame: one row a feature, its properties the columns (those
    that are not columns are ignored: GIS programs add their own), its geometry the kind's geometry
    field as GeoJSON text. A feature without a crs property takes the collection's "crs" member,
    else lon/lat. Rows are numbered by feature, from 1."""
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFailed([(None, None, _("The GeoJSON file is not UTF-8 text."))]) from None
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [
                (
                    None,
                    None,
                    _(
                        "The file is not valid JSON (line %(line)s, column %(column)s).",
                        line=error.lineno,
                        column=error.colno,
                    ),
                )
            ]
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFailed([(None, None, _("The file is not a GeoJSON FeatureCollection."))])
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFailed([(None, None, _("The FeatureCollection has no list of features."))])
    columns, geometry_field = kind.columns, kind.geometry_field
    default_crs = _legacy_crs(data)
    rows, problems = [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append((number, None, _("is not a GeoJSON Feature.")))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.append((number, None, _("its properties are not an object.")))
            continue
        row = {name: _property_text(properties.get(name)) for name in columns}
        geometry = feature.get("geometry")
        row[geometry_field] = "" if geometry is None else json.dumps(geometry)
        if "crs" in row and not row["crs"] and default_crs:
            row["crs"] = default_crs
        rows.append(row)
    if problems:
        raise ImportFailed(problems, unit="feature")
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.attrs.update(first_line=1, unit="feature")
    return frame


def _check_headers(kind, frame):
    problems = []
    columns = kind.columns
    for name in frame.columns:
        if name not in columns:
            problems.append((1, name, _("is not a column of %(kind)s.", kind=kind.name)))
    for name in columns:
        if name not in frame.columns:
            problems.append((1, name, _("is missing from the header row.")))
    if problems:
        raise ImportFailed(problems)


def _row_values(kind, row):
    """A row's cells as the kind's schema takes them: text, an empty cell blank (which the
    schema reads as no value, as it reads a form's empty box)."""
    return {name: cell_value(row[name]) or "" for name in kind.columns}


def _refused(kind, user, record, values):
    """(column, reason) when user may not write a row (None when they may): at the owner's
    column when the row names another's (its mine), else at the key when the stored record is
    another's (the columns the samples' bulk path names too). user None is the command line."""
    if user is None:
        return None
    owner = kind.owner.of_values(values)
    if not policy.can_write(user, kind, owner):
        column = kind.owner.field or kind.key_column
        return column, refusal(user, values.get(column), owner)
    if record is not None and not policy.can_write(user, kind, kind.owner.of(record)):
        key = kind.key_of(values)
        return kind.key_column, refusal(user, key, kind.owner.of(record))
    return None


def import_table(kind, frame, user=None):
    """Create or update (by natural key) one record per row; all or nothing: ImportFailed says
    every problem, with its line, column, the cell as given and the reason.

    user None is the command line, which may write everything; otherwise policy decides per row.
    A kind with a bulk_import (samples) imports the whole table with it instead."""
    try:
        _check_headers(kind, frame)
        if kind.bulk_import is not None:
            from coop.registry import resolve

            return resolve(kind.bulk_import)(kind, frame, user)
        return _import_rows(kind, frame, user)
    except ImportFailed as error:
        raise error.take_values(frame) from None


def _import_rows(kind, frame, user):
    problems, summary, seen = [], ImportSummary(), {}
    first_line = frame.attrs.get("first_line", 2)  # a table's header is line 1
    schema = kind.schema()
    with db.session.begin_nested() as outer:
        for index, row in enumerate(frame.to_dict("records")):
            line = index + first_line
            try:
                values = schema.load(_row_values(kind, row))
            except ma.ValidationError as error:
                for column, messages in every_problem(error, kind.check).errors.items():
                    problems.extend((line, column, m) for m in messages)
                continue
            key = kind.key_of(values)
            if key is not None and key in seen:
                problems.append(
                    (
                        line,
                        kind.key_column,
                        _("%(key)s is already on line %(line)s.", key=key, line=seen[key]),
                    )
                )
                continue
            seen[key] = line
            record = kind.existing(values)
            refused = _refused(kind, user, record, values)
            if refused is not None:
                problems.append((line, *refused))
                continue
            before = schema.dump(record) if record is not None else None
            try:
                with db.session.begin_nested():
                    kind.save(values, record)
            except RecordInvalid as error:
                for column, messages in error.errors.items():
                    problems.extend((line, column, str(m)) for m in messages)
                continue
            if record is None:
                summary.created += 1
            elif schema.dump(record) == before:
                summary.unchanged += 1
            else:
                summary.updated += 1
        if problems:
            outer.rollback()
            raise ImportFailed(problems, unit=frame.attrs.get("unit", "line"))
    return summary


def _cell(value):
    """A dumped value as a table cell: a GeoJSON object as its text, text neutralised."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(value)


def export_frame(kind, records):
    rows = kind.schema(many=True).dump(records)
    frame = pd.DataFrame(rows, columns=kind.columns)
    return frame.map(_cell).astype(object).where(frame.notna(), None)


def export_geojson(kind, records):
    """A FeatureCollection (RFC 7946, lon/lat) of records: the geometry field as each feature's
    geometry, the other columns as its properties. It imports back unchanged."""
    rows = kind.schema(many=True).dump(records)
    features = [
        {
            "type": "Feature",
            "id": row[kind.key],
            "geometry": row[kind.geometry_field],
            "properties": {
                name: row.get(name) for name in kind.columns if name != kind.geometry_field
            },
        }
        for row in rows
    ]
    collection = {"type": "FeatureCollection", "name": kind.name, "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def to_bytes(frame, fmt, sheet_name="data"):
    """The frame as a CSV (UTF-8 with a BOM, so that Excel reads Chinese) or XLSX file."""
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    else:
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet_name[:31])
            sheet = writer.sheets[sheet_name[:31]]
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return buffer.getvalue()


def export_bytes(kind, records, fmt):
    """records of kind as a file in fmt (csv, xlsx or geojson)."""
    if fmt == GEOJSON:
        return export_geojson(kind, records)
    return to_bytes(export_frame(kind, records), fmt, kind.name)


def template_frame(kind):
    return pd.DataFrame(columns=kind.columns)
