//! Excel exports. Written in constant-memory mode (rows are flushed as they are written), every value as a string
//! or number cell: a roster value starting with = + - @ stays text and is never evaluated as a formula.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use crate::domain::status::ApplicationStatus;
use crate::error::Result;
use crate::progress::Progress;
use crate::spreadsheet::write_failed;
use crate::store::{Store, applications, plans};

const HEADERS: [(&str, f64); 20] = [
    ("序号", 6.0),
    ("姓名", 10.0),
    ("性别", 6.0),
    ("出生日期", 12.0),
    ("证件类型", 14.0),
    ("证件号码", 21.0),
    ("手机号码", 13.0),
    ("民族", 8.0),
    ("文化程度", 12.0),
    ("工作单位", 26.0),
    ("通讯地址", 28.0),
    ("从事本职业年限", 10.0),
    ("考生来源", 8.0),
    ("职业", 10.0),
    ("工种/职业方向", 12.0),
    ("等级", 13.0),
    ("状态", 11.0),
    ("支付状态", 9.0),
    ("不通过原因", 24.0),
    ("报名时间", 20.0),
];

/// Writes a plan's applications (optionally of one status) to `path`; returns how many rows were written.
/// `progress` hears every thousand rows; a set `cancel` stops before the file is written.
pub fn export_applications(
    store: &Store,
    plan_id: i64,
    status: Option<ApplicationStatus>,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<usize> {
    let plan = plans::get(store.conn(), plan_id)?;
    let total = applications::count_in_plan(store.conn(), plan_id, status)?;
    let total = total as usize;
    let mut workbook = Workbook::new();
    // Level 2: files ~10% larger than the default 6, written about twice as fast (Excel itself uses 3).
    workbook.set_zip_compression_level(2);
    let sheet = workbook.add_worksheet_with_constant_memory().map_err(write_failed)?;
    sheet.set_name("报名名单").map_err(write_failed)?;
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
    // Values are written as string cells (they stay text whatever the format); the ID and phone columns are also
    // formatted as text so a later edit in Excel cannot turn them into numbers. Per-cell formats are avoided: each
    // one costs a format lookup, and an export writes two million cells.
    let text = Format::new().set_num_format("@");
    for (i, (title, width)) in HEADERS.iter().enumerate() {
        sheet.set_column_width(i as u16, *width).map_err(write_failed)?;
        if matches!(*title, "证件号码" | "手机号码") {
            sheet.set_column_format(i as u16, &text).map_err(write_failed)?;
        }
        sheet.write_string_with_format(0, i as u16, *title, &header).map_err(write_failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(write_failed)?;

    let job = plan.job.clone().unwrap_or_else(|| "--".into());
    let level = plan.level.label();
    let mut written = 0usize;
    applications::for_export(store.conn(), plan_id, status, |r| {
        crate::progress::step(progress, cancel, 1000, written, total)?;
        let row = written as u32 + 1;
        sheet.write_number(row, 0, (written + 1) as f64).map_err(write_failed)?;
        for (i, value) in r.texts.iter().enumerate() {
            if let Some(v) = value {
                sheet.write_string(row, i as u16 + 1, v).map_err(write_failed)?;
            }
        }
        if let Some(years) = r.years_in_occupation {
            sheet.write_number(row, 11, years as f64).map_err(write_failed)?;
        }
        let tail: [Option<String>; 4] =
            [r.source, Some(plan.occupation.clone()), Some(job.clone()), Some(level.into())];
        for (i, value) in tail.iter().enumerate() {
            if let Some(v) = value {
                sheet.write_string(row, 12 + i as u16, v).map_err(write_failed)?;
            }
        }
        for (i, value) in r.application.iter().enumerate() {
            if let Some(v) = value {
                sheet.write_string(row, 16 + i as u16, v).map_err(write_failed)?;
            }
        }
        written += 1;
        Ok(())
    })?;
    workbook.save(path).map_err(write_failed)?;
    progress(Progress { done: written, total: written });
    Ok(written)
}
