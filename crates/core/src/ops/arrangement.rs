//! 考务编排: seats every approved application of a plan, gives it a 准考证号 and files it (已提交申报).

use std::collections::HashMap;
use ts_rs::TS;

use serde::{Deserialize, Serialize};

use super::Session;
use super::applications::{audit_change, change_status};
use crate::domain::arrangement::{
    ArrangedRoom, SeatCandidate, SeatRule, Sitting, fresh_seed, seat_in, seat_order, ticket_sequence,
};
use crate::domain::operator::Permission;
use crate::domain::score::Part;
use crate::domain::status::{Action, ApplicationStatus, PaymentStatus};
use crate::domain::ticket_pattern::{TicketFacts, TicketPattern};
use crate::error::{Error, Fix, Result};
use crate::store::applications::{self, Application};
use crate::store::arrangements::{self, Arrangement, PartRooms, RoomSeat, Seat};
use crate::store::{Store, plans, settings, venues};

/// What the operator gives to arrange a plan's exam.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ArrangeRequest {
    /// 考点地址 (with `site`: blank for the 考点's name and address).
    pub venue: String,
    /// Without `site`: this many numbered rooms of `seats_per_room` seats.
    pub rooms: u32,
    pub seats_per_room: u32,
    /// A 考点 of the 考务基础数据: the seats are in its rooms named in `site_rooms` (all of them when none is named),
    /// in that order, each holding its own capacity.
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub site_rooms: Vec<String>,
    /// Rooms of the `site` where the 操作技能 / 综合评审 is sat when not in `site_rooms` (实操 rooms, the panel's
    /// room); none named: that part is sat in the seats above.
    #[serde(default)]
    pub practical_rooms: Vec<String>,
    #[serde(default)]
    pub review_rooms: Vec<String>,
    /// "2026-12-28 09:00-10:30".
    pub theory: String,
    pub practical: String,
    /// 综合评审, required for 二级/一级 and refused for other levels.
    pub review: Option<String>,
    /// The order seats are filled in (today's, by 准考证号, when not given).
    #[serde(default)]
    pub seat_rule: SeatRule,
    /// For [`SeatRule::Random`]: the seed to draw with (a recorded one repeats its chart); a new one when not given.
    #[serde(default)]
    pub seat_seed: Option<u32>,
}

/// One candidate's seat, as lists and tickets show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SeatView {
    pub ticket_number: String,
    pub name: String,
    pub id_number: String,
    pub room: u32,
    /// The room as documents name it ("机房一", "第01考场").
    pub room_label: String,
    pub seat: u32,
    /// Where the candidate sits each part, when a part is sat in rooms of its own ("301 05号；操作技能 实操室一 03号");
    /// else the room and seat above.
    pub places: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ArrangeOutcome {
    pub arrangement: Arrangement,
    pub seats: Vec<SeatView>,
    /// Applications filed (申请通过 → 已提交申报) by this arrangement.
    pub filed: usize,
    /// Already filed applications whose room or seat changed.
    pub moved: usize,
}

/// The plan's current arrangement, if it has one.
pub fn arrangement_of(store: &Store, plan_id: i64) -> Result<Option<Arrangement>> {
    plans::get(store.conn(), plan_id)?;
    arrangements::get(store.conn(), plan_id)
}

