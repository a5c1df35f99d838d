//! The 考务 documents of an arranged plan, per room and session: 座次表 (the seat grid with photos, names, 准考证号
//! and a signature box each), 门贴 (what is sat in the room, when, seats and 准考证号 from–to), 桌贴 (one label per
//! desk), 签到表 and 考场记录表.
//!
//! A session is one part of the exam (理论知识, 操作技能, 综合评审) in one room; a 补考 candidate who keeps a part
//! from before does not sit it, so is not on that session's documents. A candidate without a photo is printed with
//! an empty photo box marked 无照片 (the exam goes ahead; the invigilator checks the ID card).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::canvas::{Canvas, Document, Face, PAGE_HEIGHT, PAGE_WIDTH, PlacedImage, text_width};
use crate::domain::arrangement::Sitting;
use crate::domain::score::Part;
use crate::error::{Error, Fix, Result};
use crate::ops::staffing::Staffing;
use crate::store::arrangements::{self, Arrangement};
use crate::store::photos::{self, Photo};
use crate::store::plans::Plan;
use crate::store::sql::Connection;
use crate::store::{applications, resits};

/// Which 考务 document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum RoomDocument {
    /// 座次表: per room and session.
    SeatingChart,
    /// 门贴: per room, every session held in it.
    DoorSign,
    /// 桌贴: per seat, ten labels to a page.
    DeskLabels,
    /// 签到表: per room and session.
    SignInSheet,
    /// 考场记录表: per room and session.
    RoomRecord,
    /// 组织册: every place of the exam — the 考点 and each room's sitting — with its time, seats and staff.
    OrganizationBook,
}

impl RoomDocument {
    pub fn label(self) -> &'static str {
        match self {
            RoomDocument::SeatingChart => "座次表",
            RoomDocument::DoorSign => "门贴",
            RoomDocument::DeskLabels => "桌贴",
            RoomDocument::SignInSheet => "签到表",
            RoomDocument::RoomRecord => "考场记录表",
            RoomDocument::OrganizationBook => "组织册",
        }
    }
}

/// One arranged candidate as the room documents show them.
pub(crate) struct Seated {
    pub seat: u32,
    pub ticket_number: String,
    pub name: String,
    pub id_number: String,
    /// Index into [`Rooms::photos`].
    photo: Option<usize>,
    /// The parts this candidate sits (a 补考 keeps the others).
    sits: Vec<Part>,
}

/// A room as the documents go through them: the arrangement's rooms first (`own` None: where every part without
/// rooms of its own is sat), then each part's own rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RoomKey {
    /// The part whose own rooms these are, as its index in [`Part::ALL`] (for the order).
    own: Option<usize>,
    room: u32,
}

impl RoomKey {
    fn own_part(self) -> Option<Part> {
        self.own.map(|i| Part::ALL[i])
    }

    /// The part whose rooms these are, for naming them: the arrangement's rooms are the 理论知识's.
    fn space(self) -> Part {
        self.own_part().unwrap_or(Part::Theory)
    }
}

/// A plan's rooms with their candidates in seat order, and what every page shows.
pub(crate) struct Rooms {
    pub arrangement: Arrangement,
    pub rooms: BTreeMap<RoomKey, Vec<Seated>>,
    /// Candidates arranged (each once, however many rooms they sit in).
    candidates: usize,
    /// Each taken once when it is placed into the file.
    photos: Vec<Option<Photo>>,
    pub heading: String,
    pub agency: String,
}

impl Rooms {
    /// The sessions held in a room: each part sat there and when.
    fn sessions(&self, key: RoomKey) -> Vec<(Part, Sitting)> {
        Part::ALL
            .into_iter()
            .filter(|&part| match key.own_part() {
                Some(own) => own == part,
                None => self.arrangement.own_rooms_of(part).is_none(),
            })
            .filter_map(|part| self.arrangement.sitting(part).map(|s| (part, s)))
            .collect()
    }

