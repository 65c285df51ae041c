//! The Tauri commands: one per `filrouge_model::ipc` command, each a few lines that call
//! the core and map its error to the tagged [`IpcError`] the UI understands.
//!
//! Each handler takes the command struct as its single argument `args` and returns
//! `Result<C::Output, IpcError>`; the `ipc_names_match_handlers` test checks that every
//! `Command::NAME` reaches a handler.

use filrouge_core::Store;
use filrouge_model::Rencontre;
use filrouge_model::ipc::{
    CreateRencontre, Enrol, GetSyncStatus, IpcError, LastPlace, ListRencontres, SyncNow,
    SyncStatus, UpdateRencontre,
};
use tauri::State;

use crate::AppState;

type Res<T> = Result<T, IpcError>;

fn with_store<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<T, filrouge_core::CoreError>,
) -> Res<T> {
    let mut store = state
        .store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(&mut store).map_err(|e| {
        tracing::warn!(error = %e, "command failed");
        IpcError::from(e)
    })
}

#[tauri::command]
pub async fn create_rencontre(state: State<'_, AppState>, args: CreateRencontre) -> Res<Rencontre> {
    let row = with_store(&state, |s| s.create_rencontre(args.draft))?;
    state.sync.local_change();
    Ok(row)
}

#[tauri::command]
pub async fn update_rencontre(state: State<'_, AppState>, args: UpdateRencontre) -> Res<Rencontre> {
    let row = with_store(&state, |s| s.update_rencontre(&args.id, args.draft))?;
    state.sync.local_change();
    Ok(row)
}

#[tauri::command]
pub async fn list_rencontres(
    state: State<'_, AppState>,
    args: ListRencontres,
) -> Res<Vec<Rencontre>> {
    with_store(&state, |s| s.list_rencontres_since(args.since))
}

#[tauri::command]
pub async fn last_place(state: State<'_, AppState>, args: LastPlace) -> Res<Option<String>> {
    let LastPlace {} = args;
    with_store(&state, |s| s.last_place())
}

#[tauri::command]
pub async fn get_sync_status(state: State<'_, AppState>, args: GetSyncStatus) -> Res<SyncStatus> {
    let GetSyncStatus {} = args;
    state.sync.status().map_err(IpcError::from)
}

#[tauri::command]
pub async fn enrol(state: State<'_, AppState>, args: Enrol) -> Res<SyncStatus> {
    state.sync.enrol(args).await
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>, args: SyncNow) -> Res<SyncStatus> {
    let SyncNow {} = args;
    state.sync.trigger();
    state.sync.status().map_err(IpcError::from)
}
