//! An encryption stopped at a chosen step, for the migration crash test: encrypts the
//! plaintext store at `argv[1]` with the hex key `argv[2]`, and when step `argv[3]` (its
//! `Debug` name) has ended, prints that name and waits on stdin forever, so that the
//! test kills it with SIGKILL exactly there.

use std::io::{BufRead as _, Write as _};

use filrouge_core::vault::{DataKey, migrate};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, key, stop] = args.as_slice() else {
        anyhow::bail!("usage: encrypt-store <store file> <hex key> <step>");
    };
    let bytes: [u8; 32] = hex::decode(key)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key is 32 bytes"))?;
    let key = DataKey::from_bytes(bytes);
    migrate::encrypt_plaintext(std::path::Path::new(path), &key, &mut |step| {
        if format!("{step:?}") == *stop {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{step:?}");
            let _ = out.flush();
            // Blocks until killed.
            let _ = std::io::stdin().lock().lines().next();
        }
    })?;
    println!("finished");
    Ok(())
}