    /// Who sits `part` in a room, in seat order.
    fn sitting(&self, key: RoomKey, part: Part) -> Vec<&Seated> {
        self.rooms.get(&key).map(|seats| seats.iter().filter(|s| s.sits.contains(&part)).collect()).unwrap_or_default()
    }

    /// What the documents call a room ("第01考场", "机房一").
    fn label(&self, key: RoomKey) -> String {
        self.arrangement.room_label(key.space(), key.room)
    }

    /// The room `room` of those `part` is sat in.
    fn key_of(&self, part: Part, room: u32) -> RoomKey {
        let own = self.arrangement.own_rooms_of(part).map(|_| Part::ALL.iter().position(|&p| p == part).unwrap_or(0));
        RoomKey { own, room }
    }

    pub fn candidates(&self) -> usize {
        self.candidates
    }
}

/// The plan's arranged candidates room by room; refused when the plan is not arranged.
pub(crate) fn gather(conn: &Connection, plan: &Plan, agency: String) -> Result<Rooms> {
    let arrangement = arrangements::get(conn, plan.id)?
        .ok_or_else(|| Error::refused("本计划还没有编排考试，不能打印考务文书").with_fix(Fix::ArrangeFirst))?;
    let applications: HashMap<i64, applications::Application> =
        applications::list_for_plan(conn, plan.id, None)?.into_iter().map(|a| (a.id, a)).collect();
    let resits = resits::for_plan(conn, plan.id)?;
    let parts: Vec<Part> = Part::ALL.into_iter().filter(|p| arrangement.sitting(*p).is_some()).collect();
    let mut rooms: BTreeMap<RoomKey, Vec<Seated>> = BTreeMap::new();
    let mut photos_found = Vec::new();
    let mut candidates = 0;
    for seat in arrangements::seats_for_plan(conn, plan.id)? {
        let Some(app) = applications.get(&seat.application_id) else { continue };
        let carried = resits.get(&app.id).map(|r| r.carried.as_slice()).unwrap_or(&[]);
        let photo = photos::get(conn, app.candidate_id)?.map(|p| {
            photos_found.push(Some(p));
            photos_found.len() - 1
        });
        candidates += 1;
        let sat: Vec<Part> = parts.iter().copied().filter(|p| !carried.contains(p)).collect();
        // In the arrangement's rooms for the parts without rooms of their own, and in each part's own.
        let main: Vec<Part> = sat.iter().copied().filter(|&p| arrangement.own_rooms_of(p).is_none()).collect();
        let mut places: Vec<(RoomKey, u32, Vec<Part>)> = Vec::new();
        if !main.is_empty() || sat.is_empty() {
            places.push((RoomKey { own: None, room: seat.room }, seat.seat, main));
        }
        for (index, &part) in Part::ALL.iter().enumerate() {
            if sat.contains(&part)
                && arrangement.own_rooms_of(part).is_some()
                && let Some(place) = arrangement.place_of(&seat, part)
            {
                places.push((RoomKey { own: Some(index), room: place.room }, place.seat, vec![part]));
            }
        }
        for (key, number, sits) in places {
            rooms.entry(key).or_default().push(Seated {
                seat: number,
                ticket_number: seat.ticket_number.clone(),
                name: app.name.clone(),
                id_number: app.id_number.clone(),
                photo,
                sits,
            });
        }
    }
    if rooms.is_empty() {
        return Err(Error::refused("本计划还没有编排座位的考生，不能打印考务文书").with_fix(Fix::ArrangeFirst));
    }
    for seats in rooms.values_mut() {
        seats.sort_by_key(|s| s.seat);
    }
    Ok(Rooms {
        arrangement,
        rooms,
        candidates,
        photos: photos_found,
        heading: format!("{} {}", plan.occupation_printed(), plan.level),
        agency,
    })
}

