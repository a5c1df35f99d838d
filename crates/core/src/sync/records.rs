//! What travels: one record per changed thing, in its current state, keyed by natural keys.

use crate::store::sql::Connection;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::arrangement::ArrangedRoom;
use crate::domain::candidate::Profile;
use crate::domain::eligibility::RuleSet;
use crate::domain::id_number::IdType;
use crate::domain::level::Level;
use crate::domain::photo::PhotoFormat;
use crate::domain::results::NoticePeriod;
use crate::domain::score::Part;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::error::Result;
use crate::store::arrangements::{PartRooms, RoomSeat};
use crate::store::certificates::CertificateState;
use crate::store::{applications, arrangements, candidates, certificates, notices, photos, plans, resits, scores};

/// One round of a sync: the records and the sender's `changes.seq` they bring the receiver up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub version: u32,
    pub records: Vec<Record>,
    /// Once applied, the receiver has everything the sender logged up to this sequence number.
    pub up_to: i64,
    /// Whether the sender has more after `up_to` (another round is needed).
    pub more: bool,
    /// From the agency: the portal's changes it has already pulled (its `received` cursor). A candidate's change on
    /// the portal after that has not reached the agency yet, so the agency's older copy must not overwrite it.
    #[serde(default)]
    pub seen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Plan(PlanRecord),
    Candidate(CandidateRecord),
    Application(ApplicationRecord),
    Photo(PhotoRecord),
    Arrangement(ArrangementRecord),
    Scores(ScoresRecord),
    Certificate(CertificateRecord),
}

/// A candidate, the same on both sides: 证件类型 + 证件号码.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CandidateKey {
    pub id_type: IdType,
    pub id_number: String,
}

impl std::fmt::Display for CandidateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.id_type, self.id_number)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// 报名识别码: the plan's key on both sides.
    pub code: String,
    pub plan_no: String,
    pub occupation: String,
    pub job: Option<String>,
    pub level: Level,
    pub reg_start: NaiveDate,
    pub reg_end: NaiveDate,
    pub exam_date: NaiveDate,
    pub conditions: String,
    /// The 报考条件 rules the portal checks an application against; absent from peers older than the field.
    #[serde(default)]
    pub eligibility: Option<RuleSet>,
    pub notice: String,
    pub publisher: String,
    pub announced_on: NaiveDate,
    pub capacity: Option<u32>,
    pub fee_fen: i64,
    pub closed: bool,
    /// 职业编码; absent from peers older than the field.
    #[serde(default)]
    pub occupation_code: Option<String>,
    /// The results notice (成绩公示) once published, so candidates see its days; absent from older peers.
    #[serde(default)]
    pub results_notice: Option<NoticePeriod>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRecord {
    pub profile: Profile,
    /// When the profile was last written on the sending side (+08:00), for the candidate-owned case.
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub plan_code: String,
    pub candidate: CandidateKey,
    pub status: ApplicationStatus,
    pub payment: PaymentStatus,
    pub reject_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// A 补考: the earlier plan it re-sits and the parts it keeps from there; absent from older peers.
    #[serde(default)]
    pub resit: Option<ResitRecord>,
}

