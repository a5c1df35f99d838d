//! 准考证: A4, photo, 准考证号, 考场, 座位号, the subject/date/time table and 考生须知 from the settings.

use std::collections::HashMap;
use std::sync::Arc;

use super::canvas::{Document, Face, PAGE_WIDTH, missing_glyphs};
use super::{Context, DocumentKind, Prepared, refuse_if_any};
use crate::domain::score::Part;
use crate::error::{Error, Fix, Result};
use crate::store::applications::Application;
use crate::store::arrangements::{self, Arrangement, Seat};
use crate::store::photos::{self, Photo};
use crate::store::{candidates, plans::Plan, resits};

/// Everything one ticket shows.
pub(crate) struct Ticket {
    name: String,
    sex: String,
    id_type: String,
    id_number: String,
    seat: Seat,
    photo: Photo,
    /// The plan's, shared by every ticket of the batch.
    arrangement: Arc<Arrangement>,
    /// A 补考's kept parts: listed as 免考, not sat.
    carried: Vec<Part>,
}

/// Gathers every ticket of the batch, or refuses with every candidate who cannot have one (no photo, no seat); a
/// name no font can print leaves that one out.
pub(crate) fn prepare(
    conn: &crate::store::sql::Connection,
    context: &Context<'_>,
    chosen: &[Application],
) -> Result<Prepared<Ticket>> {
    let plan = context.plan;
    let arrangement = Arc::new(
        arrangements::get(conn, plan.id)?
            .ok_or_else(|| Error::refused("本计划还没有编排考试，不能打印准考证").with_fix(Fix::ArrangeFirst))?,
    );
    let seats: HashMap<i64, Seat> =
        arrangements::seats_for_plan(conn, plan.id)?.into_iter().map(|s| (s.application_id, s)).collect();
    let mut resits = resits::for_plan(conn, plan.id)?;
    let room_names: String = arrangement.named_rooms.iter().map(|r| r.name.as_str()).collect();
    let fixed_text = format!("{}{}{}{}{room_names}", plan.title(), plan.level, arrangement.venue, context.agency_name);
    let missing = missing_glyphs(Face::Sans, &fixed_text)?;
    if !missing.is_empty() {
        return Err(Error::refused(format!(
            "计划、考点或考场名称中有字体无法显示的字：{}",
            missing.iter().collect::<String>()
        )));
    }

    let mut tickets = Prepared::new(chosen.len());
    let mut problems = Vec::new();
    let mut missing_photo = false;
    for app in chosen {
        let who = format!("{}（{}）", app.name, app.id_number);
        let Some(seat) = seats.get(&app.id) else {
            problems.push(format!("{who}没有编排座位，请重新编排考试"));
            continue;
        };
        if tickets.leave_out_unprintable(app, (Face::Sans, "姓名"), &app.name)? {
            continue;
        }
        let Some(photo) = photos::get(conn, app.candidate_id)? else {
            problems.push(format!("{who}没有照片"));
            missing_photo = true;
            continue;
        };
        let candidate = candidates::get(conn, app.candidate_id)?;
        tickets.items.push(Ticket {
            name: app.name.clone(),
            sex: candidate.profile.sex.map(|s| s.label().to_string()).unwrap_or_default(),
            id_type: app.id_type.label().to_string(),
            id_number: app.id_number.clone(),
            seat: seat.clone(),
            photo,
            arrangement: Arc::clone(&arrangement),
            carried: resits.remove(&app.id).map(|r| r.carried).unwrap_or_default(),
        });
    }
    refuse_if_any(DocumentKind::Ticket, problems, missing_photo)?;
    Ok(tickets)
}

const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const LABEL_WIDTH: f32 = 34.0;
const ROW: f32 = 10.0;
/// The photo column at the right of the first rows (1-inch photo: 25×35 mm, shown at 30×42).
const PHOTO_LEFT: f32 = 150.0;
const PHOTO_ROWS: usize = 5;

