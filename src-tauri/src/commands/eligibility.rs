//! 报考条件 rules: presets, editing, rule files, and the review queue with a verdict per application.

use std::path::PathBuf;

use skillcert_core::domain::eligibility::{Pattern, RuleSet, Verdict};
use skillcert_core::domain::level::Level;
use skillcert_core::ops::eligibility::{self as ops, ReviewQueue};
use skillcert_core::rows::Plan;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The national pattern (2019–2021 standards or the 2022+ pattern) for a level; none for 专项.
#[tauri::command]
pub fn rule_preset(level: Level, pattern: Pattern) -> Option<RuleSet> {
    RuleSet::preset(level, pattern)
}

/// The notice text rules would give, after the same checks saving them makes.
#[tauri::command]
pub fn preview_rules(rules: RuleSet) -> CommandResult<String> {
    Ok(rules.validate()?.text())
}

#[tauri::command]
pub async fn set_plan_rules(state: State<'_, AppState>, plan_id: i64, rules: Option<RuleSet>) -> CommandResult<Plan> {
    state.with_store(move |store, session| ops::set_plan_rules(store, session, plan_id, rules.as_ref())).await
}

#[tauri::command]
pub async fn read_rule_file(path: PathBuf) -> CommandResult<RuleSet> {
    tauri::async_runtime::spawn_blocking(move || ops::read_rule_file(&path).map_err(CommandError::from))
        .await
        .map_err(CommandError::internal)?
}

#[tauri::command]
pub async fn write_rule_file(path: PathBuf, rules: RuleSet) -> CommandResult<()> {
    tauri::async_runtime::spawn_blocking(move || ops::write_rule_file(&path, &rules).map_err(CommandError::from))
        .await
        .map_err(CommandError::internal)?
}

/// The plan's 待处理 applications, each checked now; `verdict` keeps only those with it.
#[tauri::command]
pub async fn review_queue(
    state: State<'_, AppState>,
    plan_id: i64,
    verdict: Option<Verdict>,
) -> CommandResult<ReviewQueue> {
    state.with_store(move |store, _| ops::review_queue(store, plan_id, verdict)).await
}
