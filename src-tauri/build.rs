//! Tauri's build step: embeds `tauri.conf.json`, the capabilities and the UI's `dist`.
fn main() {
    tauri_build::build();
}
