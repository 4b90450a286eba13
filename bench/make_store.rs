//! Builds a benchmark store and a senders file: `cargo run --release --example bench-store --
//! STORE SERVERS SENDERS_FILE COUNT`. Used by `bench/route.sh`; goes through the real store API.

#[path = "workload.rs"]
mod workload;

use std::io::{BufWriter, Write};
use std::path::Path;

use mailroute::address::FromFilter;
use mailroute::model::{PasswordSource, Server, SettingKey};
use mailroute::smtp_url::Security;
use mailroute::store::{self, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, servers, senders_file, count] = args.as_slice() else {
        return Err("usage: bench-store STORE SERVERS SENDERS_FILE COUNT".into());
    };
    let servers: usize = servers.parse()?;
    let count: usize = count.parse()?;
    let _ = std::fs::remove_file(db);
    let mut store = Store::open(Path::new(db))?;
    store.write(|tx| {
        for domain in workload::domains() {
            store::add_domain(tx, &domain)?;
        }
        for i in 0..servers {
            let server = Server {
                id: 0,
                name: format!("srv{i}"),
                host: "127.0.0.1".into(),
                port: 25,
                security: Security::None,
                user: None,
                password: PasswordSource::None,
                from_filter: FromFilter::parse(&workload::server_filter(i)).expect("valid filter"),
                priority: (i % 13) as i64,
                enabled: i % 17 != 5,
                ca_file: None,
                insecure: false,
                timeout_secs: None,
                allow_plaintext_auth: false,
                auth_mechanism: None,
                client_cert: None,
                client_key: None,
                limits: Default::default(),
            };
            store::add_server(tx, &server)?;
        }
        store::set_setting(
            tx,
            SettingKey::EmailFrom,
            workload::settings().email_from.as_deref(),
        )?;
        Ok(())
    })?;
    let mut out = BufWriter::new(std::fs::File::create(senders_file)?);
    let mut rng = workload::Rng::new(42);
    for _ in 0..count {
        writeln!(out, "{}", workload::sender(&mut rng, servers))?;
    }
    out.flush()?;
    Ok(())
}
