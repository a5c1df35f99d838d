//! 考务人员指派: who serves each room's sitting of an arranged plan (room 0 is the 考点 as a whole, for its 督导员),
//! each person's declared conflicts, and every rule of `domain::staffing` checked. A broken rule refuses the
//! assignment, listing every violation; the operator may still make it by giving a reason, which is stored with it
//! and audited.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::arrangement::Sitting as When;
use crate::domain::operator::Permission;
use crate::domain::score::Part;
use crate::domain::staffing::{self, Assigned, Sitter, Sitting, Violation};
use crate::domain::venue::StaffRole;
use crate::error::{Error, Fix, Result};
use crate::ops::Session;
use crate::store::arrangements::{self, Arrangement};
use crate::store::sql::Connection;
use crate::store::venues::Staff;
use crate::store::{Store, applications, audit, plans, staffing as table, venues};

/// Who is to serve one room's sitting.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AssignRequest {
    pub plan_id: i64,
    /// 0: the 考点 as a whole (its 督导员).
    pub room: u32,
    pub part: Part,
    /// Names or 证件号码 of people on the 考务人员 list; empty: nobody serves there any more.
    pub staff: Vec<String>,
    /// Why a broken rule is overridden; refused without one when a rule is broken.
    pub reason: Option<String>,
}

/// One person where they serve.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Serving {
    pub staff_id: i64,
    pub name: String,
    pub role: StaffRole,
    /// 高级考评员 or 考评员, for examiners.
    pub grade: Option<String>,
    pub override_reason: Option<String>,
}

/// One room's sitting of one part, and who serves it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Place {
    pub room: u32,
    pub part: Part,
    /// "第01考场 理论知识", "考点 理论知识".
    pub label: String,
    /// "2026-12-28 09:00-10:30".
    pub when: String,
    pub staff: Vec<Serving>,
}

/// A plan's staffing: every place of its arrangement, and every rule its staffing breaks now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Staffing {
    pub plan_id: i64,
    pub places: Vec<Place>,
    pub violations: Vec<Violation>,
}

fn place_label(arrangement: &Arrangement, room: u32, part: Part) -> String {
    match room {
        0 => format!("考点 {}", part.label()),
        _ => format!("{} {}", arrangement.room_label(part, room), part.label()),
    }
}

/// The plan's staffing as it stands, every rule checked.
pub fn staffing(store: &Store, plan_id: i64) -> Result<Staffing> {
    staffing_in(store.conn(), plan_id)
}

fn arranged(conn: &Connection, plan_id: i64) -> Result<Arrangement> {
    arrangements::get(conn, plan_id)?
        .ok_or_else(|| Error::refused("本计划还没有编排考试，不能指派考务人员").with_fix(Fix::ArrangeFirst))
}

/// The sittings of the arrangement: each part with its time.
fn sittings(arrangement: &Arrangement) -> Vec<(Part, When)> {
    Part::ALL.into_iter().filter_map(|p| arrangement.sitting(p).map(|s| (p, s))).collect()
}

