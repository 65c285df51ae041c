//! `filrouge`: the command-line tool of Fil rouge.
//!
//! - `filrouge serve` runs the team server on a SQLite file in `--data DIR` (default: the
//!   current directory). On start it makes sure a team exists and prints the address
//!   and a fresh single-use enrolment code, so a coordinator can enrol the first phone.
//! - `filrouge code` prints another enrolment code for the same data directory.
//! - `filrouge backup --data DIR --out FILE` copies the server's database while it runs;
//!   `filrouge restore --data DIR FILE` puts a copy back (server stopped), giving each
//!   team log a new identity so that devices send back what the copy lacks.
//! - `filrouge generate --data DIR --records N` fills a device store with made-up
//!   records, to try the app at scale (the app must be closed).
//! - `filrouge rebuild --data DIR` rebuilds a device store's projection tables from its
//!   documents (the app must be closed).
//! - `filrouge export --data DIR --period 2026-11 --format xlsx --out FILE` exports a
//!   coordinator's records; `filrouge report --data DIR --year 2026 --out FILE.xlsx`
//!   writes the funder's table (small counts hidden), as the app's buttons do;
//!   `filrouge import --data DIR FILE [--dry-run]` imports the team's spreadsheet.
//! - `filrouge bench store` measures the local store at 1,000 to 100,000 records next to
//!   plain SQLite (build with `--release`).
//! - `filrouge bench sync` measures a fresh device's full pull (records/s, bytes on the
//!   wire next to gzipped JSON) and the steady state, against a server on loopback.
//! - `filrouge bench heal` times a team of devices putting an emptied server back.
//! - `filrouge bench coord` measures the coordination space on 100,000 records: a
//!   month's dashboard, a year's funder table, an XLSX export, an import.
//! - `filrouge bench load` puts a server on loopback under 200 devices pushing and
//!   pulling at once: changes/s ingested and request latency, next to plain SQLite.
//!
//! The binary is thin: everything it does is a call into `filrouge-server` or
//! `filrouge-core`. Logs go to stderr (`FILROUGE_LOG` sets the filter; benchmarks log
//! warnings only by default) and carry ids only; what a person reads goes to stdout.

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod backup;
mod bench_access;
mod bench_conflicts;
mod bench_coord;
mod bench_dups;
mod bench_heal;
mod bench_load;
mod bench_merge;
mod bench_seal;
mod bench_store;
mod bench_sync;
mod device;
mod dictionary;
mod fill;
mod generate;
mod load_changes;
mod load_device;
mod load_report;
mod load_servers;
mod loopback;
mod stats;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use filrouge_server::{Role, TeamServer, TlsIdentity};

/// The team server's database file inside its data directory.
const SERVER_DB: &str = "filrouge-server.sqlite";
/// The name given to the team created on first start.
const DEFAULT_TEAM: &str = "Mon équipe";

