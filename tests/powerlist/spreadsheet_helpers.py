"""Building workbooks in tests, the way clerks' real files look."""

import io

from openpyxl import Workbook, load_workbook

from powerlist.catalogue.spreadsheets.columns import HEADERS


def xlsx(rows, *, title=None, headers=HEADERS, blank_rows_before_header=0):
    """An .xlsx as bytes: an optional merged title row, blank rows, the header, `rows`
    (dicts by header, or lists in header order)."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for _ in range(blank_rows_before_header):
        sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(h) for h in HEADERS]
        sheet.append(list(row) if row else [None])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def row(code, name="企业投资项目核准", category="行政许可", cells=None):
    """A valid row dict for the 投资处 of the org fixture; `cells` override by header."""
    data = {"事项编码": code, "事项名称": name, "职权类别": category, "内部负责机构": "投资处",
            "法定时限(工作日)": 20, "承诺时限(工作日)": 10}
    data.update(cells or {})
    return data


def read_sheet(content, sheet=0):
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.worksheets[sheet]
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]


# --- the older formats departments still keep: .ods and .xls, written by hand ----------
# No writer for them ships with the project (exports stay .xlsx); these write the
# smallest files that Excel, WPS and LibreOffice also open, so the import's reading of
# the formats is tested on real bytes. Cells: str (several lines allowed), int, float or None.


def _sheet_rows(rows, title, headers):
    grid = [[title]] if title else []
    grid.append(list(headers))
    for row in rows:
        grid.append([row.get(h) for h in HEADERS] if isinstance(row, dict) else list(row or []))
    return grid


def ods(rows, *, title=None, headers=HEADERS, merge_title=True):
    """An OpenDocument spreadsheet (.ods) as bytes, laid out as xlsx() lays it out."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value, span=1):
        spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        if value is None:
            return f"<table:table-cell{spanned}/>"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (f'<table:table-cell{spanned} office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell{spanned} office:value-type="string">{paragraphs}</table:table-cell>'

    body = []
    for number, values in enumerate(_sheet_rows(rows, title, headers)):
        if number == 0 and title and merge_title:
            covered = "<table:covered-table-cell/>" * (len(headers) - 1)
            body.append(f"<table:table-row>{cell(title, len(headers))}{covered}</table:table-row>")
        else:
            body.append("<table:table-row>" + "".join(cell(v) for v in values) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="权力事项">'
        + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return stream.getvalue()


def _record(kind, data=b""):
    import struct

    return struct.pack("<HH", kind, len(data)) + data


def _biff_string(text, *, short=False):
    """A BIFF8 unicode string: character count (one byte for sheet names), then
    UTF-16LE (flag 1)."""
    import struct

    encoded = text.encode("utf-16-le")
    return struct.pack("<B" if short else "<H", len(text)) + b"\x01" + encoded


def xls(rows, *, title=None, headers=HEADERS, merge_title=True, encrypted=False):
    """An Excel 97–2003 workbook (.xls: BIFF8 records in an OLE compound file) as
    bytes, laid out as xlsx() lays it out: one sheet, LABEL and NUMBER cells, the
    title merged over the header's width. `encrypted`: marked as protected by an
    opening password (a FILEPASS record), as such files are."""
    import struct

    grid = _sheet_rows(rows, title, headers)
    sheet = [_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)),  # BOF: worksheet
             _record(0x0200, struct.pack("<IIHHH", 0, len(grid), 0, len(headers), 0))]  # DIMENSIONS
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))  # NUMBER
            else:
                sheet.append(_record(0x0204, struct.pack("<HHH", r, c, 0) + _biff_string(str(value))))  # LABEL
    if title and merge_title:
        sheet.append(_record(0x00E5, struct.pack("<HHHHH", 1, 0, 0, 0, len(headers) - 1)))  # MERGEDCELLS
    sheet.append(_record(0x000A))  # EOF
    name = _biff_string("权力事项", short=True)
    bof = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))  # BOF: workbook globals
    if encrypted:
        bof += _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)  # FILEPASS: RC4
    boundsheet_size = len(_record(0x0085, struct.pack("<IBB", 0, 0, 0) + name))
    position = len(bof) + boundsheet_size + len(_record(0x000A))
    globals_ = bof + _record(0x0085, struct.pack("<IBB", position, 0, 0) + name) + _record(0x000A)
    stream = globals_ + b"".join(sheet)
    return compound_file({"Workbook": stream})


def compound_file(streams):
    """An OLE compound file (version 3, 512-byte sectors) holding `streams` {name:
    bytes}, each padded to at least 4,096 bytes so it lives in ordinary sectors (no
    mini stream to write)."""
    import struct

    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    # A stream declared shorter than 4,096 bytes would be looked for in the mini stream:
    # the zeros after the last EOF record are read as nothing by every reader.
    streams = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    sectors, chains, starts = [], [], []
    for data in streams.values():
        data = data.ljust(-(-len(data) // 512) * 512, b"\0")
        starts.append(len(sectors))
        count = len(data) // 512
        chains.extend(list(range(len(sectors) + 1, len(sectors) + count)) + [end])
        sectors += [data[i:i + 512] for i in range(0, len(data), 512)]

    def entry(name, kind, start, size, child=free):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, free, child) + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
                + struct.pack("<III", start, size, 0))

    directory = entry("Root Entry", 5, end, 0, child=1 if streams else free)
    names = list(streams)
    for i, name in enumerate(names):
        # A right-leaning chain of siblings: enough for a handful of streams.
        record = bytearray(entry(name, 2, starts[i], len(streams[name])))
        if i + 1 < len(names):
            record[72:76] = struct.pack("<I", i + 2)
        directory += bytes(record)
    directory = directory.ljust(-(-len(directory) // 512) * 512, b"\0")
    directory_start = len(sectors)
    sectors += [directory[i:i + 512] for i in range(0, len(directory), 512)]
    chains.extend(list(range(directory_start + 1, len(sectors))) + [end])
    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * 128:
        fat_count += 1
    fat_start = len(sectors)
    chains.extend([fat_sector] * fat_count)
    fat = b"".join(struct.pack("<I", v) for v in chains).ljust(fat_count * 512, b"\xff")
    sectors += [fat[i:i + 512] for i in range(0, len(fat), 512)]
    assert fat_count <= 109
    difat = [fat_start + i for i in range(fat_count)] + [free] * (109 - fat_count)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_count, directory_start, 0, 4096, end, 0, end, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    return header + b"".join(sectors)
