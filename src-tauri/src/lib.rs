//! The Tauri shell of Fil rouge: opens the device's store, exposes the IPC commands,
//! and runs sync in the background.
//!
//! Data flow: the UI calls a command (one per `filrouge_model::ipc::Command`), the
//! command takes the [`filrouge_core::Device`] from the store's lock
//! ([`filrouge_core::Gate`]: none until the worker's secret has opened it) and calls its
//! method of the same name, which locks the store for the few milliseconds one local
//! transaction takes, and returns. Sync never runs inside a command: [`background::SyncWorker`]
//! runs it on its own thread and tells the UI through the `sync-status` event.
//!
//! The data directory is, in order: `--data DIR` on the command line, the
//! `FILROUGE_DATA_DIR` environment variable, or the OS's app data directory. Two
//! instances with two directories are two devices, down to the webview's own storage
//! (the language of the screen), which then lives in `DIR/webview`.

#![forbid(unsafe_code)]

mod background;
mod commands;
#[cfg(target_os = "linux")]
mod keystore;
#[cfg(test)]
mod tests;

use filrouge_core::{Device, Env, Gate};
use filrouge_model::ipc::IpcError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::Manager;

pub use background::SyncWorker;

/// What every command can reach.
pub struct AppState {
    /// The store's lock, which hands out the app while it is open.
    pub gate: Arc<Gate>,
    /// The background sync.
    pub sync: SyncWorker,
    /// Where exports are written: the user's downloads folder, or `exports/` in the
    /// data directory when there is none or a data directory was chosen at launch.
    pub exports: PathBuf,
}

impl AppState {
    /// The app on this device (one method per command), or `Locked` while the lock
    /// screen shows.
    pub fn device(&self) -> Result<Device, IpcError> {
        self.gate.device().map_err(IpcError::from)
    }
}

/// Registers every command on `builder`. Shared by `run` and the mock-runtime tests.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::create_rencontre,
        commands::update_rencontre,
        commands::list_rencontres,
        commands::last_place,
        commands::get_sync_status,
        commands::enrol,
        commands::create_invite,
        commands::list_devices,
        commands::revoke_device,
        commands::create_recovery_key,
        commands::seal_team_history,
        commands::get_notice,
        commands::set_notice,
        commands::recover_team_keys,
        commands::sync_now,
        commands::search_persons,
        commands::create_person,
        commands::get_person,
        commands::update_person,
        commands::hold_retention,
        commands::get_access_log,
        commands::change_stage,
        commands::list_relances,
        commands::set_relance_status,
        commands::plan_relance,
        commands::list_events,
        commands::create_event,
        commands::get_event,
        commands::register,
        commands::check_in,
        commands::get_form_draft,
        commands::save_form_draft,
        commands::list_partners,
        commands::create_partner,
        commands::orient,
        commands::get_dashboard,
        commands::list_figure,
        commands::get_funder_table,
        commands::export,
        commands::export_funder_table,
        commands::preview_import,
        commands::dry_run_import,
        commands::import,
        commands::list_duplicates,
        commands::dismiss_duplicate,
        commands::merge_persons,
        commands::undo_merge,
        commands::list_conflicts,
        commands::settle_conflict,
        commands::erase_person,
        commands::get_data_quality,
        commands::list_erasures,
        commands::find_similar_persons,
        commands::my_caseload,
        commands::edit_rencontre,
        commands::get_profile,
        commands::set_profile,
        commands::get_lock_status,
        commands::choose_secret,
        commands::unlock,
        commands::lock,
        commands::change_secret,
        commands::set_idle_lock,
        commands::set_lease,
    ])
}

/// Sets up the lock of the store in `dir` (the store opens when the worker gives the
/// secret) and starts the background sync for `app`, which waits for it.
///
/// With the platform keystore's secret (the Secret Service on Linux desktops) the worker's secret is a PIN;
/// without one, a passphrase of twelve characters or more, at Argon2's stronger cost.
pub fn manage_state<R: tauri::Runtime>(app: &tauri::AppHandle<R>, dir: PathBuf, exports: PathBuf) {
    let store = dir.join(filrouge_core::STORE_FILE);
    let gate = Arc::new(Gate::new(
        &store,
        Env::default(),
        platform_secret(&dir, &store),
    ));
    let sync = SyncWorker::start(app.clone(), Arc::clone(&gate));
    app.manage(AppState {
        gate,
        sync,
        exports,
    });
}

/// The keystore's secret for the store at `store`: made for a device choosing its
/// first secret, read for one whose key is sealed with a PIN, never asked for one
/// sealed with a passphrase. A damaged key file gets none (the lock says it is).
#[cfg(target_os = "linux")]
fn platform_secret(dir: &Path, store: &Path) -> Option<Vec<u8>> {
    use filrouge_core::vault::{Protection, Vault};
    match Vault::read(store) {
        Ok(Some(vault)) if vault.protection() == Protection::Passphrase => None,
        Ok(Some(_)) => keystore::platform_secret(dir, false),
        Ok(None) => keystore::platform_secret(dir, true),
        Err(_) => None,
    }
}

/// No keystore is reached on other systems yet: the secret is a passphrase.
#[cfg(not(target_os = "linux"))]
fn platform_secret(_dir: &Path, _store: &Path) -> Option<Vec<u8>> {
    None
}

/// Runs the desktop app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FILROUGE_LOG")
                .unwrap_or_else(|_| filrouge_core::DEFAULT_LOG_FILTER.into()),
        )
        .init();
    let result = with_commands(tauri::Builder::default())
        .setup(|app| {
            let chosen = data_dir_override();
            let dir = match &chosen {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            tracing::info!(dir = %dir.display(), "using the data directory");
            let downloads = app.path().download_dir().ok().filter(|d| d.is_dir());
            let exports = match (&chosen, downloads) {
                (None, Some(downloads)) => downloads,
                _ => dir.join("exports"),
            };
            manage_state(app.handle(), dir, exports);
            open_windows(app, chosen.as_deref())?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the app failed");
        std::process::exit(1);
    }
}

/// Opens the windows of `tauri.conf.json`, which has them `create: false` so that they
/// are made here, after the app's state is managed. With a data directory chosen at launch, the
/// webview keeps its storage (`localStorage`: the language choice) under it, not in the
/// app's shared one: a second device on the same machine has its own settings, and each
/// end-to-end test starts from a clean webview whatever ran before or beside it.
fn open_windows(app: &tauri::App, chosen_dir: Option<&Path>) -> tauri::Result<()> {
    for config in &app.config().app.windows {
        let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), config)?;
        if let Some(dir) = chosen_dir {
            window = window.data_directory(dir.join("webview"));
        }
        window.build()?;
    }
    Ok(())
}

/// `--data DIR` or `FILROUGE_DATA_DIR`, if given.
fn data_dir_override() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data" {
            return args.next().map(PathBuf::from);
        }
        if let Some(dir) = arg.to_str().and_then(|a| a.strip_prefix("--data=")) {
            return Some(PathBuf::from(dir));
        }
    }
    std::env::var_os("FILROUGE_DATA_DIR").map(PathBuf::from)
}