#[derive(Parser, Debug)]
#[command(
    name = "filrouge",
    version,
    about = "Fil rouge : outils en ligne de commande"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Runs the team server.
    Serve {
        /// Directory of the server's SQLite file (created if missing).
        #[arg(long, env = "FILROUGE_SERVER_DATA", default_value = ".")]
        data: PathBuf,
        /// Address to listen on. Use 0.0.0.0:8787 to let phones on the local network in;
        /// port 0 picks a free port.
        #[arg(long, env = "FILROUGE_LISTEN", default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// A certificate chain from a public CA (PEM), instead of the server's own.
        #[arg(long, env = "FILROUGE_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of `--tls-cert` (PEM).
        #[arg(long, env = "FILROUGE_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Plain HTTP, no TLS: device tokens and records travel in clear. Only for a
        /// server behind a TLS proxy on the same machine (devices refuse `http://` to
        /// any other machine).
        #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
        insecure_http: bool,
        /// Serves the operator's metrics (`GET /metrics`, Prometheus text; ids and
        /// counts, no names) over plain HTTP on this address, e.g. 127.0.0.1:9187.
        #[arg(long, env = "FILROUGE_METRICS_LISTEN")]
        metrics_listen: Option<SocketAddr>,
        /// Keeps the teams in this PostgreSQL database instead of the SQLite file, e.g.
        /// `host=/run/postgresql dbname=filrouge` (a Unix socket or a loopback address:
        /// the connection carries no TLS). Several `filrouge serve` may share it.
        #[arg(long, env = "FILROUGE_POSTGRES")]
        postgres: Option<String>,
        /// The address devices reach the server at, for the invitation link, e.g.
        /// `https://serveur.example.org:8787` (default: the listening address, which
        /// is no use to a phone when it is 0.0.0.0).
        #[arg(long, env = "FILROUGE_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Prints a new single-use enrolment code for the team.
    Code {
        /// Directory of the server's SQLite file.
        #[arg(long, env = "FILROUGE_SERVER_DATA", default_value = ".")]
        data: PathBuf,
        /// The role the enrolled device gets.
        #[arg(long, value_enum, default_value_t = RoleArg::Intervenant)]
        role: RoleArg,
        /// The server's PostgreSQL database, if it keeps its teams there.
        #[arg(long, env = "FILROUGE_POSTGRES")]
        postgres: Option<String>,
    },
    /// Copies the server's database to FILE while the server runs (SQLite online backup).
    Backup {
        /// Directory of the server's SQLite file.
        #[arg(long, env = "FILROUGE_SERVER_DATA", default_value = ".")]
        data: PathBuf,
        /// The backup file to write (replaced once the new copy is complete).
        #[arg(long)]
        out: PathBuf,
    },
    /// Puts a backup back in place of the server's database; the server must be stopped.
    /// Each team log gets a new identity, so devices send back what the backup lacks.
    Restore {
        /// Directory of the server's SQLite file (created if missing: a new machine).
        #[arg(long, env = "FILROUGE_SERVER_DATA", default_value = ".")]
        data: PathBuf,
        /// The backup file, written by `filrouge backup`.
        #[arg(required_unless_present = "postgres", conflicts_with = "postgres")]
        file: Option<PathBuf>,
        /// After `pg_restore` of a PostgreSQL server's dump (servers stopped): gives each
        /// team's log a new identity, as a SQLite restore does.
        #[arg(long, env = "FILROUGE_POSTGRES")]
        postgres: Option<String>,
    },
    /// Benchmarks (run a release build: `cargo run --release -p filrouge-cli -- bench store`).
    Bench {
        #[command(subcommand)]
        what: Bench,
    },
    /// Fills a device store with made-up records, to try the app at scale.
    Generate {
        /// The device's data directory (created if missing; the app must be closed).
        #[arg(long, env = "FILROUGE_DATA_DIR")]
        data: PathBuf,
        /// How many records to add.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Seed of the made-up data (the same seed makes the same records).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Rebuilds a device store's projection tables from its documents.
    Rebuild {
        /// The device's data directory (the one holding `filrouge.sqlite`).
        #[arg(long, env = "FILROUGE_DATA_DIR")]
        data: PathBuf,
    },
    /// Exports a period's rencontres (and persons met) from a coordinator's store,
    /// pseudonymised unless `--personal` (a sealed store reads FILROUGE_PASSPHRASE).
    Export {
        /// The device's data directory (the app must be closed).
        #[arg(long, env = "FILROUGE_DATA_DIR")]
        data: PathBuf,
        /// 2026, 2026-T4, 2026-11, or 2026-11-01..2026-11-15.
        #[arg(long)]
        period: String,
        /// The file format.
        #[arg(long, value_enum, default_value_t = FormatArg::Xlsx)]
        format: FormatArg,
        /// Include last names, contact means (where the person agreed to be contacted), notes and needs.
        #[arg(long)]
        personal: bool,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Imports persons or rencontres from a CSV or XLSX file into a coordinator's store:
    /// every row or, while one is refused, none (the refused rows are listed).
    Import {
        /// The device's data directory (the app must be closed).
        #[arg(long, env = "FILROUGE_DATA_DIR")]
        data: PathBuf,
        /// The spreadsheet.
        file: PathBuf,
        /// What the rows are (guessed from the headers otherwise).
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Check every row, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the funder's table of a year (small counts hidden) to a workbook.
    Report {
        /// The device's data directory (the app must be closed).
        #[arg(long, env = "FILROUGE_DATA_DIR")]
        data: PathBuf,
        /// The year.
        #[arg(long)]
        year: i32,
        /// The workbook to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// What an imported file's rows are.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum KindArg {
    /// One person per row.
    Personnes,
    /// One rencontre per row.
    Rencontres,
}

/// The export formats, as the command line names them.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    /// An Excel workbook.
    Xlsx,
    /// CSV for French Excel.
    Csv,
}

#[derive(Subcommand, Debug)]
enum Bench {
    /// Trains the dictionary sealed batches are compressed with, from generated
    /// records (a maintainer's tool: the committed file never changes).
    #[command(hide = true)]
    Dictionary {
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// The access log: one entry appended, and a log of 1,000,000 entries verified,
    /// next to plain SQLite.
    Access {
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The coordination space: a month's dashboard, a year's funder table, an XLSX
    /// export of 100,000 rows and an import of 10,000, on a store of `records`.
    Coord {
        /// Records in the store (made as `filrouge generate` makes them).
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Measure the duplicate finder, merges and the conflicts queue only.
        #[arg(long)]
        duplicates_only: bool,
    },
    /// The local store: create, edit, queries, open, rebuild, disk, next to plain SQLite.
    Store {
        /// Record counts to measure, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        sizes: Vec<usize>,
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Keep the store files afterwards, to inspect them.
        #[arg(long)]
        keep: bool,
    },
    /// The sync protocol on loopback: a fresh device's full pull, and the steady state.
    Sync {
        /// Records a fresh device pulls.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Records two devices already share in the steady-state run.
        #[arg(long, default_value_t = 20_000)]
        shared: usize,
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// A team begun in clear sealing its history: the history sent back sealed, and
    /// pulled by a device invited afterwards, beside the same history in clear.
    Seal {
        /// Records the team's history holds.
        #[arg(long, default_value_t = 20_000)]
        records: usize,
        /// Where the scratch stores go (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// A team putting an emptied server back: every device sends back what it holds.
    Heal {
        /// Devices of the team.
        #[arg(long, default_value_t = 5)]
        devices: usize,
        /// Records each device makes.
        #[arg(long, default_value_t = 20_000)]
        records: usize,
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The team server under many devices pushing and pulling at once, next to plain SQLite.
    Load {
        /// Devices syncing at once, each with its own enrolment and token.
        #[arg(long, default_value_t = 200)]
        devices: usize,
        /// How long they sync.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Then runs it again with every device sealing its changes end to end (in
        /// batches, under one team key), and prints the two ingests side by side.
        #[arg(long)]
        sealed: bool,
        /// The servers' databases, run one after the other on the same pages and
        /// printed side by side, e.g. `sqlite,postgres`.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "sqlite")]
        backend: Vec<load_servers::Backend>,
        /// Servers sharing the PostgreSQL database (SQLite runs one).
        #[arg(long, default_value_t = 1)]
        servers: usize,
        /// Teams the devices are spread over (e.g. 20 teams of 10 devices).
        #[arg(long, default_value_t = 1)]
        teams: usize,
        /// The PostgreSQL cluster to make a scratch database on (`key=value`
        /// settings); default: FILROUGE_TEST_POSTGRES, which scripts/with-postgres.sh
        /// sets.
        #[arg(long)]
        postgres: Option<String>,
        /// Scratch directory (default: the system's temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    /// An outreach worker's phone.
    Intervenant,
    /// A coordinator's laptop.
    Coordinateur,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Intervenant => Role::Intervenant,
            RoleArg::Coordinateur => Role::Coordinateur,
        }
    }
}

/// Automerge allocates a lot of small objects when it loads and applies documents;
/// mimalloc serves those faster than the system allocator (see the rebuild figures in
/// docs/ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // A benchmark's servers answer thousands of requests a second, each an access-log
    // line at `info` (10 MB on stderr in a 30 s `bench load`): benchmarks print their
    // tables on stdout and log warnings only, unless `FILROUGE_LOG` asks for more.
    let default_filter = match cli.command {
        Command::Bench { .. } => "warn",
        _ => filrouge_core::DEFAULT_LOG_FILTER,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FILROUGE_LOG")
                .unwrap_or_else(|_| default_filter.into()),
        )
        .init();
    match cli.command {
        Command::Serve {
            data,
            listen,
            tls_cert,
            tls_key,
            insecure_http,
            metrics_listen,
            postgres,
            public_url,
        } => {
            let tls = match (tls_cert, tls_key, insecure_http) {
                (_, _, true) => Tls::Insecure,
                (Some(cert), Some(key), false) => Tls::Ca { cert, key },
                _ => Tls::SelfMade,
            };
            serve(
                &data,
                postgres.as_deref(),
                listen,
                tls,
                metrics_listen,
                public_url,
            )
        }
        Command::Code {
            data,
            role,
            postgres,
        } => {
            let server = open(&data, postgres.as_deref())?;
            let team = server.ensure_team(DEFAULT_TEAM)?;
            let code = server.create_enrolment_code(&team.id, role.into())?;
            println!("{code}");
            Ok(())
        }
        Command::Backup { data, out } => backup::backup(&data.join(SERVER_DB), &out),
        Command::Restore {
            data,
            file,
            postgres,
        } => match (file, postgres) {
            (Some(file), _) => {
                std::fs::create_dir_all(&data)
                    .with_context(|| format!("creating the data directory {}", data.display()))?;
                let _lock = backup::lock(&data)?;
                backup::restore(&file, &data.join(SERVER_DB))
            }
            (None, Some(url)) => backup::renew_postgres_logs(&url),
            (None, None) => anyhow::bail!("give the backup FILE, or --postgres URL"),
        },
        Command::Bench {
            what:
                Bench::Coord {
                    records,
                    dir,
                    duplicates_only,
                },
        } => bench_coord::run(
            records,
            &dir.unwrap_or_else(std::env::temp_dir),
            duplicates_only,
        ),
        Command::Bench {
            what: Bench::Dictionary { out },
        } => dictionary::run(&out),
        Command::Bench {
            what: Bench::Access { dir },
        } => bench_access::run(&dir.unwrap_or_else(std::env::temp_dir)),
        Command::Bench {
            what: Bench::Store { sizes, dir, keep },
        } => bench_store::run(&sizes, &dir.unwrap_or_else(std::env::temp_dir), keep),
        Command::Bench {
            what:
                Bench::Sync {
                    records,
                    shared,
                    dir,
                },
        } => bench_sync::run(records, shared, &dir.unwrap_or_else(std::env::temp_dir)),
        Command::Bench {
            what: Bench::Seal { records, dir },
        } => bench_seal::run(records, &dir.unwrap_or_else(std::env::temp_dir)),
        Command::Bench {
            what:
                Bench::Heal {
                    devices,
                    records,
                    dir,
                },
        } => bench_heal::run(devices, records, &dir.unwrap_or_else(std::env::temp_dir)),
        Command::Bench {
            what:
                Bench::Load {
                    devices,
                    seconds,
                    sealed,
                    backend,
                    servers,
                    teams,
                    postgres,
                    dir,
                },
        } => bench_load::run(&bench_load::Options {
            devices,
            seconds,
            sealed,
            backends: backend,
            servers,
            teams,
            postgres,
            dir: dir.unwrap_or_else(std::env::temp_dir),
        }),
        Command::Generate {
            data,
            records,
            seed,
        } => fill::run(records, &data, seed),
        Command::Export {
            data,
            period,
            format,
            personal,
            out,
        } => {
            let format = match format {
                FormatArg::Xlsx => filrouge_model::ipc::ExportFormat::Xlsx,
                FormatArg::Csv => filrouge_model::ipc::ExportFormat::Csv,
            };
            device::export(&data, &period, format, personal, &out)
        }
        Command::Report { data, year, out } => device::report(&data, year, &out),
        Command::Import {
            data,
            file,
            kind,
            dry_run,
        } => {
            let kind = kind.map(|k| match k {
                KindArg::Personnes => filrouge_model::import::ImportKind::Personnes,
                KindArg::Rencontres => filrouge_model::import::ImportKind::Rencontres,
            });
            device::import(&data, &file, kind, dry_run)
        }
        Command::Rebuild { data } => {
            let path = data.join(filrouge_core::STORE_FILE);
            anyhow::ensure!(path.is_file(), "no store at {}", path.display());
            let mut store = filrouge_core::Store::open(&path, filrouge_core::Env::default())?;
            let started = std::time::Instant::now();
            let report = store.rebuild_projections()?;
            println!(
                "Projections reconstruites : {} documents, {} mis en quarantaine, en {:.2?}",
                report.documents,
                report.quarantined,
                started.elapsed()
            );
            Ok(())
        }
    }
}

/// The server on its database: PostgreSQL at `postgres` if given, else the SQLite file
/// in `data`.
fn open(data: &Path, postgres: Option<&str>) -> anyhow::Result<TeamServer> {
    if let Some(url) = postgres {
        return TeamServer::connect_postgres(url).context("connecting to PostgreSQL");
    }
    std::fs::create_dir_all(data)
        .with_context(|| format!("creating the data directory {}", data.display()))?;
    let path = data.join(SERVER_DB);
    TeamServer::open_sqlite(&path).with_context(|| format!("opening {}", path.display()))
}

/// How `filrouge serve` speaks to devices.
enum Tls {
    /// HTTPS with the server's own certificate, which devices pin.
    SelfMade,
    /// HTTPS with a public CA's certificate, which devices check against their roots.
    Ca { cert: PathBuf, key: PathBuf },
    /// Plain HTTP (`--insecure-http`).
    Insecure,
}

fn serve(
    data: &Path,
    postgres: Option<&str>,
    listen: SocketAddr,
    tls: Tls,
    metrics: Option<SocketAddr>,
    public_url: Option<String>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(data)
        .with_context(|| format!("creating the data directory {}", data.display()))?;
    // Held until the process ends: `filrouge restore` refuses to run meanwhile. Not
    // with PostgreSQL, where several processes share the database (and the restore
    // is PostgreSQL's own).
    let _lock = match postgres {
        None => Some(backup::lock(data)?),
        Some(_) => None,
    };
    let server = open(data, postgres)?;
    let team = server.ensure_team(DEFAULT_TEAM)?;
    let code = server.create_enrolment_code(&team.id, Role::Coordinateur)?;
    let identity = match &tls {
        Tls::SelfMade => Some(TlsIdentity::self_made(data)?),
        Tls::Ca { cert, key } => Some(TlsIdentity::from_pem(cert, key)?),
        Tls::Insecure => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("listening on {listen}"))?;
        let address = listener.local_addr()?;
        if let Some(metrics) = metrics {
            let listener = tokio::net::TcpListener::bind(metrics)
                .await
                .with_context(|| format!("listening on {metrics} for the metrics"))?;
            let server = server.clone();
            // Runs as long as the server does: the runtime ends with it.
            tokio::spawn(async move {
                if let Err(e) = filrouge_server::serve_metrics(listener, server).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
        }
        let scheme = if identity.is_some() { "https" } else { "http" };
        let url = match public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("{scheme}://{address}"),
        };
        // The pin goes in the link only for the server's own certificate: a CA's is
        // checked against the devices' roots.
        let pin = match (&tls, &identity) {
            (Tls::SelfMade, Some(identity)) => Some(identity.fingerprint.as_str()),
            _ => None,
        };
        let mut banner = format!(
            "Serveur Fil rouge prêt : {url}\nÉquipe : {} ({})\n\
             Code d'association (usage unique, valable 7 jours) : {code}\n",
            team.name, team.id
        );
        if let Some(identity) = &identity {
            banner += &format!(
                "Empreinte du certificat (SHA-256) : {}\n",
                identity.fingerprint
            );
        }
        banner += &format!(
            "Lien d'invitation (à coller dans l'application) : {}\n\
             Autres codes : filrouge code {}\n",
            filrouge_model::invite::invite_link(&url, &code, pin, None),
            // The database's address may hold a password: not printed.
            match postgres {
                Some(_) => "--postgres URL (la même base)".to_owned(),
                None => format!("--data {}", data.display()),
            }
        );
        if identity.is_none() {
            banner += "ATTENTION : HTTP sans chiffrement (--insecure-http).\n";
        }
        if url.contains("://0.0.0.0") || url.contains("://[::]") {
            banner += "ATTENTION : le lien nomme 0.0.0.0, qu'aucun téléphone ne joint : \
                       indiquez l'adresse publique avec --public-url \
                       (FILROUGE_PUBLIC_URL).\n";
        }
        // Whoever reads it may stop reading (a pipe closed early): the server runs on.
        let _ = std::io::Write::write_all(&mut std::io::stdout(), banner.as_bytes());
        let shutdown = async {
            // Ctrl-C ends the server after in-flight requests finish.
            let _ = tokio::signal::ctrl_c().await;
        };
        match identity {
            Some(identity) => {
                filrouge_server::serve_tls(listener, server, &identity, shutdown).await?
            }
            None => filrouge_server::serve(listener, server, shutdown).await?,
        }
        Ok(())
    })
}
