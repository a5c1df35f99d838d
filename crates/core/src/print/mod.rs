//! Printed documents as PDFs (printpdf, fully offline): 个人申请表, 准考证 and 职业技能等级证书, one candidate or a
//! whole plan in one file; and the 考务 documents of an arranged plan, room by room (`rooms`).
//!
//! A batch is checked whole before anything is drawn: every candidate who cannot have the document (wrong status,
//! no photo) is listed by name, and nothing is written. A name with a character no font has (see `fonts`) is the
//! exception: that candidate's document is left out and named in the outcome, and everyone else's prints.

mod application;
pub mod canvas;
mod certificate;
pub mod fonts;
mod notice;
mod rooms;
mod statistics;
mod ticket;

pub use certificate::verification_url;
pub use rooms::RoomDocument;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use ts_rs::TS;

use serde::{Deserialize, Serialize};

use crate::domain::id_number::normalize_number;
use crate::domain::overlay::{OverlayTemplate, PrinterAdjust};
use crate::domain::settings::Setting;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::store::applications::{self, Application};
use crate::store::plans::{self, Plan};
use crate::store::{Store, certificates, settings};
use canvas::Document;
use fonts::Face;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum DocumentKind {
    /// 个人申请表.
    ApplicationForm,
    /// 准考证.
    Ticket,
    /// 职业技能等级证书.
    Certificate,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::ApplicationForm => "个人申请表",
            DocumentKind::Ticket => "准考证",
            DocumentKind::Certificate => "职业技能等级证书",
        }
    }

    /// The seed: 个人申请表 from 申请通过 on; 准考证 from 已提交申报 on; a certificate once results are published (and
    /// only if one was issued).
    pub fn allowed_for(self, status: ApplicationStatus) -> bool {
        match self {
            DocumentKind::ApplicationForm => status.locks_profile(),
            DocumentKind::Ticket => matches!(status, ApplicationStatus::Filed | ApplicationStatus::ScoresPublished),
            DocumentKind::Certificate => status == ApplicationStatus::ScoresPublished,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PrintOutcome {
    pub documents: usize,
    pub pages: usize,
    pub bytes: usize,
    /// Candidates whose document was not printed, and why (a character no font has).
    pub left_out: Vec<LeftOut>,
}

/// A candidate a batch printed without.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LeftOut {
    pub name: String,
    pub id_number: String,
    pub reason: String,
}

/// A batch's documents ready to draw, and whom it leaves out.
pub(crate) struct Prepared<T> {
    pub items: Vec<T>,
    pub left_out: Vec<LeftOut>,
}

impl<T> Prepared<T> {
    pub fn new(capacity: usize) -> Prepared<T> {
        Prepared { items: Vec::with_capacity(capacity), left_out: Vec::new() }
    }

    /// Leaves `app` out when `text` (what its document prints of this candidate) has characters no font has;
    /// true when it did.
    pub fn leave_out_unprintable(
        &mut self,
        app: &Application,
        (face, field): (Face, &str),
        text: &str,
    ) -> Result<bool> {
        let missing = canvas::missing_glyphs(face, text)?;
        if missing.is_empty() {
            return Ok(false);
        }
        let chars: Vec<String> = missing.iter().map(|c| format!("“{c}”（U+{:04X}）", u32::from(*c))).collect();
        self.left_out.push(LeftOut {
            name: app.name.clone(),
            id_number: app.id_number.clone(),
            reason: format!(
                "{field}中的{}没有任何字体能显示：请核对是否录入有误；确为此字的，请在本机安装含此字的字库后重新打印",
                chars.join("、")
            ),
        });
        Ok(true)
    }

    /// The items, or a refusal naming everyone when the batch left out every candidate.
    fn drawable(&self, kind: DocumentKind) -> Result<&[T]> {
        if self.items.is_empty() && !self.left_out.is_empty() {
            let who: Vec<String> =
                self.left_out.iter().map(|l| format!("{}（{}）{}", l.name, l.id_number, l.reason)).collect();
            return Err(Error::refused(format!("{}未打印：{}", kind.label(), who.join("；"))));
        }
        Ok(&self.items)
    }
}

/// What to print.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PrintRequest {
    pub kind: DocumentKind,
    pub plan_id: i64,
    /// Only these candidates; every eligible one of the plan when empty.
    pub id_numbers: Vec<String>,
    /// 套打: only the values, placed by the agency's template and its printer's shift and scale, for pre-printed
    /// certificate stock.
    pub overlay_only: bool,
}

