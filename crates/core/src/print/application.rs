//! 个人申请表: A4, every field of domain.md, the photo, the declaration and signature line, and boxes for the
//! agency's review opinion and seal.

use super::canvas::{Canvas, Document, Face, PAGE_WIDTH};
use super::{Context, DocumentKind, Prepared, refuse_if_any};
use crate::domain::eligibility::{Outcome, RuleSet};
use crate::domain::score::Part;
use crate::domain::text::month_of;
use crate::error::Result;
use crate::ops::eligibility;
use crate::store::applications::Application;
use crate::store::candidates::{self, Candidate};
use crate::store::photos::{self, Photo};
use crate::store::plans::Plan;
use crate::store::resits;

pub(crate) struct Item {
    candidate: Candidate,
    photo: Photo,
    /// 申报条件: the path of the plan's rules the candidate meets, or the plan's whole text.
    conditions: String,
    /// A 补考's parts kept from the earlier exam (not taken again); None for a 新考.
    resit: Option<Vec<Part>>,
}

pub(crate) fn prepare(
    conn: &crate::store::sql::Connection,
    plan: &Plan,
    chosen: &[Application],
) -> Result<Prepared<Item>> {
    let mut items = Prepared::new(chosen.len());
    let mut problems = Vec::new();
    let mut missing_photo = false;
    for app in chosen {
        let who = format!("{}（{}）", app.name, app.id_number);
        let candidate = candidates::get(conn, app.candidate_id)?;
        let p = &candidate.profile;
        let text = [&p.name, p.employer.as_deref().unwrap_or(""), p.address.as_deref().unwrap_or("")].concat();
        if items.leave_out_unprintable(app, (Face::Sans, "资料"), &text)? {
            continue;
        }
        let Some(photo) = photos::get(conn, app.candidate_id)? else {
            problems.push(format!("{who}没有照片"));
            missing_photo = true;
            continue;
        };
        let conditions = conditions_for(conn, plan, &candidate)?;
        let resit = resits::get(conn, app.id)?.map(|r| r.carried);
        items.items.push(Item { candidate, photo, conditions, resit });
    }
    refuse_if_any(DocumentKind::ApplicationForm, problems, missing_photo)?;
    Ok(items)
}

/// What the form's 申报条件 box says: the route (条件一, …) the candidate qualifies by when the plan's rules find one,
/// else the plan's 报考条件 for the reviewer to tick against.
fn conditions_for(conn: &crate::store::sql::Connection, plan: &Plan, candidate: &Candidate) -> Result<String> {
    if let (Some(rules), Some(check)) = (&plan.eligibility, eligibility::evaluate(conn, plan, candidate)?)
        && let Some((index, _)) = check.paths.iter().enumerate().find(|(_, p)| p.outcome == Outcome::Met)
    {
        let route = RuleSet { paths: vec![rules.paths[index].clone()] }.text();
        return Ok(format!(
            "{}（{}）",
            route.replacen("须同时具备以下条件", &check.paths[index].label, 1),
            "系统核验符合"
        ));
    }
    Ok(if plan.conditions.is_empty() { "（见认定计划公告）".to_string() } else { plan.conditions.clone() })
}

const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
const ROW: f32 = 9.0;
const SIZE: f32 = 10.0;

/// A bordered cell with its text vertically centred (wrapped when long).
fn cell(page: &mut Canvas<'_>, x: f32, y: f32, width: f32, height: f32, text: &str) {
    page.rect(x, y, width, height, 0.5);
    let lines = if super::canvas::text_width(Face::Sans, SIZE, text) > width - 3.0 { 2.0 } else { 1.0 };
    let baseline = y + height / 2.0 + 1.3 - (lines - 1.0) * 2.2;
    page.wrapped((Face::Sans, SIZE), x + 1.5, baseline, (width - 3.0, 4.4), text);
}

/// A small tick box, ticked or not, followed by its label.
fn tick(page: &mut Canvas<'_>, x: f32, y: f32, ticked: bool, label: &str) {
    page.rect(x, y - 3.2, 3.4, 3.4, 0.5);
    if ticked {
        page.line(x + 0.6, y - 1.6, x + 1.5, y - 0.5, 0.9);
        page.line(x + 1.5, y - 0.5, x + 3.0, y - 2.9, 0.9);
    }
    page.text(Face::Sans, SIZE, x + 4.6, y, label);
}

