//! Spreadsheets that web systems export as text, whatever their file is named: CSV (comma, semicolon or tab), HTML
//! tables saved as .xls, and XML Spreadsheet 2003. The text is UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
//! "Unicode text"), or GB18030 — which reads GBK — as Excel and WPS in China save CSV, or as a page's `<meta charset>`
//! or an XML declaration says.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::{Cell, MAX_COLUMNS, MAX_ROWS, Row, iso_date};

/// The sheets of a text workbook, read whole (the file's size bounds what it costs).
pub(super) struct TextBook {
    pub sheets: Vec<(String, Vec<Row>)>,
}

/// The workbook in `bytes`, when they are one of the text formats; `Err` says why such a file cannot be read.
pub(super) fn parse(bytes: &[u8]) -> Option<Result<TextBook, String>> {
    let text = decode(bytes)?;
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head: String = start.chars().take(4096).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<?xml") && head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Some(xml_2003(start));
    }
    if head.starts_with('<') && (head.contains("<table") || head.contains("<html")) {
        return Some(html(start));
    }
    if head.starts_with('<') || text.contains('\0') {
        return None;
    }
    Some(csv(start))
}

/// The text of a file that is text: BOMs first, then valid UTF-8, then the charset an HTML or XML file declares, else
/// GB18030. None for binary content (control bytes other than tab and line ends near the start).
fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Some(text);
    }
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) {
        return None;
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Cow::Borrowed(text));
    }
    let declared = declared_charset(sample).filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE);
    let (text, _, _) = declared.unwrap_or(GB18030).decode(bytes);
    Some(text)
}

/// `<meta charset="gbk">`, `content="text/html; charset=gb2312"` or `<?xml … encoding="GB2312"?>`.
fn declared_charset(sample: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(sample).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        if let Some(at) = head.find(key) {
            let rest = head[at + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
                return Some(encoding);
            }
        }
    }
    None
}

fn limits(rows: usize) -> Result<(), String> {
    if rows > MAX_ROWS as usize {
        return Err(format!("表格有 {rows} 行，超出导入上限（{MAX_ROWS} 行）；请拆分后导入"));
    }
    Ok(())
}

/// A cell's text as the table shows it: trimmed, and blank as empty.
fn text_cell(text: String) -> Cell {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}');
    if trimmed.is_empty() { Cell::Empty } else { Cell::Text(trimmed.to_string()) }
}

fn push_row(rows: &mut Vec<Row>, number: u32, mut cells: Vec<Cell>) {
    cells.truncate(MAX_COLUMNS as usize);
    while cells.last().is_some_and(Cell::is_blank) {
        cells.pop();
    }
    if !cells.is_empty() {
        rows.push(Row { number, cells });
    }
}

// ---- CSV ----

/// A CSV file: the delimiter is the one of comma, semicolon and tab that splits the first lines most evenly;
/// quoted fields may hold delimiters, quotes ("") and line breaks. Excel's `="0012"` (a number kept as text) is read as
/// its text.
fn csv(text: &str) -> Result<TextBook, String> {
    let delimiter = sniff_delimiter(text);
    let mut rows = Vec::new();
    let mut record: Vec<Cell> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut number = 1u32;
    let mut chars = text.chars().peekable();
    let finish_field = |field: &mut String, was_quoted: &mut bool, record: &mut Vec<Cell>| {
        let value = std::mem::take(field);
        let value = match value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')) {
            Some(inner) if !*was_quoted => inner.to_string(),
            _ => value,
        };
        record.push(if *was_quoted && !value.is_empty() { Cell::Text(value) } else { text_cell(value) });
        *was_quoted = false;
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            c if c == delimiter => finish_field(&mut field, &mut was_quoted, &mut record),
            '\r' => {}
            '\n' => {
                finish_field(&mut field, &mut was_quoted, &mut record);
                push_row(&mut rows, number, std::mem::take(&mut record));
                number += 1;
                limits(number as usize)?;
            }
            other => field.push(other),
        }
    }
    if quoted {
        return Err(format!("第 {number} 行的引号没有闭合（文件可能被截断）；请重新导出后再导入"));
    }
    if !field.is_empty() || !record.is_empty() {
        finish_field(&mut field, &mut was_quoted, &mut record);
        push_row(&mut rows, number, record);
    }
    if rows.is_empty() {
        return Err("文件中没有数据行".into());
    }
    Ok(TextBook { sheets: vec![("CSV".into(), rows)] })
}

