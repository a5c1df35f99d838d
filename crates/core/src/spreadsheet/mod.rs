//! Reading spreadsheets that operators receive (.xlsx, .xls, .ods, and what web systems export: CSV, HTML tables and
//! XML Spreadsheet 2003 — `text`), safely.
//!
//! The format is judged by content, not by the file's name. Before anything is decoded: the file's size is checked;
//! an .xlsx sheet's declared dimensions are checked and its cells are streamed into a sparse list (a sheet that
//! declares a million rows costs only what it holds). .xls and .ods are decoded whole by calamine, so their file size
//! bounds what they can cost.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xls, Xlsx};
use chrono::NaiveDate;

use crate::error::{Error, Result};

mod text;
mod xlsx;

/// Larger files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Rows and columns beyond these are not a roster.
pub const MAX_ROWS: u32 = 300_000;
/// What the parts of an .xlsx/.ods may unpack to in all. A 300,000-row roster unpacks to about 200 MB; a zip bomb
/// (a few MB that unpack to many GB) is refused before the spreadsheet reader sees it.
pub const MAX_UNPACKED_BYTES: u64 = 768 * 1024 * 1024;
pub const MAX_COLUMNS: u32 = 256;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell (Excel keeps 15 significant digits: an 18-digit ID typed as a number has lost some).
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// #N/A, #REF! and the like.
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').is_empty(),
            _ => false,
        }
    }

    /// The value as an operator sees it in the cell (numbers without a trailing ".0").
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            // As Excel shows a number too long for its cell: 1.10105E+17.
            Cell::Number(n) if n.abs() >= 1e15 => format!("{n:.5E}").replace('E', "E+"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One non-blank row: its number as Excel shows it (1-based) and its cells from column A.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

/// One worksheet's non-blank rows, in order.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// The visible worksheets of a workbook, read one at a time.
pub struct Workbook {
    inner: Inner,
    names: Vec<String>,
}

enum Inner {
    /// An .xlsx laid out as Excel, WPS and the common writers lay it out: read by our own streaming reader.
    Fast(Box<xlsx::Book>),
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
    Text(text::TextBook),
}

/// An unusable file: the CLI exits with 2 and the database is not touched.
fn unreadable(path: &Path, why: impl std::fmt::Display) -> Error {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Error::Unreadable(format!("无法读取文件“{name}”：{why}"))
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook> {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, format!("文件不存在或无法打开（{e}）")))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(unreadable(
                path,
                format!("文件有 {} MB，超过 {} MB 的上限；请拆分后分批导入", meta.len() >> 20, MAX_FILE_BYTES >> 20),
            ));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| unreadable(path, e))?;
        Workbook::from_bytes(path, bytes)
    }

    fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Workbook> {
        guarded(path, || Workbook::parse(path, bytes))
    }

    fn parse(path: &Path, bytes: Vec<u8>) -> Result<Workbook> {
        if bytes.is_empty() {
            return Err(unreadable(path, "文件是空的（0 字节）"));
        }
        let inner = if bytes.starts_with(b"PK\x03\x04") {
            let is_ods = bytes.windows(46).take(200).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
            // Our reader unpacks only the parts it reads, each counted against the limit as it comes out; what it
            // leaves to calamine is first unpacked once to count.
            let bytes = if is_ods {
                bytes
            } else {
                match xlsx::Book::open(bytes, MAX_UNPACKED_BYTES) {
                    Ok(book) => return Workbook::with(path, Inner::Fast(Box::new(book))),
                    Err(Some(bytes)) => bytes,
                    Err(None) => return Err(damaged(path, "不是完整的 zip 文件")),
                }
            };
            check_unpacked_size(path, &bytes, MAX_UNPACKED_BYTES)?;
            if is_ods {
                Inner::Ods(Box::new(Ods::new(Cursor::new(bytes)).map_err(|e| damaged(path, e))?))
            } else {
                Inner::Xlsx(Box::new(Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(path, e))?))
            }
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // An encrypted .xlsx is an OLE file holding an "EncryptedPackage" stream.
            if contains_utf16(&bytes, "EncryptedPackage") {
                return Err(unreadable(path, "文件设置了打开密码（已加密）；请在 Excel/WPS 中取消密码后另存，再导入"));
            }
            check_xls_extent(path, &bytes)?;
            let xls = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => {
                    unreadable(path, "文件设置了打开密码（已加密）；请在 Excel/WPS 中取消密码后另存，再导入")
                }
                other => damaged(path, other),
            })?;
            Inner::Xls(Box::new(xls))
        } else if let Some(book) = text::parse(&bytes) {
            // A web system's export: CSV, an HTML table or XML Spreadsheet 2003, whatever the file is named.
            Inner::Text(book.map_err(|why| unreadable(path, why))?)
        } else {
            return Err(unreadable(path, "它不是表格文件（可读取 .xlsx、.xls、.ods、CSV、网页表格和 XML 表格）"));
        };
        Workbook::with(path, inner)
    }

    fn with(path: &Path, inner: Inner) -> Result<Workbook> {
        let names = match &inner {
            Inner::Fast(book) => book.visible_sheets(),
            Inner::Xlsx(w) => visible_sheets(w.sheets_metadata()),
            Inner::Xls(w) => visible_sheets(w.sheets_metadata()),
            Inner::Ods(w) => visible_sheets(w.sheets_metadata()),
            Inner::Text(book) => book.sheets.iter().map(|(name, _)| name.clone()).collect(),
        };
        if names.is_empty() {
            return Err(unreadable(path, "文件中没有可见的工作表"));
        }
        Ok(Workbook { inner, names })
    }

    /// The visible worksheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads one worksheet's non-blank rows.
    pub fn read_sheet(&mut self, path: &Path, name: &str) -> Result<Sheet> {
        let mut rows = Vec::new();
        self.stream_sheet(path, name, &mut |event| {
            if let SheetEvent::Row(row) = event {
                rows.push(row);
            }
            true
        })?;
        Ok(Sheet { name: name.to_string(), rows })
    }

    /// Streams one worksheet: first its size, then its non-blank rows in order, until `on_event` returns false.
    pub fn stream_sheet(
        &mut self,
        path: &Path,
        name: &str,
        on_event: &mut dyn FnMut(SheetEvent) -> bool,
    ) -> Result<()> {
        guarded(path, || match &mut self.inner {
            Inner::Fast(book) => stream_fast_sheet(path, book, name, on_event),
            Inner::Xlsx(w) => stream_xlsx_sheet(path, w, name, on_event),
            Inner::Xls(w) => stream_range(path, w.worksheet_range(name).map_err(|e| damaged(path, e))?, on_event),
            Inner::Ods(w) => stream_range(path, w.worksheet_range(name).map_err(|e| damaged(path, e))?, on_event),
            Inner::Text(book) => {
                let rows = book.sheets.iter().find(|(n, _)| n == name).map(|(_, rows)| rows.as_slice()).unwrap_or(&[]);
                if on_event(SheetEvent::Size(rows.len())) {
                    for row in rows {
                        if !on_event(SheetEvent::Row(row.clone())) {
                            break;
                        }
                    }
                }
                Ok(())
            }
        })
    }
}

