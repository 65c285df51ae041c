//! The Tauri commands: one per `filrouge_model::ipc` command, each a few lines that call
//! the core and map its error to the tagged [`IpcError`] the UI understands.
//!
//! Each handler takes the command struct as its single argument `args` and returns
//! `Result<C::Output, IpcError>`; the mock-runtime tests (`tests.rs`) call every
//! `Command::NAME` the way the UI does, so a name without a handler fails them.

use filrouge_core::Store;
use filrouge_model::Rencontre;
use filrouge_model::ipc::{
    ChangeStage, CreateInvite, CreatePersonne, CreateRencontre, Enrol, GetPersonne, GetProfile,
    GetSyncStatus, IpcError, LastPlace, ListRelances, ListRencontres, PlanRelance, SearchPersons,
    SetProfile, SetRelanceStatus, SyncNow, SyncStatus, UpdatePersonne, UpdateRencontre,
};
use filrouge_model::ipc::{CheckIn, CreateEvent, GetEvent, ListEvents, Register};
use filrouge_model::ipc::{CreatePartner, ListPartners, MyCaseload, Orient};
use filrouge_model::ipc::{EditRencontre, GetFormDraft, Invite, SaveFormDraft};
use filrouge_model::ipc::{ListDevices, RevokeDevice, TeamDevice};
use filrouge_model::views::{
    Caseload, DueRelance, EventSummary, EventView, PartnerRow, PersonHit, PersonneView, Profile,
    RencontreFormDraft,
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
    let row = with_store(&state, |s| {
        let row = s.create_rencontre(args.draft)?;
        // Saved: the draft kept for a restart has served.
        s.set_form_draft(None)?;
        Ok(row)
    })?;
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
pub async fn create_invite(state: State<'_, AppState>, args: CreateInvite) -> Res<Invite> {
    state.sync.create_invite(args).await
}

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, args: ListDevices) -> Res<Vec<TeamDevice>> {
    let ListDevices {} = args;
    state.sync.list_devices().await
}

#[tauri::command]
pub async fn revoke_device(state: State<'_, AppState>, args: RevokeDevice) -> Res<Vec<TeamDevice>> {
    state.sync.revoke_device(args).await
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>, args: SyncNow) -> Res<SyncStatus> {
    let SyncNow {} = args;
    state.sync.trigger();
    state.sync.status().map_err(IpcError::from)
}

#[tauri::command]
pub async fn search_persons(
    state: State<'_, AppState>,
    args: SearchPersons,
) -> Res<Vec<PersonHit>> {
    with_store(&state, |s| s.search_persons(&args.typed, args.limit))
}

#[tauri::command]
pub async fn create_personne(state: State<'_, AppState>, args: CreatePersonne) -> Res<PersonHit> {
    let hit = with_store(&state, |s| {
        let id = s.create_person(args.draft)?;
        let view = s.person_view(&id)?;
        Ok(PersonHit {
            id,
            pseudonym: view.person.pseudonym,
            last_name: view.person.last_name,
            stage: view.person.stage.map(|s| s.code().to_owned()),
        })
    })?;
    state.sync.local_change();
    Ok(hit)
}

#[tauri::command]
pub async fn get_personne(state: State<'_, AppState>, args: GetPersonne) -> Res<PersonneView> {
    with_store(&state, |s| s.person_view(&args.id))
}

#[tauri::command]
pub async fn update_personne(
    state: State<'_, AppState>,
    args: UpdatePersonne,
) -> Res<PersonneView> {
    let view = with_store(&state, |s| {
        s.update(&args.id, args.draft)?;
        s.person_view(&args.id)
    })?;
    state.sync.local_change();
    Ok(view)
}

#[tauri::command]
pub async fn change_stage(state: State<'_, AppState>, args: ChangeStage) -> Res<PersonneView> {
    let view = with_store(&state, |s| {
        s.change_stage(&args.person_id, args.stage, args.date, args.note)?;
        s.person_view(&args.person_id)
    })?;
    state.sync.local_change();
    Ok(view)
}

#[tauri::command]
pub async fn list_relances(state: State<'_, AppState>, args: ListRelances) -> Res<Vec<DueRelance>> {
    with_store(&state, |s| {
        let me = s.profile()?.worker_name;
        s.open_relances(me.as_deref(), args.until, args.limit)
    })
}

