//! Printed documents as PDFs (printpdf, fully offline): 准考证 for now; one candidate or a whole plan in one file.
//!
//! A batch is checked whole before anything is drawn: every candidate who cannot have the document (wrong status,
//! no photo, a character the font lacks) is listed by name, and nothing is written.

pub mod canvas;
mod ticket;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::domain::id_number::normalize_number;
use crate::domain::settings::Setting;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::store::applications::{self, Application};
use crate::store::plans::{self, Plan};
use crate::store::{Store, settings};
use canvas::Document;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocumentKind {
    /// 准考证.
    Ticket,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Ticket => "准考证",
        }
    }

    /// The seed: 准考证 from 已提交申报 on.
    fn allowed(self, status: ApplicationStatus) -> bool {
        match self {
            DocumentKind::Ticket => matches!(status, ApplicationStatus::Filed | ApplicationStatus::ScoresPublished),
        }
    }
}

/// Progress of a batch: documents drawn out of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PrintProgress {
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintOutcome {
    pub documents: usize,
    pub pages: usize,
    pub bytes: usize,
}

/// Prints `kind` for the given candidates of a plan (all eligible ones when `id_numbers` is empty) into one PDF.
pub fn print(
    store: &Store,
    kind: DocumentKind,
    plan_id: i64,
    id_numbers: &[String],
    path: &Path,
    progress: &mut dyn FnMut(PrintProgress),
    cancel: &AtomicBool,
) -> Result<PrintOutcome> {
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let chosen = choose(conn, &plan, kind, id_numbers)?;
    let context = Context {
        plan: &plan,
        agency_name: settings::get(conn, Setting::AgencyName)?.unwrap_or_else(|| plan.publisher.clone()),
        notice: settings::get(conn, Setting::TicketNotice)?.unwrap_or_default(),
    };
    let prepared: Vec<ticket::Ticket> = match kind {
        DocumentKind::Ticket => ticket::prepare(conn, &context, &chosen)?,
    };

    let mut document = Document::new(&format!("{} {} {}", plan.title(), plan.level, kind.label()), false)?;
    let total = prepared.len();
    for (done, item) in prepared.iter().enumerate() {
        if done % 50 == 0 {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(PrintProgress { done, total });
        }
        ticket::draw(&mut document, &context, item)?;
    }
    let pages = document.pages.len();
    let bytes = document.save();
    write_atomically(path, &bytes)?;
    progress(PrintProgress { done: total, total });
    Ok(PrintOutcome { documents: total, pages, bytes: bytes.len() })
}

/// What every document of a batch shares.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub agency_name: String,
    pub notice: String,
}

/// The applications to print: the named ones (each must exist and be eligible) or every eligible one of the plan.
fn choose(
    conn: &rusqlite::Connection,
    plan: &Plan,
    kind: DocumentKind,
    id_numbers: &[String],
) -> Result<Vec<Application>> {
    let all = applications::list_for_plan(conn, plan.id, None)?;
    if id_numbers.is_empty() {
        let eligible: Vec<Application> = all.into_iter().filter(|a| kind.allowed(a.status)).collect();
        if eligible.is_empty() {
            return Err(Error::refused(format!(
                "计划“{} {}”没有可打印{}的考生",
                plan.title(),
                plan.level,
                kind.label()
            )));
        }
        return Ok(eligible);
    }
    let mut chosen = Vec::new();
    let mut problems = Vec::new();
    for number in id_numbers {
        let number = normalize_number(number);
        match all.iter().find(|a| a.id_number == number) {
            None => problems.push(format!("{number} 没有报名此计划")),
            Some(a) if !kind.allowed(a.status) => problems.push(format!(
                "{}（{}）的报名状态为“{}”，还不能打印{}",
                a.name,
                a.id_number,
                a.status,
                kind.label()
            )),
            Some(a) => chosen.push(a.clone()),
        }
    }
    refuse_if_any(kind, problems)?;
    Ok(chosen)
}

/// One refusal listing every problem of the batch.
pub(crate) fn refuse_if_any(kind: DocumentKind, problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "{}未打印，以下 {} 位考生有问题：{}",
        kind.label(),
        problems.len(),
        problems.join("；")
    )))
}

/// Writes next to the target and renames, so a cancelled or failed run never leaves half a PDF behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let partial = path.with_extension("pdf.part");
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)?;
    Ok(())
}
