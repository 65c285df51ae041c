//! The consent's receipt and its withdrawal, under the consent form of a person's
//! thread. The receipt says what the person agreed to, why, when, who recorded it,
//! under which version of the information notice, and how to withdraw; it shows in
//! large type to be photographed, prints alone, and goes by text message (an `sms:`
//! link, to the person's phone when the file holds one). Withdrawing removes the
//! consent and every contact means in one save ([`UpdatePerson`]), so every device
//! forgets them at its next sync.

use filrouge_model::ipc::UpdatePerson;
use filrouge_model::views::PersonView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::people::{self as words, consent_receipt};
use crate::i18n::{Said, use_i18n};
use crate::ipc;

/// An `sms:` link carrying `text`, to `phone` if there is one.
fn sms_link(phone: Option<&str>, text: &str) -> String {
    let to: String = phone
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!(
        "sms:{to}?body={}",
        filrouge_model::invite::percent_encode(text)
    )
}

/// The receipt button and panel, and the withdrawal, for a person with a consent.
#[component]
pub fn ConsentReceipt(
    view_of: RwSignal<Option<PersonView>>,
    notice: RwSignal<Option<Said>>,
    v: PersonView,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(consent) = v.person.consent.clone() else {
        return ().into_any();
    };
    let phone = v.person.contact.as_ref().and_then(|c| c.phone.clone());
    // Stored, so the closures below are Copy and the receipt can be drawn again.
    let data = StoredValue::new((v.person.pseudonym.clone(), consent, phone));
    // The team's notice (who holds the data, whom to ask), read once from the store.
    let team_notice = RwSignal::new(None::<filrouge_model::NoticeDraft>);
    spawn_local(async move {
        if let Ok(n) = ipc::call(&filrouge_model::ipc::GetNotice {}).await {
            team_notice.set(n);
        }
    });
    let lines = move || {
        team_notice.with(|n| {
            data.with_value(|(name, c, _)| consent_receipt(i18n.lang(), name, c, n.as_ref()))
        })
    };
    let sms =
        move || data.with_value(|(_, _, phone)| sms_link(phone.as_deref(), &lines().join("\n")));
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let stored = StoredValue::new(v);
    let withdraw = move |_| {
        let PersonView { id, mut person, .. } = stored.get_value();
        person.consent = None;
        person.contact = None;
        busy.set(true);
        spawn_local(async move {
            let result = ipc::call(&UpdatePerson { id, draft: person }).await;
            busy.set(false);
            match result {
                Ok(v) => {
                    notice.set(Some(Said::Message(words::CONSENT_WITHDRAWN)));
                    view_of.set(Some(v));
                }
                Err(e) => notice.set(Some(Said::Error(e))),
            }
        });
    };
    view! {
        <div class="consent-receipt-actions no-print">
            <button type="button" id="receipt-show" class="secondary" on:click=move |_| open.update(|o| *o = !*o)>
                {move || i18n.t(words::RECEIPT_SHOW)}
            </button>
            <button type="button" id="consent-withdraw" class="secondary" disabled=move || busy.get() on:click=withdraw>
                {move || i18n.t(words::CONSENT_WITHDRAW)}
            </button>
        </div>
        <Show when=move || open.get()>
            <section id="consent-receipt" class="consent-receipt" aria-labelledby="receipt-heading">
                {
                    let lines = lines();
                    let (title, rest) = lines.split_first().map_or((String::new(), Vec::new()), |(t, r)| (t.clone(), r.to_vec()));
                    view! {
                        <h3 id="receipt-heading">{title}</h3>
                        {rest.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                    }
                }
                <div class="actions no-print">
                    <button type="button" id="receipt-print" on:click=move |_| crate::screens::print_alone("receipt")>
                        {move || i18n.t(words::RECEIPT_PRINT)}
                    </button>
                    <a id="receipt-sms" class="button secondary" href=sms>
                        {move || i18n.t(words::RECEIPT_SMS)}
                    </a>
                </div>
            </section>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_message_goes_to_the_persons_phone_with_the_receipt_encoded() {
        let link = sms_link(Some("06 12 34 56 78"), "Reçu : oui & non");
        assert_eq!(
            link,
            "sms:0612345678?body=Re%C3%A7u%20%3A%20oui%20%26%20non"
        );
        assert_eq!(sms_link(None, "a b"), "sms:?body=a%20b");
    }
}