fn sniff_delimiter(text: &str) -> char {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    // The delimiter found on most lines, and most often, wins; a file of one column is comma-separated.
    [',', '\t', ';']
        .into_iter()
        .map(|d| {
            let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
            let lines_with = counts.iter().filter(|n| **n > 0).count();
            (d, lines_with, counts.iter().sum::<usize>())
        })
        .max_by_key(|(_, lines_with, total)| (*lines_with, *total))
        .filter(|(_, lines_with, _)| *lines_with > 0)
        .map_or(',', |(d, _, _)| d)
}

// ---- HTML ----

/// Every `<table>` of an HTML file as a sheet ("表格1", …; the import picks the one with the roster's header). Rows are
/// `<tr>`, cells `<td>`/`<th>` (a `colspan` leaves empty cells after it, a `rowspan` the cells below); tags inside a
/// cell are dropped, `<br>` becomes a line break, entities are decoded and `&nbsp;` is a space. Styles, scripts and
/// comments are skipped.
fn html(text: &str) -> Result<TextBook, String> {
    let mut sheets = Vec::new();
    let mut rows: Option<Vec<Row>> = None;
    let mut row: Option<Vec<Cell>> = None;
    let mut cell: Option<(String, usize)> = None;
    // How many more rows a rowspan above still covers, per column.
    let mut spans = vec![0usize; MAX_COLUMNS as usize];
    let mut number = 0u32;
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        if let Some((content, _)) = cell.as_mut() {
            content.push_str(&rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("style" | "script", false) => {
                rest = find_ignoring_case(rest, &format!("</{name}")).map_or("", |at| &rest[at..]);
            }
            ("table", false) => {
                depth += 1;
                if depth == 1 {
                    rows = Some(Vec::new());
                    spans.fill(0);
                    number = 0;
                }
            }
            ("table", true) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close_cell(&mut cell, &mut row);
                    close_row(&mut row, &mut rows, number, &mut spans);
                    if let Some(done) = rows.take().filter(|r| !r.is_empty()) {
                        sheets.push((format!("表格{}", sheets.len() + 1), done));
                    }
                }
            }
            // A table inside a cell (a layout table) is the cell's text.
            ("tr", false) if depth == 1 => {
                close_cell(&mut cell, &mut row);
                close_row(&mut row, &mut rows, number, &mut spans);
                number += 1;
                limits(number as usize)?;
                row = Some(Vec::new());
            }
            ("tr", true) if depth == 1 => {
                close_cell(&mut cell, &mut row);
                close_row(&mut row, &mut rows, number, &mut spans);
            }
            ("td" | "th", false) if depth == 1 => {
                close_cell(&mut cell, &mut row);
                let cells = row.get_or_insert_with(Vec::new);
                // Columns a rowspan from above still fills come first.
                while spans.get(cells.len()).is_some_and(|left| *left > 0) {
                    cells.push(Cell::Empty);
                }
                let colspan = attribute(tag, "colspan").unwrap_or(1).clamp(1, MAX_COLUMNS as usize);
                // Counted down as each row closes, this one included.
                if let Some(rowspan) = attribute(tag, "rowspan").filter(|n| *n > 1) {
                    for left in spans.iter_mut().skip(cells.len()).take(colspan) {
                        *left = rowspan.min(MAX_ROWS as usize);
                    }
                }
                cell = Some((String::new(), colspan));
            }
            ("td" | "th", true) if depth == 1 => close_cell(&mut cell, &mut row),
            ("br", _) | ("p", true) | ("div", true) => {
                if let Some((content, _)) = cell.as_mut() {
                    content.push('\n');
                }
            }
            _ => {}
        }
    }
    if sheets.is_empty() {
        return Err("网页中没有表格（<table>）；请导出为 Excel 或 CSV 后再导入".into());
    }
    Ok(TextBook { sheets })
}

fn close_cell(cell: &mut Option<(String, usize)>, row: &mut Option<Vec<Cell>>) {
    if let (Some((content, colspan)), Some(cells)) = (cell.take(), row.as_mut()) {
        let text = decode_entities(&content);
        // Line breaks inside a cell are kept; runs of spaces (the page's indentation) are one.
        let text: Vec<String> = text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        cells.push(text_cell(text.join("\n").trim().to_string()));
        let room = (MAX_COLUMNS as usize).saturating_sub(cells.len());
        cells.extend(std::iter::repeat_n(Cell::Empty, (colspan - 1).min(room)));
    }
}

fn close_row(row: &mut Option<Vec<Cell>>, rows: &mut Option<Vec<Row>>, number: u32, spans: &mut [usize]) {
    if let (Some(cells), Some(rows)) = (row.take(), rows.as_mut()) {
        push_row(rows, number, cells);
        for left in spans.iter_mut() {
            *left = left.saturating_sub(1);
        }
    }
}

