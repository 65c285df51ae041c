//! The Tauri commands: one per `filrouge_model::ipc` command. The local ones are one
//! line each in `commands!`, which makes a handler that calls the [`Device`] method of
//! the same name and answers the command's `Output`; the few that touch the sync worker
//! or the network are written out below it.
//!
//! No rule lives here. A handler calls the core (which locks the store and runs one
//! transaction), maps the error to the tagged [`IpcError`] the UI understands, and,
//! when the command changed something, wakes the sync worker. The commands that wait
//! on the team server run on a blocking thread ([`on_network`]).
//!
//! Each handler takes the command struct as its single argument `args`; the
//! mock-runtime tests (`tests.rs`) call every `Command::NAME` the way the UI does, so a
//! name without a handler fails them.

use std::sync::Arc;

use filrouge_core::{CoreError, Device, Gate};
use filrouge_model::NoticeDraft;
use filrouge_model::erasure::ErasureEntry;
use filrouge_model::ipc::{
    ChangeSecret, ChangeStage, CheckIn, ChooseSecret, Command, CreateEvent, CreateInvite,
    CreatePartner, CreatePerson, CreateRecoveryKey, CreateRencontre, DismissDuplicate,
    DryRunImport, EditRencontre, Enrol, ErasePerson, Export, ExportFunderTable, Exported,
    FindSimilarPersons, GetAccessLog, GetDashboard, GetDataQuality, GetEvent, GetFormDraft,
    GetFunderTable, GetLockStatus, GetPerson, GetProfile, GetSyncStatus, HoldRetention, Import,
    Invite, IpcError, LastPlace, ListConflicts, ListDevices, ListDuplicates, ListErasures,
    ListEvents, ListFigure, ListPartners, ListRelances, ListRencontres, Lock, LockStatus,
    MergePersons, MyCaseload, Orient, PlanRelance, PreviewImport, RecoverTeamKeys, RecoveryKey,
    Register, RevokeDevice, SaveFormDraft, SealTeamHistory, SearchPersons, SetIdleLock, SetLease,
    SetProfile, SetRelanceStatus, SettleConflict, SyncNow, SyncStatus, TeamDevice, UndoMerge,
    Unlock, UpdatePerson, UpdateRencontre,
};
use filrouge_model::ipc::{GetNotice, SetNotice};
use tauri::State;

use crate::AppState;

type Res<T> = Result<T, IpcError>;

/// A read's answer, its error mapped for the UI.
fn answer<T>(result: Result<T, CoreError>) -> Res<T> {
    result.map_err(|e| {
        tracing::warn!(error = %e, "command failed");
        IpcError::from(e)
    })
}

/// A write's answer: mapped like a read's, and the sync worker told a change waits.
fn changed<T>(state: &AppState, result: Result<T, CoreError>) -> Res<T> {
    let value = answer(result)?;
    state.sync.local_change();
    Ok(value)
}

/// Runs a command that waits on the team server, or writes a file, on a blocking thread
/// off the async runtime's threads.
async fn on_blocking<T: Send + 'static>(
    state: &AppState,
    call: impl FnOnce(&Device) -> Result<T, CoreError> + Send + 'static,
) -> Res<T> {
    let device = state.device()?;
    match tauri::async_runtime::spawn_blocking(move || call(&device)).await {
        Ok(result) => answer(result),
        Err(e) => {
            tracing::warn!(error = %e, "a command's thread stopped");
            Err(IpcError::Interrupted)
        }
    }
}

/// Declares the Tauri command `$name`: it calls the [`Device`] method of the same name
/// with the command struct and answers `Command::Output`; a `synced` one (it changed
/// records the team shares) also wakes the sync worker, a `local` one (a read, or a
/// setting that stays on this device) does not. One line per command below, so that a rule cannot hide in a handler.
macro_rules! commands {
    ($($kind:ident $name:ident($cmd:ty);)+) => {
        $(
            #[tauri::command]
            pub async fn $name(
                state: State<'_, AppState>,
                args: $cmd,
            ) -> Res<<$cmd as Command>::Output> {
                commands!(@$kind state, state.device()?.$name(args))
            }
        )+
    };
    (@local $state:ident, $call:expr) => { answer($call) };
    (@synced $state:ident, $call:expr) => { changed(&$state, $call) };
}

