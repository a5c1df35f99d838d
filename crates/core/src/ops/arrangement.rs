//! 考务编排: seats every approved application of a plan, gives it a 准考证号 and files it (已提交申报).

use std::collections::HashMap;
use ts_rs::TS;

use serde::{Deserialize, Serialize};

use super::Session;
use super::applications::{audit_change, change_status};
use crate::domain::arrangement::{
    SeatCandidate, SeatRule, Sitting, fresh_seed, seat_of, seat_order, ticket_number, ticket_sequence,
};
use crate::domain::operator::Permission;
use crate::domain::status::{Action, ApplicationStatus, PaymentStatus};
use crate::error::{Error, Fix, Result};
use crate::store::applications::{self, Application};
use crate::store::arrangements::{self, Arrangement, Seat};
use crate::store::{Store, plans, settings};

/// What the operator gives to arrange a plan's exam.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ArrangeRequest {
    /// 考点地址.
    pub venue: String,
    pub rooms: u32,
    pub seats_per_room: u32,
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
    pub seat: u32,
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

/// "第01考场 05号".
fn place(room: u32, seat: u32) -> String {
    format!("第{room:02}考场 {seat:02}号")
}

/// The plan's current arrangement, if it has one.
pub fn arrangement_of(store: &Store, plan_id: i64) -> Result<Option<Arrangement>> {
    plans::get(store.conn(), plan_id)?;
    arrangements::get(store.conn(), plan_id)
}

/// Arranges (or re-arranges, before the exam) a plan. All or nothing: any problem refuses the whole arrangement.
pub fn arrange(store: &mut Store, session: &Session, plan_id: i64, request: &ArrangeRequest) -> Result<ArrangeOutcome> {
    session.require(Permission::Arrange)?;
    let venue = request.venue.trim().to_string();
    if venue.is_empty() {
        return Err(Error::invalid("考点地址", "不能为空，请填写考点名称和地址"));
    }
    if request.rooms == 0 || request.seats_per_room == 0 {
        return Err(Error::invalid("考场", "考场数和每个考场的座位数都应大于 0"));
    }
    let theory = Sitting::parse("理论知识考试时间", &request.theory)?;
    let practical = Sitting::parse("操作技能考核时间", &request.practical)?;
    let review = request.review.as_deref().map(|r| Sitting::parse("综合评审时间", r)).transpose()?;
    let seat_seed = match (request.seat_rule, request.seat_seed) {
        (SeatRule::Random, seed) => Some(seed.unwrap_or_else(|| fresh_seed() as u32)),
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
        if let Some(previous) = arrangements::get(tx, plan_id)?
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
        let places = request.rooms as usize * request.seats_per_room as usize;
        if places < eligible.len() {
            return Err(Error::refused(format!(
                "座位不足：需要 {} 个座位，{} 个考场 × 每场 {} 座 = {places} 个；请增加考场或座位",
                eligible.len(),
                request.rooms,
                request.seats_per_room
            )));
        }

        // Keep the 准考证号 already given; new candidates continue the sequence, in the order they applied.
        let previous: HashMap<i64, Seat> =
            arrangements::seats_for_plan(tx, plan_id)?.into_iter().map(|s| (s.application_id, s)).collect();
        let mut next =
            previous.values().filter_map(|s| ticket_sequence(&plan.code, &s.ticket_number)).max().unwrap_or(0);
        let mut numbered: Vec<(String, &Application)> = Vec::with_capacity(eligible.len());
        for app in &eligible {
            let ticket = match previous.get(&app.id) {
                Some(seat) => seat.ticket_number.clone(),
                None => {
                    next += 1;
                    ticket_number(&plan.code, next)?
                }
            };
            numbered.push((ticket, app));
        }
        let employers = match request.seat_rule {
            SeatRule::EmployerApart | SeatRule::EmployerTogether => applications::employers_in_plan(tx, plan_id)?,
            _ => HashMap::new(),
        };
        let people: Vec<SeatCandidate> = numbered
            .iter()
            .map(|(ticket, app)| SeatCandidate {
                ticket_number: ticket,
                id_number: &app.id_number,
                employer: employers.get(&app.id).map(String::as_str),
            })
            .collect();
        let order = seat_order(request.seat_rule, u64::from(seat_seed.unwrap_or(0)), &people);
        let numbered: Vec<&(String, &Application)> = order.iter().map(|&i| &numbered[i]).collect();

        let mut seats = Vec::with_capacity(numbered.len());
        let mut views = Vec::with_capacity(numbered.len());
        let (mut filed, mut moved) = (0, 0);
        for (index, (ticket, app)) in numbered.iter().enumerate() {
            let (room, seat) = seat_of(index, request.seats_per_room);
            match app.status {
                ApplicationStatus::Approved => {
                    change_status(tx, session, app, Action::File, None, &now)?;
                    filed += 1;
                }
                _ => {
                    if let Some(before) = previous.get(&app.id)
                        && (before.room, before.seat) != (room, seat)
                    {
                        let (from, to) = (place(before.room, before.seat), place(room, seat));
                        let change = (Some(from.as_str()), Some(to.as_str()));
                        audit_change(tx, session, app, "重新编排座位", change, Some(ticket), &now)?;
                        moved += 1;
                    }
                }
            }
            seats.push(Seat { application_id: app.id, ticket_number: ticket.clone(), room, seat });
            views.push(SeatView {
                ticket_number: ticket.clone(),
                name: app.name.clone(),
                id_number: app.id_number.clone(),
                room,
                seat,
            });
        }
        let arrangement = Arrangement {
            plan_id,
            venue: venue.clone(),
            rooms: request.rooms,
            seats_per_room: request.seats_per_room,
            theory,
            practical,
            review,
            seat_rule: request.seat_rule,
            seat_seed,
        };
        arrangements::replace_seats(tx, plan_id, &seats)?;
        arrangements::save(tx, &arrangement, &now)?;
        let detail = format!(
            "{venue}；{} 个考场 × {} 座；理论 {}，技能 {}{}；{}排座{}；编排 {} 人（新提交申报 {filed}，调整座位 {moved}）",
            request.rooms,
            request.seats_per_room,
            theory.label(),
            practical.label(),
            review.map(|r| format!("，综合评审 {}", r.label())).unwrap_or_default(),
            request.seat_rule.label(),
            seat_seed.map(|seed| format!("（种子 {seed}）")).unwrap_or_default(),
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
