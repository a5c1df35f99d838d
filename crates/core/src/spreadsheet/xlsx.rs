//! The .xlsx reader of the import's hot path: one pass over the sheet's XML as it is unpacked, no document tree, a
//! string allocated only for a cell's value.
//!
//! An .xlsx is a zip of XML parts: the workbook names its sheets, its relationships say which part each sheet is,
//! the shared strings hold the text of `t="s"` cells and the styles say which number formats are dates. A workbook
//! this reader does not find laid out that way (no workbook part, a sheet part missing, XML that is not UTF-8) is left
//! to calamine, which reads more kinds; a sheet that breaks off mid-way is damaged, as calamine would say.
//!
//! Cells come back as calamine gives them to [`super::stream_xlsx_sheet`] (the same text, numbers, dates, booleans
//! and errors; the tests compare the two on every sample), and every part is unpacked through one budget
//! ([`super::MAX_UNPACKED_BYTES`]) instead of unpacking the whole file once more to count.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use calamine::{ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;

use super::{Cell, Row};

/// Why a sheet could not be read.
#[derive(Debug)]
pub(super) enum Failure {
    /// Broken XML or a part that cannot be unpacked (the message says where).
    Damaged(String),
    /// The parts unpack to more than the budget allows.
    TooBig,
    /// More rows than an import takes: (the row, the column) where it was found.
    TooLarge(u64, u64),
}

type Result<T> = std::result::Result<T, Failure>;

fn damaged(why: impl Into<String>) -> Failure {
    Failure::Damaged(why.into())
}

struct SheetEntry {
    name: String,
    visible: bool,
    part: String,
}

/// An opened .xlsx: its parts, its sheets in order, and what reading a sheet needs (loaded with the first sheet read).
pub(super) struct Book {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    sheets: Vec<SheetEntry>,
    date_1904: bool,
    strings_part: Option<String>,
    styles_part: Option<String>,
    /// The shared strings and each style's "is a date" (None until a sheet is read).
    loaded: Option<(Vec<String>, Vec<bool>)>,
    /// What may still be unpacked.
    budget: u64,
}

impl Book {
    /// Opens the workbook; gives the file back when it is not laid out as this reader expects (calamine reads it
    /// then), and nothing when it is not a readable zip at all.
    pub(super) fn open(bytes: Vec<u8>, budget: u64) -> std::result::Result<Book, Option<Vec<u8>>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| None)?;
        let mut book = Book {
            zip,
            sheets: Vec::new(),
            date_1904: false,
            strings_part: None,
            styles_part: None,
            loaded: None,
            budget,
        };
        match book.find_sheets() {
            Some(()) if !book.sheets.is_empty() => Ok(book),
            _ => Err(Some(book.zip.into_inner().into_inner())),
        }
    }

    fn find_sheets(&mut self) -> Option<()> {
        let book = self;
        let root = book.small_part("_rels/.rels")?;
        let workbook_part = relationships(&root, "")
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| r.target)
            .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let (folder, file) = workbook_part.rsplit_once('/').unwrap_or(("", &workbook_part));
        let rels_part =
            if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
        let rels = book.small_part(&rels_part)?;
        let rels = relationships(&rels, folder);
        for r in &rels {
            if r.kind.ends_with("/sharedStrings") {
                book.strings_part = Some(r.target.clone());
            } else if r.kind.ends_with("/styles") {
                book.styles_part = Some(r.target.clone());
            }
        }
        let workbook = book.small_part(&workbook_part)?;
        let mut tokens = Tokens::new(workbook.as_bytes());
        while let Some(token) = tokens.next().ok()? {
            let Token::Start { name, attrs, .. } = token else { continue };
            match local(name) {
                b"workbookPr" => {
                    book.date_1904 = matches!(attr(attrs, b"date1904").as_deref(), Some("1" | "true"));
                }
                b"sheet" => {
                    let sheet_name = attr(attrs, b"name")?.into_owned();
                    let id = attr_local(attrs, b"id")?;
                    let visible = !matches!(attr(attrs, b"state").as_deref(), Some("hidden" | "veryHidden"));
                    let part = rels.iter().find(|r| r.id == id).map(|r| r.target.clone())?;
                    book.zip.index_for_name(&part)?;
                    book.sheets.push(SheetEntry { name: sheet_name, visible, part });
                }
                _ => {}
            }
        }
        Some(())
    }

    #[cfg(test)]
    pub(super) fn set_budget(&mut self, budget: u64) {
        self.budget = budget;
    }

    /// The visible sheets' names, in the workbook's order.
    pub(super) fn visible_sheets(&self) -> Vec<String> {
        self.sheets.iter().filter(|s| s.visible).map(|s| s.name.clone()).collect()
    }

    /// A small part read whole as text (None when it is missing or not UTF-8: calamine is asked then).
    fn small_part(&mut self, name: &str) -> Option<String> {
        let mut text = String::new();
        self.zip.by_name(name).ok()?.take(16 << 20).read_to_string(&mut text).ok()?;
        Some(text)
    }

    /// A part unpacked as it is read, counted against the budget.
    fn part(&mut self, name: &str) -> Result<Budgeted<'_, zip::read::ZipFile<'_, Cursor<Vec<u8>>>>> {
        let budget = &mut self.budget;
        let file = self.zip.by_name(name).map_err(|e| damaged(format!("{name}：{e}")))?;
        Ok(Budgeted { inner: file, left: budget })
    }

    fn load(&mut self) -> Result<()> {
        if self.loaded.is_some() {
            return Ok(());
        }
        let strings = match self.strings_part.clone() {
            Some(part) if self.zip.index_for_name(&part).is_some() => {
                let mut part = self.part(&part)?;
                shared_strings(&mut part)?
            }
            _ => Vec::new(),
        };
        let dates = match self.styles_part.clone() {
            Some(part) if self.zip.index_for_name(&part).is_some() => {
                let mut xml = Vec::new();
                self.part(&part)?.read_to_end(&mut xml).map_err(read_failed)?;
                date_styles(&xml)?
            }
            _ => Vec::new(),
        };
        self.loaded = Some((strings, dates));
        Ok(())
    }

    /// Streams the sheet `name`: its declared rows first (checked against the limit), then each non-blank row, until
    /// `on_row` returns false.
    pub(super) fn stream(
        &mut self,
        name: &str,
        on_size: &mut dyn FnMut((u64, u64)) -> Result<bool>,
        on_row: &mut dyn FnMut(Row) -> bool,
    ) -> Result<()> {
        self.load()?;
        let part = self.sheets.iter().find(|s| s.name == name).map(|s| s.part.clone());
        let Some(part) = part else { return Err(damaged(format!("找不到工作表“{name}”"))) };
        let date_1904 = self.date_1904;
        let (strings, dates) = self.loaded.take().expect("loaded above");
        let read = {
            let mut reader = self.part(&part)?;
            let mut sheet = SheetReader { strings: &strings, dates: &dates, date_1904, row: None, next_row: 1 };
            sheet.run(&mut reader, on_size, on_row)
        };
        self.loaded = Some((strings, dates));
        read
    }
}