pub(crate) fn draw(document: &mut Document, context: &Context<'_>, item: &Item) -> Result<()> {
    let photo = document.add_photo(&item.photo)?;
    let plan = context.plan;
    let p = &item.candidate.profile;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut page = document.canvas();
    page.text_centered(Face::Sans, 18.0, PAGE_WIDTH / 2.0, 20.0, "职业技能等级认定个人申请表");
    page.text(Face::Sans, 9.0, LEFT, 29.0, &format!("评价机构：{}", context.agency_name));
    page.text(Face::Sans, 9.0, 130.0, 29.0, &format!("报名识别码：{}  计划号：{}", plan.code, plan.plan_no));

    let top = 32.0;
    let photo_x = 160.0;
    let (l, v) = (22.0, 31.0);
    let y = |row: f32| top + ROW * row;
    // Rows 0–3 leave room for the photo on the right.
    let sex = p.sex.map(|s| s.label().to_string()).unwrap_or_default();
    let birth = p.birth_date.map(|d| d.to_string()).unwrap_or_default();
    for (x, w, t) in [
        (LEFT, l, "姓名"),
        (LEFT + l, v, p.name.as_str()),
        (LEFT + l + v, l, "性别"),
        (LEFT + 2.0 * l + v, 20.0, sex.as_str()),
        (LEFT + 2.0 * l + v + 20.0, l, "出生日期"),
        (LEFT + 3.0 * l + v + 20.0, photo_x - (LEFT + 3.0 * l + v + 20.0), birth.as_str()),
    ] {
        cell(&mut page, x, y(0.0), w, ROW, t);
    }
    let id_type = p.id_type.label();
    for (x, w, t) in [
        (LEFT, l, "证件类型"),
        (LEFT + l, v, id_type),
        (LEFT + l + v, l, "证件号码"),
        (LEFT + 2.0 * l + v, photo_x - (LEFT + 2.0 * l + v), p.id_number.as_str()),
    ] {
        cell(&mut page, x, y(1.0), w, ROW, t);
    }
    let years = p.years_in_occupation.map(|y| format!("{y} 年")).unwrap_or_default();
    let (ethnicity, education) = (text(&p.ethnicity), text(&p.education));
    for (x, w, t) in [
        (LEFT, l, "民族"),
        (LEFT + l, v, ethnicity.as_str()),
        (LEFT + l + v, l, "文化程度"),
        (LEFT + 2.0 * l + v, 24.0, education.as_str()),
        (LEFT + 2.0 * l + v + 24.0, 22.0, "本职业年限"),
        (LEFT + 2.0 * l + v + 46.0, photo_x - (LEFT + 2.0 * l + v + 46.0), years.as_str()),
    ] {
        cell(&mut page, x, y(2.0), w, ROW, t);
    }
    let employer = text(&p.employer);
    for (x, w, t) in [
        (LEFT, l, "手机"),
        (LEFT + l, v, p.phone.as_str()),
        (LEFT + l + v, l, "工作单位"),
        (LEFT + 2.0 * l + v, photo_x - (LEFT + 2.0 * l + v), employer.as_str()),
    ] {
        cell(&mut page, x, y(3.0), w, ROW, t);
    }
    page.rect(photo_x, y(0.0), RIGHT - photo_x, ROW * 5.0, 0.5);
    page.image(&photo, photo_x + 3.5, y(0.0) + 3.5, 28.0, 38.0);
    let address = text(&p.address);
    cell(&mut page, LEFT, y(4.0), l, ROW, "通讯地址");
    cell(&mut page, LEFT + l, y(4.0), photo_x - LEFT - l, ROW, &address);

    // 学历 and 工作: what the 报考条件 routes through schooling, years of work and titles are checked against.
    let (school, major, title) = (text(&p.school), text(&p.major), text(&p.title));
    let (graduated, started) = (month_of(p.graduated_on), month_of(p.work_started_on));
    for (x, w, t) in [
        (LEFT, l, "毕业院校"),
        (LEFT + l, 58.0, school.as_str()),
        (LEFT + l + 58.0, l, "所学专业"),
        (LEFT + 2.0 * l + 58.0, 38.0, major.as_str()),
        (LEFT + 2.0 * l + 96.0, 18.0, "毕业时间"),
        (LEFT + 2.0 * l + 114.0, RIGHT - (LEFT + 2.0 * l + 114.0), graduated.as_str()),
    ] {
        cell(&mut page, x, y(5.0), w, ROW, t);
    }
    for (x, w, t) in [
        (LEFT, l, "参加工作时间"),
        (LEFT + l, 58.0, started.as_str()),
        (LEFT + l + 58.0, l, "职称"),
        (LEFT + 2.0 * l + 58.0, RIGHT - (LEFT + 2.0 * l + 58.0), title.as_str()),
    ] {
        cell(&mut page, x, y(6.0), w, ROW, t);
    }

    // 现有证书.
    let columns = [
        (LEFT, l),
        (LEFT + l, 50.0),
        (LEFT + l + 50.0, 30.0),
        (LEFT + l + 80.0, 48.0),
        (LEFT + l + 128.0, RIGHT - LEFT - l - 128.0),
    ];
    let cert_date = p.prior_cert_date.map(|d| d.to_string()).unwrap_or_default();
    let (cert_name, cert_level, cert_number) =
        (text(&p.prior_cert_name), text(&p.prior_cert_level), text(&p.prior_cert_number));
    cell(&mut page, LEFT, y(7.0), l, ROW * 2.0, "现有证书");
    for (i, title) in ["名称", "等级", "编号", "取证时间"].iter().enumerate() {
        let (x, w) = columns[i + 1];
        cell(&mut page, x, y(7.0), w, ROW, title);
    }
    for (i, value) in [&cert_name, &cert_level, &cert_number, &cert_date].iter().enumerate() {
        let (x, w) = columns[i + 1];
        cell(&mut page, x, y(8.0), w, ROW, value);
    }

    // 申报.
    let job = plan.job.clone().unwrap_or_else(|| "--".into());
    for (x, w, t) in [
        (LEFT, l, "申报职业"),
        (LEFT + l, 40.0, plan.occupation.as_str()),
        (LEFT + l + 40.0, 26.0, "工种/职业方向"),
        (LEFT + l + 66.0, 36.0, job.as_str()),
        (LEFT + l + 102.0, l, "申报等级"),
        (LEFT + 2.0 * l + 102.0, RIGHT - (LEFT + 2.0 * l + 102.0), plan.level.label()),
    ] {
        cell(&mut page, x, y(9.0), w, ROW, t);
    }
    cell(&mut page, LEFT, y(10.0), l, ROW, "考核科目");
    page.rect(LEFT + l, y(10.0), RIGHT - LEFT - l, ROW, 0.5);
    let baseline = y(10.0) + 6.0;
    // A 补考 takes only the parts it did not pass before.
    let kept = item.resit.as_deref().unwrap_or(&[]);
    let takes = |part: Part| !kept.contains(&part);
    tick(&mut page, LEFT + l + 3.0, baseline, takes(Part::Theory), "理论知识");
    tick(&mut page, LEFT + l + 30.0, baseline, takes(Part::Practical), "操作技能");
    tick(&mut page, LEFT + l + 57.0, baseline, plan.level.needs_review_panel() && takes(Part::Review), "综合评审");
    page.text(Face::Sans, SIZE, LEFT + l + 92.0, baseline, "考试类型：");
    tick(&mut page, LEFT + l + 110.0, baseline, item.resit.is_none(), "新考");
    tick(&mut page, LEFT + l + 128.0, baseline, item.resit.is_some(), "补考");

    // Four rows: the national patterns' three routes fit at a readable size.
    let conditions_rows = 4.0;
    cell(&mut page, LEFT, y(11.0), l, ROW * conditions_rows, "申报条件");
    page.rect(LEFT + l, y(11.0), RIGHT - LEFT - l, ROW * conditions_rows, 0.5);
    let box_text = (LEFT + l + 2.0, y(11.0) + 5.5);
    page.wrapped_to_fit(
        Face::Sans,
        &[9.5, 8.5, 7.5, 6.5],
        box_text,
        (RIGHT - LEFT - l - 4.0, ROW * conditions_rows - 7.5),
        &item.conditions,
    );

    // 本人声明.
    let declaration_top = y(11.0 + conditions_rows);
    page.rect(LEFT, declaration_top, RIGHT - LEFT, 34.0, 0.5);
    page.text(Face::Sans, 11.0, LEFT + 3.0, declaration_top + 7.0, "本人声明");
    page.wrapped(
        (Face::Sans, SIZE),
        LEFT + 3.0,
        declaration_top + 14.0,
        (RIGHT - LEFT - 6.0, 5.0),
        "本人承诺以上填写的信息及提交的材料真实、准确、有效，符合所申报职业（工种）等级的申报条件。如有虚假，本人愿承担由此产生的一切后果。",
    );
    page.text(Face::Sans, SIZE, 95.0, declaration_top + 29.0, "申请人签名：");
    page.line(118.0, declaration_top + 30.0, 150.0, declaration_top + 30.0, 0.5);
    page.text(Face::Sans, SIZE, 153.0, declaration_top + 29.0, "年     月     日");

    // 评价机构审核.
    let review_top = declaration_top + 40.0;
    let half = (RIGHT - LEFT) / 2.0;
    for (i, title) in ["评价机构审核意见", "评价机构（盖章）"].iter().enumerate() {
        let x = LEFT + half * i as f32;
        page.rect(x, review_top, half, 48.0, 0.5);
        page.text(Face::Sans, 11.0, x + 3.0, review_top + 7.0, title);
        page.text(Face::Sans, SIZE, x + half - 45.0, review_top + 43.0, "年     月     日");
    }
    page.text(Face::Sans, SIZE, LEFT + 3.0, review_top + 34.0, "审核人签名：");
    page.line(LEFT + 26.0, review_top + 35.0, LEFT + 60.0, review_top + 35.0, 0.5);

    let ops = page.finish();
    document.add_page(ops);
    Ok(())
}