/// The spreadsheet reader panics on some damaged files (an .xls whose sector table points past its end, found by
/// tests/fuzz.rs): such a panic means a damaged file, reported like any other, not a crash of the import.
fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(damaged(path, "文件内部结构错误")))
}

fn visible_sheets(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets.iter().filter(|s| s.visible == SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> Error {
    unreadable(path, format!("文件不完整或已损坏，请重新保存或重新下载后再导入（{e}）"))
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn too_large(path: &Path, rows: u64, columns: u64) -> Error {
    unreadable(
        path,
        format!(
            "工作表有 {rows} 行 × {columns} 列，超出导入上限（{MAX_ROWS} 行 × {MAX_COLUMNS} 列）；请删除多余的行列或拆分后导入"
        ),
    )
}

/// What streaming a sheet yields.
#[derive(Debug)]
pub enum SheetEvent {
    /// How many rows the sheet declares (an estimate for progress; it comes first).
    Size(usize),
    Row(Row),
}

fn stream_fast_sheet(
    path: &Path,
    book: &mut xlsx::Book,
    name: &str,
    on_event: &mut dyn FnMut(SheetEvent) -> bool,
) -> Result<()> {
    let on_event = std::cell::RefCell::new(on_event);
    let read = book.stream(
        name,
        &mut |(rows, columns)| {
            if rows > u64::from(MAX_ROWS) {
                return Err(xlsx::Failure::TooLarge(rows, columns));
            }
            Ok((on_event.borrow_mut())(SheetEvent::Size(rows as usize)))
        },
        &mut |row| (on_event.borrow_mut())(SheetEvent::Row(row)),
    );
    read.map_err(|failure| match failure {
        xlsx::Failure::Damaged(why) => damaged(path, why),
        xlsx::Failure::TooBig => unpacked_too_big(path, MAX_UNPACKED_BYTES),
        xlsx::Failure::TooLarge(rows, columns) => too_large(path, rows, columns),
    })
}

/// Streams an .xlsx sheet's cells: the declared dimensions are checked first, and only cells that hold something
/// are kept.
fn stream_xlsx_sheet(
    path: &Path,
    workbook: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    on_event: &mut dyn FnMut(SheetEvent) -> bool,
) -> Result<()> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(|e| damaged(path, e))?;
    let declared = reader.dimensions();
    let declared_rows = u64::from(declared.end.0) + 1;
    if declared_rows > u64::from(MAX_ROWS) {
        return Err(too_large(path, declared_rows, u64::from(declared.end.1) + 1));
    }
    if !on_event(SheetEvent::Size(declared_rows as usize)) {
        return Ok(());
    }
    let mut current: Option<Row> = None;
    while let Some(cell) = reader.next_cell().map_err(|e| damaged(path, e))? {
        let (row, column) = cell.get_position();
        if row >= MAX_ROWS {
            return Err(too_large(path, u64::from(row) + 1, u64::from(column) + 1));
        }
        let value = from_data_ref(cell.get_value());
        if value.is_blank() || column >= MAX_COLUMNS {
            continue;
        }
        let number = row + 1;
        if current.as_ref().is_some_and(|r| r.number != number)
            && let Some(done) = current.take()
            && !on_event(SheetEvent::Row(done))
        {
            return Ok(());
        }
        let cells = &mut current.get_or_insert_with(|| Row { number, cells: Vec::with_capacity(16) }).cells;
        if cells.len() <= column as usize {
            cells.resize(column as usize + 1, Cell::Empty);
        }
        cells[column as usize] = value;
    }
    if let Some(last) = current {
        on_event(SheetEvent::Row(last));
    }
    Ok(())
}

fn stream_range(path: &Path, range: calamine::Range<Data>, on_event: &mut dyn FnMut(SheetEvent) -> bool) -> Result<()> {
    let (height, width) = range.get_size();
    if height as u64 > u64::from(MAX_ROWS) {
        return Err(too_large(path, height as u64, width as u64));
    }
    if !on_event(SheetEvent::Size(height)) {
        return Ok(());
    }
    let (top, left) = range.start().unwrap_or((0, 0));
    for (i, data_row) in range.rows().enumerate() {
        let mut cells: Vec<Cell> = vec![Cell::Empty; left as usize];
        cells.extend(data_row.iter().take(MAX_COLUMNS as usize).map(from_data));
        while cells.last().is_some_and(Cell::is_blank) {
            cells.pop();
        }
        if !cells.is_empty() && !on_event(SheetEvent::Row(Row { number: top + i as u32 + 1, cells })) {
            break;
        }
    }
    Ok(())
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt.as_datetime().map(|d| Cell::Date(d.date())).unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => dt.as_datetime().map(|d| Cell::Date(d.date())).unwrap_or(Cell::Number(dt.as_f64())),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn iso_date(s: &str) -> Cell {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").map(Cell::Date).unwrap_or(Cell::Text(s.to_string()))
}

/// Unpacks every part of a zip-based spreadsheet into nothing, counting: the sizes a zip declares can lie, the
/// bytes that come out cannot. Stops as soon as the total passes `limit` ([`MAX_UNPACKED_BYTES`]).
fn check_unpacked_size(path: &Path, bytes: &[u8], limit: u64) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // Not a readable zip: the spreadsheet reader says what is wrong with it.
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else { continue };
        let left = limit - total;
        total += std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink()).unwrap_or(0);
        if total > limit {
            return Err(unpacked_too_big(path, limit));
        }
    }
    Ok(())
}