fn read_failed(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::FileTooLarge {
        Failure::TooBig
    } else {
        damaged(format!("解压失败（{e}）"))
    }
}

/// A part's reader that fails once the unpacking budget is spent (a zip bomb's parts lie about their size).
struct Budgeted<'b, R> {
    inner: R,
    left: &'b mut u64,
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        *self.left = self.left.checked_sub(n as u64).ok_or(std::io::ErrorKind::FileTooLarge)?;
        Ok(n)
    }
}

struct Relationship {
    id: String,
    kind: String,
    /// The part's name in the zip.
    target: String,
}

/// A relationships part: each target resolved against `folder` (the folder of the part they belong to).
fn relationships(xml: &str, folder: &str) -> Vec<Relationship> {
    let mut found = Vec::new();
    let mut tokens = Tokens::new(xml.as_bytes());
    while let Ok(Some(token)) = tokens.next() {
        let Token::Start { name, attrs, .. } = token else { continue };
        if local(name) != b"Relationship" || attr(attrs, b"TargetMode").as_deref() == Some("External") {
            continue;
        }
        let (Some(id), Some(kind), Some(target)) = (attr(attrs, b"Id"), attr(attrs, b"Type"), attr(attrs, b"Target"))
        else {
            continue;
        };
        found.push(Relationship { id: id.into_owned(), kind: kind.into_owned(), target: resolve(folder, &target) });
    }
    found
}

