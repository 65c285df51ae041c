//! The screens, one module each, grouped as the tab bar groups them: what a worker
//! sees under each tab, and the settings.

pub mod coordination;
pub mod events;
pub mod people;
pub mod person;
pub mod relances;
pub mod settings;
pub mod today;

use filrouge_model::Vocab;
use leptos::prelude::*;

use crate::i18n::{I18n, Key};

/// A labelled select of one vocabulary (the kind of an event, of a partner, a consent's
/// method), bound to `value`.
pub(crate) fn vocab_select<T: Vocab + Send + Sync>(
    i18n: I18n,
    id: &'static str,
    label: Key,
    value: RwSignal<T>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    if let Some(v) = T::from_code(&event_target_value(&ev)) {
                        value.set(v);
                    }
                }
            >
                {T::all()
                    .iter()
                    .map(|&v| {
                        view! {
                            <option value=v.code() selected=move || value.get() == v>
                                {move || i18n.label(v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Prints one part of the page alone: the root is marked `data-printing=mark` for the
/// print style sheet, which hides everything else, for the time of the print dialog.
pub fn print_alone(mark: &str) {
    use leptos::prelude::{document, window};
    let root = document().document_element();
    if let Some(root) = &root {
        let _ = root.set_attribute("data-printing", mark);
    }
    let _ = window().print();
    if let Some(root) = &root {
        let _ = root.remove_attribute("data-printing");
    }
}
