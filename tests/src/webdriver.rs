//! A small blocking W3C WebDriver client for driving the real app window through
//! `tauri-driver` and WebKitWebDriver, plus a guard that runs `tauri-driver` itself.
//!
//! Tests find elements by CSS selector, click, type, read text and take screenshots;
//! every wait polls with a deadline (no sleeps standing in for "long enough").

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running `tauri-driver`, stopped (by its own PID) when dropped.
pub struct Driver {
    child: Child,
    /// Its base URL.
    pub url: String,
    http: reqwest::blocking::Client,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Driver {
    /// Starts `tauri-driver` on free ports and waits until it answers `/status`.
    pub fn start() -> anyhow::Result<Driver> {
        let (port, native_port) = (free_port()?, free_port()?);
        let native = std::env::var("FILROUGE_NATIVE_DRIVER")
            .unwrap_or_else(|_| "/usr/bin/WebKitWebDriver".into());
        // Its own process group, so that dropping the driver also stops the native
        // WebDriver and any app it launched.
        let child = Command::new("tauri-driver")
            .process_group(0)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .args(["--native-driver", &native])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting tauri-driver (installed by scripts/setup.sh)")?;
        filrouge_core::sync::tls::install_provider();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()?,
        };
        poll(Duration::from_secs(30), "tauri-driver to answer", || {
            Ok(driver
                .http
                .get(format!("{}/status", driver.url))
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .map(|_| ()))
        })?;
        Ok(driver)
    }

    /// Launches the app at `app` with `args`, opens a session on its window and gets
    /// past the lock screen with [`PASSPHRASE`] (chosen on a first start, given after).
    pub fn session(&self, app: &Path, args: &[&str]) -> anyhow::Result<Session> {
        let session = self.locked_session(app, args)?;
        session.open_lock()?;
        Ok(session)
    }