fn staffing_in(conn: &Connection, plan_id: i64) -> Result<Staffing> {
    let plan = plans::get(conn, plan_id)?;
    let arrangement = arranged(conn, plan_id)?;
    let people: HashMap<i64, Staff> = venues::list_staff(conn)?.into_iter().map(|s| (s.id, s)).collect();
    let assignments = table::for_plan(conn, plan_id)?;
    let declared = table::declarations(conn, plan_id)?;
    let days = table::sitting_days(conn)?;
    let served = table::all_served(conn)?;
    let sitters = sitters_by_room(conn, plan_id, &arrangement)?;

    let mut places = Vec::new();
    let mut violations = Vec::new();
    let mut supervised: Vec<(NaiveDate, bool)> = Vec::new();
    for (part, when) in sittings(&arrangement) {
        let day = when.date();
        // The agency's sitting days in the year before this one, newest first, and who served on each.
        let earlier: Vec<NaiveDate> = days
            .iter()
            .filter(|((p, _), d)| *p != plan_id && **d < day && **d >= staffing::year_before(day))
            .map(|(_, d)| *d)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .rev()
            .collect();
        let served_on = |staff_id: i64| -> Vec<NaiveDate> {
            served
                .iter()
                .filter(|(p, _, s)| *s == staff_id && *p != plan_id)
                .filter_map(|(p, part, _)| days.get(&(*p, *part)).copied())
                .collect()
        };
        for room in 0..=arrangement.room_count(part) {
            let here: Vec<&table::Assignment> =
                assignments.iter().filter(|a| a.room == room && a.part == part).collect();
            let staff: Vec<(&Staff, Option<String>)> =
                here.iter().filter_map(|a| people.get(&a.staff_id).map(|s| (s, a.override_reason.clone()))).collect();
            if room == 0 {
                let day_has = staff.iter().any(|(s, _)| s.person.role == StaffRole::Supervisor);
                match supervised.iter_mut().find(|(d, _)| *d == day) {
                    Some((_, has)) => *has |= day_has,
                    None => supervised.push((day, day_has)),
                }
            }
            let label = place_label(&arrangement, room, part);
            let history: Vec<Vec<NaiveDate>> = staff.iter().map(|(s, _)| served_on(s.id)).collect();
            let none = Vec::new();
            let assigned: Vec<Assigned<'_>> = staff
                .iter()
                .zip(&history)
                .map(|((s, _), h)| Assigned {
                    person: &s.person,
                    served_on: h,
                    declared: declared.get(&s.id).unwrap_or(&none),
                })
                .collect();
            let room_sitters: Vec<Sitter<'_>> = sitters
                .get(&(part, room))
                .map(|list| {
                    list.iter()
                        .map(|(name, id, employer)| Sitter { name, id_number: id, employer: employer.as_deref() })
                        .collect()
                })
                .unwrap_or_default();
            let sitting = Sitting {
                place: label.clone(),
                day,
                occupation: &plan.occupation,
                level: plan.level,
                earlier_days: &earlier,
            };
            violations.extend(staffing::check_room(&sitting, &assigned, &room_sitters));
            places.push(Place {
                room,
                part,
                label,
                when: when.label(),
                staff: staff
                    .iter()
                    .map(|(s, reason)| Serving {
                        staff_id: s.id,
                        name: s.person.name.clone(),
                        role: s.person.role,
                        grade: s.person.grade.map(|g| g.label().to_string()),
                        override_reason: reason.clone(),
                    })
                    .collect(),
            });
        }
    }
    violations.extend(staffing::check_supervision(&supervised));
    Ok(Staffing { plan_id, places, violations })
}

/// Each part's rooms' candidates as a declared conflict names them: (name, 证件号码, 工作单位); room 0 the 考点.
type RoomSitters = HashMap<(Part, u32), Vec<(String, String, Option<String>)>>;

fn sitters_by_room(conn: &Connection, plan_id: i64, arrangement: &Arrangement) -> Result<RoomSitters> {
    let applications: HashMap<i64, applications::Application> =
        applications::list_for_plan(conn, plan_id, None)?.into_iter().map(|a| (a.id, a)).collect();
    let employers = applications::employers_in_plan(conn, plan_id)?;
    let mut rooms: RoomSitters = HashMap::new();
    for seat in arrangements::seats_for_plan(conn, plan_id)? {
        let Some(app) = applications.get(&seat.application_id) else { continue };
        let sitter = (app.name.clone(), app.id_number.clone(), employers.get(&app.id).cloned());
        for (part, _) in sittings(arrangement) {
            // A conflict anywhere in the 考点 concerns its 督导员 too.
            rooms.entry((part, 0)).or_default().push(sitter.clone());
            if let Some(place) = arrangement.place_of(&seat, part) {
                rooms.entry((part, place.room)).or_default().push(sitter.clone());
            }
        }
    }
    Ok(rooms)
}

/// The person on the 考务人员 list a name or 证件号码 means; refused naming what is unknown or ambiguous.
pub(crate) fn find_person<'a>(people: &'a [Staff], wanted: &str) -> std::result::Result<&'a Staff, String> {
    let wanted = wanted.trim();
    if let Some(p) = people.iter().find(|p| p.person.id_number.eq_ignore_ascii_case(wanted)) {
        return Ok(p);
    }
    let named: Vec<&Staff> = people.iter().filter(|p| p.person.name == wanted).collect();
    match named[..] {
        [one] => Ok(one),
        [] => Err(format!("考务人员名单中没有“{wanted}”")),
        _ => Err(format!("考务人员名单中有 {} 位“{wanted}”，请改用证件号码", named.len())),
    }
}