/// Prints the request's documents into one PDF at `path`.
pub fn print(
    store: &Store,
    request: &PrintRequest,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<PrintOutcome> {
    let (outcome, bytes) = render(store, request, progress, cancel)?;
    write_atomically(path, &bytes)?;
    Ok(outcome)
}

/// The request's documents as the bytes of one PDF (the portal sends them without a file).
pub(crate) fn render(
    store: &Store,
    request: &PrintRequest,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<(PrintOutcome, Vec<u8>)> {
    let conn = store.conn();
    let kind = request.kind;
    if request.overlay_only && kind != DocumentKind::Certificate {
        return Err(Error::invalid("套打", "只有职业技能等级证书支持套打"));
    }
    let plan = plans::get(conn, request.plan_id)?;
    let chosen = choose(conn, &plan, kind, &request.id_numbers)?;
    let context = Context {
        plan: &plan,
        agency_name: settings::get(conn, Setting::AgencyName)?.unwrap_or_else(|| plan.publisher.clone()),
        notice: settings::get(conn, Setting::TicketNotice)?.unwrap_or_default(),
        verify_base_url: settings::get(conn, Setting::VerifyBaseUrl)?.unwrap_or_default(),
        // The full certificate places its values as the bundled template does; 套打 as the agency's, through
        // its printer.
        overlay: if request.overlay_only { overlay_template(conn)? } else { OverlayTemplate::bundled() },
        printer: if request.overlay_only { printer_adjust(conn)? } else { PrinterAdjust::NONE },
    };
    let title = format!("{} {} {}", plan.title(), plan.level, kind.label());
    let mut step = |done: usize, total: usize| crate::progress::step(progress, cancel, 50, done, total);
    let batch = Batch { kind, title: &title, step: &mut step };
    let (total, left_out, document) = match kind {
        DocumentKind::ApplicationForm => {
            batch.draw(application::prepare(conn, &plan, &chosen)?, |d, item| application::draw(d, &context, item))?
        }
        DocumentKind::Ticket => {
            batch.draw(ticket::prepare(conn, &context, &chosen)?, |d, item| ticket::draw(d, &context, item))?
        }
        DocumentKind::Certificate => batch.draw(certificate::prepare(conn, &context, &chosen)?, |d, item| {
            certificate::draw(d, &context, item, request.overlay_only)
        })?,
    };
    let pages = document.pages.len();
    let bytes = document.save();
    progress(Progress { done: total, total });
    Ok((PrintOutcome { documents: total, pages, bytes: bytes.len(), left_out }, bytes))
}

/// One kind of 考务 document for every room of an arranged plan, as one PDF at `path`.
pub fn print_room_documents(
    store: &Store,
    plan_id: i64,
    kind: RoomDocument,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<PrintOutcome> {
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let agency = settings::get(conn, Setting::AgencyName)?.unwrap_or_else(|| plan.publisher.clone());
    let mut rooms = rooms::gather(conn, &plan, agency)?;
    let mut document = Document::new(&format!("{} {} {}", plan.title(), plan.level, kind.label()), false)?;
    let mut step = |done: usize, total: usize| crate::progress::step(progress, cancel, 1, done, total);
    if kind == RoomDocument::OrganizationBook {
        let staffing = crate::ops::staffing::staffing(store, plan_id)?;
        rooms::organization_book(&mut document, &rooms, &staffing);
    } else {
        rooms::draw(&mut document, &mut rooms, kind, &mut step)?;
    }
    let pages = document.pages.len();
    let bytes = document.save();
    write_atomically(path, &bytes)?;
    progress(Progress { done: rooms.rooms.len(), total: rooms.rooms.len() });
    Ok(PrintOutcome { documents: rooms.candidates(), pages, bytes: bytes.len(), left_out: Vec::new() })
}

/// 成绩公示名单 of a plan whose results are published, as a PDF at `path`.
pub fn print_notice_list(store: &Store, plan_id: i64, path: &Path) -> Result<PrintOutcome> {
    let list = crate::ops::scores::notice_list(store, plan_id)?;
    let (outcome, bytes) = notice::render(&list)?;
    write_atomically(path, &bytes)?;
    Ok(outcome)
}

/// A year's statistics as a PDF summary.
pub fn print_statistics(
    stats: &crate::ops::statistics::YearStatistics,
    agency: &str,
    path: &Path,
) -> Result<PrintOutcome> {
    let (outcome, bytes) = statistics::render(stats, agency)?;
    write_atomically(path, &bytes)?;
    Ok(outcome)
}

/// The 套打 calibration page with the template and printer adjustment now set (see `certificate::draw_calibration`).
pub fn print_calibration(store: &Store, path: &Path) -> Result<PrintOutcome> {
    let conn = store.conn();
    let mut document = Document::new("套打校准页", false)?;
    certificate::draw_calibration(&mut document, &overlay_template(conn)?, printer_adjust(conn)?);
    let bytes = document.save();
    write_atomically(path, &bytes)?;
    Ok(PrintOutcome { documents: 1, pages: 1, bytes: bytes.len(), left_out: Vec::new() })
}

/// One kind of document for a batch.
struct Batch<'a> {
    kind: DocumentKind,
    title: &'a str,
    step: &'a mut dyn FnMut(usize, usize) -> Result<()>,
}

impl Batch<'_> {
    /// The prepared documents drawn into a new PDF (started only once the batch is checked: a refused batch starts
    /// none): how many, whom the batch left out, and the document.
    fn draw<T>(
        self,
        prepared: Prepared<T>,
        draw: impl FnMut(&mut Document, &T) -> Result<()>,
    ) -> Result<(usize, Vec<LeftOut>, Document)> {
        let items = prepared.drawable(self.kind)?;
        let mut document = Document::new(self.title, self.kind == DocumentKind::Certificate)?;
        let total = draw_all(&mut document, items, self.step, draw)?;
        Ok((total, prepared.left_out, document))
    }
}

/// Draws every prepared document, reporting progress (and honouring a cancel) through `step`; returns how many.
fn draw_all<T>(
    document: &mut Document,
    items: &[T],
    step: &mut dyn FnMut(usize, usize) -> Result<()>,
    mut draw: impl FnMut(&mut Document, &T) -> Result<()>,
) -> Result<usize> {
    for (done, item) in items.iter().enumerate() {
        step(done, items.len())?;
        draw(document, item)?;
    }
    Ok(items.len())
}

/// The printer's 套打 shift (mm, x to the right, y down) and scale from the settings.
fn printer_adjust(conn: &crate::store::sql::Connection) -> Result<PrinterAdjust> {
    let number =
        |s, unset: f32| -> Result<f32> { Ok(settings::get(conn, s)?.and_then(|v| v.parse().ok()).unwrap_or(unset)) };
    Ok(PrinterAdjust {
        dx: number(Setting::PrintOffsetX, 0.0)?,
        dy: number(Setting::PrintOffsetY, 0.0)?,
        scale: number(Setting::PrintScale, 100.0)? / 100.0,
    })
}

/// The agency's 套打 template (the bundled one until it sets its own).
fn overlay_template(conn: &crate::store::sql::Connection) -> Result<OverlayTemplate> {
    match settings::get(conn, Setting::CertificateOverlay)? {
        Some(text) => OverlayTemplate::parse(&text),
        None => Ok(OverlayTemplate::bundled()),
    }
}

/// What every document of a batch shares.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub agency_name: String,
    pub notice: String,
    pub verify_base_url: String,
    /// Where the certificate's values go, and the printer's shift and scale on top.
    pub overlay: OverlayTemplate,
    pub printer: PrinterAdjust,
}

