//! The receiving half: a batch applied in one transaction, by the ownership rules of the module doc.

use crate::store::sql::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::records::{
    ApplicationRecord, ArrangementRecord, Batch, CandidateKey, CandidateRecord, CertificateRecord, PhotoRecord,
    PlanRecord, Record, ScoresRecord, unbase64,
};
use super::{PROTOCOL_VERSION, Scope, Side};
use crate::domain::arrangement::{SeatRule, Sitting};
use crate::domain::photo;
use crate::domain::score::{Mark, Marks};
use crate::domain::status::{Action, ApplicationStatus, PaymentStatus};
use crate::error::{Error, Result};
use crate::ops::Session;
use crate::ops::applications::{adopt_agency_status, audit_change, change_status, keep_passed_parts, resit_basis};
use crate::store::applications::{self, Application};
use crate::store::arrangements::{self, Arrangement, Seat};
use crate::store::candidates::{self, Candidate};
use crate::store::certificates::{self, CertificateState, NewCertificate};
use crate::store::resits::{self, Resit};
use crate::store::{Store, audit, changes, notices, photos, plans, portal, scores};

/// What applying a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplyReport {
    /// Records that changed something.
    pub applied: usize,
    /// Records already as they are here.
    pub unchanged: usize,
    /// Records the ownership rules kept out, each with why (in Chinese, for the sync log).
    pub ignored: Vec<String>,
}

impl ApplyReport {
    /// Adds another round's report to this one.
    pub fn absorb(&mut self, other: ApplyReport) {
        self.applied += other.applied;
        self.unchanged += other.unchanged;
        self.ignored.extend(other.ignored);
    }
}

enum Outcome {
    Applied,
    Unchanged,
    Ignored(String),
}

/// Applies a batch `from` the other side. All of it or none of it: an error rolls back every record (and the
/// receiver's cursor is only moved by the caller once this returned).
/// Under [`Scope::Agency`] (a portal applying an agency's batch) a record may only reach that agency's own plans and
/// the candidates who applied to them; the rest is reported in `ignored` and changes nothing.
pub(crate) fn apply(
    store: &mut Store,
    session: &Session,
    from: Side,
    scope: Scope,
    batch: &Batch,
) -> Result<ApplyReport> {
    if batch.version != PROTOCOL_VERSION {
        return Err(Error::refused(format!(
            "同步协议版本不一致（对方 {}，本机 {PROTOCOL_VERSION}）：请把桌面端和门户升级到同一版本",
            batch.version
        )));
    }
    let now = session.now();
    store.write(|tx| {
        // Nothing written while applying is logged as a change of ours (no echo back to the sender).
        changes::pause(tx)?;
        let mut report = ApplyReport::default();
        for record in &batch.records {
            let receiver = Receiver { conn: tx, session, now: &now, seen: batch.seen, scope };
            let outcome = match (from, record) {
                (Side::Agency, Record::Plan(p)) => receiver.plan(p)?,
                (_, Record::Candidate(c)) => receiver.candidate(from, c)?,
                (_, Record::Application(a)) => receiver.application(from, a)?,
                (_, Record::Photo(p)) => receiver.photo(from, p)?,
                (Side::Agency, Record::Arrangement(a)) => receiver.arrangement(a)?,
                (Side::Agency, Record::Scores(s)) => receiver.scores(s)?,
                (Side::Agency, Record::Certificate(c)) => receiver.certificate(c)?,
                (Side::Portal, _) => Outcome::Ignored("门户不能发送计划、考务、成绩或证书，已忽略".into()),
            };
            match outcome {
                Outcome::Applied => report.applied += 1,
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Ignored(why) => report.ignored.push(why),
            }
        }
        changes::resume(tx)?;
        Ok(report)
    })
}

struct Receiver<'a> {
    conn: &'a Connection,
    session: &'a Session,
    now: &'a str,
    /// The receiver's changes the sender has already taken (see [`Batch::seen`]).
    seen: i64,
    scope: Scope,
}