/// Draws `kind` for every room into `document`; `step` is told each room done. Returns the pages drawn.
pub(crate) fn draw(
    document: &mut Document,
    rooms: &mut Rooms,
    kind: RoomDocument,
    step: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<()> {
    // Each photo goes into the file once, however many documents show it (its bytes moved there, not copied).
    let mut photos = std::mem::take(&mut rooms.photos);
    let rooms = &*rooms;
    let mut placed: Vec<Option<PlacedImage>> = vec![None; photos.len()];
    let mut photo = |document: &mut Document, index: Option<usize>| -> Result<Option<PlacedImage>> {
        let Some(i) = index else { return Ok(None) };
        if let Some(taken) = photos[i].take() {
            placed[i] = Some(document.add_owned_photo(taken)?);
        }
        Ok(placed[i].clone())
    };
    let total = rooms.rooms.len();
    for (done, room) in rooms.rooms.keys().enumerate() {
        step(done, total)?;
        match kind {
            RoomDocument::DoorSign => door_sign(document, rooms, *room),
            RoomDocument::DeskLabels => {
                let seats = &rooms.rooms[room];
                for page in seats.chunks(LABELS_PER_PAGE) {
                    let mut images = Vec::with_capacity(page.len());
                    for s in page {
                        images.push(photo(document, s.photo)?);
                    }
                    desk_labels(document, rooms, *room, page, &images);
                }
            }
            _ => {
                for (part, sitting) in rooms.sessions(*room) {
                    let seats = rooms.sitting(*room, part);
                    if seats.is_empty() {
                        continue;
                    }
                    let session = Session { room: *room, part, sitting, seats: &seats };
                    match kind {
                        RoomDocument::SeatingChart => {
                            for page in seats.chunks(CHART_PER_PAGE) {
                                let mut images = Vec::with_capacity(page.len());
                                for s in page {
                                    images.push(photo(document, s.photo)?);
                                }
                                seating_chart(document, rooms, &session, page, &images);
                            }
                        }
                        RoomDocument::SignInSheet => {
                            for (i, page) in seats.chunks(SIGN_IN_ROWS).enumerate() {
                                let mut images = Vec::with_capacity(page.len());
                                for s in page {
                                    images.push(photo(document, s.photo)?);
                                }
                                let last = (i + 1) * SIGN_IN_ROWS >= seats.len();
                                sign_in_sheet(document, rooms, &session, page, &images, last);
                            }
                        }
                        RoomDocument::RoomRecord => room_record(document, rooms, &session),
                        // Drawn once for the plan, not per room (organization_book).
                        RoomDocument::OrganizationBook | RoomDocument::DoorSign | RoomDocument::DeskLabels => {}
                    }
                }
            }
        }
    }
    Ok(())
}

/// One room's sitting of one part.
struct Session<'a> {
    room: RoomKey,
    part: Part,
    sitting: Sitting,
    seats: &'a [&'a Seated],
}

const LEFT: f32 = 15.0;
const RIGHT: f32 = PAGE_WIDTH - 15.0;
const CENTER: f32 = PAGE_WIDTH / 2.0;

/// "第01考场", or "考场：301" where a bare room name would not say what it is.
fn room_heading(rooms: &Rooms, room: RoomKey) -> String {
    match rooms.arrangement.rooms_of(room.space()).is_empty() {
        true => rooms.label(room),
        false => format!("考场：{}", rooms.label(room)),
    }
}

fn when(sitting: &Sitting) -> String {
    format!(
        "{} {}–{}",
        sitting.start.format("%Y年%m月%d日"),
        sitting.start.format("%H:%M"),
        sitting.end.format("%H:%M")
    )
}

/// The title block every per-session document starts with; returns where the body may start.
fn session_heading(page: &mut Canvas<'_>, rooms: &Rooms, session: &Session<'_>, title: &str) -> f32 {
    page.text_centered(Face::Sans, 11.0, CENTER, 16.0, &rooms.agency);
    page.text_centered(Face::Sans, 17.0, CENTER, 26.0, &format!("{} {}", rooms.heading, title));
    let venue = format!("考点：{}", rooms.arrangement.venue);
    let below = page.wrapped((Face::Sans, 10.0), LEFT, 35.0, (RIGHT - LEFT, 5.0), &venue) + 5.5;
    let line = format!(
        "{}    科目：{}    时间：{}",
        room_heading(rooms, session.room),
        session.part.label(),
        when(&session.sitting)
    );
    page.text(Face::Sans, 10.0, LEFT, below, &line);
    below + 5.0
}