fn unpacked_too_big(path: &Path, limit: u64) -> Error {
    unreadable(
        path,
        format!(
            "文件解压后超过 {} MB（可能是损坏或被恶意构造的文件）；请在 Excel/WPS 中打开后另存，再导入",
            limit >> 20
        ),
    )
}

/// The most rows and columns an .xls sheet can have (BIFF8); a sheet that declares more is damaged or crafted.
const XLS_MAX_ROWS: u64 = 65_536;
const XLS_MAX_COLUMNS: u64 = 256;

/// The .xls reader sets memory aside for every cell a sheet declares (its DIMENSIONS record), and then for the whole
/// rectangle its cells span, before handing any back: a damaged or crafted file (billions of rows declared, or one
/// cell in column 60,000, both found by tests/fuzz.rs) made it ask for terabytes, which aborts the program — no error
/// handling catches that. So the workbook stream is read first: a declaration beyond the format's own limits, or a
/// cell beyond its last column, refuses the file, as does a container that is not a readable compound file.
fn check_xls_extent(path: &Path, bytes: &[u8]) -> Result<()> {
    let stream = cfb::CompoundFile::open(Cursor::new(bytes)).ok().and_then(|mut file| {
        let name = ["Workbook", "Book"].into_iter().find(|s| file.is_stream(s))?;
        let mut data = Vec::new();
        file.open_stream(name).ok()?.take(MAX_FILE_BYTES).read_to_end(&mut data).ok()?;
        Some(data)
    });
    let Some(stream) = stream else { return Err(damaged(path, "文件的容器结构无法读取")) };
    let u16_at = |data: &[u8], i: usize| data.get(i..i + 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])));
    for (typ, data) in biff_records(&stream) {
        let beyond = match typ {
            // DIMENSIONS
            0x0200 => dimensions(data).is_some_and(|(rows, columns)| rows > XLS_MAX_ROWS || columns > XLS_MAX_COLUMNS),
            // Cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA (row, then column)
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                u16_at(data, 2).is_some_and(|column| column >= XLS_MAX_COLUMNS)
            }
            // MULRK: row, first column, …, last column
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|i| u16_at(data, i));
                [u16_at(data, 2), last].into_iter().flatten().any(|column| column >= XLS_MAX_COLUMNS)
            }
            _ => false,
        };
        if beyond {
            return Err(damaged(path, "工作表的行列超出 .xls 格式的上限"));
        }
    }
    Ok(())
}

