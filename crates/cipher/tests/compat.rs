//! Files written through SQLCipher's own (OpenSSL) provider open through this crate's,
//! and the reverse: same cipher, same HMAC, same key derivation, byte for byte the same
//! format. A provider is process-wide, so SQLCipher's own side runs in a child process
//! (this test binary again, on its ignored test).
// A test binary: its helpers' failed `expect` is a failed test with its line, as in
// the tests themselves (clippy.toml allows it there, not in helpers).
#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use rusqlite::Connection;

/// A raw 256-bit key, as the device store's (`vault::apply_key`).
const KEY: &str = "x'603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'";
const ROWS: i64 = 2_000;
const SIDE: &str = "FILROUGE_CIPHER_SIDE";

fn keyed(path: &Path, key: &str) -> Connection {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(&format!(
        "PRAGMA key = \"{key}\"; PRAGMA cipher_hmac_algorithm = HMAC_SHA256;"
    ))
    .expect("key");
    conn
}

fn provider(conn: &Connection) -> String {
    conn.query_row("PRAGMA cipher_provider", [], |r| r.get(0))
        .expect("provider")
}

/// Rows over many pages, in WAL mode as the store is, then checkpointed into the file.
fn write(path: &Path) -> String {
    let conn = keyed(path, KEY);
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("wal");
    conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        .expect("table");
    for n in 0..ROWS {
        conn.execute(
            "INSERT INTO t (n, note) VALUES (?1, ?2)",
            rusqlite::params![n, format!("rencontre {n} ").repeat(8)],
        )
        .expect("insert");
    }
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    provider(&conn)
}

/// Every page's HMAC checked, every row read back; the provider that did it.
fn read(path: &Path) -> String {
    let conn = keyed(path, KEY);
    let failures: Vec<String> = conn
        .prepare("PRAGMA cipher_integrity_check")
        .expect("check")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(failures.is_empty(), "pages failed their HMAC: {failures:?}");
    let (count, last): (i64, String) = conn
        .query_row(
            "SELECT count(*), max(note) FROM t WHERE n = ?1 OR n < ?1",
            [ROWS - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("read");
    assert_eq!(count, ROWS);
    assert!(last.starts_with("rencontre "));
    provider(&conn)
}

/// SQLCipher's own provider's side, in a process of its own.
#[test]
#[ignore = "run by both_providers_read_each_others_files, in a child process"]
fn sqlcipher_own_provider_side() {
    let Ok(side) = std::env::var(SIDE) else {
        return;
    };
    let (action, path) = side.split_once(':').expect("action:path");
    let used = match action {
        "write" => write(Path::new(path)),
        _ => read(Path::new(path)),
    };
    assert_eq!(
        used, "openssl",
        "the child must run SQLCipher's own provider"
    );
}

fn on_sqlcipher_own(action: &str, path: &Path) {
    let status = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "sqlcipher_own_provider_side",
            "--test-threads=1",
        ])
        .env(SIDE, format!("{action}:{}", path.display()))
        .status()
        .expect("child");
    assert!(
        status.success(),
        "SQLCipher's own provider failed to {action}"
    );
}

#[test]
fn both_providers_read_each_others_files() {
    let dir = tempfile::tempdir().expect("dir");
    let theirs = dir.path().join("openssl.sqlite");
    let ours = dir.path().join("rustcrypto.sqlite");
    on_sqlcipher_own("write", &theirs);

    filrouge_cipher::install().expect("installed");
    assert_eq!(read(&theirs), "rustcrypto");
    assert_eq!(write(&ours), "rustcrypto");
    on_sqlcipher_own("read", &ours);

    // A wrong key is refused through this provider too, and nothing is overwritten.
    let before = std::fs::read(&ours).expect("file");
    let wrong = keyed(&ours, &KEY.replace("603d", "603e"));
    let refused = wrong.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0));
    assert_eq!(
        refused.err().and_then(|e| e.sqlite_error_code()),
        Some(rusqlite::ErrorCode::NotADatabase)
    );
    drop(wrong);
    assert_eq!(std::fs::read(&ours).expect("file"), before);
}
