//! 年度统计: a year's figures on A4 — the total, then a table per breakdown (occupation, level, month, 考生来源) with
//! the 合格率 drawn as a bar beside its figure.

use super::PrintOutcome;
use super::canvas::{Canvas, Document, Face, PAGE_HEIGHT, PAGE_WIDTH, missing_glyphs};
use crate::error::{Error, Result};
use crate::ops::statistics::{Breakdown, COLUMNS, YearStatistics, title};

const LEFT: f32 = 18.0;
const ROW: f32 = 7.0;
const LABEL: f32 = 50.0;
const FIGURE: f32 = 17.0;
const BAR: f32 = 24.0;
const BOTTOM: f32 = PAGE_HEIGHT - 18.0;

/// The summary as a PDF's bytes; refused, naming them, when a label holds a character the font cannot show.
pub(crate) fn render(stats: &YearStatistics, agency: &str) -> Result<(PrintOutcome, Vec<u8>)> {
    let labels: Vec<&str> =
        stats.sections().iter().flat_map(|(_, lines)| lines.iter().map(|b| b.label.as_str())).collect();
    let mut problems = Vec::new();
    for text in labels.iter().copied().chain([agency]) {
        let missing = missing_glyphs(Face::Sans, text)?;
        if !missing.is_empty() {
            problems.push(format!("“{text}”（{}）", missing.iter().collect::<String>()));
        }
    }
    if !problems.is_empty() {
        return Err(Error::refused(format!("年度统计未打印，以下文字字体无法显示：{}", problems.join("、"))));
    }
    let heading = title(stats);
    let mut document = Document::new(&heading, false)?;
    let mut pages: Vec<Vec<printpdf::Op>> = Vec::new();
    let mut page = document.canvas();
    page.text_centered(Face::Sans, 16.0, PAGE_WIDTH / 2.0, 22.0, &heading);
    let subtitle = format!("{agency}　认定计划 {} 个（按计划考试日期计）", stats.plans);
    page.text_centered(Face::Sans, 10.0, PAGE_WIDTH / 2.0, 30.0, subtitle.trim_start_matches('　'));
    let mut y = 40.0;
    let total = [Breakdown { label: "全年".into(), figures: stats.total }];
    let sections = std::iter::once(("总计", &total[..])).chain(stats.sections());
    for (section, lines) in sections {
        // A section starts on a new page when not even its header and one line fit.
        if y + ROW * 3.0 > BOTTOM {
            pages.push(page.finish());
            page = document.canvas();
            y = 20.0;
        }
        page.text(Face::Sans, 11.0, LEFT, y + 5.0, section);
        y += ROW + 1.0;
        y = header(&mut page, y);
        for line in lines {
            if y + ROW > BOTTOM {
                pages.push(page.finish());
                page = document.canvas();
                page.text(Face::Sans, 11.0, LEFT, 25.0, &format!("{section}（续）"));
                y = header(&mut page, 28.0);
            }
            row(&mut page, y, line);
            y += ROW;
        }
        y += 6.0;
    }
    pages.push(page.finish());
    let count = pages.len();
    for (index, mut ops) in pages.into_iter().enumerate() {
        let mut footer = document.canvas();
        let number = format!(
            "第 {} 页 共 {count} 页　报名人次含全部报名；参考、缺考、合格按已发布成绩计；合格率 = 合格 ÷ 参考",
            index + 1
        );
        footer.text_centered(Face::Sans, 8.0, PAGE_WIDTH / 2.0, PAGE_HEIGHT - 8.0, &number);
        ops.extend(footer.finish());
        document.add_page(ops);
    }
    let bytes = document.save();
    Ok((PrintOutcome { documents: 1, pages: count, bytes: bytes.len(), left_out: Vec::new() }, bytes))
}

fn right_edge() -> f32 {
    LEFT + LABEL + FIGURE * 5.0 + BAR + FIGURE
}

/// The column titles, ruled; returns where the first line goes.
fn header(page: &mut Canvas<'_>, y: f32) -> f32 {
    page.text(Face::Sans, 9.0, LEFT + 1.5, y + 4.8, "分类");
    let mut x = LEFT + LABEL;
    for (index, title) in COLUMNS.iter().enumerate() {
        page.text(Face::Sans, 9.0, x + 1.5, y + 4.8, title);
        x += if index == 4 { FIGURE + BAR } else { FIGURE };
    }
    page.line(LEFT, y, right_edge(), y, 0.8);
    page.line(LEFT, y + ROW, right_edge(), y + ROW, 0.8);
    y + ROW
}

fn row(page: &mut Canvas<'_>, y: f32, line: &Breakdown) {
    page.text(Face::Sans, 9.0, LEFT + 1.5, y + 4.8, &line.label);
    let mut x = LEFT + LABEL;
    for (index, cell) in line.figures.cells().iter().enumerate() {
        page.text(Face::Sans, 9.0, x + 1.5, y + 4.8, cell);
        if index == 4 {
            // The rate's bar: its share of the bar's width.
            let rate = line.figures.pass_rate.unwrap_or(0.0) as f32 / 100.0;
            page.rect(x + FIGURE, y + 2.2, BAR - 3.0, 2.6, 0.2);
            page.fill_rect(x + FIGURE, y + 2.2, (BAR - 3.0) * rate, 2.6);
            x += BAR;
        }
        x += FIGURE;
    }
    page.line(LEFT, y + ROW, right_edge(), y + ROW, 0.3);
}
