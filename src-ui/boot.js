// Starts the Fil rouge screen: loads the wasm module through wasm-bindgen's glue,
// which then runs the app's `main` (mounting the Leptos app on <body>).
// A separate file, not an inline script, so the CSP can stay "script-src 'self'".
import init from "./filrouge_ui.js";

init().catch((error) => {
    console.error("Fil rouge: the app could not start", error);
    // Without the wasm there are no Fluent files: the two sentences are here, in the
    // language chosen in the settings (src-ui/src/i18n/context.rs), French by default.
    let english = false;
    try {
        english = localStorage.getItem("filrouge.lang") === "en";
    } catch (_) {
        // No storage: French.
    }
    document.body.textContent = english
        ? "The app could not start. Close it and open it again; if it keeps happening, tell your coordinator."
        : "L'application n'a pas pu démarrer. Fermez-la et rouvrez-la ; si cela continue, prévenez votre coordinateur·rice.";
});