/// What makes an application a re-sit: the earlier plan (the same candidate's application there is the original) and
/// the passed parts it keeps, valid until a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResitRecord {
    pub original_plan_code: String,
    pub carried: Vec<Part>,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRecord {
    pub candidate: CandidateKey,
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
    /// The printable image, base64.
    pub image: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrangementRecord {
    pub plan_code: String,
    pub venue: String,
    pub rooms: u32,
    pub seats_per_room: u32,
    pub theory: (NaiveDateTime, NaiveDateTime),
    pub practical: (NaiveDateTime, NaiveDateTime),
    pub review: Option<(NaiveDateTime, NaiveDateTime)>,
    /// The 考点's rooms by name (empty: numbered rooms), for the portal's tickets.
    #[serde(default)]
    pub named_rooms: Vec<ArrangedRoom>,
    /// Parts sat in rooms of their own, with those rooms.
    #[serde(default)]
    pub own_rooms: Vec<PartRooms>,
    /// Every seat of the plan: the arrangement travels whole.
    pub seats: Vec<SeatRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatRecord {
    pub candidate: CandidateKey,
    pub ticket_number: String,
    pub room: u32,
    pub seat: u32,
    /// The places in the rooms of a part sat in rooms of its own.
    #[serde(default)]
    pub practical: Option<RoomSeat>,
    #[serde(default)]
    pub review: Option<RoomSeat>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoresRecord {
    pub plan_code: String,
    pub candidate: CandidateKey,
    /// Tenths of a mark, -1 for 缺考, as stored: 理论, 技能, 综合评审.
    pub theory: Option<i64>,
    pub practical: Option<i64>,
    pub review: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub number: String,
    pub plan_code: String,
    pub candidate: CandidateKey,
    pub name: String,
    pub occupation: String,
    pub job: Option<String>,
    pub level: String,
    pub issued_on: NaiveDate,
    pub agency_name: String,
    /// 有效 / 已作废 (a desk from before revocation sends none: 有效).
    #[serde(default = "valid")]
    pub state: CertificateState,
    #[serde(default)]
    pub revoked_on: Option<NaiveDate>,
    #[serde(default)]
    pub revoked_reason: Option<String>,
    /// 印制流水码: with the number, what tells a reissue under the same number from the certificate it replaces.
    #[serde(default)]
    pub print_serial: Option<String>,
    /// The certificate this one was reissued for (补发), by its number and 印制流水码.
    #[serde(default)]
    pub replaces: Option<(String, Option<String>)>,
}

fn valid() -> CertificateState {
    CertificateState::Valid
}

/// The current state of one changed row as a record; None when it no longer exists.
pub(super) fn load(conn: &Connection, entity: &str, id: i64) -> Result<Option<Record>> {
    Ok(match entity {
        "plans" => Some(Record::Plan(plan_record(conn, &plans::get(conn, id)?)?)),
        "candidates" => {
            let c = candidates::get(conn, id)?;
            Some(Record::Candidate(CandidateRecord { profile: c.profile, updated_at: c.updated_at }))
        }
        "applications" => {
            let a = applications::get(conn, id)?;
            let plan_code = plans::get(conn, a.plan_id)?.code;
            let resit = match resits::get(conn, a.id)? {
                Some(r) => Some(ResitRecord {
                    original_plan_code: plans::get(conn, applications::get(conn, r.original_id)?.plan_id)?.code,
                    carried: r.carried,
                    valid_until: r.valid_until,
                }),
                None => None,
            };
            Some(Record::Application(ApplicationRecord {
                resit,
                plan_code,
                candidate: CandidateKey { id_type: a.id_type, id_number: a.id_number },
                status: a.status,
                payment: a.payment,
                reject_reason: a.reject_reason,
                created_at: a.created_at,
                updated_at: a.updated_at,
            }))
        }
        "photos" => photos::get(conn, id)?
            .map(|p| -> Result<Record> {
                Ok(Record::Photo(PhotoRecord {
                    candidate: candidate_key(conn, id)?,
                    format: p.format,
                    width: p.width,
                    height: p.height,
                    image: base64(&p.image),
                }))
            })
            .transpose()?,
        "arrangements" => match arrangements::get(conn, id)? {
            None => None,
            Some(a) => {
                let mut seats = Vec::new();
                for s in arrangements::seats_for_plan(conn, id)? {
                    let app = applications::get(conn, s.application_id)?;
                    seats.push(SeatRecord {
                        candidate: CandidateKey { id_type: app.id_type, id_number: app.id_number },
                        ticket_number: s.ticket_number,
                        room: s.room,
                        seat: s.seat,
                        practical: s.practical,
                        review: s.review,
                    });
                }
                Some(Record::Arrangement(ArrangementRecord {
                    plan_code: plans::get(conn, id)?.code,
                    venue: a.venue,
                    rooms: a.rooms,
                    seats_per_room: a.seats_per_room,
                    theory: (a.theory.start, a.theory.end),
                    practical: (a.practical.start, a.practical.end),
                    review: a.review.map(|r| (r.start, r.end)),
                    named_rooms: a.named_rooms,
                    own_rooms: a.own_rooms,
                    seats,
                }))
            }
        },
        "scores" => match scores::stored(conn, id)? {
            None => None,
            Some((theory, practical, review)) => {
                let app = applications::get(conn, id)?;
                Some(Record::Scores(ScoresRecord {
                    plan_code: plans::get(conn, app.plan_id)?.code,
                    candidate: CandidateKey { id_type: app.id_type, id_number: app.id_number },
                    theory,
                    practical,
                    review,
                }))
            }
        },
        "certificates" => match certificates::get(conn, id)? {
            None => None,
            Some(c) => Some(Record::Certificate(CertificateRecord {
                replaces: match c.replaces_id {
                    Some(id) => certificates::get(conn, id)?.map(|old| (old.number, old.print_serial)),
                    None => None,
                },
                state: c.state,
                revoked_on: c.revoked_on,
                revoked_reason: c.revoked_reason,
                print_serial: c.print_serial,
                plan_code: plans::get(conn, c.plan_id)?.code,
                candidate: CandidateKey { id_type: IdType::parse(&c.id_type)?, id_number: c.id_number },
                number: c.number,
                name: c.name,
                occupation: c.occupation,
                job: c.job,
                level: c.level,
                issued_on: c.issued_on,
                agency_name: c.agency_name,
            })),
        },
        _ => None,
    })
}

pub(super) fn candidate_by_key(conn: &Connection, key: &CandidateKey) -> Result<Option<Record>> {
    Ok(candidates::find(conn, key.id_type, &key.id_number)?
        .map(|c| Record::Candidate(CandidateRecord { profile: c.profile, updated_at: c.updated_at })))
}

pub(super) fn photo_by_key(conn: &Connection, key: &CandidateKey) -> Result<Option<Record>> {
    match candidates::find(conn, key.id_type, &key.id_number)? {
        Some(c) => load(conn, "photos", c.id),
        None => Ok(None),
    }
}

pub(super) fn application_by_key(conn: &Connection, plan_code: &str, key: &CandidateKey) -> Result<Option<Record>> {
    match applications::find_by_key(conn, plan_code, key.id_type, &key.id_number)? {
        Some(id) => load(conn, "applications", id),
        None => Ok(None),
    }
}

pub(super) fn plan_by_code(conn: &Connection, code: &str) -> Result<Option<Record>> {
    plans::find_by_code(conn, code)?.map(|p| Ok(Record::Plan(plan_record(conn, &p)?))).transpose()
}

fn plan_record(conn: &Connection, p: &plans::Plan) -> Result<PlanRecord> {
    Ok(PlanRecord {
        code: p.code.clone(),
        plan_no: p.plan_no.clone(),
        occupation: p.occupation.clone(),
        job: p.job.clone(),
        level: p.level,
        reg_start: p.reg_start,
        reg_end: p.reg_end,
        exam_date: p.exam_date,
        conditions: p.conditions.clone(),
        eligibility: p.eligibility.clone(),
        notice: p.notice.clone(),
        publisher: p.publisher.clone(),
        announced_on: p.announced_on,
        capacity: p.capacity,
        fee_fen: p.fee_fen,
        closed: p.closed,
        occupation_code: p.occupation_code.clone(),
        results_notice: notices::get(conn, p.id)?,
    })
}

fn candidate_key(conn: &Connection, candidate_id: i64) -> Result<CandidateKey> {
    let c = candidates::get(conn, candidate_id)?;
    Ok(CandidateKey { id_type: c.profile.id_type, id_number: c.profile.id_number })
}

/// Photos travel as standard base64.
pub(super) fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The inverse of [`base64`]; None for text that is not base64.
pub(super) fn unbase64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_round_trip_and_garbage_is_refused() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unbase64(&base64(&bytes)).unwrap(), bytes);
        assert_eq!(unbase64("not base64!"), None);
    }
}