impl Receiver<'_> {
    /// Whether this side changed the thing after the sender last took this side's changes: then the sender's copy is
    /// older than ours for whatever this side owns.
    fn changed_since_seen(&self, entity: &str, id: i64) -> Result<bool> {
        changes::changed_after(self.conn, entity, id, self.seen)
    }

    /// Logs our copy as changed although nothing was written, so the next push puts it back over the refused one.
    fn send_back(&self, entity: &str, id: i64) -> Result<()> {
        changes::log_always(self.conn, entity, id)
    }

    /// The plan with this 报名识别码 that the batch may reach, or why not (`what` names what is not synced).
    fn plan_id(&self, code: &str, what: &str) -> Result<Result<i64, String>> {
        Ok(match (portal::plan_owner(self.conn, code)?, self.scope) {
            (None, _) => Err(format!("报名识别码 {code} 的计划不存在，{what}未同步")),
            (Some((id, _)), Scope::Everything) => Ok(id),
            (Some((id, Some(owner))), Scope::Agency(agency)) if owner == agency => Ok(id),
            (Some(_), Scope::Agency(_)) => Err(foreign_plan(code, what)),
        })
    }

    /// Whether a candidate's data is this batch's to change: always on a desktop; on a portal, when the candidate
    /// applied to one of the agency's plans.
    fn may_touch(&self, candidate: &Candidate) -> Result<bool> {
        match self.scope {
            Scope::Everything => Ok(true),
            Scope::Agency(agency) => portal::applied_to_agency(self.conn, candidate.id, agency),
        }
    }

    fn candidate(&self, from: Side, record: &CandidateRecord) -> Result<Outcome> {
        let profile = &record.profile;
        let Some(existing) = candidates::find(self.conn, profile.id_type, &profile.id_number)? else {
            let id = candidates::insert(self.conn, profile, &record.updated_at)?;
            if from == Side::Portal {
                self.audit("candidate", id, "门户注册", None, Some(&profile.name), &profile.id_number, None)?;
            }
            return Ok(Outcome::Applied);
        };
        if existing.profile == *profile {
            return Ok(Outcome::Unchanged);
        }
        if !self.may_touch(&existing)? {
            return Ok(Outcome::Ignored(format!(
                "{}：门户上已有此考生的账号，但尚未报名本机构的计划，考生资料以门户为准，未同步",
                who(&existing)
            )));
        }
        let locked = applications::locking_status(self.conn, existing.id)?;
        match (from, locked) {
            // The agency's copy wins once an application is approved; before that, not over an edit the candidate
            // made here that the agency has not pulled yet.
            (Side::Agency, None) if self.changed_since_seen("candidates", existing.id)? => {
                return Ok(Outcome::Ignored(format!(
                    "{}：考生在门户上修改的资料尚未被机构取回，保留门户资料",
                    who(&existing)
                )));
            }
            (Side::Agency, _) => {}
            // The candidate's edit is taken only while nothing is approved.
            (Side::Portal, Some(status)) => {
                self.send_back("candidates", existing.id)?;
                return Ok(Outcome::Ignored(format!(
                    "{}：报名已“{status}”，个人资料已锁定，门户上的修改未采用",
                    who(&existing)
                )));
            }
            (Side::Portal, None) => {}
        }
        candidates::update_profile(self.conn, profile, &record.updated_at)?;
        if from == Side::Portal {
            let before = serde_json::to_string(&existing.profile).unwrap_or_default();
            let after = serde_json::to_string(profile).unwrap_or_default();
            self.audit(
                "candidate",
                existing.id,
                "门户修改资料",
                Some(&before),
                Some(&after),
                &profile.id_number,
                None,
            )?;
        }
        Ok(Outcome::Applied)
    }

    fn application(&self, from: Side, record: &ApplicationRecord) -> Result<Outcome> {
        let plan_id = match self.plan_id(&record.plan_code, "报名")? {
            Ok(id) => id,
            Err(why) => return Ok(Outcome::Ignored(why)),
        };
        let Some(candidate) = self.find_candidate(&record.candidate)? else {
            return Ok(Outcome::Ignored(format!("考生 {} 不存在，报名未同步", record.candidate)));
        };
        let Some(existing) = applications::find(self.conn, plan_id, candidate.id)? else {
            let id = applications::insert_synced(
                self.conn,
                plan_id,
                candidate.id,
                (record.status, record.payment, record.reject_reason.as_deref()),
                &record.created_at,
                &record.updated_at,
            )?;
            if from == Side::Portal {
                let app = applications::get(self.conn, id)?;
                audit_change(
                    self.conn,
                    self.session,
                    &app,
                    "门户报名",
                    (None, Some(app.status.label())),
                    None,
                    self.now,
                )?;
            }
            self.resit(from, id, plan_id, record)?;
            return Ok(Outcome::Applied);
        };
        self.resit(from, existing.id, plan_id, record)?;
        match from {
            Side::Agency => self.agency_application(&existing, record),
            Side::Portal => self.portal_application(&existing, record),
        }
    }

    /// A 补考 application: the portal links it to the original it holds, as the agency decided; the agency checks a
    /// candidate's 补考 from the portal against its own records and keeps the passed parts, or takes it as a 新考 and
    /// says why in the audit trail for the reviewer. Once linked, nothing changes.
    fn resit(&self, from: Side, application_id: i64, plan_id: i64, record: &ApplicationRecord) -> Result<()> {
        let Some(resit) = &record.resit else { return Ok(()) };
        if resits::get(self.conn, application_id)?.is_some() {
            return Ok(());
        }
        let app = applications::get(self.conn, application_id)?;
        match from {
            Side::Agency => {
                let original = match plans::find_by_code(self.conn, &resit.original_plan_code)? {
                    Some(plan) => applications::find(self.conn, plan.id, app.candidate_id)?,
                    None => None,
                };
                // A portal that never held the original plan shows the application as it is.
                let Some(original) = original else { return Ok(()) };
                let link = Resit {
                    application_id,
                    original_id: original.id,
                    carried: resit.carried.clone(),
                    valid_until: resit.valid_until,
                };
                resits::insert(self.conn, &link, self.now)
            }
            Side::Portal => {
                let plan = plans::get(self.conn, plan_id)?;
                let who = format!("{}（{}）", app.name, app.id_number);
                match resit_basis(self.conn, &plan, app.candidate_id, &who) {
                    Ok(basis) => keep_passed_parts(self.conn, self.session, application_id, &basis, self.now),
                    Err(why) => {
                        let detail = format!("考生在门户按补考报名，但{why}；已按新考报名，请审核时核对");
                        audit_change(
                            self.conn,
                            self.session,
                            &app,
                            "门户补考未确认",
                            (None, None),
                            Some(&detail),
                            self.now,
                        )
                    }
                }
            }
        }
    }

    /// The portal takes the agency's status and payment, except over a candidate's resubmission or payment here that
    /// the agency has not pulled yet.
    fn agency_application(&self, existing: &Application, record: &ApplicationRecord) -> Result<Outcome> {
        let same = (existing.status, existing.payment, &existing.reject_reason)
            == (record.status, record.payment, &record.reject_reason);
        if same {
            return Ok(Outcome::Unchanged);
        }
        if self.changed_since_seen("applications", existing.id)? {
            return Ok(Outcome::Ignored(format!(
                "{}（{}）：门户上有较新的考生操作，待桌面端下次同步后再更新",
                existing.name, existing.id_number
            )));
        }
        adopt_agency_status(
            self.conn,
            self.session,
            existing,
            record.status,
            record.payment,
            record.reject_reason.as_deref(),
            &record.updated_at,
            self.now,
        )?;
        Ok(Outcome::Applied)
    }

    /// The agency takes from the portal only what candidates own: resubmitting a refused application and paying.
    fn portal_application(&self, existing: &Application, record: &ApplicationRecord) -> Result<Outcome> {
        let mut changed = false;
        if existing.status == ApplicationStatus::Rejected && record.status == ApplicationStatus::Pending {
            change_status(
                self.conn,
                self.session,
                existing,
                Action::Resubmit,
                Some("考生在门户修改后重新提交"),
                self.now,
            )?;
            changed = true;
        }
        // A candidate on 缓缴 who pays on the portal has paid as much as one who owed it.
        if existing.payment.awaits_payment() && record.payment == PaymentStatus::Paid {
            applications::set_payment(self.conn, existing.id, PaymentStatus::Paid, self.now)?;
            let change = (Some(existing.payment.label()), Some(PaymentStatus::Paid.label()));
            audit_change(self.conn, self.session, existing, "门户缴费", change, None, self.now)?;
            changed = true;
        }
        Ok(if changed { Outcome::Applied } else { Outcome::Unchanged })
    }

    fn photo(&self, from: Side, record: &PhotoRecord) -> Result<Outcome> {
        let Some(candidate) = self.find_candidate(&record.candidate)? else {
            return Ok(Outcome::Ignored(format!("考生 {} 不存在，照片未同步", record.candidate)));
        };
        let Some(bytes) = unbase64(&record.image) else {
            return Ok(Outcome::Ignored(format!("{}：照片数据损坏，未同步", who(&candidate))));
        };
        // Checked again by content: whatever arrives over the network is input.
        let info = match photo::inspect(&bytes) {
            Ok(info) if info.problems().is_empty() => info,
            Ok(info) => {
                return Ok(Outcome::Ignored(format!("{}：照片{}", who(&candidate), info.problems().join("，"))));
            }
            Err(e) => return Ok(Outcome::Ignored(format!("{}：{e}", who(&candidate)))),
        };
        if photos::get(self.conn, candidate.id)?.is_some_and(|p| p.image == bytes) {
            return Ok(Outcome::Unchanged);
        }
        if !self.may_touch(&candidate)? {
            return Ok(Outcome::Ignored(format!("{}：尚未报名本机构的计划，照片未同步", who(&candidate))));
        }
        let locked = applications::locking_status(self.conn, candidate.id)?;
        match (from, locked) {
            (Side::Portal, Some(status)) => {
                self.send_back("photos", candidate.id)?;
                return Ok(Outcome::Ignored(format!("{}：报名已“{status}”，门户上传的照片未采用", who(&candidate))));
            }
            (Side::Agency, None) if self.changed_since_seen("photos", candidate.id)? => {
                return Ok(Outcome::Ignored(format!(
                    "{}：考生在门户上传的照片尚未被机构取回，保留门户照片",
                    who(&candidate)
                )));
            }
            _ => {}
        }
        photos::save(self.conn, candidate.id, &bytes, &info, None, self.now)?;
        if from == Side::Portal {
            let number = &candidate.profile.id_number;
            self.audit("candidate", candidate.id, "门户上传照片", None, None, number, None)?;
        }
        Ok(Outcome::Applied)
    }

    fn plan(&self, record: &PlanRecord) -> Result<Outcome> {
        // On a portal a 报名识别码 names one agency's plan: another agency's plan with it is refused, never replaced.
        // A plan nobody owns yet (from before agencies were told apart) is claimed by the agency that pushes it.
        // Nothing is written before the record is known to be taken.
        let owner = portal::plan_owner(self.conn, &record.code)?;
        let claim = match (self.scope, owner) {
            (Scope::Agency(agency), Some((_, Some(other)))) if other != agency => {
                return Ok(Outcome::Ignored(foreign_plan(&record.code, "计划")));
            }
            // A new plan, or one nobody owns: it becomes this agency's.
            (Scope::Agency(agency), None | Some((_, None))) => Some(agency),
            _ => None,
        };
        if super::records::plan_by_code(self.conn, &record.code)? == Some(Record::Plan(record.clone())) {
            return Ok(match (claim, owner) {
                (Some(agency), Some((id, _))) => {
                    portal::set_plan_owner(self.conn, id, agency)?;
                    Outcome::Applied
                }
                _ => Outcome::Unchanged,
            });
        }
        // 计划号 is unique here too: a portal that already holds another agency's or a demo's plans may have it.
        if let Some(other) = plans::code_with_plan_no(self.conn, &record.plan_no, &record.code)? {
            return Ok(Outcome::Ignored(format!(
                "计划号 {} 在门户上已属于另一个计划（报名识别码 {other}），报名识别码 {} 的计划未同步：请在门户上核对后重新同步",
                record.plan_no, record.code
            )));
        }
        // One statement for a new plan and a changed one: the 报名识别码 is the key on both sides.
        let id = plans::upsert_synced(self.conn, record, self.now)?;
        if let Some(agency) = claim {
            portal::set_plan_owner(self.conn, id, agency)?;
        }
        // The agency published (or published again) its results notice: the portal shows the same days.
        if let Some(period) = &record.results_notice
            && notices::get(self.conn, id)?.as_ref() != Some(period)
        {
            notices::open(self.conn, id, period, &self.session.operator, self.now)?;
        }
        Ok(Outcome::Applied)
    }

    fn arrangement(&self, record: &ArrangementRecord) -> Result<Outcome> {
        let plan_id = match self.plan_id(&record.plan_code, "考务编排")? {
            Ok(id) => id,
            Err(why) => return Ok(Outcome::Ignored(why)),
        };
        let sitting = |(start, end)| Sitting { start, end };
        let arrangement = Arrangement {
            plan_id,
            venue: record.venue.clone(),
            rooms: record.rooms,
            seats_per_room: record.seats_per_room,
            theory: sitting(record.theory),
            practical: sitting(record.practical),
            review: record.review.map(sitting),
            // How the agency filled the seats is its own; the portal shows the seats.
            seat_rule: SeatRule::default(),
            seat_seed: None,
            named_rooms: record.named_rooms.clone(),
            own_rooms: record.own_rooms.clone(),
        };
        let mut seats = Vec::with_capacity(record.seats.len());
        for s in &record.seats {
            let application = match self.find_candidate(&s.candidate)? {
                Some(c) => applications::find(self.conn, plan_id, c.id)?,
                None => None,
            };
            let Some(application) = application else {
                return Ok(Outcome::Ignored(format!("考生 {} 没有报名此计划，考务编排未同步", s.candidate)));
            };
            seats.push(Seat {
                application_id: application.id,
                ticket_number: s.ticket_number.clone(),
                room: s.room,
                seat: s.seat,
                // The agency's own bookkeeping: the portal shows the number.
                sequence: None,
                practical: s.practical,
                review: s.review,
            });
        }
        let unchanged = arrangements::get(self.conn, plan_id)?.as_ref() == Some(&arrangement)
            && arrangements::seats_for_plan(self.conn, plan_id)? == sorted(seats.clone());
        if unchanged {
            return Ok(Outcome::Unchanged);
        }
        arrangements::save(self.conn, &arrangement, self.now)?;
        arrangements::replace_seats(self.conn, plan_id, &seats)?;
        Ok(Outcome::Applied)
    }

    fn scores(&self, record: &ScoresRecord) -> Result<Outcome> {
        let application = match self.find_application(&record.plan_code, &record.candidate, "成绩")? {
            Ok(application) => application,
            Err(why) => return Ok(Outcome::Ignored(why)),
        };
        let marks = Marks {
            theory: record.theory.and_then(Mark::from_db),
            practical: record.practical.and_then(Mark::from_db),
            review: record.review.and_then(Mark::from_db),
        };
        if scores::get(self.conn, application.id)? == marks {
            return Ok(Outcome::Unchanged);
        }
        scores::save(self.conn, application.id, &marks, self.now)?;
        Ok(Outcome::Applied)
    }

    fn certificate(&self, record: &CertificateRecord) -> Result<Outcome> {
        let application = match self.find_application(&record.plan_code, &record.candidate, "证书")? {
            Ok(application) => application,
            Err(why) => return Ok(Outcome::Ignored(format!("证书 {}：{why}", record.number))),
        };
        // A certificate is known by its number and 印制流水码; what changes later is only its revocation.
        if let Some(known) = certificates::find(self.conn, &record.number, record.print_serial.as_deref())? {
            if known.state == record.state {
                return Ok(Outcome::Unchanged);
            }
            if record.state == CertificateState::Revoked {
                let on = record.revoked_on.unwrap_or(record.issued_on);
                certificates::revoke(self.conn, known.id, on, record.revoked_reason.as_deref().unwrap_or(""), "同步")?;
                return Ok(Outcome::Applied);
            }
            return Ok(Outcome::Ignored(format!("证书 {}：已作废的证书不能恢复为有效", record.number)));
        }
        let replaces_id = match &record.replaces {
            Some((number, serial)) => certificates::find(self.conn, number, serial.as_deref())?.map(|c| c.id),
            None => None,
        };
        let id = certificates::insert(
            self.conn,
            &NewCertificate {
                number: &record.number,
                application_id: application.id,
                plan_id: application.plan_id,
                name: &record.name,
                id_type: record.candidate.id_type.label(),
                id_number: &record.candidate.id_number,
                occupation: &record.occupation,
                job: record.job.as_deref(),
                level: &record.level,
                issued_on: record.issued_on,
                agency_name: &record.agency_name,
                replaces_id,
                print_serial: record.print_serial.as_deref(),
            },
            self.now,
        )?;
        if record.state == CertificateState::Revoked {
            let on = record.revoked_on.unwrap_or(record.issued_on);
            certificates::revoke(self.conn, id, on, record.revoked_reason.as_deref().unwrap_or(""), "同步")?;
        }
        Ok(Outcome::Applied)
    }

    fn find_candidate(&self, key: &CandidateKey) -> Result<Option<Candidate>> {
        candidates::find(self.conn, key.id_type, &key.id_number)
    }

    /// The application of this plan and candidate that the batch may reach, or why not.
    fn find_application(&self, plan_code: &str, key: &CandidateKey, what: &str) -> Result<Result<Application, String>> {
        let plan_id = match self.plan_id(plan_code, what)? {
            Ok(id) => id,
            Err(why) => return Ok(Err(why)),
        };
        let found = match self.find_candidate(key)? {
            Some(candidate) => applications::find(self.conn, plan_id, candidate.id)?,
            None => None,
        };
        Ok(found.ok_or_else(|| format!("考生 {key} 没有报名此计划，{what}未同步")))
    }

    #[allow(clippy::too_many_arguments)]
    fn audit(
        &self,
        entity: &str,
        entity_id: i64,
        action: &str,
        from_value: Option<&str>,
        to_value: Option<&str>,
        id_number: &str,
        plan_id: Option<i64>,
    ) -> Result<()> {
        audit::append(
            self.conn,
            &audit::NewAuditEntry {
                actor: &self.session.operator,
                entity,
                entity_id,
                action,
                from_value,
                to_value,
                detail: None,
                id_number: Some(id_number),
                plan_id,
            },
            self.now,
        )
    }
}

/// Why a record aimed at another agency's plan changed nothing.
fn foreign_plan(code: &str, what: &str) -> String {
    format!(
        "报名识别码 {code} 在门户上已属于另一家机构的计划，本机构的{what}未同步，门户未做改动：请为本机构的计划换一个报名识别码后重新同步"
    )
}

fn who(c: &Candidate) -> String {
    format!("{}（{}）", c.profile.name, c.profile.id_number)
}

fn sorted(mut seats: Vec<Seat>) -> Vec<Seat> {
    seats.sort_by(|a, b| a.ticket_number.cmp(&b.ticket_number));
    seats
}