/// Arranges (or re-arranges, before the exam) a plan. All or nothing: any problem refuses the whole arrangement.
pub fn arrange(store: &mut Store, session: &Session, plan_id: i64, request: &ArrangeRequest) -> Result<ArrangeOutcome> {
    session.require(Permission::Arrange)?;
    let site = request.site.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let venue = request.venue.trim().to_string();
    if site.is_none() {
        if venue.is_empty() {
            return Err(Error::invalid("考点地址", "不能为空，请填写考点名称和地址"));
        }
        if request.rooms == 0 || request.seats_per_room == 0 {
            return Err(Error::invalid("考场", "考场数和每个考场的座位数都应大于 0"));
        }
    }
    let theory = Sitting::parse("理论知识考试时间", &request.theory)?;
    let practical = Sitting::parse("操作技能考核时间", &request.practical)?;
    let review = request.review.as_deref().map(|r| Sitting::parse("综合评审时间", r)).transpose()?;
    let seat_seed = match (request.seat_rule, request.seat_seed) {
        (SeatRule::Random, seed) => Some(seed.unwrap_or_else(fresh_seed)),
        (_, None) => None,
        (rule, Some(_)) => {
            return Err(Error::invalid(
                "随机种子",
                format!("只有“随机”排座使用种子，“{}”排座不需要；请去掉种子或改选随机排座", rule.label()),
            ));
        }
    };
    crate::backup::before_bulk(store, "编排考场")?;
    let now = session.now();

    let outcome = store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        match (plan.level.needs_review_panel(), review) {
            (true, None) => {
                return Err(Error::invalid(
                    "综合评审时间",
                    format!("{}须安排综合评审，请同时填写综合评审时间", plan.level),
                )
                .with_fix(Fix::GiveReviewTime));
            }
            (false, Some(_)) => {
                return Err(Error::invalid(
                    "综合评审时间",
                    format!("{}没有综合评审，不应填写综合评审时间", plan.level),
                )
                .with_fix(Fix::DropReviewTime));
            }
            _ => {}
        }
        let sittings = [Some(theory), Some(practical), review];
        let timed: Vec<(Part, Sitting)> =
            Part::ALL.into_iter().zip(sittings).filter_map(|(part, s)| s.map(|s| (part, s))).collect();
        for (i, (part, sitting)) in timed.iter().enumerate() {
            if let Some((other, at)) = timed[i + 1..].iter().find(|(_, at)| at.overlaps(sitting)) {
                return Err(Error::invalid(
                    "考试时间",
                    format!(
                        "{} {} 与{} {} 时间重叠：同一考生要参加两科，请错开时间",
                        part.label(),
                        sitting.label(),
                        other.label(),
                        at.label()
                    ),
                ));
            }
        }
        let first_day = sittings.iter().flatten().map(Sitting::date).min().unwrap_or(theory.date());
        if first_day <= plan.reg_end {
            return Err(Error::invalid(
                "考试时间",
                format!("考试日期 {first_day} 应在报名截止日期 {} 之后", plan.reg_end),
            ));
        }
        if first_day < session.today {
            return Err(Error::invalid("考试时间", format!("考试日期 {first_day} 已经过去")));
        }
        let before = arrangements::get(tx, plan_id)?;
        if let Some(previous) = &before
            && previous.theory.date() < session.today
        {
            return Err(Error::refused(format!("本计划的考试已于 {} 开始，不能再重新编排", previous.theory.date())));
        }

        let eligible: Vec<Application> = applications::list_for_plan(tx, plan_id, None)?
            .into_iter()
            .filter(|a| matches!(a.status, ApplicationStatus::Approved | ApplicationStatus::Filed))
            .collect();
        if eligible.is_empty() {
            return Err(Error::refused("本计划没有可编排的报名：请先审核通过报名"));
        }
        // Each re-sit's kept parts (sat no more): read once, for the clash check and the 准考证号's subjects.
        let carried: HashMap<i64, Vec<Part>> =
            crate::store::resits::for_plan(tx, plan_id)?.into_iter().map(|(id, r)| (id, r.carried)).collect();
        refuse_clashes(tx, plan_id, &eligible, &timed, &carried)?;
        if plan.fee_fen > 0 && settings::payment_required(tx)? {
            let unpaid: Vec<String> = eligible
                .iter()
                .filter(|a| a.payment == PaymentStatus::Unpaid)
                .map(|a| format!("{}（{}）", a.name, a.id_number))
                .collect();
            if !unpaid.is_empty() {
                return Err(Error::refused(format!("以下考生尚未缴费，不能编排：{}", super::some_people(&unpaid)))
                    .with_fix(Fix::RecordPayment));
            }
        }
        let found = site.map(|site| find_site(tx, site)).transpose()?;
        let (venue, named_rooms) = match &found {
            Some(site) => (
                match venue.is_empty() {
                    true => format!("{} {}", site.name, site.address),
                    false => venue.clone(),
                },
                choose_rooms(site, &request.site_rooms)?,
            ),
            None => (venue.clone(), Vec::new()),
        };
        let mut own_rooms = Vec::new();
        for (part, wanted) in [(Part::Practical, &request.practical_rooms), (Part::Review, &request.review_rooms)] {
            if wanted.iter().all(|w| w.trim().is_empty()) {
                continue;
            }
            let Some(site) = &found else {
                let field = if part == Part::Review { "综合评审考场" } else { "操作技能考场" };
                return Err(Error::invalid(field, "只有选定考点时才能为一科另选考场：请先选择考点"));
            };
            if part == Part::Review && review.is_none() {
                return Err(Error::invalid("综合评审考场", format!("{}没有综合评审，不应选择综合评审考场", plan.level)));
            }
            let rooms = choose_rooms(site, wanted)?;
            let sitting: usize = eligible.iter().filter(|a| sits(&carried, a, part)).count();
            let places: usize = rooms.iter().map(|r| r.capacity as usize).sum();
            if places < sitting {
                return Err(Error::refused(format!(
                    "{}考场座位不足：{sitting} 人参加{}，所选考场共 {places} 个（{}）；请增加考场",
                    part.label(),
                    part.label(),
                    rooms_text(&rooms)
                )));
            }
            own_rooms.push(PartRooms { part, rooms });
        }
        let capacities: Vec<u32> = match named_rooms.is_empty() {
            true => vec![request.seats_per_room; request.rooms as usize],
            false => named_rooms.iter().map(|r| r.capacity).collect(),
        };
        let places: usize = capacities.iter().map(|&c| c as usize).sum();
        if places < eligible.len() {
            let offered = match named_rooms.is_empty() {
                true => format!("{} 个考场 × 每场 {} 座 = {places} 个", request.rooms, request.seats_per_room),
                false => format!("所选考场共 {places} 个（{}）", rooms_text(&named_rooms)),
            };
            return Err(Error::refused(format!(
                "座位不足：需要 {} 个座位，{offered}；请增加考场或座位",
                eligible.len()
            )));
        }
        let arrangement = Arrangement {
            plan_id,
            venue: venue.clone(),
            rooms: capacities.len() as u32,
            seats_per_room: capacities.iter().copied().max().unwrap_or(1),
            theory,
            practical,
            review,
            seat_rule: request.seat_rule,
            seat_seed,
            named_rooms,
            own_rooms,
        };

        // Each candidate keeps their sequence in the plan; new candidates continue it, in the order they applied.
        let previous: HashMap<i64, Seat> =
            arrangements::seats_for_plan(tx, plan_id)?.into_iter().map(|s| (s.application_id, s)).collect();
        let sequence_of = |s: &Seat| s.sequence.or_else(|| ticket_sequence(&plan.code, &s.ticket_number));
        let mut next = previous.values().filter_map(sequence_of).max().unwrap_or(0);
        let mut numbered: Vec<(u32, &Application)> = Vec::with_capacity(eligible.len());
        for app in &eligible {
            let sequence = match previous.get(&app.id).and_then(sequence_of) {
                Some(kept) => kept,
                None => {
                    next += 1;
                    next
                }
            };
            numbered.push((sequence, app));
        }
        let numbers = TicketNumbers::new(tx, &plan, &arrangement, &carried)?;
        if let Some(max) = numbers.pattern.max_sequence()
            && next > max
        {
            return Err(Error::refused(format!(
                "本计划的考生序号将到 {next}，超过准考证号规则中序号的上限 {max}：请在设置中加宽 {{序号}} 的位数"
            )));
        }
        let employers = match request.seat_rule {
            SeatRule::EmployerApart | SeatRule::EmployerTogether => applications::employers_in_plan(tx, plan_id)?,
            _ => HashMap::new(),
        };
        let people: Vec<SeatCandidate> = numbered
            .iter()
            .map(|(sequence, app)| SeatCandidate {
                sequence: *sequence,
                id_number: &app.id_number,
                employer: employers.get(&app.id).map(String::as_str),
            })
            .collect();
        let order = seat_order(request.seat_rule, u64::from(seat_seed.unwrap_or(0)), &people);

        let mut seats = Vec::with_capacity(numbered.len());
        let mut views = Vec::with_capacity(numbered.len());
        let mut holders: HashMap<String, &Application> = HashMap::with_capacity(numbered.len());
        let (mut filed, mut moved, mut renumbered) = (0, 0, 0);
        // A part sat in rooms of its own: those rooms' capacities, and how many of its candidates are seated so far.
        let mut own_seating: Vec<(Part, Vec<u32>, usize)> = arrangement
            .own_rooms
            .iter()
            .map(|own| (own.part, own.rooms.iter().map(|r| r.capacity).collect(), 0))
            .collect();
        for (index, &(sequence, app)) in order.iter().map(|&i| &numbered[i]).enumerate() {
            let short = || Error::Data("座位数已核对，却不够".into());
            let (room, seat) = seat_in(index, &capacities).ok_or_else(short)?;
            let mut placed = Seat {
                application_id: app.id,
                ticket_number: String::new(),
                room,
                seat,
                sequence: Some(sequence),
                practical: None,
                review: None,
            };
            for (part, capacities, taken) in own_seating.iter_mut().filter(|(part, ..)| sits(&carried, app, *part)) {
                let (room, seat) = seat_in(*taken, capacities).ok_or_else(short)?;
                *taken += 1;
                match part {
                    Part::Review => placed.review = Some(RoomSeat { room, seat }),
                    _ => placed.practical = Some(RoomSeat { room, seat }),
                }
            }
            let before_seat = previous.get(&app.id);
            // A number once given stays unless the rule writes the seat into it.
            let ticket = match before_seat {
                Some(kept) if !numbers.pattern.follows_seat() => kept.ticket_number.clone(),
                _ => numbers.render(app, sequence, room, seat)?,
            };
            placed.ticket_number = ticket.clone();
            let parts = sat_parts(&carried, app, &arrangement);
            if let Some(other) = holders.insert(ticket.clone(), app) {
                return Err(Error::refused(format!(
                    "准考证号规则给{}和{}生成了同一个号码 {ticket}：请在设置中为规则加上 {{序号}} 或 {{考场}}{{座号}}",
                    other.name, app.name
                )));
            }
            match app.status {
                ApplicationStatus::Approved => {
                    change_status(tx, session, app, Action::File, None, &now)?;
                    filed += 1;
                }
                _ => {
                    // Told by what the documents print: the same number in a room now named is a move too.
                    if let (Some(seat_before), Some(arrangement_before)) = (before_seat, &before)
                        && let from = arrangement_before.places_text(seat_before, &parts)
                        && let to = arrangement.places_text(&placed, &parts)
                        && from != to
                    {
                        let change = (Some(from.as_str()), Some(to.as_str()));
                        audit_change(tx, session, app, "重新编排座位", change, Some(&ticket), &now)?;
                        moved += 1;
                    }
                    if let Some(seat_before) = before_seat
                        && seat_before.ticket_number != ticket
                    {
                        let change = (Some(seat_before.ticket_number.as_str()), Some(ticket.as_str()));
                        audit_change(tx, session, app, "准考证号变更", change, None, &now)?;
                        renumbered += 1;
                    }
                }
            }
            views.push(SeatView {
                ticket_number: ticket,
                name: app.name.clone(),
                id_number: app.id_number.clone(),
                room,
                room_label: arrangement.room_label(Part::Theory, room),
                seat,
                places: arrangement.places_text(&placed, &parts),
            });
            seats.push(placed);
        }
        let tickets: Vec<&str> = seats.iter().map(|s| s.ticket_number.as_str()).collect();
        if let Some((ticket, other)) = arrangements::tickets_elsewhere(tx, plan_id, &tickets)?.into_iter().next() {
            let other = plans::get(tx, other)?;
            return Err(Error::refused(format!(
                "准考证号 {ticket} 已由计划“{} {}”的考生使用：请在设置中为准考证号规则加上 {{识别码}} 或 {{批次}}",
                other.title(),
                other.level
            )));
        }
        arrangements::replace_seats(tx, plan_id, &seats)?;
        arrangements::save(tx, &arrangement, &now)?;
        let detail = format!(
            "{venue}；{}；理论 {}，技能 {}{}；{}排座{}；准考证号规则 {}；编排 {} 人（新提交申报 {filed}，调整座位 {moved}，准考证号变更 {renumbered}）",
            match arrangement.named_rooms.is_empty() {
                true => format!("{} 个考场 × {} 座", arrangement.rooms, arrangement.seats_per_room),
                false => format!("考场 {}", rooms_text(&arrangement.named_rooms)),
            } + &arrangement
                .own_rooms
                .iter()
                .map(|own| format!("；{}考场 {}", own.part.label(), rooms_text(&own.rooms)))
                .collect::<String>(),
            theory.label(),
            practical.label(),
            review.map(|r| format!("，综合评审 {}", r.label())).unwrap_or_default(),
            request.seat_rule.label(),
            seat_seed.map(|seed| format!("（种子 {seed}）")).unwrap_or_default(),
            numbers.pattern.text(),
            seats.len()
        );
        super::audit_plan(
            tx,
            session,
            plan_id,
            if previous.is_empty() { "编排考试" } else { "重新编排考试" },
            (None, None),
            Some(&detail),
            &now,
        )?;
        Ok(ArrangeOutcome { arrangement, seats: views, filed, moved })
    })?;
    Ok(outcome)
}

