//! The sending half: what changed after the receiver's cursor, as records.

use std::collections::HashSet;

use crate::store::sql::Connection;

use super::records::{self, Batch, CandidateKey, Record};
use super::{BATCH_LIMIT, PROTOCOL_VERSION, Scope, Side};
use crate::error::Result;
use crate::store::{Store, changes, portal};

/// The tables each side may send: the agency sends everything it owns; the portal only what candidates do.
fn sends(side: Side, entity: &str) -> bool {
    match side {
        Side::Agency => true,
        Side::Portal => matches!(entity, "candidates" | "applications" | "photos"),
    }
}

/// Up to `limit` (at most [`BATCH_LIMIT`]) changed things after `since`, oldest change first, each in its current
/// state. A thing changed several times travels once. Candidates come before their applications and photos, and
/// plans before what refers to them, so a batch applies in order.
/// Under [`Scope::Agency`] only what that agency may see travels: applications to its plans, and the candidates
/// (with their photos) who applied to one of them.
pub(crate) fn collect(store: &Store, side: Side, scope: Scope, since: i64, limit: usize) -> Result<Batch> {
    let conn = store.conn();
    let limit = limit.clamp(1, BATCH_LIMIT);
    // One more than asked, to know whether another round is needed.
    let changed = changes::changed_since(conn, since, limit + 1)?;
    let more = changed.len() > limit;
    let taken = &changed[..changed.len().min(limit)];
    // Everything up to the last change taken has been seen. Taken from the same query (not a second look at the
    // log), so a change written meanwhile by another process is never skipped.
    let up_to = taken.last().map_or(since, |(_, _, last)| *last);
    let mut records: Vec<Record> = Vec::with_capacity(taken.len());
    for (entity, id, _) in taken {
        if sends(side, entity)
            && visible(conn, scope, entity, *id)?
            && let Some(record) = records::load(conn, entity, *id)?
        {
            records.push(record);
        }
    }
    add_dependencies(conn, side, scope, &mut records)?;
    records.sort_by_key(order);
    Ok(Batch { version: PROTOCOL_VERSION, records, up_to, more, seen: 0 })
}

/// Whether the changed thing may travel under `scope`.
fn visible(conn: &Connection, scope: Scope, entity: &str, id: i64) -> Result<bool> {
    let Scope::Agency(agency) = scope else { return Ok(true) };
    match entity {
        // A candidate (and their photo) only once they applied to one of this agency's plans.
        "candidates" | "photos" => portal::applied_to_agency(conn, id, agency),
        "applications" => Ok(portal::agency_of_application(conn, id)? == Some(agency)),
        _ => Ok(false),
    }
}

/// Every candidate (and, from the agency, every plan and application) a record refers to travels in the same batch,
/// whatever its own change number: a receiver never meets a seat or a mark for an application it does not know.
fn add_dependencies(conn: &Connection, side: Side, scope: Scope, records: &mut Vec<Record>) -> Result<()> {
    let mut candidates: HashSet<CandidateKey> = HashSet::new();
    let mut plans: HashSet<String> = HashSet::new();
    let mut wanted_candidates: Vec<CandidateKey> = Vec::new();
    let mut wanted_plans: Vec<String> = Vec::new();
    let mut applications: HashSet<(String, CandidateKey)> = HashSet::new();
    let mut wanted_applications: Vec<(String, CandidateKey)> = Vec::new();
    for record in records.iter() {
        match record {
            Record::Plan(p) => {
                plans.insert(p.code.clone());
            }
            Record::Candidate(c) => {
                candidates.insert(CandidateKey { id_type: c.profile.id_type, id_number: c.profile.id_number.clone() });
            }
            Record::Application(a) => {
                applications.insert((a.plan_code.clone(), a.candidate.clone()));
                wanted_candidates.push(a.candidate.clone());
                wanted_plans.push(a.plan_code.clone());
            }
            Record::Photo(p) => wanted_candidates.push(p.candidate.clone()),
            Record::Arrangement(a) => {
                wanted_plans.push(a.plan_code.clone());
                wanted_candidates.extend(a.seats.iter().map(|s| s.candidate.clone()));
                wanted_applications.extend(a.seats.iter().map(|s| (a.plan_code.clone(), s.candidate.clone())));
            }
            Record::Scores(s) => {
                wanted_candidates.push(s.candidate.clone());
                wanted_plans.push(s.plan_code.clone());
                wanted_applications.push((s.plan_code.clone(), s.candidate.clone()));
            }
            Record::Certificate(c) => {
                wanted_candidates.push(c.candidate.clone());
                wanted_plans.push(c.plan_code.clone());
                wanted_applications.push((c.plan_code.clone(), c.candidate.clone()));
            }
        }
    }
    // An agency that was shown nothing of a candidate before their first application to it gets their photo with
    // that application (the photo's own change may be older than the agency's cursor).
    let mut wanted_photos: Vec<CandidateKey> = Vec::new();
    if let Scope::Agency(_) = scope {
        let has_photo: HashSet<CandidateKey> = records
            .iter()
            .filter_map(|r| if let Record::Photo(p) = r { Some(p.candidate.clone()) } else { None })
            .collect();
        wanted_photos = records
            .iter()
            .filter_map(|r| if let Record::Application(a) = r { Some(a.candidate.clone()) } else { None })
            .filter(|key| !has_photo.contains(key))
            .collect();
    }
    for key in wanted_candidates {
        if candidates.insert(key.clone())
            && let Some(record) = records::candidate_by_key(conn, &key)?
        {
            records.push(record);
        }
    }
    let mut photos: HashSet<CandidateKey> = HashSet::new();
    for key in wanted_photos {
        if photos.insert(key.clone())
            && let Some(record) = records::photo_by_key(conn, &key)?
        {
            records.push(record);
        }
    }
    if side == Side::Agency {
        for (code, key) in wanted_applications {
            if applications.insert((code.clone(), key.clone()))
                && let Some(record) = records::application_by_key(conn, &code, &key)?
            {
                records.push(record);
            }
        }
        for code in wanted_plans {
            if plans.insert(code.clone())
                && let Some(record) = records::plan_by_code(conn, &code)?
            {
                records.push(record);
            }
        }
    }
    Ok(())
}

/// Applying order within a batch: what others refer to first.
fn order(record: &Record) -> u8 {
    match record {
        Record::Plan(_) => 0,
        Record::Candidate(_) => 1,
        Record::Application(_) => 2,
        Record::Photo(_) => 3,
        Record::Arrangement(_) => 4,
        Record::Scores(_) => 5,
        Record::Certificate(_) => 6,
    }
}
