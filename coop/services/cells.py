"""The cells of the tables people import and export (docs/design.md "Import and export"): a cell as
the text a CSV holds, and text cells neutralised against spreadsheet formula injection on export and
given back on import. The import machinery (coop/services/tabular.py, coop/services/columns.py)
reads every cell through here."""

from datetime import date, datetime

import numpy as np

#: Exported text cells beginning with these are neutralised by a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def neutralise(value):
    """Keep a spreadsheet from reading a text cell as a formula (CSV/formula injection).

    Text that already begins with quotes before such a character gets one more, so that the
    import, which takes one quote off, gives it back unchanged."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _missing(value):
    """None, NaN and pandas's NaT (neither equal to itself): an empty cell."""
    return value is None or value != value


def spreadsheet_text(value):
    """An XLSX cell (as openpyxl reads it: a number, a date, text) as the text a CSV would hold."""
    if _missing(value):
        return ""
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_value(value):
    """A cell as a schema field's input: stripped text; None for an empty cell; a formula
    neutralised on export without its quote."""
    if _missing(value):
        return None
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text:
        return None
    if text[0] == "'" and text.lstrip("'")[:1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def column_values(series):
    """cell_value of every cell of a column, as an object array (None where empty); written for
    speed over 100,000 cells, the same as cell_value of each."""
    texts = [
        cell.strip() if type(cell) is str else "" if _missing(cell) else str(cell).strip()
        for cell in series.to_numpy(dtype=object)
    ]
    if any(text[:1] == "'" for text in texts):
        texts = [cell_value(text) or "" for text in texts]
    values = np.array(texts, dtype=object)
    values[values == ""] = None
    return values