/// "301 30 座、机房一 40 座".
fn rooms_text(rooms: &[ArrangedRoom]) -> String {
    rooms.iter().map(|r| format!("{} {} 座", r.name, r.capacity)).collect::<Vec<_>>().join("、")
}

/// Whether the application's candidate sits `part` (a 补考 keeps the parts it passed).
fn sits(carried: &HashMap<i64, Vec<Part>>, app: &Application, part: Part) -> bool {
    carried.get(&app.id).is_none_or(|kept| !kept.contains(&part))
}

/// The parts of the arrangement the application's candidate sits.
fn sat_parts(carried: &HashMap<i64, Vec<Part>>, app: &Application, arrangement: &Arrangement) -> Vec<Part> {
    Part::ALL.into_iter().filter(|&p| arrangement.sitting(p).is_some() && sits(carried, app, p)).collect()
}

/// The 考点 named, refused naming those there are.
fn find_site(conn: &crate::store::sql::Connection, site: &str) -> Result<venues::Site> {
    let sites = venues::list_sites(conn)?;
    let known: Vec<String> = sites.iter().map(|s| s.name.clone()).collect();
    let Some(found) = sites.into_iter().find(|s| s.name == site) else {
        let hint = match known.is_empty() {
            true => "还没有任何考点，请先在考务基础数据中添加考点和考场".to_string(),
            false => format!("已有的考点：{}", known.join("、")),
        };
        return Err(Error::invalid("考点", format!("没有名为“{site}”的考点；{hint}")));
    };
    if found.rooms.is_empty() {
        return Err(Error::invalid("考场", format!("考点“{site}”还没有考场，请先在考务基础数据中为它添加考场")));
    }
    Ok(found)
}

