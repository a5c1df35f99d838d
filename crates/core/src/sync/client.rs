//! The desktop's side of a sync over HTTP: pull rounds, then push rounds, each cursor moved only after the other
//! side answered (docs/sync-protocol.md). Blocking: the CLI calls it directly, the app on a worker thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use super::records::Batch;
use super::{ApplyReport, BATCH_LIMIT, Scope, Side, apply, collect, cursor, keychain, set_cursor};
use crate::domain::operator::Permission;
use crate::domain::settings::Setting;
use crate::error::{Error, Fix, Result};
use crate::ops::Session;
use crate::progress::Progress;
use crate::store::{Store, settings};

/// How far each direction of the sync has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cursors {
    /// The portal's last change applied here.
    pub received: i64,
    /// This database's last change the portal has applied.
    pub sent: i64,
}

pub fn cursors(store: &Store) -> Result<Cursors> {
    Ok(Cursors { received: cursor(store.conn(), "received")?, sent: cursor(store.conn(), "sent")? })
}

/// Where the portal is and the agency's token for it.
pub struct Portal {
    /// e.g. https://bm.example.cn (no trailing slash needed).
    pub url: String,
    pub token: String,
}

/// What a sync did, both ways.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct SyncOutcome {
    pub pulled: ApplyReport,
    pub pushed: ApplyReport,
    pub rounds: usize,
}

impl Portal {
    /// The portal to sync with: the address given or the one in the settings (portal.url); the token given (a
    /// session-only token) or the one in the keychain.
    pub fn resolve(store: &Store, url: Option<String>, token: Option<String>) -> Result<Portal> {
        let url = match url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Setting::PortalUrl.validate(&url)?,
            None => settings::get(store.conn(), Setting::PortalUrl)?
                .ok_or_else(|| Error::refused("还没有设置门户网址").with_fix(Fix::ConnectPortal))?,
        };
        let token = match token.filter(|t| !t.trim().is_empty()) {
            Some(token) => token,
            None => keychain::load(&url)?
                .ok_or_else(|| Error::refused(format!("没有门户 {url} 的机构令牌")).with_fix(Fix::ConnectPortal))?,
        };
        Ok(Portal { url, token })
    }
}

/// Connects the agency to a portal: the token goes to the keychain (refused clearly where there is none), the
/// address to the settings (audited).
pub fn connect(store: &mut Store, session: &Session, url: &str, token: &str) -> Result<()> {
    session.require(Permission::Settings)?;
    let url = Setting::PortalUrl.validate(url)?;
    if token.trim().len() < 16 {
        return Err(Error::invalid("令牌", "令牌不完整：请粘贴门户上 skillcert-portal agency add 打印的整行"));
    }
    keychain::save(&url, token)?;
    set_portal_url(store, session, &url)?;
    Ok(())
}

/// Records the portal's address in the settings (audited) and returns it as stored. The token is the caller's:
/// [`connect`] puts it in the keychain; the app keeps a session-only one in memory.
pub fn set_portal_url(store: &mut Store, session: &Session, url: &str) -> Result<String> {
    session.require(Permission::Settings)?;
    let view = crate::ops::settings::set_setting(store, session, Setting::PortalUrl.key(), url)?;
    Ok(view.value.unwrap_or_default())
}

/// A pulled batch may carry 500 photos.
const RESPONSE_LIMIT: u64 = 700 * 1024 * 1024;

/// How the desktop reaches a portal: HTTP in production, the portal's store itself in the core tests.
pub trait Transport {
    /// The portal's changes after its sequence number `since`, at most `limit` things.
    fn pull(&mut self, since: i64, limit: usize) -> Result<Batch>;
    /// Applies the desktop's batch on the portal; what it did.
    fn push(&mut self, batch: &Batch) -> Result<ApplyReport>;
}

/// Syncs over HTTP with the portal (see [`rounds`]).
pub fn sync(
    store: &mut Store,
    portal: &Portal,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<SyncOutcome> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut http = Http {
        agent,
        base: portal.url.trim_end_matches('/').to_string(),
        bearer: format!("Bearer {}", portal.token.trim()),
    };
    rounds(store, &mut http, BATCH_LIMIT, progress, cancel)
}

/// A sync: pull rounds until the portal has nothing more, then push rounds until the desktop has nothing more. Each
/// cursor moves only after the other side answered, so an interrupted sync resends from the old one.
pub fn rounds(
    store: &mut Store,
    transport: &mut dyn Transport,
    limit: usize,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<SyncOutcome> {
    let session = Session::new("门户同步");
    let mut outcome = SyncOutcome::default();
    let stop = || if cancel.load(Ordering::Relaxed) { Err(Error::Cancelled) } else { Ok(()) };
    let mut round = |outcome: &mut SyncOutcome, more: bool| {
        outcome.rounds += 1;
        progress(Progress { done: outcome.rounds, total: outcome.rounds + usize::from(more) });
    };
    loop {
        stop()?;
        let batch = transport.pull(cursor(store.conn(), "received")?, limit)?;
        let report = apply(store, &session, Side::Portal, Scope::Everything, &batch)?;
        set_cursor(store.conn(), "received", batch.up_to, &session.now())?;
        outcome.pulled.absorb(report);
        round(&mut outcome, batch.more);
        if !batch.more {
            break;
        }
    }
    loop {
        stop()?;
        let mut batch = collect(store, Side::Agency, Scope::Everything, cursor(store.conn(), "sent")?, limit)?;
        batch.seen = cursor(store.conn(), "received")?;
        let report = transport.push(&batch)?;
        set_cursor(store.conn(), "sent", batch.up_to, &session.now())?;
        outcome.pushed.absorb(report);
        round(&mut outcome, batch.more);
        if !batch.more {
            break;
        }
    }
    Ok(outcome)
}

/// The portal's sync API (docs/sync-protocol.md).
struct Http {
    agent: ureq::Agent,
    base: String,
    bearer: String,
}

impl Transport for Http {
    fn pull(&mut self, since: i64, limit: usize) -> Result<Batch> {
        let url = format!("{}/api/v1/sync/pull?since={since}&limit={limit}", self.base);
        let response = self
            .agent
            .get(&url)
            .header("Authorization", &self.bearer)
            .call()
            .map_err(|e| unreachable(&self.base, e))?;
        read(response, &self.base)
    }

    fn push(&mut self, batch: &Batch) -> Result<ApplyReport> {
        let url = format!("{}/api/v1/sync/push", self.base);
        let response = self
            .agent
            .post(&url)
            .header("Authorization", &self.bearer)
            .send_json(batch)
            .map_err(|e| unreachable(&self.base, e))?;
        read(response, &self.base)
    }
}

fn unreachable(base: &str, e: ureq::Error) -> Error {
    Error::Network(format!("无法连接门户 {base}：{e}。请检查网络和门户网址，稍后再同步（已同步的部分不会丢失）"))
}

/// The answer's JSON, or the portal's `{code, message}` refusal as an error.
fn read<T: serde::de::DeserializeOwned>(mut response: ureq::http::Response<ureq::Body>, base: &str) -> Result<T> {
    let status = response.status();
    let body = response.body_mut().with_config().limit(RESPONSE_LIMIT);
    if status.is_success() {
        return body.read_json().map_err(|e| Error::Unreadable(format!("门户 {base} 的回应无法解读：{e}")));
    }
    let message = body
        .read_json::<serde_json::Value>()
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("HTTP {status}"));
    Err(match status.as_u16() {
        401 | 403 => Error::refused(format!("门户拒绝了机构令牌：{message}")),
        _ => Error::refused(format!("门户未能完成同步（{status}）：{message}")),
    })
}