/// Assigns who serves one room's sitting; refused, listing every broken rule, unless `reason` says why.
pub fn assign_staff(store: &mut Store, session: &Session, request: &AssignRequest) -> Result<Staffing> {
    session.require(Permission::Arrange)?;
    let conn = store.conn();
    let plan = plans::get(conn, request.plan_id)?;
    let arrangement = arranged(conn, request.plan_id)?;
    if request.room > arrangement.room_count(request.part) {
        return Err(Error::invalid(
            "考场",
            format!("本计划的{}只编排了 {} 个考场", request.part.label(), arrangement.room_count(request.part)),
        ));
    }
    if arrangement.sitting(request.part).is_none() {
        return Err(Error::invalid("科目", format!("{} {}没有{}", plan.title(), plan.level, request.part.label())));
    }
    let people = venues::list_staff(conn)?;
    let mut chosen: Vec<i64> = Vec::new();
    let mut problems = Vec::new();
    for wanted in &request.staff {
        match find_person(&people, wanted) {
            Ok(p) if request.room == 0 && p.person.role != StaffRole::Supervisor => {
                problems.push(format!("{}是{}，考点（考场 0）只指派督导员", p.person.name, p.person.role.label()));
            }
            Ok(p) if !chosen.contains(&p.id) => chosen.push(p.id),
            Ok(_) => {}
            Err(why) => problems.push(why),
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid("考务人员", problems.join("；")));
    }
    let reason = request.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let place = place_label(&arrangement, request.room, request.part);
    let now = session.now();
    // The staffing as this write leaves it: checked for the refusal, and what the caller gets back.
    store.write(|tx| {
        table::replace(tx, (request.plan_id, request.room, request.part), &chosen, reason, &now)?;
        let after = staffing_in(tx, request.plan_id)?;
        let broken: Vec<String> =
            after.violations.iter().filter(|v| v.place == place).map(Violation::describe).collect();
        if !broken.is_empty() && reason.is_none() {
            return Err(Error::refused(format!(
                "{place}的指派违反规则，未保存：{}。如确需这样指派，请填写理由（将记入操作日志）",
                broken.join("；")
            )));
        }
        let names: Vec<&str> = chosen
            .iter()
            .filter_map(|id| people.iter().find(|p| p.id == *id).map(|p| p.person.name.as_str()))
            .collect();
        let mut detail = format!("{place}：{}", if names.is_empty() { "无".to_string() } else { names.join("、") });
        if !broken.is_empty() {
            detail.push_str(&format!("；违反规则：{}；理由：{}", broken.join("；"), reason.unwrap_or_default()));
        }
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "plan",
                entity_id: request.plan_id,
                action: "指派考务人员",
                detail: Some(&detail),
                plan_id: Some(request.plan_id),
                ..Default::default()
            },
            &now,
        )?;
        Ok(after)
    })
}

/// Records the conflicts of interest one person declared for the plan: candidates' 证件号码 (relatives) and units
/// (工作单位 or training schools whose trainees they taught). Nothing declared withdraws the declaration.
pub fn declare_conflicts(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    person: &str,
    declared: &[String],
) -> Result<Staffing> {
    session.require(Permission::Arrange)?;
    let conn = store.conn();
    plans::get(conn, plan_id)?;
    let people = venues::list_staff(conn)?;
    let person = find_person(&people, person).map_err(|why| Error::invalid("考务人员", why))?;
    let declared: Vec<String> = declared.iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
    let now = session.now();
    store.write(|tx| {
        table::declare(tx, plan_id, person.id, &declared, &now)?;
        let detail = format!(
            "{}申报回避：{}",
            person.person.name,
            if declared.is_empty() { "无".to_string() } else { declared.join("、") }
        );
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "plan",
                entity_id: plan_id,
                action: "申报回避",
                detail: Some(&detail),
                plan_id: Some(plan_id),
                ..Default::default()
            },
            &now,
        )
    })?;
    staffing(store, plan_id)
}
