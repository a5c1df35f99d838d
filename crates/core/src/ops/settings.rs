//! 设置: agency settings, shown and changed (audited).

use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::operator::Permission;
use crate::domain::settings::Setting;
use crate::error::Result;
use crate::store::{Store, audit, settings};

/// One setting as `settings show` lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SettingView {
    pub key: &'static str,
    pub label: &'static str,
    /// The value in force (set, or the default); None when it must still be set.
    pub value: Option<String>,
    /// Whether the value is the default (nothing set yet).
    pub is_default: bool,
}

pub fn show_settings(store: &Store) -> Result<Vec<SettingView>> {
    Setting::ALL
        .into_iter()
        .map(|s| {
            let stored = settings::stored(store.conn(), s)?;
            Ok(SettingView {
                key: s.key(),
                label: s.label(),
                is_default: stored.is_none(),
                value: stored.or_else(|| s.default_value().map(str::to_string)),
            })
        })
        .collect()
}

/// Validates and stores a setting; returns it as now in force.
pub fn set_setting(store: &mut Store, session: &Session, key: &str, value: &str) -> Result<SettingView> {
    session.require(Permission::Settings)?;
    let setting = Setting::parse_key(key)?;
    let value = setting.validate(value)?;
    let now = session.now();
    store.write(|tx| {
        let before = settings::set(tx, setting, &value, &now)?;
        if before.as_deref() == Some(value.as_str()) {
            return Ok(());
        }
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "setting",
                entity_id: 0,
                action: "修改设置",
                from_value: before.as_deref(),
                to_value: Some(&value),
                detail: Some(setting.key()),
                ..Default::default()
            },
            &now,
        )
    })?;
    Ok(SettingView { key: setting.key(), label: setting.label(), value: Some(value), is_default: false })
}