/// The applications to print: the named ones (each must exist and be eligible) or every eligible one of the plan.
fn choose(
    conn: &crate::store::sql::Connection,
    plan: &Plan,
    kind: DocumentKind,
    id_numbers: &[String],
) -> Result<Vec<Application>> {
    let all = applications::list_for_plan(conn, plan.id, None)?;
    if id_numbers.is_empty() {
        // A whole plan's certificates are those issued; its failed candidates simply have none.
        let certified: Vec<i64> = match kind {
            DocumentKind::Certificate => certificates::list(conn, Some(plan.id), None)?
                .into_iter()
                .filter(|c| c.state == certificates::CertificateState::Valid)
                .map(|c| c.application_id)
                .collect(),
            DocumentKind::Ticket | DocumentKind::ApplicationForm => Vec::new(),
        };
        let eligible: Vec<Application> = all
            .into_iter()
            .filter(|a| kind.allowed_for(a.status) && (kind != DocumentKind::Certificate || certified.contains(&a.id)))
            .collect();
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
            Some(a) if !kind.allowed_for(a.status) => problems.push(format!(
                "{}（{}）的报名状态为“{}”，还不能打印{}",
                a.name,
                a.id_number,
                a.status,
                kind.label()
            )),
            Some(a) => chosen.push(a.clone()),
        }
    }
    refuse_if_any(kind, problems, false)?;
    Ok(chosen)
}

/// One refusal listing every problem of the batch; `missing_photo` when a photo is among them.
pub(crate) fn refuse_if_any(kind: DocumentKind, problems: Vec<String>, missing_photo: bool) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let refusal = Error::refused(format!(
        "{}未打印，以下 {} 位考生有问题：{}",
        kind.label(),
        problems.len(),
        problems.join("；")
    ));
    Err(if missing_photo { refusal.with_fix(crate::error::Fix::UploadPhoto) } else { refusal })
}

/// Writes next to the target and renames, so a cancelled or failed run never leaves half a PDF behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let partial = path.with_extension("pdf.part");
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)?;
    Ok(())
}
