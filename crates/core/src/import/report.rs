//! The error report of an import: the rejected rows as they were, each bad cell highlighted with a note giving the
//! reason, and a reason column, so the operator fixes this file and imports it again.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook};

use super::ImportResult;
use super::columns::ColumnKind;
use crate::error::Result;
use crate::spreadsheet::{write_cell, write_failed};

pub fn write_report<C: ColumnKind>(result: &ImportResult<C>, path: &Path) -> Result<()> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("未导入的行").map_err(write_failed)?;
    let header_format =
        Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
    let plain = Format::new();
    let text = Format::new().set_num_format("@");
    let bad = Format::new().set_background_color(Color::RGB(0xFFC7CE)).set_font_color(Color::RGB(0x9C0006));
    let reason_format = Format::new().set_font_color(Color::RGB(0x9C0006)).set_text_wrap();

    let map = &result.columns;
    let width = map.header_cells.len() as u16;
    for (i, header) in map.header_cells.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, header, &header_format).map_err(write_failed)?;
        sheet.set_column_width(i as u16, (header.chars().count() as f64 * 2.2).max(12.0)).map_err(write_failed)?;
    }
    // ID and phone columns as text, so the corrected numbers keep every digit.
    for (_, i, _) in map.columns.iter().filter(|(c, _, _)| c.keeps_digits()) {
        sheet.set_column_format(*i as u16, &text).map_err(write_failed)?;
        sheet.set_column_width(*i as u16, 22).map_err(write_failed)?;
    }
    sheet.write_string_with_format(0, width, "错误原因", &header_format).map_err(write_failed)?;
    sheet.write_string_with_format(0, width + 1, "原文件行号", &header_format).map_err(write_failed)?;
    sheet.set_column_width(width, 60).map_err(write_failed)?;
    sheet.set_freeze_panes(1, 0).map_err(write_failed)?;
    sheet.set_landscape().set_print_fit_to_pages(1, 0);

    for (out_row, row) in result.rejected_rows.iter().enumerate() {
        let out_row = out_row as u32 + 1;
        let errors: Vec<_> = result.summary.errors.iter().filter(|e| e.row == row.number).collect();
        for (i, cell) in row.cells.iter().enumerate().take(width as usize) {
            let header = map.header_cells[i].trim();
            let cell_errors: Vec<&str> =
                errors.iter().filter(|e| e.column == header).map(|e| e.reason.as_str()).collect();
            let format = if cell_errors.is_empty() { &plain } else { &bad };
            write_cell(sheet, out_row, i as u16, cell, format)?;
            if !cell_errors.is_empty() {
                let note = Note::new(cell_errors.join("\n")).set_author("SkillCert").set_width(360).set_height(120);
                sheet.insert_note(out_row, i as u16, &note).map_err(write_failed)?;
            }
        }
        // A problem with a column the file does not have still shows in the reason column.
        for e in &errors {
            if let Some(i) = map.header_cells.iter().position(|h| h.trim() == e.column)
                && row.cells.get(i).is_none()
            {
                sheet.write_blank(out_row, i as u16, &bad).map_err(write_failed)?;
            }
        }
        let reasons: Vec<String> = errors.iter().map(|e| format!("{}：{}", e.column, e.reason)).collect();
        sheet.write_string_with_format(out_row, width, reasons.join("；"), &reason_format).map_err(write_failed)?;
        sheet.write_number(out_row, width + 1, row.number).map_err(write_failed)?;
    }
    let warnings = &result.summary.warnings;
    if !warnings.is_empty() {
        // Imported, but the plan's 报考条件 rules did not find these 符合: the reviewer looks at them first.
        let sheet = workbook.add_worksheet();
        sheet.set_name("报考条件核验").map_err(write_failed)?;
        for (i, (header, width)) in
            [("原文件行号", 10.0), ("姓名", 12.0), ("证件号码", 22.0), ("核验结果", 12.0), ("说明", 90.0)]
                .iter()
                .enumerate()
        {
            sheet.write_string_with_format(0, i as u16, *header, &header_format).map_err(write_failed)?;
            sheet.set_column_width(i as u16, *width).map_err(write_failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(write_failed)?;
        for (i, w) in warnings.iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write_number(r, 0, w.row).map_err(write_failed)?;
            sheet.write_string(r, 1, &w.name).map_err(write_failed)?;
            sheet.write_string_with_format(r, 2, &w.id_number, &text).map_err(write_failed)?;
            sheet.write_string(r, 3, w.verdict.label()).map_err(write_failed)?;
            sheet.write_string_with_format(r, 4, &w.summary, &reason_format).map_err(write_failed)?;
        }
    }
    workbook.save(path).map_err(write_failed)?;
    Ok(())
}