pub(crate) fn draw(document: &mut Document, context: &Context<'_>, t: &Ticket) -> Result<()> {
    let photo = document.add_photo(&t.photo)?;
    let plan: &Plan = context.plan;
    let mut page = document.canvas();
    let center = PAGE_WIDTH / 2.0;
    // Everything but the candidate's own values is the same on every ticket of the plan: written once in the file.
    page.shared();

    page.text_centered(Face::Sans, 12.0, center, 24.0, &context.agency_name);
    page.text_centered(Face::Sans, 22.0, center, 36.0, "职业技能等级认定准考证");

    let top = 46.0;
    let occupation = plan.occupation_printed();
    // The room and seat of the first part sat (each part's own, when they differ, in the table of sessions below).
    let first = Part::ALL
        .into_iter()
        .filter(|p| t.arrangement.sitting(*p).is_some() && !t.carried.contains(p))
        .find_map(|p| t.arrangement.place_of(&t.seat, p).map(|place| (p, place)))
        .unwrap_or((Part::Theory, t.seat.main_place()));
    let room = t.arrangement.room_label(first.0, first.1.room);
    let seat = format!("{:02}", first.1.seat);
    let id = format!("{}  {}", t.id_type, t.id_number);
    let rows: [(&str, &str); 9] = [
        ("准考证号", &t.seat.ticket_number),
        ("姓    名", &t.name),
        ("性    别", &t.sex),
        ("证件号码", &id),
        ("认定职业", &occupation),
        ("认定等级", plan.level.label()),
        ("考    点", &t.arrangement.venue),
        ("考    场", &room),
        ("座 位 号", &seat),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = top + ROW * i as f32;
        let right = if i < PHOTO_ROWS { PHOTO_LEFT } else { RIGHT };
        // The last row beside the photo also closes the photo's cell.
        let line_end = if i + 1 == PHOTO_ROWS { RIGHT } else { right };
        page.line(LEFT, y + ROW, line_end, y + ROW, 0.6);
        page.text(Face::Sans, 11.0, LEFT + 3.0, y + 6.8, label);
        let size = if i == 0 { 14.0 } else { 11.0 };
        // 准考证号, 姓名, 性别, 证件号码, 考场, 座位号 are the candidate's own; 职业, 等级, 考点 are the plan's.
        let own = matches!(i, 0..=3 | 7 | 8);
        if own {
            page.own();
        }
        page.wrapped(
            (Face::Sans, size),
            LEFT + LABEL_WIDTH + 3.0,
            y + 6.8,
            (right - LEFT - LABEL_WIDTH - 5.0, 4.5),
            value,
        );
        page.shared();
    }
    let bottom = top + ROW * rows.len() as f32;
    page.rect(LEFT, top, RIGHT - LEFT, bottom - top, 1.0);
    page.line(LEFT + LABEL_WIDTH, top, LEFT + LABEL_WIDTH, bottom, 0.6);
    page.line(PHOTO_LEFT, top, PHOTO_LEFT, top + ROW * PHOTO_ROWS as f32, 0.6);
    page.own();
    page.image(&photo, PHOTO_LEFT + 5.0, top + 4.0, 30.0, 42.0);
    page.shared();

    // Subjects, dates and times.
    let table = bottom + 12.0;
    page.text(Face::Sans, 13.0, LEFT, table - 3.0, "考试安排");
    let columns = [LEFT, LEFT + 34.0, LEFT + 74.0, LEFT + 104.0, RIGHT];
    let mut sittings = vec![(Part::Theory, t.arrangement.theory), (Part::Practical, t.arrangement.practical)];
    if let Some(review) = t.arrangement.review {
        sittings.push((Part::Review, review));
    }
    let header = ["科目", "日期", "时间", "考场、座位"];
    let lines = sittings.len() + 1;
    for (i, title) in header.iter().enumerate() {
        page.text(Face::Sans, 11.0, columns[i] + 3.0, table + 6.8, title);
    }
    for (row, (part, sitting)) in sittings.iter().enumerate() {
        let y = table + ROW * (row + 1) as f32 + 6.8;
        // Shared with every ticket of the same sittings (a 补考's differ, and are held once among themselves).
        page.text(Face::Sans, 11.0, columns[0] + 3.0, y, part.label());
        if t.carried.contains(part) {
            // 补考: a part passed before is not sat again.
            page.text(Face::Sans, 11.0, columns[1] + 3.0, y, "免考");
            page.text(Face::Sans, 11.0, columns[2] + 3.0, y, "补考，沿用上次合格成绩");
        } else {
            let time = format!("{}–{}", sitting.start.format("%H:%M"), sitting.end.format("%H:%M"));
            page.text(Face::Sans, 11.0, columns[1] + 3.0, y, &sitting.start.format("%Y年%m月%d日").to_string());
            page.text(Face::Sans, 11.0, columns[2] + 3.0, y, &time);
            // The candidate's own: where they sit this part; a 实操 room worked in turns adds the group and station.
            if let Some(place) = t.arrangement.place_of(&t.seat, *part) {
                let mut text = t.arrangement.place_label(*part, place);
                if *part == Part::Practical
                    && let Some((group, station)) = t.arrangement.practical_group(place.room, place.seat)
                {
                    text.push_str(&format!(" 第{group}组 工位{station:02}"));
                }
                page.own();
                let width = columns[4] - columns[3] - 5.0;
                page.wrapped_to_fit(Face::Sans, &[11.0, 9.5, 8.0], (columns[3] + 3.0, y), (width, 0.0), &text);
                page.shared();
            }
        }
    }
    page.rect(LEFT, table, RIGHT - LEFT, ROW * lines as f32, 1.0);
    for i in 1..lines {
        let y = table + ROW * i as f32;
        page.line(LEFT, y, RIGHT, y, 0.6);
    }
    for x in &columns[1..4] {
        page.line(*x, table, *x, table + ROW * lines as f32, 0.6);
    }

    // 考生须知.
    let notice_top = table + ROW * lines as f32 + 14.0;
    page.text(Face::Sans, 13.0, LEFT, notice_top, "考生须知");
    page.wrapped((Face::Sans, 10.5), LEFT, notice_top + 8.0, (RIGHT - LEFT, 6.0), &context.notice);

    page.text_centered(Face::Sans, 10.0, center, 282.0, &format!("{}（盖章）", context.agency_name));
    let ops = page.finish();
    document.add_page(ops);
    Ok(())
}
