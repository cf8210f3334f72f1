"""Office files (XLSX, DOCX) with the same bytes for the same inputs: zip entries and properties stamped with the
report's time, not the clock's."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def naive_utc(when: dt.datetime) -> dt.datetime:
    """A time as the naive UTC value Office properties store."""
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry stamped `when`, so the file does not change with the clock."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