commands! {
    synced create_rencontre(CreateRencontre);
    synced update_rencontre(UpdateRencontre);
    synced edit_rencontre(EditRencontre);
    local list_rencontres(ListRencontres);
    local last_place(LastPlace);
    local get_form_draft(GetFormDraft);
    local set_profile(SetProfile);
    local get_profile(GetProfile);
    local search_persons(SearchPersons);
    synced create_person(CreatePerson);
    local get_person(GetPerson);
    synced update_person(UpdatePerson);
    synced hold_retention(HoldRetention);
    local get_access_log(GetAccessLog);
    synced change_stage(ChangeStage);
    local list_relances(ListRelances);
    synced set_relance_status(SetRelanceStatus);
    synced plan_relance(PlanRelance);
    local my_caseload(MyCaseload);
    local list_events(ListEvents);
    synced create_event(CreateEvent);
    local get_event(GetEvent);
    synced register(Register);
    synced check_in(CheckIn);
    local list_partners(ListPartners);
    synced create_partner(CreatePartner);
    synced orient(Orient);
    local get_dashboard(GetDashboard);
    local list_figure(ListFigure);
    local get_funder_table(GetFunderTable);
    local preview_import(PreviewImport);
    local dry_run_import(DryRunImport);
    synced import(Import);
    local list_duplicates(ListDuplicates);
    synced dismiss_duplicate(DismissDuplicate);
    synced merge_persons(MergePersons);
    synced undo_merge(UndoMerge);
    local find_similar_persons(FindSimilarPersons);
    local list_conflicts(ListConflicts);
    local get_data_quality(GetDataQuality);
    local list_erasures(ListErasures);
    synced settle_conflict(SettleConflict);
}

#[tauri::command]
pub async fn get_sync_status(state: State<'_, AppState>, args: GetSyncStatus) -> Res<SyncStatus> {
    let GetSyncStatus {} = args;
    answer(state.sync.status())
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>, args: SyncNow) -> Res<SyncStatus> {
    let SyncNow {} = args;
    state.sync.trigger();
    answer(state.sync.status())
}

#[tauri::command]
pub async fn enrol(state: State<'_, AppState>, args: Enrol) -> Res<SyncStatus> {
    on_blocking(&state, |device| device.enrol(args)).await?;
    state.sync.enrolled();
    answer(state.sync.status())
}

#[tauri::command]
pub async fn create_invite(state: State<'_, AppState>, args: CreateInvite) -> Res<Invite> {
    on_blocking(&state, |device| device.create_invite(args)).await
}

/// Erases a person: it waits on the server for each record (on a blocking thread), then
/// wakes the sync worker so the anonymous counts it wrote reach the team.
#[tauri::command]
pub async fn erase_person(state: State<'_, AppState>, args: ErasePerson) -> Res<ErasureEntry> {
    let entry = on_blocking(&state, |device| device.erase_person(args)).await?;
    state.sync.local_change();
    Ok(entry)
}

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, args: ListDevices) -> Res<Vec<TeamDevice>> {
    on_blocking(&state, |device| device.list_devices(args)).await
}

/// Writes an export into the exports folder, on a blocking thread (a year's workbook
/// takes seconds).
#[tauri::command]
pub async fn export(state: State<'_, AppState>, args: Export) -> Res<Exported> {
    let dir = state.exports.clone();
    on_blocking(&state, move |device| device.export(args, &dir)).await
}

/// Writes the funder's table of a period into the exports folder.
#[tauri::command]
pub async fn export_funder_table(
    state: State<'_, AppState>,
    args: ExportFunderTable,
) -> Res<Exported> {
    let dir = state.exports.clone();
    on_blocking(&state, move |device| device.export_funder_table(args, &dir)).await
}