/// The BIFF records of a workbook stream: (record type, data).
fn biff_records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let header = stream.get(at..at + 4)?;
        let (typ, len) =
            (u16::from_le_bytes([header[0], header[1]]), usize::from(u16::from_le_bytes([header[2], header[3]])));
        let data = stream.get(at + 4..(at + 4 + len).min(stream.len()))?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// The rows and columns a DIMENSIONS record declares, counted as the reader counts them (MS-XLS 2.4.90: first row,
/// last row + 1, first column, last column + 1; an inverted range counts as the reader's wrap-around would).
fn dimensions(data: &[u8]) -> Option<(u64, u64)> {
    let u16_at = |i: usize| u64::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]));
    let (first_row, end_row, mut first_col, end_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return None,
    };
    if first_col > 0xFF || end_col < first_col {
        first_col = 0;
    }
    if end_row == 0 || end_col == 0 {
        return Some((1, 1));
    }
    // u32 arithmetic, as the reader does it: last row before first row wraps around to about four billion.
    let rows = u64::from(((end_row - 1) as u32).wrapping_sub(first_row as u32).wrapping_add(1));
    let columns = u64::from(((end_col - 1) as u32).wrapping_sub(first_col as u32).wrapping_add(1));
    Some((rows, columns))
}

/// Reads a workbook from memory (tests, and files already in memory).
pub fn open_bytes(name: &str, bytes: Vec<u8>) -> Result<Workbook> {
    Workbook::from_bytes(Path::new(name), bytes)
}

/// A failure while writing an .xlsx (report, template, export).
pub(crate) fn write_failed(e: rust_xlsxwriter::XlsxError) -> Error {
    match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("写入 Excel 文件失败：{other}"))),
    }
}

