//! The one module that talks to the Tauri shell: typed commands in, typed results out.
//!
//! [`call`] sends a [`Command`] as `window.__TAURI__.core.invoke(C::NAME, { args })`
//! (the shell registers every command with a single parameter named `args`, and
//! `withGlobalTauri` exposes `window.__TAURI__`) and reads the answer as `C::Output`.
//! A rejection is read as the shell's [`IpcError`]; anything else (a Tauri-level string
//! error, a missing `window.__TAURI__` when the page is opened in a plain browser, an
//! answer of the wrong shape) is logged to the console and reported as
//! [`IpcError::Storage`], so the screen always has a typed error to explain.
//!
//! [`listen_sync_status`] subscribes to the shell's [`SYNC_STATUS_EVENT`].
//!
//! The functions are looked up with `Reflect` at each call rather than bound with
//! `extern` blocks, so that a page without Tauri gets an error value, not an exception.

use filrouge_model::ipc::{Command, IpcError, SYNC_STATUS_EVENT, SyncStatus};
use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::{GetValue, StoredValue, UpdateValue};
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Sends `args` to the shell as command `C::NAME` and waits for its answer.
pub async fn call<C: Command>(args: &C) -> Result<C::Output, IpcError> {
    match invoke(C::NAME, args).await {
        Ok(answer) => serde_wasm_bindgen::from_value(answer).map_err(|e| {
            log_error(C::NAME, "unreadable answer", &JsValue::from(e));
            IpcError::Storage
        }),
        Err(rejection) => Err(rejection_to_error(C::NAME, rejection)),
    }
}

/// A kind of call of which only the latest answer counts: a search sent at every
/// keystroke, a list read again after each save. An answer that comes back after a
/// newer call was started is dropped, whatever order the shell answers in.
#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>);

impl Latest {
    /// No call made yet.
    pub fn new() -> Latest {
        Latest(StoredValue::new(0))
    }

    /// Sends `args` like [`call`]; answers `None` if another call of this kind was
    /// started (or [`Latest::forget`] was called) before this one's answer came.
    pub async fn call<C: Command>(self, args: &C) -> Option<Result<C::Output, IpcError>> {
        self.forget();
        let mine = self.0.get_value();
        let answer = call(args).await;
        (self.0.get_value() == mine).then_some(answer)
    }

    /// Makes the calls in flight stale (the search box was emptied).
    pub fn forget(self) {
        self.0.update_value(|g| *g += 1);
    }
}

/// The persons whose names start with `typed`, at most `limit`, through `latest`:
/// `None` when a newer search was started meanwhile (the picker and the persons screen
/// search as the user types).
pub async fn search_persons(
    latest: Latest,
    typed: String,
    limit: u32,
) -> Option<Result<Vec<filrouge_model::views::PersonHit>, IpcError>> {
    latest
        .call(&filrouge_model::ipc::SearchPersons { typed, limit })
        .await
}

/// Calls `on_status` with every status the shell emits from now on.
pub async fn listen_sync_status(on_status: impl Fn(SyncStatus) + 'static) {
    listen(SYNC_STATUS_EVENT, on_status).await;
}

/// Calls `on_payload` with the payload of every `event` the shell emits from now on.
/// The listener lives as long as the page.
pub async fn listen<T: serde::de::DeserializeOwned>(
    event: &'static str,
    on_payload: impl Fn(T) + 'static,
) {
    let handler = Closure::<dyn Fn(JsValue)>::new(move |message: JsValue| {
        let payload =
            Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(payload) => on_payload(payload),
            Err(e) => log_error(event, "unreadable event", &JsValue::from(e)),
        }
    });
    match subscribe(event, handler.as_ref()).await {
        Ok(_unlisten) => handler.forget(),
        Err(e) => log_error(event, "cannot listen", &e),
    }
}

/// `window.__TAURI__.core.invoke(name, { args })`.
async fn invoke<C: Serialize>(name: &str, args: &C) -> Result<JsValue, JsValue> {
    let (core, invoke) = tauri_function("core", "invoke")?;
    // JSON-compatible: `None` becomes `null` and maps become plain objects, as the
    // shell's serde_json expects.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = args.serialize(&serializer)?;
    let payload = Object::new();
    Reflect::set(&payload, &JsValue::from_str("args"), &value)?;
    let promise = invoke.call2(&core, &JsValue::from_str(name), &payload)?;
    JsFuture::from(promise.dyn_into::<Promise>()?).await
}

/// `window.__TAURI__.event.listen(event, handler)`; resolves to the unlisten function.
async fn subscribe(event: &str, handler: &JsValue) -> Result<JsValue, JsValue> {
    let (module, listen) = tauri_function("event", "listen")?;
    let promise = listen.call2(&module, &JsValue::from_str(event), handler)?;
    JsFuture::from(promise.dyn_into::<Promise>()?).await
}

/// Finds `window.__TAURI__[module][function]` and the object it must be called on.
fn tauri_function(module: &str, function: &str) -> Result<(JsValue, Function), JsValue> {
    let tauri = Reflect::get(&js_sys::global(), &JsValue::from_str("__TAURI__"))?;
    if tauri.is_undefined() || tauri.is_null() {
        return Err(JsValue::from_str(
            "window.__TAURI__ is missing: the page is not running inside the Fil rouge app",
        ));
    }
    let namespace = Reflect::get(&tauri, &JsValue::from_str(module))?;
    let found = Reflect::get(&namespace, &JsValue::from_str(function))?;
    let function = found.dyn_into::<Function>().map_err(|_| {
        JsValue::from_str(&format!(
            "window.__TAURI__.{module}.{function} is not a function"
        ))
    })?;
    Ok((namespace, function))
}

/// Reads a rejection as the shell's typed error, or logs it and calls it a storage
/// failure (the screen then says that the device could not read or save).
fn rejection_to_error(command: &str, rejection: JsValue) -> IpcError {
    match serde_wasm_bindgen::from_value::<IpcError>(rejection.clone()) {
        Ok(error) => error,
        Err(_) => {
            log_error(command, "failed", &rejection);
            IpcError::Storage
        }
    }
}

/// Logs an IPC failure to the webview's console: the command's name and the error
/// value as the shell or the browser gave it, never the arguments sent.
fn log_error(command: &str, what: &str, error: &JsValue) {
    web_sys::console::error_2(
        &JsValue::from_str(&format!("Fil rouge IPC: {command}: {what}:")),
        error,
    );
}