/// The rooms of the 考点 wanted, in the order named (all of them, in its order, when none is named), as the
/// arrangement keeps them; refused naming an unknown room.
fn choose_rooms(site: &venues::Site, wanted: &[String]) -> Result<Vec<ArrangedRoom>> {
    let mut chosen: Vec<&venues::Room> = Vec::new();
    let mut unknown = Vec::new();
    for name in wanted.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        match site.rooms.iter().find(|r| r.name == name) {
            Some(room) if !chosen.iter().any(|c| c.id == room.id) => chosen.push(room),
            Some(_) => {}
            None => unknown.push(name),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = site.rooms.iter().map(|r| r.name.as_str()).collect();
        return Err(Error::invalid(
            "考场",
            format!("考点“{}”没有考场 {}；它的考场有：{}", site.name, unknown.join("、"), known.join("、")),
        ));
    }
    if chosen.is_empty() {
        chosen = site.rooms.iter().collect();
    }
    Ok(chosen
        .iter()
        .map(|r| ArrangedRoom {
            name: r.name.clone(),
            kind: r.kind,
            capacity: r.capacity,
            workstations: r.workstations,
        })
        .collect())
}

/// What the 准考证号 rule needs of the plan and the agency, read once per arrangement.
struct TicketNumbers<'p> {
    pattern: TicketPattern,
    plan: &'p crate::store::plans::Plan,
    year: i32,
    province: Option<String>,
    agency: Option<String>,
    /// The parts the arrangement has, and each re-sit's carried parts (sat no more).
    has_review: bool,
    carried: &'p HashMap<i64, Vec<Part>>,
}

