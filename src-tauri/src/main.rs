//! The desktop entry point: everything lives in the library so mobile targets share it.
#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    filrouge_app::run();
}
