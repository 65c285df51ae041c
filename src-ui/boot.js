// Starts the Fil rouge screen: loads the wasm module through wasm-bindgen's glue,
// which then runs the app's `main` (mounting the Leptos app on <body>).
// A separate file, not an inline script, so the CSP can stay "script-src 'self'".
import init from "./filrouge_ui.js";

init().catch((error) => {
    console.error("Fil rouge: the app could not start", error);
    document.body.textContent =
        "L'application n'a pas pu démarrer. Fermez-la et rouvrez-la ; si cela continue, prévenez votre coordinateur·rice.";
});
