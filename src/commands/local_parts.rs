//! `mailroute local-parts`: every address this configuration sends from or receives replies at,
//! per domain, including old aliases still in the history, so that an administrator can
//! whitelist them or set up redirects on the mail server.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Ctx;
use crate::address::{self, FilterPart};
use crate::cli::LocalPartsArgs;
use crate::error::{Error, Result};
use crate::output::{table, write_table, Human, Paint};
use crate::store;

#[derive(Debug, Serialize)]
struct LocalPart {
    domain: String,
    local_part: String,
    address: String,
    /// Why the address is listed: "bounce of example.com", "from-filter of server main", ...
    uses: Vec<String>,
    /// Only old aliases use it: it needs a redirect, not a whitelist entry.
    old: bool,
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct LocalParts(Vec<LocalPart>);

impl Human for LocalParts {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(
                out,
                "No local parts: add an alias domain or a server with an address filter."
            );
        }
        let mut t = table(["DOMAIN", "LOCAL PART", "USED AS"], paint);
        for part in &self.0 {
            let uses = part.uses.join("; ");
            t.add_row(vec![
                part.domain.clone(),
                part.local_part.clone(),
                if part.old {
                    format!("{uses} (needs a redirect)")
                } else {
                    uses
                },
            ]);
        }
        write_table(out, t)
    }
}

pub fn run(args: LocalPartsArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let conn = store.conn();
    // (domain, local part) -> (uses, whether any current use exists)
    let mut found: BTreeMap<(String, String), (Vec<String>, bool)> = BTreeMap::new();
    let mut add = |address: &str, usage: String, current: bool| {
        if let Some(at) = address.rfind('@') {
            let key = (address[at + 1..].to_lowercase(), address[..at].to_string());
            let entry = found.entry(key).or_default();
            if !entry.0.contains(&usage) {
                entry.0.push(usage);
            }
            entry.1 |= current;
        }
    };
    let domains = store::domains(conn)?;
    for domain in &domains {
        let id = format!("{} (#{})", domain.name, domain.id);
        if let Some(a) = domain.bounce_address() {
            add(&a, format!("bounce of {id}"), true);
        }
        if let Some(a) = domain.catchall_address() {
            add(&a, format!("catchall (Reply-To) of {id}"), true);
        }
        if let Some(a) = domain.notification_address() {
            add(&a, format!("default From of {id}"), true);
        }
    }
    for entry in store::alias_history(conn)? {
        let address = if entry.old_value.contains('@') {
            entry.old_value.clone()
        } else {
            format!("{}@{}", entry.old_value, entry.domain)
        };
        add(
            &address,
            format!(
                "old {} alias of {} (#{}), until {}",
                entry.alias, entry.domain, entry.domain_id, entry.changed_at
            ),
            false,
        );
    }
    for server in store::servers(conn)? {
        for part in server.from_filter.parts() {
            if let FilterPart::Address(a) = part {
                add(a, format!("from-filter of server {}", server.name), true);
            }
        }
    }
    if let Some(email_from) = store::settings(conn)?.email_from {
        if let Some(a) = address::normalize(&email_from) {
            add(&a, "setting email-from".into(), true);
        }
    }
    if let Some(wanted) = &args.domain {
        let wanted = wanted.to_lowercase();
        if !found.keys().any(|(d, _)| *d == wanted) {
            let mut names: Vec<String> = found.keys().map(|(d, _)| d.clone()).collect();
            names.dedup();
            return Err(Error::not_found(
                "domain",
                &wanted,
                "domains with local parts",
                &names,
            ));
        }
        found.retain(|(d, _), _| *d == wanted);
    }
    let parts = found
        .into_iter()
        .map(|((domain, local_part), (uses, current))| LocalPart {
            address: format!("{local_part}@{domain}"),
            domain,
            local_part,
            uses,
            old: !current,
        })
        .collect();
    ctx.printer.report(&LocalParts(parts))
}