impl<'p> TicketNumbers<'p> {
    fn new(
        conn: &crate::store::sql::Connection,
        plan: &'p crate::store::plans::Plan,
        arrangement: &Arrangement,
        carried: &'p HashMap<i64, Vec<Part>>,
    ) -> Result<Self> {
        use crate::domain::settings::Setting;
        let pattern = settings::ticket_pattern(conn)?;
        let (needs_province, needs_agency) = pattern.needs_agency();
        let setting = |needed: bool, setting: Setting| match needed {
            true => settings::require(conn, setting).map(Some),
            false => Ok(None),
        };
        Ok(TicketNumbers {
            province: setting(needs_province, Setting::ProvinceCode)?,
            agency: setting(needs_agency, Setting::SiteSerial)?,
            pattern,
            plan,
            year: chrono::Datelike::year(&arrangement.theory.date()),
            has_review: arrangement.review.is_some(),
            carried,
        })
    }

    fn render(&self, app: &Application, sequence: u32, room: u32, seat: u32) -> Result<String> {
        let carried = self.carried.get(&app.id).map(Vec::as_slice).unwrap_or(&[]);
        let sits = |part: Part| !carried.contains(&part);
        self.pattern.render(&TicketFacts {
            year: self.year,
            province: self.province.as_deref(),
            agency: self.agency.as_deref(),
            plan_code: &self.plan.code,
            plan_no: &self.plan.plan_no,
            subjects: [sits(Part::Theory), sits(Part::Practical), self.has_review && sits(Part::Review)],
            room,
            seat,
            sequence,
        })
    }
}

