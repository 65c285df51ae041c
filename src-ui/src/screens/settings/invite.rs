//! "Inviter un appareil", in the settings of a coordinator's device: make a single-use
//! code for a new phone or laptop of the team, and show it with its invitation link as
//! a QR code.
//!
//! Shown once the device is enrolled, unless the server said it is a field worker's
//! (older servers do not say; the server refuses a worker's device anyway, and the
//! sentence says why). [`CreateInvite`] is the one command that waits on the network,
//! because the user asked for a code and cannot go on without it; it shows a busy
//! state and blocks nothing else. The code is shown once, as the server gives it, and
//! dropped when the panel forgets it: only the server keeps its hash.

use filrouge_model::invite::invite_link;
use filrouge_model::ipc::{CreateInvite, Invite, IpcError};
use filrouge_model::sync::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::app::{Shared, aria_bool};
use crate::i18n::{self, use_i18n};
use crate::{clock, ipc};

/// The invitation link of `invite` drawn as an SVG QR code, or `None` if the link is
/// too long to encode (a server address of hundreds of characters).
pub fn qr_svg(link: &str) -> Option<String> {
    let code = QrCode::new(link.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#1a1a1a"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The XML prolog means nothing inside HTML.
    Some(match image.find("<svg") {
        Some(start) => image[start..].to_owned(),
        None => image,
    })
}

/// Whether this device acts for the team's coordination: enrolled, and not known to be
/// a field worker's (older servers do not say; the server refuses others anyway).
pub fn coordinating(shared: Shared) -> bool {
    shared.status.with(|s| {
        s.as_ref()
            .is_some_and(|s| s.server_url.is_some() && s.role != Some(Role::Intervenant))
    })
}

/// The "Inviter un appareil" part of the settings.
#[component]
pub fn InviteDevice(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(Role::Intervenant);
    let invite = RwSignal::new(None::<Invite>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<IpcError>);
    let create = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        invite.set(None);
        let args = CreateInvite {
            role: role.get_untracked(),
        };
        spawn_local(async move {
            let result = ipc::call(&args).await;
            busy.set(false);
            match result {
                Ok(made) => invite.set(Some(made)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let result = move || {
        invite.get().map(|made| {
            let link = invite_link(
                &made.server_url,
                &made.code,
                made.server_pin.as_deref(),
                made.team_secret.as_deref(),
            );
            let qr = qr_svg(&link).unwrap_or_default();
            // Only the link carries the team's key: say so when there is one.
            let how = if made.team_secret.is_some() {
                i18n::key::INVITE_HOW_SEALED
            } else {
                i18n::key::INVITE_HOW
            };
            let until = move || {
                i18n::invite_valid_until(
                    i18n.lang(),
                    clock::local(made.expires_at),
                    clock::local_now(),
                    made.role,
                )
            };
            view! {
                <div id="invite-result" class="invite-result">
                    <p id="invite-code" class="invite-code">{made.code.clone()}</p>
                    <p class="hint">{until}</p>
                    <div
                        id="invite-qr"
                        class="qr"
                        role="img"
                        aria-label=move || i18n.t(i18n::key::INVITE_QR)
                        inner_html=qr
                    ></div>
                    <p id="invite-how" class="hint">{move || i18n.t(how)}</p>
                    <p id="invite-link" class="invite-link">{link}</p>
                </div>
            }
        })
    };
    view! {
        <section id="invite" class="invite" aria-labelledby="invite-title" hidden=move || !coordinating(shared)>
            <h3 id="invite-title">{move || i18n.t(i18n::key::INVITE_TITLE)}</h3>
            <p class="hint">{move || i18n.t(i18n::key::INVITE_HINT)}</p>
            <fieldset class="chips-set">
                <legend>{move || i18n.t(i18n::key::INVITE_ROLE)}</legend>
                <div class="chips">
                    {Role::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    data-role=r.as_str()
                                    aria-pressed=move || aria_bool(role.get() == r)
                                    on:click=move |_| role.set(r)
                                >
                                    {move || i18n::role_label(i18n.lang(), r)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <button id="create-invite" type="button" disabled=move || busy.get() on:click=create>
                {move || {
                    i18n.t(if busy.get() { i18n::key::CREATING_INVITE } else { i18n::key::CREATE_INVITE })
                }}
            </button>
            <p id="invite-error" class="error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| i18n::error_sentence(i18n.lang(), e)))}
            </p>
            {result}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::qr_svg;

    #[test]
    fn an_invitation_link_draws_as_one_svg_and_a_huge_one_does_not() {
        let link = filrouge_model::invite::invite_link(
            "https://equipe.example.org",
            "K7PF-3MQX-W9",
            Some(&"ab".repeat(32)),
            Some(&"cd".repeat(32)),
        );
        let svg = qr_svg(&link).expect("a link of ~150 bytes fits a QR code");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("width=\"") && svg.ends_with("</svg>"));
        // Past the largest QR code (2,953 bytes), no picture rather than a broken one.
        assert_eq!(qr_svg(&"x".repeat(4000)), None);
    }
}