    /// Launches the app at `app` with `args` and opens a session on its window, which
    /// shows the lock screen.
    pub fn locked_session(&self, app: &Path, args: &[&str]) -> anyhow::Result<Session> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app, "args": args},
        }}});
        let resp = send(self.http.post(format!("{}/session", self.url)).json(&caps))?;
        let id = resp["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {resp}"))?;
        Ok(Session {
            base: format!("{}/session/{id}", self.url),
            http: self.http.clone(),
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// The passphrase the end-to-end tests choose for the app's store (they run with no
/// Secret Service, so the app asks for a passphrase rather than a PIN).
pub const PASSPHRASE: &str = "une phrase de passe de test";

/// One app window under WebDriver; closing it quits the app.
pub struct Session {
    base: String,
    http: reqwest::blocking::Client,
}

/// A reference to an element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        send(self.http.post(format!("{}{path}", self.base)).json(&body))
    }

    fn get(&self, path: &str) -> anyhow::Result<Value> {
        send(self.http.get(format!("{}{path}", self.base)))
    }

    /// Gets past the lock screen with [`PASSPHRASE`]: chooses it on a first start (or
    /// after an erasure), gives it after a restart; returns once the app shows.
    pub fn open_lock(&self) -> anyhow::Result<()> {
        self.wait_for("#lock-secret")?;
        self.fill("#lock-secret", PASSPHRASE)?;
        if !self.find_all("#lock-confirm")?.is_empty() {
            self.fill("#lock-confirm", PASSPHRASE)?;
        }
        self.click_css("#lock-submit")?;
        self.wait_for("#app-root")?;
        poll(Duration::from_secs(20), "the lock screen to go", || {
            Ok(self.find_all("#lock-screen")?.is_empty().then_some(()))
        })
    }

    /// Every element matching a CSS selector, now.
    pub fn find_all(&self, css: &str) -> anyhow::Result<Vec<Element>> {
        let v = self.post("/elements", json!({"using": "css selector", "value": css}))?;
        Ok(v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_owned())))
            .collect())
    }

    /// Waits until an element matches `css` and returns the first.
    pub fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        poll(Duration::from_secs(20), css, || {
            Ok(self.find_all(css)?.into_iter().next())
        })
    }

    /// Waits until `css` matches exactly `n` elements.
    pub fn wait_count(&self, css: &str, n: usize) -> anyhow::Result<Vec<Element>> {
        poll(Duration::from_secs(20), &format!("{n} × {css}"), || {
            let found = self.find_all(css)?;
            Ok((found.len() == n).then_some(found))
        })
    }

    /// Waits until the text of the first match of `css` satisfies `pred`; returns it.
    /// On timeout the error shows the last text seen, to tell "stuck" from "wrong".
    pub fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> anyhow::Result<String> {
        let last = std::cell::RefCell::new(String::new());
        poll(Duration::from_secs(60), &format!("text of {css}"), || {
            let Some(el) = self.find_all(css)?.into_iter().next() else {
                return Ok(None);
            };
            let text = self.text(&el)?;
            let ok = pred(&text);
            *last.borrow_mut() = text.clone();
            Ok(ok.then_some(text))
        })
        .with_context(|| format!("last text of {css}: {:?}", last.borrow()))
    }

    /// Waits until the element with this `id` has the keyboard focus (the app moves the
    /// focus itself, e.g. into a panel it opens; typing before that lands elsewhere).
    pub fn wait_focus(&self, id: &str) -> anyhow::Result<()> {
        poll(Duration::from_secs(20), &format!("focus on #{id}"), || {
            let active = self.get("/element/active")?;
            let Some(el) = active[ELEMENT_KEY].as_str() else {
                return Ok(None);
            };
            let have = self.get(&format!("/element/{el}/property/id"))?;
            Ok((have == id).then_some(()))
        })
    }

    /// Puts `text` into the input `css` as one input event, as a paste or a phone
    /// keyboard's suggestion does (WebDriver's typing sends a key at a time). Synthetic
    /// keystrokes into the person picker were occasionally lost under the load of a
    /// cold CI run (the picker then saw "Aw" for "Awa"); one event is deterministic.
    pub fn paste(&self, css: &str, text: &str) -> anyhow::Result<()> {
        self.wait_for(css)?;
        let script = format!(
            "const e = document.querySelector({css:?}); e.focus(); e.value = {text:?}; \
             e.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        );
        self.execute(&script)?;
        Ok(())
    }

    /// Whether the element `css` is shown (it and its ancestors not hidden).
    pub fn is_shown(&self, css: &str) -> anyhow::Result<bool> {
        let v = self.execute(&format!(
            "const e = document.querySelector({css:?}); return !!e && e.getClientRects().length > 0;"
        ))?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// Waits until `css` is shown (`true`) or hidden (`false`).
    pub fn wait_shown(&self, css: &str, want: bool) -> anyhow::Result<()> {
        poll(Duration::from_secs(10), css, || {
            Ok((self.is_shown(css)? == want).then_some(()))
        })
    }

    /// Opens Réglages and waits until the panel has moved the focus (and the scroll) to
    /// its first field, a frame after it opens: a click placed before that lands beside
    /// its button.
    pub fn open_settings(&self) -> anyhow::Result<()> {
        self.click_css("#open-settings")?;
        self.wait_focus("server-url")
    }

    /// Opens the "Nouvelle rencontre" form from Aujourd'hui with its big button (one
    /// tap) and waits until the form has the focus on its title.
    pub fn open_rencontre_form(&self) -> anyhow::Result<()> {
        self.click_css("#new-rencontre")?;
        self.wait_focus("rencontre-title")
    }

    /// Presses and releases one key on whatever has the keyboard focus ([`TAB`],
    /// [`ENTER`], or a character), as a keyboard does: through WebDriver's actions, not
    /// into a given element.
    pub fn press(&self, key: &str) -> anyhow::Result<()> {
        self.post(
            "/actions",
            json!({ "actions": [{
                "type": "key",
                "id": "keyboard",
                "actions": [
                    { "type": "keyDown", "value": key },
                    { "type": "keyUp", "value": key },
                ],
            }]}),
        )?;
        Ok(())
    }

    /// Clicks an element, first scrolled to the middle of the window as a user would
    /// scroll it: WebDriver scrolls it only to the bottom edge, where the phone layout's
    /// tab bar and sticky save button cover it.
    pub fn click(&self, el: &Element) -> anyhow::Result<()> {
        self.post(
            "/execute/sync",
            json!({
                "script": "arguments[0].scrollIntoView({ block: 'center', inline: 'center' });",
                "args": [{ ELEMENT_KEY: el.0 }],
            }),
        )?;
        self.post(&format!("/element/{}/click", el.0), json!({}))?;
        Ok(())
    }

    /// Clicks the first element matching `css`, waiting for it.
    pub fn click_css(&self, css: &str) -> anyhow::Result<()> {
        let el = self.wait_for(css)?;
        self.click(&el)
    }

    /// Replaces the content of an input with `text`, the input first scrolled to the
    /// middle of the window (as [`Session::click`] does: at the bottom edge, the phone
    /// layout's tab bar covers it and WebDriver refuses to type).
    pub fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let el = self.wait_for(css)?;
        self.post(
            "/execute/sync",
            json!({
                "script": "arguments[0].scrollIntoView({ block: 'center', inline: 'center' });",
                "args": [{ ELEMENT_KEY: el.0 }],
            }),
        )?;
        self.post(&format!("/element/{}/clear", el.0), json!({}))?;
        self.post(&format!("/element/{}/value", el.0), json!({"text": text}))?;
        Ok(())
    }

    /// Picks the file at `path` in the file input `css` (WebDriver types its path).
    pub fn choose_file(&self, css: &str, path: &Path) -> anyhow::Result<()> {
        let el = self.wait_for(css)?;
        let path = path.to_string_lossy();
        self.post(&format!("/element/{}/value", el.0), json!({"text": path}))?;
        Ok(())
    }

    /// The visible text of an element.
    pub fn text(&self, el: &Element) -> anyhow::Result<String> {
        Ok(self
            .get(&format!("/element/{}/text", el.0))?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// The value of an element's property (e.g. an input's `value`).
    pub fn property(&self, el: &Element, name: &str) -> anyhow::Result<Value> {
        self.get(&format!("/element/{}/property/{name}", el.0))
    }

    /// Runs `script` in the page (WebDriver's "execute script") and returns its value.
    pub fn execute(&self, script: &str) -> anyhow::Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }

    /// Resizes the window.
    pub fn resize(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.post("/window/rect", json!({"width": width, "height": height}))?;
        Ok(())
    }

    /// Saves a PNG screenshot of the window to `path`.
    pub fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let b64 = self.get("/screenshot")?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .context("decoding the screenshot")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Ends the session, which closes the window and quits the app.
    pub fn close(self) -> anyhow::Result<()> {
        send(self.http.delete(&self.base))?;
        Ok(())
    }
}

fn send(req: reqwest::blocking::RequestBuilder) -> anyhow::Result<Value> {
    let resp = req.send().context("WebDriver request")?;
    let status = resp.status();
    let body: Value = resp.json().context("WebDriver answer")?;
    if !status.is_success() {
        bail!("WebDriver error {status}: {}", body["value"]);
    }
    Ok(body["value"].clone())
}

/// WebDriver's code of the Tab key.
pub const TAB: &str = "\u{E004}";
/// WebDriver's code of the Enter key.
pub const ENTER: &str = "\u{E007}";

/// Calls `check` until it returns `Some`, or fails after `limit` naming `what`.
pub fn poll<T>(
    limit: Duration,
    what: &str,
    mut check: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + limit;
    let mut last_err = None;
    loop {
        match check() {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_err = Some(e),
        }
        if Instant::now() > deadline {
            bail!("timed out after {limit:?} waiting for {what} (last error: {last_err:?})");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs `steps` in the window `s`; on failure, leaves a screenshot of what it showed
/// (`e2e-failure-{name}.png` in [`artifacts_dir`]).
pub fn shot_on_failure(
    s: &Session,
    name: &str,
    steps: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let result = steps();
    if result.is_err() {
        let _ = s.screenshot(&artifacts_dir().join(format!("e2e-failure-{name}.png")));
    }
    result
}

/// Where tests save screenshots: `$FILROUGE_ARTIFACTS` or `artifacts/` in the workspace.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("FILROUGE_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts"))
}

/// The built app binary: `$FILROUGE_APP_BIN`, required for window tests.
pub fn app_binary() -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("FILROUGE_APP_BIN")
        .map(PathBuf::from)
        .ok_or_else(|| {
            anyhow!("FILROUGE_APP_BIN is not set: run scripts/test.sh, which builds the app")
        })?;
    if !path.is_file() {
        bail!("FILROUGE_APP_BIN={} does not exist", path.display());
    }
    Ok(path)
}
