//! What the import screen shows before anything is written: the sheet, the header row found, how each of the
//! file's columns is understood, and the first data rows as the file holds them.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::columns::{Column, ColumnMap, HEADER_SEARCH_ROWS, find_header};
use super::no_header;
use crate::error::{Error, Result};
use crate::spreadsheet::{Row, SheetEvent, Workbook};

/// Data rows shown under the header.
pub const PREVIEW_ROWS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    pub sheet: String,
    /// The header row's number as Excel shows it.
    pub header_row: u32,
    /// Rows the sheet declares (blank rows included): what the progress bar counts to.
    pub declared_rows: usize,
    /// Every column of the header row, in file order.
    pub columns: Vec<PreviewColumn>,
    /// The first data rows, cells in the same order as `columns`.
    pub rows: Vec<PreviewRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PreviewColumn {
    /// The header as the file writes it.
    pub header: String,
    /// The field it fills (the template's name), or None when the column is not imported.
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PreviewRow {
    pub number: u32,
    pub cells: Vec<String>,
}

/// Reads only the first rows of each sheet until a roster header is found; refuses as the import would (no header,
/// a required column missing) so the operator learns it before starting.
pub fn preview_roster(path: &Path) -> Result<ImportPreview> {
    let mut workbook = Workbook::open(path)?;
    let names = workbook.sheet_names().to_vec();
    let mut problem: Option<String> = None;
    for name in &names {
        let mut declared_rows = 0;
        let mut rows: Vec<Row> = Vec::new();
        workbook.stream_sheet(path, name, &mut |event| {
            match event {
                SheetEvent::Size(n) => declared_rows = n,
                SheetEvent::Row(row) => rows.push(row),
            }
            rows.len() < HEADER_SEARCH_ROWS + PREVIEW_ROWS
        })?;
        let Some(map) = find_header::<Column>(&rows) else { continue };
        let missing = map.missing_required();
        if !missing.is_empty() {
            let labels: Vec<&str> = missing.iter().map(|c| c.label()).collect();
            problem.get_or_insert_with(|| {
                format!("工作表“{name}”第 {} 行是表头，但缺少必填列：{}", map.header_row, labels.join("、"))
            });
            continue;
        }
        return Ok(preview(name, declared_rows, &map, &rows));
    }
    Err(Error::Unreadable(problem.unwrap_or_else(|| no_header(&names))))
}

fn preview(sheet: &str, declared_rows: usize, map: &ColumnMap, rows: &[Row]) -> ImportPreview {
    let columns = map
        .header_cells
        .iter()
        .enumerate()
        .map(|(index, header)| PreviewColumn {
            header: header.clone(),
            field: map.columns.iter().find(|(_, i, _)| *i == index).map(|(c, _, _)| c.label().to_string()),
        })
        .collect::<Vec<_>>();
    let rows = rows
        .iter()
        .filter(|r| r.number > map.header_row)
        .take(PREVIEW_ROWS)
        .map(|r| PreviewRow { number: r.number, cells: (0..columns.len()).map(|i| r.cell(i).display()).collect() })
        .collect();
    ImportPreview { sheet: sheet.to_string(), header_row: map.header_row, declared_rows, columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(rows: &[&[&str]]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("报名表").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
        book.save(&path).unwrap();
        (dir, path)
    }

    #[test]
    fn shows_the_header_under_a_title_and_how_each_column_is_read() {
        let mut rows: Vec<&[&str]> =
            vec![&["2026年电工报名花名册"], &["序号", "姓 名", "身份证号", "联系电话", "备注"]];
        let data: &[&str] = &["1", "张三", "11010519491231002X", "13812345678", "补考"];
        rows.extend(std::iter::repeat_n(data, 12));
        let (_dir, path) = workbook(&rows);
        let p = preview_roster(&path).unwrap();
        assert_eq!((p.sheet.as_str(), p.header_row, p.declared_rows), ("报名表", 2, 14));
        let fields: Vec<Option<&str>> = p.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(fields, [None, Some("姓名"), Some("证件号码"), Some("手机号码"), None]);
        assert_eq!(p.columns[2].header, "身份证号");
        assert_eq!(p.rows.len(), PREVIEW_ROWS);
        assert_eq!((p.rows[0].number, p.rows[0].cells[1].as_str()), (3, "张三"));
    }

    #[test]
    fn a_missing_required_column_is_named_before_importing() {
        let (_dir, path) = workbook(&[&["姓名", "证件号码"], &["张三", "11010519491231002X"]]);
        let e = preview_roster(&path).unwrap_err();
        assert!(e.to_string().contains("缺少必填列：手机号码"), "{e}");
    }
}
