//! The SkillCert desktop shell: opens the database and registers commands that call skillcert-core. Nothing else
//! lives here: rules and queries belong in skillcert-core.

mod commands;
mod error;
mod state;

use tauri::Manager;

/// Imports move rows between threads; glibc's allocator contends on every cross-thread free, mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let db = state::database_path(app.handle())?;
            let state = state::AppState::open(db)?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_plans,
            commands::list_applications,
            commands::ui_ready,
        ])
        .run(tauri::generate_context!())
        .expect("SkillCert could not start");
}