fn photo_box(page: &mut Canvas<'_>, image: Option<&PlacedImage>, x: f32, y: f32, width: f32, height: f32) {
    match image {
        Some(image) => page.image(image, x, y, width, height),
        None => {
            page.rect(x, y, width, height, 0.4);
            page.text_centered(Face::Sans, 7.0, x + width / 2.0, y + height / 2.0 + 1.0, "无照片");
        }
    }
}

/// Seats on one page of a 座次表: five across, six deep.
const CHART_COLUMNS: usize = 5;
const CHART_PER_PAGE: usize = 30;

fn seating_chart(
    document: &mut Document,
    rooms: &Rooms,
    session: &Session<'_>,
    seats: &[&Seated],
    photos: &[Option<PlacedImage>],
) {
    let mut page = document.canvas();
    let top = session_heading(&mut page, rooms, session, "座次表");
    page.text_centered(Face::Sans, 10.0, CENTER, top + 2.0, "讲    台");
    page.rect(CENTER - 25.0, top - 3.0, 50.0, 7.0, 0.4);
    let grid_top = top + 8.0;
    let cell_width = (RIGHT - LEFT) / CHART_COLUMNS as f32;
    let cell_height = ((PAGE_HEIGHT - 12.0 - grid_top) / 6.0).min(42.0);
    for (i, (seat, image)) in seats.iter().zip(photos).enumerate() {
        let (column, row) = (i % CHART_COLUMNS, i / CHART_COLUMNS);
        let x = LEFT + cell_width * column as f32;
        let y = grid_top + cell_height * row as f32;
        page.rect(x, y, cell_width, cell_height, 0.6);
        page.text(Face::Sans, 9.0, x + 2.0, y + 4.5, &format!("{:02}号", seat.seat));
        if session.part == Part::Practical
            && let Some((group, station)) = rooms.arrangement.practical_group(session.room.room, seat.seat)
        {
            let turn = format!("第{group}组 工位{station:02}");
            page.text(Face::Sans, 8.0, x + cell_width - 2.0 - text_width(Face::Sans, 8.0, &turn), y + 4.5, &turn);
        }
        let photo_height = cell_height - 22.0;
        let photo_width = photo_height * 5.0 / 7.0;
        photo_box(&mut page, image.as_ref(), x + (cell_width - photo_width) / 2.0, y + 6.0, photo_width, photo_height);
        let below = y + 6.0 + photo_height;
        page.text_centered(Face::Sans, 9.0, x + cell_width / 2.0, below + 4.0, &seat.name);
        page.text_centered(Face::Sans, 7.5, x + cell_width / 2.0, below + 7.8, &seat.ticket_number);
        // The signature box: the candidate signs here when the invigilator has checked the photo.
        let signature = y + cell_height - 7.5;
        page.line(x, signature, x + cell_width, signature, 0.3);
        page.text(Face::Sans, 6.5, x + 1.5, signature + 4.5, "签名");
    }
    document.add_page(page.finish());
}