/// A relationship's target as a zip entry name: "/xl/x.xml" from the root, "worksheets/sheet1.xml" or
/// "../media/a.png" from the folder.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { folder.split('/').collect() };
    for piece in target.split(['/', '\\']) {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            piece => parts.push(piece),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

/// The shared strings, in order: each `<si>`'s text runs joined, phonetic guides (`<rPh>`) left out.
fn shared_strings(part: &mut impl Read) -> Result<Vec<String>> {
    let mut strings = Vec::new();
    let mut stream = Stream::new(part);
    let mut current: Option<String> = None;
    let mut text: Option<(String, bool)> = None;
    let mut in_phonetic = false;
    while let Some(token) = stream.next()? {
        match token {
            Token::Start { name, attrs, empty } => match local(name) {
                b"sst" => {
                    let count = attr(attrs, b"uniqueCount").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
                    strings.reserve(count.min(1 << 20));
                }
                b"si" if empty => strings.push(String::new()),
                b"si" => current = Some(String::new()),
                b"rPh" => in_phonetic = !empty,
                b"t" if !in_phonetic && current.is_some() && !empty => {
                    text = Some((String::new(), attr(attrs, b"xml:space").as_deref() == Some("preserve")));
                }
                _ => {}
            },
            Token::Text(raw) => {
                if let Some((t, _)) = &mut text {
                    raw.append_to(t)?;
                }
            }
            Token::End(name) => match local(name) {
                b"t" => {
                    if let (Some((t, preserve)), Some(s)) = (text.take(), &mut current) {
                        s.push_str(&cell_text(&t, preserve));
                    }
                }
                b"rPh" => in_phonetic = false,
                b"si" => strings.push(current.take().unwrap_or_default()),
                _ => {}
            },
        }
    }
    Ok(strings)
}

/// Whether each cell style (`<cellXfs>`, by index) shows its number as a date or a time.
fn date_styles(xml: &[u8]) -> Result<Vec<bool>> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    let mut tokens = Tokens::new(xml);
    while let Some(token) = tokens.next()? {
        match token {
            Token::Start { name, attrs, empty } => match local(name) {
                b"numFmt" => {
                    let id = attr(attrs, b"numFmtId").and_then(|i| i.parse().ok());
                    if let (Some(id), Some(code)) = (id, attr(attrs, b"formatCode")) {
                        custom.push((id, is_date_format(&code)));
                    }
                }
                b"cellXfs" => in_cell_xfs = !empty,
                b"xf" if in_cell_xfs => {
                    let id: u32 = attr(attrs, b"numFmtId").and_then(|i| i.parse().ok()).unwrap_or(0);
                    let date = custom.iter().find(|(c, _)| *c == id).map_or(is_builtin_date(id), |(_, d)| *d);
                    styles.push(date);
                }
                _ => {}
            },
            Token::End(name) if local(name) == b"cellXfs" => in_cell_xfs = false,
            _ => {}
        }
    }
    Ok(styles)
}

/// The built-in number formats that show dates and times (ECMA-376 18.8.30, with the East Asian ones).
fn is_builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a format code's first section shows a date or time: a d, m, y, h or s outside quotes, escapes and
/// brackets ([Red], [$-804], [DBNum1]); [h] and [mm] are elapsed time.
fn is_date_format(code: &str) -> bool {
    let mut chars = code.chars().peekable();
    let mut in_quote = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quote = !in_quote,
            _ if in_quote => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => return false,
            '[' => {
                let inside: String = chars.by_ref().take_while(|&c| c != ']').collect();
                if !inside.is_empty() && inside.chars().all(|c| matches!(c, 'h' | 'H' | 'm' | 'M' | 's' | 'S')) {
                    return true;
                }
            }
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            // "上午/下午" and AM/PM mark a time; "General" holds none of the letters above.
            _ => {}
        }
    }
    false
}

/// One cell while its element is read.
struct OpenCell {
    column: u32,
    kind: Kind,
    date: bool,
    value: String,
    /// The inline string's text run being read (each run is trimmed on its own, as calamine does).
    run: String,
    capturing: Option<Capture>,
    has_value: bool,
    in_inline: bool,
    in_phonetic: bool,
}

/// Where a cell's character data goes.
#[derive(Clone, Copy)]
enum Capture {
    Value,
    /// An inline string's `<t>`, with xml:space="preserve" or not.
    Run {
        preserve: bool,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Text,
    Inline,
    Bool,
    Error,
    IsoDate,
}

struct SheetReader<'s> {
    strings: &'s [String],
    dates: &'s [bool],
    date_1904: bool,
    row: Option<Row>,
    /// The number of the row a `<row>` without r="" is.
    next_row: u32,
}