/// Where `needle` (ASCII) first stands in `haystack`, in any case, without copying the text.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A numeric attribute of a tag: `colspan="3"`, `COLSPAN=3`.
fn attribute(tag: &str, name: &str) -> Option<usize> {
    let at = find_ignoring_case(tag, &format!("{name}="))?;
    let value = tag[at + name.len() + 1..].trim_start_matches(['"', '\'']);
    value.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

/// `&nbsp;` `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NNN;` `&#xHH;`; an unknown entity stays as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match entity.strip_prefix('#') {
                    Some(hex) if hex.starts_with(['x', 'X']) => {
                        u32::from_str_radix(&hex[1..], 16).ok().and_then(char::from_u32)
                    }
                    Some(dec) => dec.parse().ok().and_then(char::from_u32),
                    None => None,
                },
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---- XML Spreadsheet 2003 ----

/// Excel's XML Spreadsheet 2003: `Worksheet` (ss:Name) → `Table` → `Row` (ss:Index) → `Cell` (ss:Index,
/// ss:MergeAcross) → `Data` (ss:Type String, Number, DateTime, Boolean).
fn xml_2003(text: &str) -> Result<TextBook, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut sheets = Vec::new();
    let mut current: Option<(String, Vec<Row>)> = None;
    let mut row: Option<(u32, Vec<Cell>)> = None;
    let mut next_row = 1u32;
    let mut data: Option<(String, String)> = None;
    let mut column = 0usize;
    let broken = |e: quick_xml::Error| format!("XML 表格文件不完整或已损坏（{e}）；请重新导出后再导入");
    loop {
        match reader.read_event().map_err(broken)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "Worksheet" => {
                let name = attr(&e, "Name").unwrap_or_else(|| format!("Sheet{}", sheets.len() + 1));
                current = Some((name, Vec::new()));
                next_row = 1;
            }
            Event::End(e) if e.local_name().into_inner() == "Worksheet" => {
                if let Some(sheet) = current.take() {
                    sheets.push(sheet);
                }
            }
            Event::Start(e) if e.local_name().into_inner() == "Row" => {
                let number = attr(&e, "Index").and_then(|i| i.parse().ok()).unwrap_or(next_row);
                limits(number as usize)?;
                row = Some((number, Vec::new()));
                column = 0;
            }
            Event::Empty(e) if e.local_name().into_inner() == "Row" => {
                next_row = attr(&e, "Index").and_then(|i| i.parse().ok()).unwrap_or(next_row) + 1;
            }
            Event::End(e) if e.local_name().into_inner() == "Row" => {
                if let (Some((number, cells)), Some((_, rows))) = (row.take(), current.as_mut()) {
                    push_row(rows, number, cells);
                    next_row = number + 1;
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "Cell" => {
                if let Some(index) = attr(&e, "Index").and_then(|i| i.parse::<usize>().ok()) {
                    column = index.saturating_sub(1);
                }
                if let Some((_, cells)) = row.as_mut() {
                    cells.resize(column.min(MAX_COLUMNS as usize), Cell::Empty);
                }
                let across = attr(&e, "MergeAcross").and_then(|m| m.parse::<usize>().ok()).unwrap_or(0);
                column = column.saturating_add(1).saturating_add(across);
            }
            Event::Start(e) if e.local_name().into_inner() == "Data" => {
                data = Some((attr(&e, "Type").unwrap_or_default(), String::new()));
            }
            Event::Text(t) => {
                if let Some((_, content)) = data.as_mut() {
                    content.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, content)) = data.as_mut() {
                    content.push_str(&decode_entities(&format!("&{};", &*r)));
                }
            }
            Event::End(e) if e.local_name().into_inner() == "Data" => {
                if let (Some((kind, content)), Some((_, cells))) = (data.take(), row.as_mut())
                    && cells.len() < MAX_COLUMNS as usize
                {
                    cells.push(match kind.as_str() {
                        "Number" => content.trim().parse().map(Cell::Number).unwrap_or_else(|_| text_cell(content)),
                        "DateTime" => iso_date(&content),
                        "Boolean" => Cell::Bool(content.trim() == "1"),
                        "Error" => Cell::Error(content),
                        _ => text_cell(content),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let sheets: Vec<(String, Vec<Row>)> = sheets.into_iter().filter(|(_, rows)| !rows.is_empty()).collect();
    if sheets.is_empty() {
        return Err("XML 表格文件中没有数据".into());
    }
    Ok(TextBook { sheets })
}

/// An attribute's value by its name without the prefix (`ss:Name` → `Name`).
fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Row>)> {
        parse(bytes).expect("a text spreadsheet").expect("readable").sheets
    }

    fn texts(row: &Row) -> Vec<String> {
        row.cells.iter().map(Cell::display).collect()
    }

    #[test]
    fn csv_in_gbk_or_utf8_with_any_of_three_delimiters() {
        let gbk = GB18030.encode("姓名,证件号码,手机号码\r\n张三,\"11010519491231002X\",13812345678\r\n").0;
        let rows = &sheets(&gbk)[0].1;
        assert_eq!(texts(&rows[1]), ["张三", "11010519491231002X", "13812345678"]);
        let bom = [b"\xEF\xBB\xBF".as_slice(), "姓名;备注\n李四;\"含;分号\n和换行\"\n".as_bytes()].concat();
        let rows = &sheets(&bom)[0].1;
        assert_eq!(texts(&rows[1]), ["李四", "含;分号\n和换行"]);
        let tab = "姓名\t证件号码\n王五\t=\"440305199003071234\"\n";
        assert_eq!(texts(&sheets(tab.as_bytes())[0].1[1]), ["王五", "440305199003071234"]);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("姓名\t手机\n赵六\t139\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(texts(&sheets(&utf16)[0].1[1]), ["赵六", "139"]);
        // Blank lines are skipped but counted: row numbers are the file's lines.
        assert_eq!(sheets(b"a,b\n\n1,2\n")[0].1[1].number, 3);
        assert!(parse(b"a,\"b\n").unwrap().is_err(), "an unclosed quote");
        assert!(parse(b"\x00\x01\x02binary").is_none());
    }

    #[test]
    fn html_tables_as_web_systems_export_them() {
        let page = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
            <style>td { mso-number-format:"\@"; } .x { color: red }</style></head><body>
            <table><tr><td>导出时间：2026-12-01</td></tr></table>
            <table border=1>
              <tr><th colspan="2">考生名单</th></tr>
              <tr><th>姓名</th><th>证件号码</th><th>单位</th></tr>
              <tr><td><span style="mso-number-format:'\@'">张&nbsp;三</span></td><td x:str>11010519491231002X</td>
                  <td>A&amp;B <b>公司</b><br>二部</td></tr>
              <!-- <tr><td>注释里的行</td></tr> -->
              <tr><td rowspan=2>李四</td><td>110105198001010016</td><td>&#20013;&#x56FD;</td></tr>
              <tr><td>110101199001011234</td><td>&unknown; &lt;空&gt;</td></tr>
            </table></body></html>"#;
        let bytes = GB18030.encode(page).0;
        let sheets = sheets(&bytes);
        assert_eq!(sheets.len(), 2, "two tables, two sheets");
        let rows = &sheets[1].1;
        assert_eq!(texts(&rows[0]), ["考生名单"]);
        assert_eq!(texts(&rows[2]), ["张 三", "11010519491231002X", "A&B 公司\n二部"]);
        assert_eq!(texts(&rows[3]), ["李四", "110105198001010016", "中国"]);
        assert_eq!(texts(&rows[4]), ["", "110101199001011234", "&unknown; <空>"], "the rowspan keeps the column");
        assert_eq!(rows[4].number, 5);
        assert!(parse(b"<html><body><p>no table</p></body></html>").unwrap().is_err());
    }

    #[test]
    fn xml_spreadsheet_2003() {
        let xml = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="考生">
  <Table>
   <Row><Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">出生日期</Data></Cell><Cell><Data ss:Type="String">成绩</Data></Cell></Row>
   <Row ss:Index="3"><Cell><Data ss:Type="String">张三 &amp; 李四</Data></Cell><Cell><Data ss:Type="DateTime">1990-03-07T00:00:00.000</Data></Cell><Cell ss:Index="3"><Data ss:Type="Number">85.5</Data></Cell></Row>
   <Row><Cell ss:MergeAcross="1"><Data ss:Type="String">合并</Data></Cell><Cell><Data ss:Type="Number">60</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"#;
        let sheets = sheets(xml.as_bytes());
        assert_eq!(sheets[0].0, "考生");
        let rows = &sheets[0].1;
        assert_eq!(
            (rows[1].number, texts(&rows[1])),
            (3, vec!["张三 & 李四".into(), "1990-03-07".into(), "85.5".into()])
        );
        assert_eq!(rows[1].cells[2], Cell::Number(85.5));
        assert_eq!(texts(&rows[2]), ["合并", "", "60"]);
        let truncated =
            b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet>";
        assert!(parse(truncated).unwrap().is_err(), "nothing in it");
    }
}
