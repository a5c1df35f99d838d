//! The SkillCert desktop shell: opens the database and registers commands that call skillcert-core. Nothing else
//! lives here: rules and queries belong in skillcert-core.

#[cfg(test)]
mod bindings;
mod commands;
#[cfg(test)]
mod contract;
mod error;
mod state;

use tauri::Manager;

/// Imports move rows between threads; glibc's allocator contends on every cross-thread free, mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn run() {
    tauri::Builder::default()
        // A second launch focuses the running window instead of opening the database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let start = state::start(app.handle())?;
            let state = state::AppState::open(start)?;
            app.manage(state);
            // The daily backup, off the start-up path: the first screen does not wait for it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { handle.state::<state::AppState>().daily_backup().await });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::dashboard,
            commands::app::year_statistics,
            commands::app::export_statistics,
            commands::app::cancel_job,
            commands::app::ui_ready,
            commands::app::screen_font,
            commands::database::database_info,
            commands::database::check_server,
            commands::database::use_server,
            commands::database::use_local,
            commands::operators::auth_status,
            commands::operators::sign_in,
            commands::operators::sign_out,
            commands::operators::list_operators,
            commands::operators::add_operator,
            commands::operators::set_operator,
            commands::operators::change_password,
            commands::plans::list_plans,
            commands::plans::create_plan,
            commands::plans::update_plan,
            commands::plans::set_plan_closed,
            commands::eligibility::rule_preset,
            commands::eligibility::preview_rules,
            commands::eligibility::set_plan_rules,
            commands::eligibility::read_rule_file,
            commands::eligibility::write_rule_file,
            commands::eligibility::review_queue,
            commands::applications::search_applications,
            commands::applications::candidate_detail,
            commands::applications::candidate_photo,
            commands::applications::update_candidate,
            commands::applications::set_photo,
            commands::applications::import_photos,
            commands::applications::check_eligibility,
            commands::applications::apply_candidate,
            commands::applications::review,
            commands::applications::set_payment,
            commands::import::preview_import,
            commands::import::import_candidates,
            commands::import::save_import_report,
            commands::import::write_candidate_template,
            commands::import::export_applications,
            commands::exam::arrangement_of,
            commands::exam::arrange,
            commands::exam::write_score_template,
            commands::exam::import_scores,
            commands::exam::score_sources,
            commands::exam::list_scores,
            commands::exam::publish_scores,
            commands::exam::results_notice,
            commands::exam::write_notice_list,
            commands::exam::correct_score,
            commands::exam::issue_certificates,
            commands::exam::list_certificates,
            commands::exam::revoke_certificate,
            commands::exam::import_assigned_numbers,
            commands::exam::export_report,
            commands::exam::report_status,
            commands::exam::mark_report,
            commands::exam::reissue_certificate,
            commands::print::print_documents,
            commands::print::print_room_documents,
            commands::print::print_calibration,
            commands::print::certificate_font,
            commands::print::overlay_preview,
            commands::venues::list_sites,
            commands::venues::list_staff,
            commands::venues::import_venue_data,
            commands::venues::export_venue_data,
            commands::venues::save_site,
            commands::venues::save_room,
            commands::venues::remove_site,
            commands::venues::remove_room,
            commands::venues::remove_staff,
            commands::venues::save_staff,
            commands::venues::staffing,
            commands::venues::assign_staff,
            commands::venues::declare_conflicts,
            commands::settings::search_occupations,
            commands::settings::import_occupations,
            commands::settings::show_settings,
            commands::settings::set_setting,
            commands::settings::backup_status,
            commands::settings::backup_now,
            commands::settings::security_status,
            commands::settings::export_recovery_code,
            commands::settings::unlock_database,
            commands::settings::search_audit,
            commands::settings::audit_actions,
            commands::settings::portal_connect,
            commands::settings::sync_now,
        ])
        .run(tauri::generate_context!())
        .expect("SkillCert could not start");
}