impl SheetReader<'_> {
    fn run(
        &mut self,
        part: &mut impl Read,
        on_size: &mut dyn FnMut((u64, u64)) -> Result<bool>,
        on_row: &mut dyn FnMut(Row) -> bool,
    ) -> Result<()> {
        let mut stream = Stream::new(part);
        let mut in_data = false;
        let mut sized = false;
        let mut cell: Option<OpenCell> = None;
        let mut next_column: u32 = 0;
        while let Some(token) = stream.next()? {
            match token {
                Token::Start { name, attrs, empty } => match local(name) {
                    b"dimension" if !sized => {
                        sized = true;
                        let size = attr(attrs, b"ref").and_then(|r| declared(&r)).unwrap_or((0, 0));
                        if !on_size(size)? {
                            return Ok(());
                        }
                    }
                    b"sheetData" => {
                        if !sized {
                            sized = true;
                            if !on_size((0, 0))? {
                                return Ok(());
                            }
                        }
                        in_data = !empty;
                    }
                    b"row" if in_data => {
                        if !self.finish_row(on_row) {
                            return Ok(());
                        }
                        let number = match attr(attrs, b"r") {
                            Some(r) => r.trim().parse::<u32>().map_err(|_| damaged(format!("行号“{r}”无效")))?,
                            None => self.next_row,
                        };
                        if u64::from(number) > u64::from(super::MAX_ROWS) {
                            return Err(Failure::TooLarge(u64::from(number), 1));
                        }
                        self.next_row = number + 1;
                        self.row = Some(Row { number, cells: Vec::new() });
                        next_column = 0;
                    }
                    b"c" if in_data => {
                        let CellAttrs { reference, style, kind } = cell_attrs(attrs)?;
                        let column = match reference {
                            Some(r) => {
                                let (column, row) = cell_reference(r)?;
                                if let Some(row) = row {
                                    self.follow_row(row, on_row)?;
                                }
                                column
                            }
                            None => next_column,
                        };
                        next_column = column + 1;
                        if empty {
                            continue;
                        }
                        let date = kind == Kind::Number
                            && style
                                .and_then(|s| s.parse::<usize>().ok())
                                .is_some_and(|s| self.dates.get(s).copied().unwrap_or(false));
                        let mut open = OpenCell {
                            column,
                            kind,
                            date,
                            value: String::new(),
                            run: String::new(),
                            capturing: None,
                            has_value: false,
                            in_inline: false,
                            in_phonetic: false,
                        };
                        // Most cells are <v>…</v> or <is><t>…</t></is>: read at once when the buffer holds them.
                        if let Some(body) = stream.simple_cell_body() {
                            match body {
                                SimpleBody::Value(raw) => decode_text(raw, &mut open.value)?,
                                SimpleBody::Inline(raw) => {
                                    decode_text(raw, &mut open.run)?;
                                    open.value = cell_text(&open.run, false);
                                }
                            }
                            open.has_value = true;
                            self.put(open)?;
                        } else {
                            cell = Some(open);
                        }
                    }
                    tag => {
                        if let Some(c) = &mut cell {
                            match tag {
                                b"v" if !empty && !c.in_inline => {
                                    c.capturing = Some(Capture::Value);
                                    c.has_value = true;
                                }
                                b"v" => c.has_value = true,
                                b"is" => {
                                    c.in_inline = !empty;
                                    c.has_value = true;
                                }
                                b"rPh" => c.in_phonetic = !empty,
                                b"t" if c.in_inline && !c.in_phonetic && !empty => {
                                    let preserve = attr(attrs, b"xml:space").as_deref() == Some("preserve");
                                    c.capturing = Some(Capture::Run { preserve });
                                }
                                _ => {}
                            }
                        }
                    }
                },
                Token::Text(text) => match cell.as_mut().map(|c| (c.capturing, c)) {
                    Some((Some(Capture::Value), c)) => text.append_to(&mut c.value)?,
                    Some((Some(Capture::Run { .. }), c)) => text.append_to(&mut c.run)?,
                    _ => {}
                },
                Token::End(name) => match local(name) {
                    b"c" => {
                        if let Some(c) = cell.take() {
                            self.put(c)?;
                        }
                    }
                    b"row" if !self.finish_row(on_row) => return Ok(()),
                    b"sheetData" => break,
                    b"v" => {
                        if let Some(c) = &mut cell {
                            c.capturing = None;
                        }
                    }
                    b"t" => {
                        if let Some(c) = &mut cell
                            && let Some(Capture::Run { preserve }) = c.capturing.take()
                        {
                            let run =
                                if preserve { c.run.as_str() } else { c.run.trim_matches([' ', '\t', '\r', '\n']) };
                            match unescape_excel(run) {
                                // The usual inline string, one run as it stands: its text becomes the cell's.
                                Cow::Borrowed(same) if c.value.is_empty() && same.len() == c.run.len() => {
                                    std::mem::swap(&mut c.value, &mut c.run);
                                }
                                text => c.value.push_str(&text),
                            }
                            c.run.clear();
                        }
                    }
                    b"is" => {
                        if let Some(c) = &mut cell {
                            c.in_inline = false;
                        }
                    }
                    b"rPh" => {
                        if let Some(c) = &mut cell {
                            c.in_phonetic = false;
                        }
                    }
                    _ => {}
                },
            }
        }
        self.finish_row(on_row);
        Ok(())
    }

    /// A cell whose reference names another row than the open one (a writer that leaves out `<row>` or its r="").
    fn follow_row(&mut self, row: u32, on_row: &mut dyn FnMut(Row) -> bool) -> Result<()> {
        if u64::from(row) > u64::from(super::MAX_ROWS) {
            return Err(Failure::TooLarge(u64::from(row), 1));
        }
        if self.row.as_ref().is_some_and(|r| r.number != row) || self.row.is_none() {
            self.finish_row(on_row);
            self.row = Some(Row { number: row, cells: Vec::new() });
            self.next_row = row + 1;
        }
        Ok(())
    }

    /// Hands on the open row if it holds anything; false when the caller wants no more.
    fn finish_row(&mut self, on_row: &mut dyn FnMut(Row) -> bool) -> bool {
        match self.row.take() {
            Some(row) if !row.cells.is_empty() => on_row(row),
            _ => true,
        }
    }

    fn put(&mut self, c: OpenCell) -> Result<()> {
        if !c.has_value || c.column >= super::MAX_COLUMNS {
            return Ok(());
        }
        let value = match c.kind {
            Kind::Shared if c.value.trim().is_empty() => Cell::Empty,
            Kind::Shared => {
                let index: usize = c.value.trim().parse().map_err(|_| damaged("共享字符串编号无效"))?;
                let text = self.strings.get(index).ok_or_else(|| damaged("共享字符串编号超出范围"))?;
                Cell::Text(text.clone())
            }
            Kind::Inline => Cell::Text(c.value),
            Kind::Text => Cell::Text(unescape_excel(&c.value).into_owned()),
            Kind::Bool => match c.value.trim() {
                "" => Cell::Empty,
                "1" | "true" => Cell::Bool(true),
                "0" | "false" => Cell::Bool(false),
                other => return Err(damaged(format!("布尔值“{other}”无效"))),
            },
            Kind::Error => Cell::Error(c.value),
            Kind::IsoDate => iso_date(&c.value),
            Kind::Number if c.value.is_empty() => Cell::Empty,
            Kind::Number => match c.value.trim().parse::<f64>() {
                Ok(n) if c.date => ExcelDateTime::new(n, ExcelDateTimeType::DateTime, self.date_1904)
                    .as_datetime()
                    .map_or(Cell::Number(n), |d| Cell::Date(d.date())),
                Ok(n) => Cell::Number(n),
                Err(_) => Cell::Text(c.value),
            },
        };
        if value.is_blank() {
            return Ok(());
        }
        let Some(row) = &mut self.row else { return Ok(()) };
        let at = c.column as usize;
        if row.cells.len() <= at {
            row.cells.resize(at + 1, Cell::Empty);
        }
        row.cells[at] = value;
        Ok(())
    }
}