fn door_sign(document: &mut Document, rooms: &Rooms, room: RoomKey) {
    let seats = &rooms.rooms[&room];
    let mut page = document.canvas();
    page.text_centered(Face::Sans, 15.0, CENTER, 40.0, &rooms.agency);
    page.text_centered(Face::Sans, 18.0, CENTER, 56.0, "职业技能等级认定");
    // As large as the door allows: "第01考场" at 80 pt, a longer room name smaller to stay within the margins.
    let label = rooms.label(room);
    let size = 80.0_f32.min(80.0 * (RIGHT - LEFT - 16.0) / text_width(Face::Sans, 80.0, &label).max(1.0));
    page.text_centered(Face::Sans, size, CENTER, 115.0, &label);
    page.text_centered(Face::Sans, 22.0, CENTER, 145.0, &rooms.heading);
    let mut y = 170.0;
    for (part, sitting) in rooms.sessions(room) {
        let sitting_here = rooms.sitting(room, part);
        if sitting_here.is_empty() {
            continue;
        }
        page.text_centered(Face::Sans, 16.0, CENTER, y, &format!("{}  {}", part.label(), when(&sitting)));
        y += 11.0;
    }
    let (first, last) = (&seats[0], &seats[seats.len() - 1]);
    y += 10.0;
    page.text_centered(
        Face::Sans,
        15.0,
        CENTER,
        y,
        &format!("座位号 {:02}–{:02}（共 {} 人）", first.seat, last.seat, seats.len()),
    );
    page.text_centered(
        Face::Sans,
        15.0,
        CENTER,
        y + 11.0,
        &format!("准考证号 {} – {}", first.ticket_number, last.ticket_number),
    );
    page.text_centered(Face::Sans, 12.0, CENTER, y + 30.0, &format!("考点：{}", rooms.arrangement.venue));
    page.rect(LEFT, 20.0, RIGHT - LEFT, PAGE_HEIGHT - 40.0, 1.2);
    document.add_page(page.finish());
}

/// 桌贴: two across, five down, 90 × 52 mm each.
const LABELS_PER_PAGE: usize = 10;
const LABEL_WIDTH: f32 = 90.0;
const LABEL_HEIGHT: f32 = 52.0;

fn desk_labels(
    document: &mut Document,
    rooms: &Rooms,
    room: RoomKey,
    seats: &[Seated],
    photos: &[Option<PlacedImage>],
) {
    let mut page = document.canvas();
    let left = (PAGE_WIDTH - 2.0 * LABEL_WIDTH) / 2.0;
    let top = (PAGE_HEIGHT - 5.0 * LABEL_HEIGHT) / 2.0;
    for (i, (seat, image)) in seats.iter().zip(photos).enumerate() {
        let x = left + LABEL_WIDTH * (i % 2) as f32;
        let y = top + LABEL_HEIGHT * (i / 2) as f32;
        page.rect(x, y, LABEL_WIDTH, LABEL_HEIGHT, 0.5);
        page.text(Face::Sans, 9.0, x + 4.0, y + 8.0, &rooms.heading);
        page.text(Face::Sans, 16.0, x + 4.0, y + 19.0, &format!("{}  {:02}号", rooms.label(room), seat.seat));
        page.text(Face::Sans, 9.0, x + 4.0, y + 29.0, "准考证号");
        page.text(Face::Sans, 13.0, x + 4.0, y + 35.5, &seat.ticket_number);
        page.text(Face::Sans, 9.0, x + 4.0, y + 43.0, "姓名");
        page.text(Face::Sans, 14.0, x + 14.0, y + 43.5, &seat.name);
        photo_box(&mut page, image.as_ref(), x + LABEL_WIDTH - 29.0, y + 7.0, 25.0, 35.0);
    }
    document.add_page(page.finish());
}

/// Rows on one page of a 签到表 (each as tall as a small photo).
const SIGN_IN_ROWS: usize = 12;
const SIGN_IN_ROW: f32 = 19.0;

