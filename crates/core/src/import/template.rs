//! The candidate import template: the header SkillCert reads, 证件号码 and 手机号码 as text (so Excel cannot damage
//! them), dropdowns for the fixed lists, input messages, one example row.

use std::path::Path;

use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

use super::columns::Column;
use crate::domain::candidate::{EDUCATION, ETHNICITIES, SOURCES};
use crate::domain::id_number::IdType;
use crate::domain::level::Level;
use crate::error::Result;
use crate::spreadsheet::write_failed;

/// The example row's name; rows whose 姓名 starts with 示例 are skipped by the import.
pub const EXAMPLE_NAME: &str = "示例：张三";

/// Rows that carry the dropdowns and text formats (the example row included).
const FORMATTED_ROWS: u32 = 5000;

/// What each column holds in the template: the example value, the width and the input message.
fn column_spec(column: Column) -> (&'static str, f64, &'static str) {
    match column {
        Column::Name => (EXAMPLE_NAME, 14.0, "考生姓名，与证件上一致"),
        Column::Sex => ("男", 8.0, "可不填：居民身份证号码会自动得出性别"),
        Column::IdType => ("居民身份证", 22.0, "从下拉列表选择；不填视为居民身份证"),
        Column::IdNumber => ("110105199003070017", 22.0, "本列为文本格式，请完整录入18位号码，末位X大小写均可"),
        Column::BirthDate => ("1990-03-07", 12.0, "可不填：由身份证号得出；其他证件请填写，如 1990-03-07"),
        Column::Ethnicity => ("汉族", 10.0, "从下拉列表选择"),
        Column::Education => ("大学专科", 14.0, "从下拉列表选择"),
        Column::Phone => ("13812345678", 14.0, "11位手机号码"),
        Column::Employer => ("示范机电工程有限公司", 28.0, "没有可填“无”或留空"),
        Column::Address => ("广州市天河区中山大道100号", 30.0, "邮寄证书用的地址"),
        Column::Occupation => ("电工", 12.0, "导入到计划时可不填；填写则须与计划一致"),
        Column::Job => ("--", 12.0, "没有工种填 --"),
        Column::Level => ("四级/中级工", 14.0, "从下拉列表选择"),
        Column::Years => ("5", 10.0, "整数年数"),
        Column::Source => ("企业", 10.0, "从下拉列表选择"),
        Column::PriorCertNumber => ("", 24.0, "已有本职业证书的填写证书编号"),
        Column::PriorCertName => ("", 14.0, "已有证书的职业名称，如 电工（申报三级及以上通常需要）"),
        Column::PriorCertLevel => ("", 14.0, "已有证书的等级，如 五级/初级工"),
        Column::PriorCertDate => ("", 14.0, "已有证书的发证日期，如 2020-06-30"),
        Column::Major => ("", 16.0, "所学专业，如 电气自动化技术"),
        Column::School => ("", 22.0, "毕业院校全称"),
        Column::GraduatedOn => ("", 12.0, "毕业年月，如 2015-07"),
        Column::WorkStartedOn => ("", 12.0, "参加工作的年月，如 2015-08（报考条件按工作年限核对）"),
        Column::Title => ("", 14.0, "专业技术职称，如 助理工程师；没有可留空"),
    }
}

pub fn write_template(path: &Path) -> Result<()> {
    let mut workbook = Workbook::new();
    // The long lists live on a hidden sheet (Excel caps an inline list at 255 characters).
    let lists: [(&str, Vec<String>); 6] = [
        ("性别", vec!["男".into(), "女".into()]),
        ("证件类型", IdType::ALL.iter().map(|t| t.label().to_string()).collect()),
        (
            "民族",
            ETHNICITIES
                .iter()
                .map(|e| if matches!(*e, "其他" | "外国血统") { e.to_string() } else { format!("{e}族") })
                .collect(),
        ),
        ("文化程度", EDUCATION.iter().map(|(name, _)| name.to_string()).collect()),
        ("等级", Level::ALL.iter().map(|l| l.label().to_string()).collect()),
        ("考生来源", SOURCES.iter().map(|s| s.to_string()).collect()),
    ];

    let sheet = workbook.add_worksheet();
    sheet.set_name("考生名单").map_err(write_failed)?;
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let required = header.clone().set_font_color(Color::RGB(0xC00000));
    let text = Format::new().set_num_format("@");
    let example = Format::new().set_font_color(Color::RGB(0x808080)).set_num_format("@");

    for (i, column) in Column::ALL.into_iter().enumerate() {
        let col = i as u16;
        let (sample, width, message) = column_spec(column);
        let is_required = Column::REQUIRED.contains(&column);
        let title = if is_required { format!("{}*", column.label()) } else { column.label().to_string() };
        sheet
            .write_string_with_format(0, col, &title, if is_required { &required } else { &header })
            .map_err(write_failed)?;
        sheet.set_column_width(col, width).map_err(write_failed)?;
        // Every column is text: dates, IDs and phone numbers keep exactly what was typed.
        sheet.set_column_format(col, &text).map_err(write_failed)?;
        sheet.write_string_with_format(1, col, sample, &example).map_err(write_failed)?;
        let mut validation = match lists.iter().position(|(name, _)| *name == column.label()) {
            Some(list) => {
                let (_, values) = &lists[list];
                let letter = (b'A' + list as u8) as char;
                DataValidation::new()
                    .allow_list_formula(Formula::new(format!("=选项!${letter}$2:${letter}${}", values.len() + 1)))
            }
            None => DataValidation::new().allow_any_value(),
        };
        validation = validation.set_input_title(column.label()).map_err(write_failed)?;
        validation = validation.set_input_message(message).map_err(write_failed)?;
        sheet.add_data_validation(1, col, FORMATTED_ROWS, col, &validation).map_err(write_failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(write_failed)?;
    sheet.set_landscape().set_print_fit_to_pages(1, 0);

    let options = workbook.add_worksheet();
    write_lists(options, &lists)?;
    workbook.save(path).map_err(write_failed)?;
    Ok(())
}

fn write_lists(sheet: &mut Worksheet, lists: &[(&str, Vec<String>)]) -> Result<()> {
    sheet.set_name("选项").map_err(write_failed)?;
    for (i, (name, values)) in lists.iter().enumerate() {
        sheet.write_string(0, i as u16, *name).map_err(write_failed)?;
        for (j, value) in values.iter().enumerate() {
            sheet.write_string(j as u32 + 1, i as u16, value).map_err(write_failed)?;
        }
    }
    sheet.set_hidden(true);
    Ok(())
}