fn iso_date(s: &str) -> Cell {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").map(Cell::Date).unwrap_or(Cell::Text(s.to_string()))
}

/// The attributes of a `<c>` that matter, found in one pass: r="B7", s="3", t="s".
struct CellAttrs<'a> {
    reference: Option<&'a str>,
    style: Option<&'a str>,
    kind: Kind,
}

fn cell_attrs(attrs: &[u8]) -> Result<CellAttrs<'_>> {
    let mut found = CellAttrs { reference: None, style: None, kind: Kind::Number };
    for (name, value) in Attributes(attrs) {
        let value = std::str::from_utf8(value).map_err(|_| damaged("单元格属性不是 UTF-8 编码"))?;
        match name {
            b"r" => found.reference = Some(value),
            b"s" => found.style = Some(value),
            b"t" => {
                found.kind = match value {
                    "n" => Kind::Number,
                    "s" => Kind::Shared,
                    "str" => Kind::Text,
                    "inlineStr" => Kind::Inline,
                    "b" => Kind::Bool,
                    "e" => Kind::Error,
                    "d" => Kind::IsoDate,
                    other => return Err(damaged(format!("单元格类型“{other}”无效"))),
                }
            }
            _ => {}
        }
    }
    Ok(found)
}

/// The rows and columns a `<dimension ref="A1:K100001"/>` declares.
fn declared(reference: &str) -> Option<(u64, u64)> {
    let (column, row) = cell_reference(reference.rsplit(':').next()?).ok()?;
    Some((u64::from(row?), u64::from(column) + 1))
}

/// "AB12" → (column 27, zero-based; row 12); a reference without a row ("AB") gives None.
fn cell_reference(reference: &str) -> Result<(u32, Option<u32>)> {
    let bytes = reference.trim().as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic() || **b == b'$').count();
    let mut column: u32 = 0;
    for b in &bytes[..letters] {
        if *b == b'$' {
            continue;
        }
        column = column.saturating_mul(26).saturating_add(u32::from(b.to_ascii_uppercase() - b'A') + 1);
    }
    if column == 0 {
        return Err(damaged(format!("单元格位置“{reference}”无效")));
    }
    let digits = std::str::from_utf8(&bytes[letters..]).unwrap_or("").trim_start_matches('$');
    let row = if digits.is_empty() {
        None
    } else {
        Some(digits.parse::<u32>().map_err(|_| damaged(format!("单元格位置“{reference}”无效")))?)
    };
    Ok((column - 1, row))
}

