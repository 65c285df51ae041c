//! `filrouge export`, `report` and `import` as a coordinator runs them: real processes on
//! a store made by `filrouge generate`, and on one sealed with a passphrase (read from
//! `FILROUGE_PASSPHRASE`, never from the command line). The files are read back.

use std::process::{Command, Output};

use filrouge_core::vault::{Protection, Vault};
use filrouge_core::{Clock, Env, STORE_FILE, Store, SystemClock};
use filrouge_model::{Channel, Day, RencontreDraft};

const BIN: &str = env!("CARGO_BIN_EXE_filrouge");

fn run(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Output> {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("FILROUGE_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Ok(cmd.output()?)
}

fn ok(out: Output) -> anyhow::Result<String> {
    anyhow::ensure!(
        out.status.success(),
        "filrouge failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

#[test]
fn a_generated_store_exports_to_csv_and_a_funders_workbook() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("laptop");
    let data_s = data.to_string_lossy().into_owned();
    ok(run(
        &["generate", "--data", &data_s, "--records", "400"],
        &[],
    )?)?;
    let year = Day::from_epoch_ms(SystemClock.now_ms()).year().to_string();
    let csv = dir.path().join("rencontres.csv");
    let csv_s = csv.to_string_lossy().into_owned();
    let said = ok(run(
        &[
            "export", "--data", &data_s, "--period", &year, "--format", "csv", "--out", &csv_s,
        ],
        &[],
    )?)?;
    assert!(said.starts_with("Fichier écrit : "), "{said}");
    let text = std::fs::read_to_string(&csv)?;
    assert!(text.starts_with("\u{feff}Identifiant;Date et heure (UTC);Canal;"));
    assert!(text.lines().count() > 10, "the year's rencontres");
    assert!(!text.contains("Note"), "pseudonymised by default");

    let report = dir.path().join("financeur.xlsx");
    ok(run(
        &[
            "report",
            "--data",
            &data_s,
            "--year",
            &year,
            "--out",
            &report.to_string_lossy(),
        ],
        &[],
    )?)?;
    assert!(std::fs::metadata(&report)?.len() > 1000);

    // A period that is not one is said, with the forms it may take.
    let bad = run(
        &[
            "export", "--data", &data_s, "--period", "novembre", "--out", "x.xlsx",
        ],
        &[],
    )?;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-11"));
    Ok(())
}

#[test]
fn a_sealed_store_opens_with_its_passphrase_only() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("laptop");
    std::fs::create_dir_all(&data)?;
    let path = data.join(STORE_FILE);
    let passphrase = "une phrase de passe assez longue";
    let (_vault, key) = Vault::create(&path, Protection::Passphrase, passphrase, None)?;
    {
        let mut store = Store::open_encrypted(&path, &key, Env::default())?;
        store.create_rencontre(RencontreDraft {
            channel: Channel::Maraude,
            place: "Gare".into(),
            headcount: 3,
            ..Default::default()
        })?;
    }
    let data_s = data.to_string_lossy().into_owned();
    let out = dir.path().join("mois.xlsx");
    let out_s = out.to_string_lossy().into_owned();
    let month = {
        let (y, m, _) = Day::from_epoch_ms(SystemClock.now_ms()).ymd();
        format!("{y}-{m:02}")
    };
    let args = [
        "export", "--data", &data_s, "--period", &month, "--out", &out_s,
    ];
    let refused = run(&args, &[])?;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("FILROUGE_PASSPHRASE"));
    let wrong = run(
        &args,
        &[("FILROUGE_PASSPHRASE", "pas la bonne phrase du tout")],
    )?;
    assert!(!wrong.status.success());
    assert!(!out.exists());
    let said = ok(run(&args, &[("FILROUGE_PASSPHRASE", passphrase)])?)?;
    assert!(said.contains("(1 ligne)"), "one rencontre: {said}");
    assert!(out.is_file());
    Ok(())
}

#[test]
fn a_spreadsheet_is_checked_then_imported_once() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("laptop");
    std::fs::create_dir_all(&data)?;
    drop(Store::open(&data.join(STORE_FILE), Env::default())?);
    let data_s = data.to_string_lossy().into_owned();
    let file = dir.path().join("equipe.csv");
    let file_s = file.to_string_lossy().into_owned();
    std::fs::write(
        &file,
        "Date;Canal;Lieu;Nombre\n01/10/2026;Maraude;Gare;3\n02/10/2026;Vélo;Gare;2\n",
    )?;
    let refused = run(&["import", "--data", &data_s, &file_s], &[])?;
    assert!(!refused.status.success());
    let said = String::from_utf8(refused.stdout)?;
    assert!(
        said.contains("ligne 3, colonne « Canal » : valeur inconnue « Vélo »"),
        "{said}"
    );
    std::fs::write(
        &file,
        "Date;Canal;Lieu;Nombre\n01/10/2026;Maraude;Gare;3\n02/10/2026;Porte-à-porte;Gare;2\n",
    )?;
    let dry = ok(run(
        &["import", "--data", &data_s, &file_s, "--dry-run"],
        &[],
    )?)?;
    assert!(
        dry.contains("2 lignes lues, 2 à créer, 0 déjà importées."),
        "{dry}"
    );
    let done = ok(run(&["import", "--data", &data_s, &file_s], &[])?)?;
    assert!(
        done.contains("2 lignes lues, 2 créées, 0 déjà importées."),
        "{done}"
    );
    let again = ok(run(&["import", "--data", &data_s, &file_s], &[])?)?;
    assert!(again.contains("0 créées, 2 déjà importées."), "{again}");
    let store = Store::open(&data.join(STORE_FILE), Env::default())?;
    assert_eq!(store.list_rencontres_since(0)?.len(), 2);
    Ok(())
}