#[tauri::command]
pub async fn set_relance_status(state: State<'_, AppState>, args: SetRelanceStatus) -> Res<()> {
    with_store(&state, |s| {
        s.set_relance_status(&args.id, args.status, args.due)
    })?;
    state.sync.local_change();
    Ok(())
}

#[tauri::command]
pub async fn get_profile(state: State<'_, AppState>, args: GetProfile) -> Res<Profile> {
    let GetProfile {} = args;
    with_store(&state, |s| s.profile())
}

#[tauri::command]
pub async fn set_profile(state: State<'_, AppState>, args: SetProfile) -> Res<Profile> {
    with_store(&state, |s| s.set_profile(args.profile))
}

#[tauri::command]
pub async fn plan_relance(state: State<'_, AppState>, args: PlanRelance) -> Res<String> {
    let id = with_store(&state, |s| {
        s.plan_relance(args.person_id, args.due, args.reason)
    })?;
    state.sync.local_change();
    Ok(id)
}

#[tauri::command]
pub async fn list_events(state: State<'_, AppState>, args: ListEvents) -> Res<Vec<EventSummary>> {
    with_store(&state, |s| s.list_events(args.limit))
}

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, args: CreateEvent) -> Res<EventSummary> {
    let event = with_store(&state, |s| {
        let id = s.create(args.draft)?;
        Ok(s.event_view(&id)?.event)
    })?;
    state.sync.local_change();
    Ok(event)
}

#[tauri::command]
pub async fn get_event(state: State<'_, AppState>, args: GetEvent) -> Res<EventView> {
    with_store(&state, |s| s.event_view(&args.id))
}

#[tauri::command]
pub async fn register(state: State<'_, AppState>, args: Register) -> Res<EventView> {
    let view = with_store(&state, |s| {
        let event = args.draft.event_id.clone();
        s.register(args.draft)?;
        s.event_view(&event)
    })?;
    state.sync.local_change();
    Ok(view)
}

#[tauri::command]
pub async fn check_in(state: State<'_, AppState>, args: CheckIn) -> Res<EventView> {
    let view = with_store(&state, |s| {
        s.check_in(&args.id, args.arrived)?;
        s.event_view(&args.event_id)
    })?;
    state.sync.local_change();
    Ok(view)
}

#[tauri::command]
pub async fn get_form_draft(
    state: State<'_, AppState>,
    args: GetFormDraft,
) -> Res<Option<RencontreFormDraft>> {
    let GetFormDraft {} = args;
    with_store(&state, |s| s.form_draft())
}

#[tauri::command]
pub async fn save_form_draft(state: State<'_, AppState>, args: SaveFormDraft) -> Res<()> {
    with_store(&state, |s| s.set_form_draft(args.draft.as_ref()))
}

#[tauri::command]
pub async fn list_partners(state: State<'_, AppState>, args: ListPartners) -> Res<Vec<PartnerRow>> {
    with_store(&state, |s| s.list_partners(args.limit))
}

#[tauri::command]
pub async fn create_partner(state: State<'_, AppState>, args: CreatePartner) -> Res<PartnerRow> {
    let row = with_store(&state, |s| s.create_partner(args.draft))?;
    state.sync.local_change();
    Ok(row)
}

#[tauri::command]
pub async fn orient(state: State<'_, AppState>, args: Orient) -> Res<PersonneView> {
    let view = with_store(&state, |s| {
        let person = args.draft.person_id.clone();
        s.orient(args.draft)?;
        s.person_view(&person)
    })?;
    state.sync.local_change();
    Ok(view)
}

#[tauri::command]
pub async fn my_caseload(state: State<'_, AppState>, args: MyCaseload) -> Res<Caseload> {
    with_store(&state, |s| s.caseload_of_worker(args.limit))
}

#[tauri::command]
pub async fn edit_rencontre(state: State<'_, AppState>, args: EditRencontre) -> Res<Rencontre> {
    let row = with_store(&state, |s| {
        s.edit_rencontre_text(&args.id, args.place, args.note)
    })?;
    state.sync.local_change();
    Ok(row)
}