/// A `<t>`'s text as calamine keeps it: ASCII whitespace trimmed unless xml:space="preserve", `_xHHHH_` decoded.
fn cell_text(text: &str, preserve: bool) -> String {
    let text = if preserve { text } else { text.trim_matches([' ', '\t', '\r', '\n']) };
    unescape_excel(text).into_owned()
}

/// Excel writes characters XML cannot hold as `_xHHHH_` (a UTF-16 unit: "\r" is `_x000D_`, and a literal
/// "_x000D_" is `_x005F_x000D_`).
fn unescape_excel(text: &str) -> Cow<'_, str> {
    fn unit_at(bytes: &[u8], at: usize) -> Option<u16> {
        let b = bytes.get(at..at + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    let bytes = text.as_bytes();
    if !text.contains("_x") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut copied = 0;
    while let Some(offset) = text[at..].find('_') {
        let here = at + offset;
        let Some(unit) = unit_at(bytes, here) else {
            at = here + 1;
            continue;
        };
        out.push_str(&text[copied..here]);
        let mut next = here + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(bytes, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                }
                _ => None,
            },
            unit => char::from_u32(u32::from(unit)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        at = next;
        copied = next;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Appends XML character data with its references (&amp; &#20013; &#x4E2D;) decoded; line ends become "\n".
fn decode_text(raw: &[u8], out: &mut String) -> Result<()> {
    let text = std::str::from_utf8(raw).map_err(|_| damaged("文本不是 UTF-8 编码"))?;
    let mut rest = text;
    while let Some(at) = memchr::memchr2(b'&', b'\r', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'\r' {
            out.push('\n');
            rest = rest[at + 1..].strip_prefix('\n').unwrap_or(&rest[at + 1..]);
            continue;
        }
        let end = rest[at..].find(';').ok_or_else(|| damaged("字符引用未结束"))? + at;
        let name = &rest[at + 1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
                };
                code.and_then(char::from_u32)
            }
        };
        out.push(c.ok_or_else(|| damaged(format!("无法识别的字符引用“&{name};”")))?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// An element name without its namespace prefix (`x:c` is `c`).
fn local(name: &[u8]) -> &[u8] {
    name.iter().position(|b| *b == b':').map_or(name, |at| &name[at + 1..])
}

/// An attribute's value by its full name (`r`, `xml:space`), references decoded.
fn attr<'a>(attrs: &'a [u8], wanted: &[u8]) -> Option<Cow<'a, str>> {
    find_attr(attrs, |name| name == wanted)
}

/// An attribute's value by its name without prefix (`r:id`).
fn attr_local<'a>(attrs: &'a [u8], wanted: &[u8]) -> Option<Cow<'a, str>> {
    find_attr(attrs, |name| local(name) == wanted && name.contains(&b':'))
}

fn find_attr<'a>(attrs: &'a [u8], matches: impl Fn(&[u8]) -> bool) -> Option<Cow<'a, str>> {
    let (_, value) = Attributes(attrs).find(|(name, _)| matches(name))?;
    let raw = std::str::from_utf8(value).ok()?;
    if !raw.contains('&') {
        return Some(Cow::Borrowed(raw));
    }
    let mut decoded = String::new();
    decode_text(raw.as_bytes(), &mut decoded).ok()?;
    Some(Cow::Owned(decoded))
}

/// A tag's attributes as (name, value as written); ends at the first that is not well formed.
struct Attributes<'a>(&'a [u8]);

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let attrs = self.0;
        let mut at = attrs.iter().position(|b| !b.is_ascii_whitespace())?;
        let name_start = at;
        while attrs.get(at).is_some_and(|b| *b != b'=' && !b.is_ascii_whitespace()) {
            at += 1;
        }
        let name = &attrs[name_start..at];
        while attrs.get(at).is_some_and(|b| *b == b'=' || b.is_ascii_whitespace()) {
            at += 1;
        }
        let quote = *attrs.get(at)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = at + 1;
        let value_end = value_start + memchr::memchr(quote, &attrs[value_start..])?;
        self.0 = &attrs[value_end + 1..];
        Some((name, &attrs[value_start..value_end]))
    }
}

/// One piece of XML: a start tag (its name, its attributes' text, whether it closes itself), an end tag or text.
enum Token<'a> {
    Start { name: &'a [u8], attrs: &'a [u8], empty: bool },
    End(&'a [u8]),
    Text(Text<'a>),
}

/// Character data: as written (references to decode), or a CDATA section's, which stands as it is.
struct Text<'a> {
    raw: &'a [u8],
    cdata: bool,
}

impl Text<'_> {
    fn append_to(&self, out: &mut String) -> Result<()> {
        if self.cdata {
            out.push_str(std::str::from_utf8(self.raw).map_err(|_| damaged("文本不是 UTF-8 编码"))?);
            Ok(())
        } else {
            decode_text(self.raw, out)
        }
    }
}