#[tauri::command]
pub async fn set_lease(state: State<'_, AppState>, args: SetLease) -> Res<u32> {
    on_blocking(&state, |device| device.set_lease(args)).await
}

#[tauri::command]
pub async fn revoke_device(state: State<'_, AppState>, args: RevokeDevice) -> Res<Vec<TeamDevice>> {
    on_blocking(&state, |device| device.revoke_device(args)).await
}

#[tauri::command]
pub async fn get_notice(state: State<'_, AppState>, args: GetNotice) -> Res<Option<NoticeDraft>> {
    on_blocking(&state, |device| device.get_notice(args)).await
}

#[tauri::command]
pub async fn set_notice(state: State<'_, AppState>, args: SetNotice) -> Res<NoticeDraft> {
    let notice = on_blocking(&state, |device| device.set_notice(args)).await?;
    state.sync.local_change();
    Ok(notice)
}

#[tauri::command]
pub async fn create_recovery_key(
    state: State<'_, AppState>,
    args: CreateRecoveryKey,
) -> Res<RecoveryKey> {
    on_blocking(&state, |device| device.create_recovery_key(args)).await
}

/// The history goes back sealed at the next syncs: the worker is woken for them.
#[tauri::command]
pub async fn seal_team_history(state: State<'_, AppState>, args: SealTeamHistory) -> Res<()> {
    on_blocking(&state, |device| device.seal_team_history(args)).await?;
    state.sync.local_change();
    Ok(())
}

/// The recovered keys open what was waiting for them: the worker tells the UI.
#[tauri::command]
pub async fn recover_team_keys(state: State<'_, AppState>, args: RecoverTeamKeys) -> Res<u32> {
    let keys = on_blocking(&state, |device| device.recover_team_keys(args)).await?;
    state.sync.local_change();
    Ok(keys)
}

/// Runs a lock command on a blocking thread: unsealing the key costs Argon2's tens of
/// MiB and some hundred milliseconds.
async fn on_gate<T: Send + 'static>(
    state: &AppState,
    call: impl FnOnce(&Gate) -> Result<T, CoreError> + Send + 'static,
) -> Res<T> {
    let gate = Arc::clone(&state.gate);
    match tauri::async_runtime::spawn_blocking(move || call(&gate)).await {
        Ok(result) => answer(result),
        Err(e) => {
            tracing::warn!(error = %e, "a command's thread stopped");
            Err(IpcError::Interrupted)
        }
    }
}

#[tauri::command]
pub async fn get_lock_status(state: State<'_, AppState>, args: GetLockStatus) -> Res<LockStatus> {
    let GetLockStatus {} = args;
    answer(state.gate.lock_status())
}

#[tauri::command]
pub async fn choose_secret(state: State<'_, AppState>, args: ChooseSecret) -> Res<LockStatus> {
    let status = on_gate(&state, |gate| gate.choose_secret(args)).await?;
    // The store is open: the sync can start.
    state.sync.local_change();
    Ok(status)
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, args: Unlock) -> Res<LockStatus> {
    let status = on_gate(&state, |gate| gate.unlock(args)).await?;
    state.sync.local_change();
    Ok(status)
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>, args: Lock) -> Res<LockStatus> {
    let Lock {} = args;
    answer(state.gate.lock())
}

#[tauri::command]
pub async fn change_secret(state: State<'_, AppState>, args: ChangeSecret) -> Res<LockStatus> {
    on_gate(&state, |gate| gate.change_secret(args)).await
}

#[tauri::command]
pub async fn set_idle_lock(state: State<'_, AppState>, args: SetIdleLock) -> Res<LockStatus> {
    answer(state.gate.set_idle_lock(args))
}

#[tauri::command]
pub async fn save_form_draft(state: State<'_, AppState>, args: SaveFormDraft) -> Res<()> {
    answer(state.gate.save_form_draft(args))
}