/// Refuses an arrangement whose times overlap another plan's sessions for a candidate who sits both, naming them (a
/// 补考's kept parts are not sat, on either side).
fn refuse_clashes(
    conn: &crate::store::sql::Connection,
    plan_id: i64,
    eligible: &[Application],
    timed: &[(Part, Sitting)],
    kept_here: &HashMap<i64, Vec<Part>>,
) -> Result<()> {
    let here: HashMap<i64, &Application> = eligible.iter().map(|a| (a.candidate_id, a)).collect();
    let mut others: HashMap<i64, Option<(String, Arrangement)>> = HashMap::new();
    let mut clashes = Vec::new();
    for (candidate, other_plan, other_application) in arrangements::other_arranged_plans(conn, plan_id)? {
        let Some(app) = here.get(&candidate) else { continue };
        let sat_here = |part: &Part| sits(kept_here, app, *part);
        let other = match others.entry(other_plan) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let plan = plans::get(conn, other_plan)?;
                let title = format!("{} {}", plan.title(), plan.level);
                slot.insert(arrangements::get(conn, other_plan)?.map(|a| (title, a)))
            }
        };
        let Some((title, other)) = other.as_ref() else { continue };
        let kept_there = crate::store::resits::get(conn, other_application)?.map(|r| r.carried).unwrap_or_default();
        let clash = timed.iter().filter(|(part, _)| sat_here(part)).find_map(|(part, at)| {
            Part::ALL
                .into_iter()
                .filter(|p| !kept_there.contains(p))
                .find_map(|p| other.sitting(p).filter(|s| s.overlaps(at)).map(|s| (part, at, p, s)))
        });
        if let Some((part, at, other_part, other_at)) = clash {
            clashes.push(format!(
                "{}（{}）的{} {} 与计划“{title}”的{} {}",
                app.name,
                app.id_number,
                part.label(),
                at.label(),
                other_part.label(),
                other_at.label()
            ));
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "以下考生另有计划的考试与本次时间重叠，同一时间不能参加两场：{}；请调整本计划的考试时间",
        super::some_people(&clashes)
    )))
}