/// The tokens of XML held whole in memory.
struct Tokens<'a> {
    xml: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(xml: &'a [u8]) -> Self {
        let at = if xml.starts_with(BOM) { 3 } else { 0 };
        Tokens { xml, at }
    }

    fn next(&mut self) -> Result<Option<Token<'a>>> {
        loop {
            match token(&self.xml[self.at..], true)? {
                Scan::Done => return Ok(None),
                Scan::More => return Err(damaged("XML 不完整")),
                Scan::Skip(n) => self.at += n,
                Scan::Token(n, token) => {
                    let xml: &'a [u8] = self.xml;
                    let token = token.at(xml, self.at);
                    self.at += n;
                    return Ok(Some(token));
                }
            }
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The tokens of XML unpacked as it is read, a chunk at a time.
struct Stream<'r, R> {
    reader: &'r mut R,
    buffer: Vec<u8>,
    at: usize,
    ended: bool,
    /// Whether the first chunk was read (and a byte-order mark at its start passed over).
    started: bool,
}

/// A cell's body in one of its two usual forms (unprefixed, nothing else inside), its text as written.
enum SimpleBody<'a> {
    /// `<v>…</v></c>`.
    Value(&'a [u8]),
    /// `<is><t>…</t></is></c>`.
    Inline(&'a [u8]),
}

const CHUNK: usize = 256 << 10;

impl<'r, R: Read> Stream<'r, R> {
    fn new(reader: &'r mut R) -> Self {
        Stream { reader, buffer: Vec::with_capacity(2 * CHUNK), at: 0, ended: false, started: false }
    }

    /// The body of the cell just opened, taken whole and passed over when it is a [`SimpleBody`] and the buffer
    /// holds all of it up to `</c>`; None leaves the cursor where it was.
    fn simple_cell_body(&mut self) -> Option<SimpleBody<'_>> {
        let rest = &self.buffer[self.at..];
        let (open, close, inline): (&[u8], &[u8], bool) = if rest.starts_with(b"<v>") {
            (b"<v>", b"</v></c>", false)
        } else if rest.starts_with(b"<is><t>") {
            (b"<is><t>", b"</t></is></c>", true)
        } else {
            return None;
        };
        let text_start = open.len();
        let text_end = text_start + memchr::memchr(b'<', &rest[text_start..])?;
        if !rest[text_end..].starts_with(close) {
            return None;
        }
        let start = self.at + text_start;
        self.at += text_end + close.len();
        let raw = &self.buffer[start..start + text_end - text_start];
        Some(if inline { SimpleBody::Inline(raw) } else { SimpleBody::Value(raw) })
    }

    fn next(&mut self) -> Result<Option<Token<'_>>> {
        loop {
            match token(&self.buffer[self.at..], self.ended)? {
                Scan::Done if self.ended => return Ok(None),
                Scan::Done | Scan::More if !self.ended => self.fill()?,
                Scan::Done | Scan::More => return Err(damaged("XML 不完整（文件可能被截断）")),
                Scan::Skip(n) => self.at += n,
                Scan::Token(n, token) => {
                    let start = self.at;
                    self.at += n;
                    return Ok(Some(token.at(&self.buffer, start)));
                }
            }
        }
    }

    fn fill(&mut self) -> Result<()> {
        self.buffer.drain(..self.at);
        self.at = 0;
        let len = self.buffer.len();
        self.buffer.resize(len + CHUNK, 0);
        let mut filled = len;
        // A deflate stream hands back little at a time: read until the chunk is full or the part ends.
        while filled < self.buffer.len() {
            match self.reader.read(&mut self.buffer[filled..]) {
                Ok(0) => {
                    self.ended = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_failed(e)),
            }
        }
        self.buffer.truncate(filled);
        if !self.started {
            self.started = true;
            if self.buffer.starts_with(BOM) {
                self.at = 3;
            }
        }
        Ok(())
    }
}

/// A token found by [`token`], as offsets into what it scanned.
enum Found {
    Start { name: (usize, usize), attrs: (usize, usize), empty: bool },
    End(usize, usize),
    Text(usize, usize),
    Cdata(usize, usize),
}

impl Found {
    fn at(self, buffer: &[u8], base: usize) -> Token<'_> {
        let slice = |(a, b): (usize, usize)| &buffer[base + a..base + b];
        match self {
            Found::Start { name, attrs, empty } => Token::Start { name: slice(name), attrs: slice(attrs), empty },
            Found::End(a, b) => Token::End(slice((a, b))),
            Found::Text(a, b) => Token::Text(Text { raw: slice((a, b)), cdata: false }),
            Found::Cdata(a, b) => Token::Text(Text { raw: slice((a, b)), cdata: true }),
        }
    }
}

enum Scan {
    /// Nothing left.
    Done,
    /// The token is cut off by the end of what was read.
    More,
    /// A declaration, comment or processing instruction of this many bytes.
    Skip(usize),
    Token(usize, Found),
}