fn sign_in_sheet(
    document: &mut Document,
    rooms: &Rooms,
    session: &Session<'_>,
    seats: &[&Seated],
    photos: &[Option<PlacedImage>],
    last_page: bool,
) {
    let mut page = document.canvas();
    let top = session_heading(&mut page, rooms, session, "考生签到表");
    // 座位号 | 准考证号 | 姓名 | 证件号码 | 照片 | 签名
    let columns = [LEFT, LEFT + 14.0, LEFT + 44.0, LEFT + 66.0, LEFT + 108.0, LEFT + 126.0, RIGHT];
    let header = ["座位号", "准考证号", "姓名", "证件号码", "照片", "考生签名"];
    let header_height = 8.0;
    for (i, title) in header.iter().enumerate() {
        page.text_centered(Face::Sans, 9.5, (columns[i] + columns[i + 1]) / 2.0, top + 5.5, title);
    }
    for (row, (seat, image)) in seats.iter().zip(photos).enumerate() {
        let y = top + header_height + SIGN_IN_ROW * row as f32;
        let baseline = y + SIGN_IN_ROW / 2.0 + 1.5;
        page.text_centered(Face::Sans, 10.0, (columns[0] + columns[1]) / 2.0, baseline, &format!("{:02}", seat.seat));
        page.text_centered(Face::Sans, 9.0, (columns[1] + columns[2]) / 2.0, baseline, &seat.ticket_number);
        page.text_centered(Face::Sans, 10.0, (columns[2] + columns[3]) / 2.0, baseline, &seat.name);
        page.text_centered(Face::Sans, 9.0, (columns[3] + columns[4]) / 2.0, baseline, &seat.id_number);
        photo_box(&mut page, image.as_ref(), columns[4] + 2.5, y + 1.5, 12.0, SIGN_IN_ROW - 3.0);
    }
    let rows = seats.len();
    let bottom = top + header_height + SIGN_IN_ROW * rows as f32;
    page.rect(LEFT, top, RIGHT - LEFT, bottom - top, 0.8);
    page.line(LEFT, top + header_height, RIGHT, top + header_height, 0.5);
    for row in 1..rows {
        let y = top + header_height + SIGN_IN_ROW * row as f32;
        page.line(LEFT, y, RIGHT, y, 0.3);
    }
    for x in &columns[1..columns.len() - 1] {
        page.line(*x, top, *x, bottom, 0.4);
    }
    if last_page {
        let footer = format!(
            "应到 {} 人，实到＿＿＿＿人，缺考＿＿＿＿人。        监考员签名：＿＿＿＿＿＿＿＿  ＿＿＿＿＿＿＿＿",
            session.seats.len()
        );
        page.text(Face::Sans, 10.0, LEFT, bottom + 9.0, &footer);
    }
    document.add_page(page.finish());
}

fn room_record(document: &mut Document, rooms: &Rooms, session: &Session<'_>) {
    let mut page = document.canvas();
    let top = session_heading(&mut page, rooms, session, "考场记录表");
    let (first, last) = (session.seats[0], session.seats[session.seats.len() - 1]);
    let label_width = 32.0;
    let rows: [(&str, String, f32); 7] = [
        (
            "应到人数",
            format!(
                "{} 人（座位号 {:02}–{:02}，准考证号 {} – {}）",
                session.seats.len(),
                first.seat,
                last.seat,
                first.ticket_number,
                last.ticket_number
            ),
            12.0,
        ),
        ("实到人数", "            人".to_string(), 12.0),
        ("缺考考生", "（座位号、准考证号、姓名）".to_string(), 40.0),
        ("违纪情况", "（考生、时间、经过及处理）".to_string(), 50.0),
        ("其他情况", "（试卷、设备、环境等）".to_string(), 36.0),
        ("监考员签名", String::new(), 16.0),
        ("督导员签名", String::new(), 16.0),
    ];
    let mut y = top;
    for (label, value, height) in &rows {
        page.rect(LEFT, y, RIGHT - LEFT, *height, 0.6);
        page.line(LEFT + label_width, y, LEFT + label_width, y + height, 0.5);
        page.text(Face::Sans, 10.5, LEFT + 3.0, y + 7.5, label);
        page.wrapped(
            (Face::Sans, 9.5),
            LEFT + label_width + 3.0,
            y + 7.5,
            (RIGHT - LEFT - label_width - 6.0, 5.0),
            value,
        );
        y += height;
    }
    page.text(Face::Sans, 10.0, RIGHT - 60.0, y + 10.0, "日期：    年    月    日");
    document.add_page(page.finish());
}

/// Places on one page of the 组织册.
const BOOK_ROWS: usize = 22;

