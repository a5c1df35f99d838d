//! 成绩公示名单: the public list of a plan's published results, 证件号码 masked, on A4 pages with the header repeated.

use super::PrintOutcome;
use super::canvas::{Document, Face, PAGE_HEIGHT, PAGE_WIDTH, missing_glyphs};
use crate::error::{Error, Result};
use crate::ops::scores::NoticeList;

const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
const ROW: f32 = 7.5;
const TABLE_TOP: f32 = 44.0;
const ROWS_PER_PAGE: usize = 30;

/// The list as a PDF's bytes: refused, naming them, when a name holds a character the font cannot show.
pub(crate) fn render(list: &NoticeList) -> Result<(PrintOutcome, Vec<u8>)> {
    let fixed = format!("{}{}", list.title, list.agency_name);
    let mut problems: Vec<String> = Vec::new();
    if !missing_glyphs(Face::Sans, &fixed)?.is_empty() {
        problems.push(format!("标题“{fixed}”"));
    }
    for line in &list.lines {
        let missing = missing_glyphs(Face::Sans, &line.name)?;
        if !missing.is_empty() {
            problems.push(format!("{}（“{}”）", line.name, missing.iter().collect::<String>()));
        }
    }
    if !problems.is_empty() {
        return Err(Error::refused(format!(
            "成绩公示名单须列出每一位考生，以下文字没有任何字体能显示，未打印：{}（请核对录入，或在本机安装含此字的字库）",
            problems.join("、")
        )));
    }
    let mut columns: Vec<(&str, f32)> = list
        .titles()
        .into_iter()
        .map(|title| {
            let width = match title {
                "序号" => 12.0,
                "准考证号" => 30.0,
                "姓名" => 26.0,
                "证件号码" => 44.0,
                _ => 20.0,
            };
            (title, width)
        })
        .collect();
    // The result column (the last) takes what is left of the width.
    let used: f32 = columns[..columns.len() - 1].iter().map(|(_, w)| w).sum();
    if let Some(last) = columns.last_mut() {
        last.1 = RIGHT - LEFT - used;
    }

    let mut document = Document::new(&list.title, false)?;
    let pages = list.lines.len().div_ceil(ROWS_PER_PAGE).max(1);
    for page_index in 0..pages {
        let lines = (0..list.lines.len()).skip(page_index * ROWS_PER_PAGE).take(ROWS_PER_PAGE);
        let mut page = document.canvas();
        page.shared();
        page.text_centered(Face::Sans, 16.0, PAGE_WIDTH / 2.0, 22.0, &list.title);
        page.text_centered(Face::Sans, 10.5, PAGE_WIDTH / 2.0, 30.0, &format!("公示期：{}", list.period.label()));
        page.text(Face::Sans, 9.0, LEFT, 39.0, &format!("发布机构：{}", list.agency_name));
        let mut x = LEFT;
        for (title, width) in &columns {
            page.text(Face::Sans, 9.5, x + 1.5, TABLE_TOP + 5.2, title);
            x += width;
        }
        page.own();
        let mut y = TABLE_TOP + ROW;
        for index in lines {
            let mut x = LEFT;
            for ((_, width), value) in columns.iter().zip(&list.cells(index)) {
                page.text(Face::Sans, 9.5, x + 1.5, y + 5.2, value);
                x += width;
            }
            y += ROW;
        }
        // The grid: a rule under every row, the columns between.
        for row in 0..=((y - TABLE_TOP) / ROW).round() as usize {
            let at = TABLE_TOP + ROW * row as f32;
            page.line(LEFT, at, RIGHT, at, if row <= 1 { 0.8 } else { 0.4 });
        }
        let mut x = LEFT;
        for (_, width) in &columns {
            page.line(x, TABLE_TOP, x, y, 0.4);
            x += width;
        }
        page.line(RIGHT, TABLE_TOP, RIGHT, y, 0.4);
        if page_index + 1 == pages {
            page.text(Face::Sans, 9.0, LEFT, y + 7.0, "公示期内如对成绩有异议，请向发布机构提出复核（查分）申请。");
        }
        let number = format!("第 {} 页 共 {pages} 页", page_index + 1);
        page.text_centered(Face::Sans, 9.0, PAGE_WIDTH / 2.0, PAGE_HEIGHT - 8.0, &number);
        let ops = page.finish();
        document.add_page(ops);
    }
    let pages = document.pages.len();
    let bytes = document.save();
    Ok((PrintOutcome { documents: list.lines.len(), pages, bytes: bytes.len(), left_out: Vec::new() }, bytes))
}