/// The first token of `xml`. `whole`: nothing follows (text running to the end is then complete).
fn token(xml: &[u8], whole: bool) -> Result<Scan> {
    let Some(&first) = xml.first() else { return Ok(Scan::Done) };
    if first != b'<' {
        return Ok(match memchr::memchr(b'<', xml) {
            Some(end) => Scan::Token(end, Found::Text(0, end)),
            None if whole => Scan::Token(xml.len(), Found::Text(0, xml.len())),
            None => Scan::More,
        });
    }
    match xml.get(1) {
        None => Ok(Scan::More),
        Some(b'?') => Ok(find(xml, b"?>").map_or(Scan::More, |end| Scan::Skip(end + 2))),
        Some(b'!') if xml.starts_with(b"<!--") => Ok(find(xml, b"-->").map_or(Scan::More, |end| Scan::Skip(end + 3))),
        Some(b'!') if xml.starts_with(b"<![CDATA[") => {
            Ok(find(xml, b"]]>").map_or(Scan::More, |end| Scan::Token(end + 3, Found::Cdata(9, end))))
        }
        Some(b'!') if xml.len() < 9 => Ok(Scan::More),
        Some(b'!') => {
            if xml.starts_with(b"<!DOCTYPE") || xml.starts_with(b"<!ENTITY") {
                return Err(damaged("XML 中含有文档类型声明"));
            }
            Ok(memchr::memchr(b'>', xml).map_or(Scan::More, |end| Scan::Skip(end + 1)))
        }
        Some(b'/') => Ok(match memchr::memchr(b'>', xml) {
            Some(end) => {
                let name_end = xml[2..end].iter().position(u8::is_ascii_whitespace).map_or(end, |p| p + 2);
                Scan::Token(end + 1, Found::End(2, name_end))
            }
            None => Scan::More,
        }),
        Some(_) => {
            // The tag ends at the first '>' outside quotes ('>' may stand unescaped in an attribute's value).
            let mut at = 1;
            let mut quote: Option<u8> = None;
            let end = loop {
                let Some(offset) = memchr::memchr3(b'>', b'"', b'\'', &xml[at..]) else { return Ok(Scan::More) };
                let b = xml[at + offset];
                at += offset + 1;
                match (quote, b) {
                    (None, b'>') => break at - 1,
                    (None, q) => quote = Some(q),
                    (Some(q), b) if q == b => quote = None,
                    _ => {}
                }
            };
            let empty = xml[end - 1] == b'/';
            let inner_end = if empty { end - 1 } else { end };
            let name_end = xml[1..inner_end].iter().position(|b| b.is_ascii_whitespace()).map_or(inner_end, |p| p + 1);
            Ok(Scan::Token(end + 1, Found::Start { name: (1, name_end), attrs: (name_end, inner_end), empty }))
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for code in ["yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy/m/d", "m/d/yy h:mm", "[h]:mm:ss", "mm:ss"]
        {
            assert!(is_date_format(code), "{code}");
        }
        for code in ["General", "0.00", "#,##0;[Red]-#,##0", "\"day\"0", "@", "0.00E+00", "[DBNum1]0"] {
            assert!(!is_date_format(code), "{code}");
        }
    }

    #[test]
    fn excel_escapes_references_and_targets_are_decoded() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD842__xDFB7_"), "𠮷");
        assert_eq!(unescape_excel("_x00ZZ_"), "_x00ZZ_");
        let mut out = String::new();
        decode_text("A&amp;B &#20013;&#x56FD;\r\n".as_bytes(), &mut out).unwrap();
        assert_eq!(out, "A&B 中国\n");
        assert!(decode_text(b"&nbsp;", &mut String::new()).is_err());
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/worksheets", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(cell_reference("AB12").unwrap(), (27, Some(12)));
        assert_eq!(declared("A1:K100001"), Some((100_001, 11)));
    }

    #[test]
    fn a_tag_split_across_chunks_and_quotes_holding_brackets_are_read() {
        let xml = br#"<a x="1>2" y='3'/><b>t&amp;u</b>"#;
        let mut reader: &[u8] = xml;
        let mut stream = Stream::new(&mut reader);
        let mut seen = Vec::new();
        while let Some(t) = stream.next().unwrap() {
            seen.push(match t {
                Token::Start { name, attrs, empty } => {
                    format!("<{}{}{}>", String::from_utf8_lossy(name), String::from_utf8_lossy(attrs), empty)
                }
                Token::End(n) => format!("</{}>", String::from_utf8_lossy(n)),
                Token::Text(t) => String::from_utf8_lossy(t.raw).into_owned(),
            });
        }
        assert_eq!(seen, [r#"<a x="1>2" y='3'true>"#, "<bfalse>", "t&amp;u", "</b>"]);
    }
}
