//! The Tauri commands: one per `filrouge_model::ipc` command, each a line or two that
//! calls the [`Device`] method of the same name and answers its result.
//!
//! No rule lives here. A handler calls the core (which locks the store and runs one
//! transaction), maps the error to the tagged [`IpcError`] the UI understands, and,
//! when the command changed something, wakes the sync worker. The commands that wait
//! on the team server run on a blocking thread ([`on_network`]).
//!
//! Each handler takes the command struct as its single argument `args`; the
//! mock-runtime tests (`tests.rs`) call every `Command::NAME` the way the UI does, so a
//! name without a handler fails them.

use filrouge_core::{CoreError, Device};
use filrouge_model::ipc::{
    ChangeStage, CheckIn, CreateEvent, CreateInvite, CreatePartner, CreatePerson, CreateRencontre,
    EditRencontre, Enrol, GetEvent, GetFormDraft, GetPerson, GetProfile, GetSyncStatus, Invite,
    IpcError, LastPlace, ListDevices, ListEvents, ListPartners, ListRelances, ListRencontres,
    MyCaseload, Orient, PlanRelance, Register, RevokeDevice, SaveFormDraft, SearchPersons,
    SetProfile, SetRelanceStatus, SyncNow, SyncStatus, TeamDevice, UpdatePerson, UpdateRencontre,
};
use filrouge_model::views::{
    Caseload, DueRelance, EventSummary, EventView, PartnerRow, PersonHit, PersonView, Profile,
    RencontreFormDraft,
};
use filrouge_model::{RecordId, Rencontre};
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

/// Runs a command that waits on the team server on a blocking thread, off the async
/// runtime's threads.
async fn on_network<T: Send + 'static>(
    state: &AppState,
    call: impl FnOnce(&Device) -> Result<T, CoreError> + Send + 'static,
) -> Res<T> {
    let device = state.device.clone();
    match tauri::async_runtime::spawn_blocking(move || call(&device)).await {
        Ok(result) => answer(result),
        Err(e) => {
            tracing::warn!(error = %e, "a command's thread stopped");
            Err(IpcError::Interrupted)
        }
    }
}

#[tauri::command]
pub async fn create_rencontre(state: State<'_, AppState>, args: CreateRencontre) -> Res<Rencontre> {
    changed(&state, state.device.create_rencontre(args))
}

#[tauri::command]
pub async fn update_rencontre(state: State<'_, AppState>, args: UpdateRencontre) -> Res<Rencontre> {
    changed(&state, state.device.update_rencontre(args))
}

#[tauri::command]
pub async fn edit_rencontre(state: State<'_, AppState>, args: EditRencontre) -> Res<Rencontre> {
    changed(&state, state.device.edit_rencontre(args))
}

#[tauri::command]
pub async fn list_rencontres(
    state: State<'_, AppState>,
    args: ListRencontres,
) -> Res<Vec<Rencontre>> {
    answer(state.device.list_rencontres(args))
}

#[tauri::command]
pub async fn last_place(state: State<'_, AppState>, args: LastPlace) -> Res<Option<String>> {
    answer(state.device.last_place(args))
}

#[tauri::command]
pub async fn get_form_draft(
    state: State<'_, AppState>,
    args: GetFormDraft,
) -> Res<Option<RencontreFormDraft>> {
    answer(state.device.get_form_draft(args))
}

#[tauri::command]
pub async fn save_form_draft(state: State<'_, AppState>, args: SaveFormDraft) -> Res<()> {
    // The draft stays on this device: nothing for the sync worker.
    answer(state.device.save_form_draft(args))
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
    on_network(&state, |device| device.enrol(args)).await?;
    state.sync.enrolled();
    answer(state.sync.status())
}

#[tauri::command]
pub async fn create_invite(state: State<'_, AppState>, args: CreateInvite) -> Res<Invite> {
    on_network(&state, |device| device.create_invite(args)).await
}

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, args: ListDevices) -> Res<Vec<TeamDevice>> {
    on_network(&state, |device| device.list_devices(args)).await
}

#[tauri::command]
pub async fn revoke_device(state: State<'_, AppState>, args: RevokeDevice) -> Res<Vec<TeamDevice>> {
    on_network(&state, |device| device.revoke_device(args)).await
}

#[tauri::command]
pub async fn search_persons(
    state: State<'_, AppState>,
    args: SearchPersons,
) -> Res<Vec<PersonHit>> {
    answer(state.device.search_persons(args))
}

#[tauri::command]
pub async fn create_person(state: State<'_, AppState>, args: CreatePerson) -> Res<PersonHit> {
    changed(&state, state.device.create_person(args))
}

#[tauri::command]
pub async fn get_person(state: State<'_, AppState>, args: GetPerson) -> Res<PersonView> {
    answer(state.device.get_person(args))
}

#[tauri::command]
pub async fn update_person(state: State<'_, AppState>, args: UpdatePerson) -> Res<PersonView> {
    changed(&state, state.device.update_person(args))
}

#[tauri::command]
pub async fn change_stage(state: State<'_, AppState>, args: ChangeStage) -> Res<PersonView> {
    changed(&state, state.device.change_stage(args))
}

#[tauri::command]
pub async fn list_relances(state: State<'_, AppState>, args: ListRelances) -> Res<Vec<DueRelance>> {
    answer(state.device.list_relances(args))
}

#[tauri::command]
pub async fn set_relance_status(state: State<'_, AppState>, args: SetRelanceStatus) -> Res<()> {
    changed(&state, state.device.set_relance_status(args))
}

#[tauri::command]
pub async fn plan_relance(state: State<'_, AppState>, args: PlanRelance) -> Res<RecordId> {
    changed(&state, state.device.plan_relance(args))
}

#[tauri::command]
pub async fn get_profile(state: State<'_, AppState>, args: GetProfile) -> Res<Profile> {
    answer(state.device.get_profile(args))
}

#[tauri::command]
pub async fn set_profile(state: State<'_, AppState>, args: SetProfile) -> Res<Profile> {
    // Who uses the device is a local setting: nothing for the sync worker.
    answer(state.device.set_profile(args))
}

#[tauri::command]
pub async fn my_caseload(state: State<'_, AppState>, args: MyCaseload) -> Res<Caseload> {
    answer(state.device.my_caseload(args))
}

#[tauri::command]
pub async fn list_events(state: State<'_, AppState>, args: ListEvents) -> Res<Vec<EventSummary>> {
    answer(state.device.list_events(args))
}

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, args: CreateEvent) -> Res<EventSummary> {
    changed(&state, state.device.create_event(args))
}

#[tauri::command]
pub async fn get_event(state: State<'_, AppState>, args: GetEvent) -> Res<EventView> {
    answer(state.device.get_event(args))
}

#[tauri::command]
pub async fn register(state: State<'_, AppState>, args: Register) -> Res<EventView> {
    changed(&state, state.device.register(args))
}

#[tauri::command]
pub async fn check_in(state: State<'_, AppState>, args: CheckIn) -> Res<EventView> {
    changed(&state, state.device.check_in(args))
}

#[tauri::command]
pub async fn list_partners(state: State<'_, AppState>, args: ListPartners) -> Res<Vec<PartnerRow>> {
    answer(state.device.list_partners(args))
}

#[tauri::command]
pub async fn create_partner(state: State<'_, AppState>, args: CreatePartner) -> Res<PartnerRow> {
    changed(&state, state.device.create_partner(args))
}

#[tauri::command]
pub async fn orient(state: State<'_, AppState>, args: Orient) -> Res<PersonView> {
    changed(&state, state.device.orient(args))
}