/// The 组织册 (not per room: drawn from the plan's staffing instead of [`draw`]).
pub(crate) fn organization_book(document: &mut Document, rooms: &Rooms, staffing: &Staffing) {
    // 考场 | 科目 | 时间 | 座位 | 人数 | 考务人员
    let columns = [LEFT, LEFT + 20.0, LEFT + 40.0, LEFT + 78.0, LEFT + 96.0, LEFT + 110.0, RIGHT];
    let header = ["考场", "科目", "时间", "座位号", "人数", "考务人员"];
    let row_height = 11.0;
    for (page_index, places) in staffing.places.chunks(BOOK_ROWS).enumerate() {
        let mut page = document.canvas();
        page.text_centered(Face::Sans, 11.0, CENTER, 16.0, &rooms.agency);
        page.text_centered(Face::Sans, 17.0, CENTER, 26.0, &format!("{} 考务组织册", rooms.heading));
        let summary = format!(
            "考点：{}    考场 {} 个    考生 {} 人",
            rooms.arrangement.venue,
            rooms.rooms.len(),
            rooms.candidates()
        );
        let top = page.wrapped((Face::Sans, 10.0), LEFT, 35.0, (RIGHT - LEFT, 5.0), &summary) + 5.0;
        for (i, title) in header.iter().enumerate() {
            page.text_centered(Face::Sans, 9.5, (columns[i] + columns[i + 1]) / 2.0, top + 5.5, title);
        }
        let header_height = 8.0;
        for (row, place) in places.iter().enumerate() {
            let y = top + header_height + row_height * row as f32;
            let baseline = y + 6.5;
            let key = rooms.key_of(place.part, place.room);
            let room = if place.room == 0 { "考点".to_string() } else { rooms.label(key) };
            page.text(Face::Sans, 9.0, columns[0] + 1.5, baseline, &room);
            page.text(Face::Sans, 9.0, columns[1] + 1.5, baseline, place.part.label());
            page.text(Face::Sans, 8.0, columns[2] + 1.5, baseline, &place.when);
            let seated = if place.room == 0 {
                rooms.rooms.values().flatten().filter(|s| s.sits.contains(&place.part)).count()
            } else {
                rooms.sitting(key, place.part).len()
            };
            if place.room != 0
                && let Some(seats) = rooms.rooms.get(&key)
                && let (Some(first), Some(last)) = (seats.first(), seats.last())
            {
                page.text(Face::Sans, 9.0, columns[3] + 1.5, baseline, &format!("{:02}–{:02}", first.seat, last.seat));
            }
            page.text(Face::Sans, 9.0, columns[4] + 1.5, baseline, &format!("{seated} 人"));
            let staff: Vec<String> = place
                .staff
                .iter()
                .map(|s| format!("{}（{}）", s.name, s.grade.as_deref().unwrap_or(s.role.label())))
                .collect();
            let staff = if staff.is_empty() { "（未指派）".to_string() } else { staff.join("、") };
            page.wrapped((Face::Sans, 8.5), columns[5] + 1.5, y + 5.5, (columns[6] - columns[5] - 3.0, 4.0), &staff);
        }
        let bottom = top + header_height + row_height * places.len() as f32;
        page.rect(LEFT, top, RIGHT - LEFT, bottom - top, 0.8);
        page.line(LEFT, top + header_height, RIGHT, top + header_height, 0.5);
        for row in 1..places.len() {
            let y = top + header_height + row_height * row as f32;
            page.line(LEFT, y, RIGHT, y, 0.3);
        }
        for x in &columns[1..columns.len() - 1] {
            page.line(*x, top, *x, bottom, 0.4);
        }
        let pages = staffing.places.len().div_ceil(BOOK_ROWS);
        page.text_centered(
            Face::Sans,
            8.0,
            CENTER,
            PAGE_HEIGHT - 10.0,
            &format!("第 {} 页 / 共 {pages} 页", page_index + 1),
        );
        document.add_page(page.finish());
    }
}
