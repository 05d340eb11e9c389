"""Import and export of any registered record type as CSV or XLSX (DOMAIN.md "Import and export").

An import is all or nothing: every row is parsed and checked, every bad row is reported with its
line (the header is line 1), column and reason, and if there is one, nothing is written."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import marshmallow as ma
import pandas as pd
from flask_babel import gettext as _

from coop import policy
from coop.extensions import db
from coop.schemas.base import plain_errors
from coop.services.errors import ImportFailed, RecordInvalid

FORMATS = ("csv", "xlsx")
FORMULA_PREFIXES = ("=", "+", "-", "@")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows whose record already held exactly these values


def format_of(filename):
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ImportFailed([(None, None, _("Use a .csv or .xlsx file."))])
    return suffix


def _cell_text(value):
    """An XLSX cell as the text a CSV would hold."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(stream, filename):
    """Read an uploaded CSV (UTF-8, a BOM accepted) or XLSX into a frame of text cells."""
    fmt = format_of(filename)
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
            frame = pd.read_excel(stream, dtype=object, engine="openpyxl").map(_cell_text)
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


def _cell_value(text):
    """A cell as a schema field's input: blank is None; a neutralised formula loses its quote."""
    text = text.strip()
    if not text:
        return None
    if text[0] == "'" and text.lstrip("'")[:1] in FORMULA_PREFIXES:
        return text[1:]
    return text


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
    values = {}
    for name, field in kind.schema._declared_fields.items():
        if field.dump_only:
            continue
        value = _cell_value(row[name])
        if value is None and field.load_default is not ma.missing:
            continue  # let the field's default apply
        values[name] = value
    return values


def import_table(kind, frame, user=None):
    """Create or update (by natural key) one record per row; all or nothing.

    user None is the command line, which may write everything; otherwise policy decides per row."""
    _check_headers(kind, frame)
    problems, summary, seen = [], ImportSummary(), {}
    schema = kind.schema()
    with db.session.begin_nested() as outer:
        for index, row in enumerate(frame.to_dict("records")):
            line = index + 2  # the header is line 1
            try:
                values = schema.load(_row_values(kind, row))
            except ma.ValidationError as error:
                for column, messages in plain_errors(error.messages).items():
                    problems.extend((line, column, m) for m in messages)
                continue
            key = values[kind.key]
            if key in seen:
                problems.append(
                    (
                        line,
                        kind.key,
                        _("%(key)s is already on line %(line)s.", key=key, line=seen[key]),
                    )
                )
                continue
            seen[key] = line
            record = kind.get(key)
            if user is not None and not (
                policy.can_write(user, kind.name, kind.owner_of(record) if record else None)
                and policy.can_write(user, kind.name, kind.owner_of_values(values))
            ):
                problems.append((line, kind.key, _("you may not write this record.")))
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
            raise ImportFailed(problems)
    return summary


def neutralise(value):
    """Keep a spreadsheet from reading a text cell as a formula (CSV/formula injection).

    Text that already begins with quotes before such a character gets one more, so that the
    import, which takes one quote off, gives it back unchanged."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_frame(kind, records):
    rows = kind.schema(many=True).dump(records)
    frame = pd.DataFrame(rows, columns=kind.columns)
    return frame.map(neutralise).astype(object).where(frame.notna(), None)


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


def template_frame(kind):
    return pd.DataFrame(columns=kind.columns)