/// Writes a cell's value back as the file held it (the report shows rows "as they were").
pub(crate) fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    format: &rust_xlsxwriter::Format,
) -> Result<()> {
    match cell {
        Cell::Empty => sheet.write_blank(row, column, format),
        Cell::Text(t) => sheet.write_string_with_format(row, column, t, format),
        Cell::Number(n) => sheet.write_number_with_format(row, column, *n, format),
        Cell::Date(d) => sheet.write_date_with_format(row, column, d, &format.clone().set_num_format("yyyy-mm-dd")),
        Cell::Bool(b) => sheet.write_boolean_with_format(row, column, *b, format),
        Cell::Error(e) => sheet.write_string_with_format(row, column, e, format),
    }
    .map_err(write_failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A zip whose one part unpacks to `size` zero bytes: a few KB on disk.
    fn bomb(size: usize) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        let chunk = vec![0u8; 1 << 16];
        for _ in 0..size / chunk.len() {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A workbook as the named writer lays it out: `parts` are (zip entry, XML).
    fn zipped(parts: &[(&str, String)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, xml) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// As Excel saves a roster: shared strings (one rich text with a phonetic guide, one with an escaped CR and
    /// entities), a date style by built-in id and one by a Chinese custom format, numbers, a formula's cached text,
    /// a boolean and an error, a blank row, cells without a value.
    fn excel_like(date_1904: bool) -> Vec<u8> {
        let root = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        );
        let rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="{REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
        );
        let workbook = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr{}/><sheets><sheet name="说明" sheetId="2" state="hidden" r:id="rId2"/><sheet name="考生名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            if date_1904 { r#" date1904="1""# } else { "" }
        );
        let styles = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="49"/></cellXfs></styleSheet>"#
        );
        let strings = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="6" uniqueCount="6"><si><t>姓名</t></si><si><t>证件号码</t></si><si><t>出生日期</t></si><si><r><rPr><b/></rPr><t>吉</t></r><r><t xml:space="preserve">𠮷 </t></r><rPh sb="0" eb="1"><t>ジ</t></rPh></si><si><t>A&amp;B_x000D_公司 &lt;总部&gt;</t></si><si><t/></si></sst>"#
        );
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:G5"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData><row r="1" spans="1:7"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" s="3"/></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="3" t="s"><v>5</v></c><c r="C2" s="1"><v>29361</v></c><c r="D2" s="2"><v>44927</v></c><c r="E2" t="str"><f>A2&amp;"x"</f><v>吉𠮷x</v></c><c r="F2" t="b"><v>1</v></c><c r="G2" t="e"><v>#N/A</v></c></row><row r="3" customHeight="1"/><row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4"><v>1.10105198E+17</v></c><c r="C4"><v>0.5</v></c><c r="D4" t="inlineStr"><is><t> 王五 </t></is></c><c r="E4" t="d"><v>2024-03-01T00:00:00</v></c></row><row r="5"><c r="B5"><v>-12.25</v></c><c r="C5" s="1"><v></v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A3:B3"/></mergeCells></worksheet>"#
        );
        let hidden = format!(
            r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>请勿修改</t></is></c></row></sheetData></worksheet>"#
        );
        zipped(&[
            ("_rels/.rels", root),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/styles.xml", styles),
            ("xl/sharedStrings.xml", strings),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/worksheets/sheet2.xml", hidden),
        ])
    }

    /// As the .NET Open XML SDK writes one: every element prefixed, no r="" on rows or cells, inline strings, a
    /// CDATA section, no dimension, no styles and no shared strings.
    fn sdk_like() -> Vec<u8> {
        let root = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="{REL}/officeDocument" Target="/xl/workbook.xml" Id="R1"/></Relationships>"#
        );
        let rels = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="{REL}/worksheet" Target="/xl/worksheets/sheet.xml" Id="R2"/></Relationships>"#
        );
        let workbook = format!(
            r#"<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:sheets><x:sheet name="Sheet1" sheetId="1" r:id="R2"/></x:sheets></x:workbook>"#
        );
        let sheet = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>手机号码</x:t></x:is></x:c></x:row><x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[李&四]]></x:t></x:is></x:c><x:c><x:v>13812345678</x:v></x:c></x:row><!-- 备注 --><x:row><x:c t="inlineStr"><x:is><x:r><x:t>张</x:t></x:r><x:r><x:t>三</x:t></x:r></x:is></x:c></x:row></x:sheetData></x:worksheet>"#
        );
        zipped(&[
            ("_rels/.rels", root),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/worksheets/sheet.xml", sheet),
        ])
    }

    /// What calamine reads from the same bytes: every visible sheet's rows.
    fn by_calamine(bytes: &[u8]) -> Vec<Sheet> {
        let inner = Inner::Xlsx(Box::new(Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()));
        every_sheet(Workbook::with(Path::new("t.xlsx"), inner).unwrap())
    }

    fn by_our_reader(bytes: &[u8]) -> Vec<Sheet> {
        let workbook = open_bytes("t.xlsx", bytes.to_vec()).unwrap();
        assert!(matches!(workbook.inner, Inner::Fast(_)), "read by our reader");
        every_sheet(workbook)
    }

    fn every_sheet(mut workbook: Workbook) -> Vec<Sheet> {
        let names = workbook.sheet_names().to_vec();
        names.iter().map(|name| workbook.read_sheet(Path::new("t.xlsx"), name).unwrap()).collect()
    }

    fn same_sheets(ours: &[Sheet], theirs: &[Sheet]) {
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(theirs) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.rows, b.rows, "sheet {}", a.name);
        }
    }

    #[test]
    fn our_xlsx_reader_reads_what_calamine_reads() {
        for bytes in [excel_like(false), excel_like(true), sdk_like()] {
            same_sheets(&by_our_reader(&bytes), &by_calamine(&bytes));
        }
        // And what rust_xlsxwriter writes, with shared strings and (constant memory) inline strings.
        for constant_memory in [false, true] {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet =
                if constant_memory { book.add_worksheet_with_constant_memory().unwrap() } else { book.add_worksheet() };
            let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
            sheet.write_string(0, 0, "姓名").unwrap();
            sheet.write_string(0, 1, "出生日期").unwrap();
            for row in 1..300u32 {
                sheet.write_string(row, 0, format!("考生{row} & <{}>", row % 7)).unwrap();
                let day = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(u64::from(row));
                sheet.write_date_with_format(row, 1, day, &date).unwrap();
                sheet.write_number(row, 3, f64::from(row) * 1.5).unwrap();
            }
            let bytes = book.save_to_buffer().unwrap();
            same_sheets(&by_our_reader(&bytes), &by_calamine(&bytes));
        }
    }

    #[test]
    fn what_our_xlsx_reader_gives_each_kind_of_cell() {
        let sheets = by_our_reader(&excel_like(false));
        assert_eq!(sheets.len(), 1, "the hidden sheet is not offered");
        let rows = &sheets[0].rows;
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 4, 5]);
        assert_eq!(rows[1].cells[0], Cell::Text("吉𠮷 ".into()), "runs joined, the phonetic guide left out");
        assert_eq!(rows[1].cells[1], Cell::Empty, "an empty shared string is blank");
        assert_eq!(rows[1].cells[2], Cell::Date(NaiveDate::from_ymd_opt(1980, 5, 20).unwrap()));
        assert_eq!(rows[1].cells[3], Cell::Date(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()));
        assert_eq!(rows[1].cells[4..], [Cell::Text("吉𠮷x".into()), Cell::Bool(true), Cell::Error("#N/A".into())]);
        assert_eq!(rows[2].cells[0], Cell::Text("A&B\r公司 <总部>".into()));
        assert_eq!(rows[2].cells[1], Cell::Number(1.10105198e17));
        assert_eq!(rows[2].cells[3], Cell::Text("王五".into()));
        assert_eq!(rows[2].cells[4], Cell::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()));
        assert_eq!(rows[3].cells, [Cell::Empty, Cell::Number(-12.25)]);
        let in_1904 = by_our_reader(&excel_like(true));
        assert_eq!(in_1904[0].rows[1].cells[2], Cell::Date(NaiveDate::from_ymd_opt(1984, 5, 21).unwrap()));
        let sdk = by_our_reader(&sdk_like());
        assert_eq!(sdk[0].rows[1].cells, [Cell::Text("李&四".into()), Cell::Number(13_812_345_678.0)]);
        assert_eq!(sdk[0].rows[2].cells, [Cell::Text("张三".into())]);
    }

    #[test]
    fn a_cut_or_bloated_xlsx_is_refused_by_our_reader_never_a_panic() {
        let whole = excel_like(false);
        for len in (0..whole.len()).step_by(61) {
            let read = open_bytes("名单.xlsx", whole[..len].to_vec()).and_then(|mut w| {
                let name = w.sheet_names()[0].clone();
                w.read_sheet(Path::new("名单.xlsx"), &name)
            });
            if let Err(e) = read {
                assert!(e.is_unusable_input(), "cut at {len}: {e}");
            }
        }
        // A sheet that unpacks past the limit is refused as it is read, with the zip bomb's message.
        let mut book = open_bytes("名单.xlsx", excel_like(false)).unwrap();
        let Inner::Fast(fast) = &mut book.inner else { panic!("our reader") };
        fast.set_budget(500);
        let e = book.read_sheet(Path::new("名单.xlsx"), "考生名单").unwrap_err();
        assert!(e.to_string().contains("解压后超过"), "{e}");
    }

    #[test]
    fn an_xls_cut_anywhere_is_refused_as_damaged_never_a_panic() {
        // Found by tests/fuzz.rs: the .xls reader panicked on files cut short mid-sector.
        let whole = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/samples/roster-title-aliases.xls"),
        )
        .unwrap();
        for len in (0..whole.len()).step_by(97) {
            let read = open_bytes("名单.xls", whole[..len].to_vec()).and_then(|mut w| {
                let name = w.sheet_names()[0].clone();
                w.read_sheet(Path::new("名单.xls"), &name)
            });
            if let Err(e) = read {
                assert!(e.is_unusable_input(), "cut at {len}: {e}");
            }
        }
    }

    #[test]
    fn an_xls_declaring_or_spanning_billions_of_cells_is_refused_before_it_is_read() {
        // Found by tests/fuzz.rs: a damaged DIMENSIONS record made the .xls reader ask for 1.9 TB and abort.
        let whole = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/samples/roster-title-aliases.xls"),
        )
        .unwrap();
        let at = whole.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
        let declared = dimensions(&whole[at + 4..at + 18]).unwrap();
        assert!(declared.0 < 100 && declared.1 < 20, "the sample's own: {declared:?}");
        for (first_row, end_row, end_col) in [(0u32, u32::MAX, 10u16), (5, 3, 10), (0, 50, u16::MAX), (0, 70_000, 10)] {
            let mut bad = whole.clone();
            bad[at + 4..at + 8].copy_from_slice(&first_row.to_le_bytes());
            bad[at + 8..at + 12].copy_from_slice(&end_row.to_le_bytes());
            bad[at + 14..at + 16].copy_from_slice(&end_col.to_le_bytes());
            let Err(e) = open_bytes("名单.xls", bad) else { panic!("{first_row}..{end_row} × {end_col} opened") };
            assert!(e.is_unusable_input() && e.to_string().contains("超出 .xls 格式的上限"), "{e}");
        }
        assert!(open_bytes("名单.xls", whole.clone()).is_ok(), "the file as it is still opens");
        // One cell far to the right (a damaged column number) would make the sheet billions of cells wide.
        let label = whole.windows(4).position(|w| w[0] == 0xFD && w[1] == 0x00 && w[2] == 10 && w[3] == 0).unwrap();
        let mut wide = whole.clone();
        wide[label + 6..label + 8].copy_from_slice(&60_000u16.to_le_bytes());
        let Err(e) = open_bytes("名单.xls", wide) else { panic!("a cell in column 60,000 opened") };
        assert!(e.to_string().contains("超出 .xls 格式的上限"), "{e}");
    }

    #[test]
    fn a_zip_that_unpacks_past_the_limit_is_refused_before_it_is_read() {
        let path = Path::new("名单.xlsx");
        let small = bomb(1 << 20);
        assert!(small.len() < 20 << 10, "{} bytes packed", small.len());
        assert!(check_unpacked_size(path, &small, 2 << 20).is_ok());
        let e = check_unpacked_size(path, &bomb(4 << 20), 2 << 20).unwrap_err();
        assert!(e.is_unusable_input() && e.to_string().contains("解压后超过 2 MB"), "{e}");
    }
}
