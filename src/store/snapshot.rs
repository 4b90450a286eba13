//! The one adapter between the store and the routing core: it loads the configuration that
//! routing reads, in one read transaction so that it is consistent while others write.
//!
//! Two shapes: [`Store::snapshot`] loads everything (for `route --stdin`, where any sender may
//! come), and [`Store::snapshot_for`] loads only what one request can look at (for a one-shot
//! `route`, which must stay fast with ten thousand servers). Both give the routing core the same
//! kind of [`Snapshot`], and the same decision for that request.

use rusqlite::{params_from_iter, Connection};

use super::objects::{self, address_key, domain_key, UNFILTERED_KEY};
use super::Store;
use crate::address::{self, FromFilter, ParsedFrom};
use crate::error::{Error, Result};
use crate::model::{AliasDomain, Company, Settings};
use crate::routing::{Request, RouteServer, Snapshot};

impl Store {
    /// The whole configuration, for routing any sender.
    pub fn snapshot(&self) -> Result<Snapshot> {
        self.in_read_transaction(|conn| {
            let servers = load_servers(conn, "", &[])?;
            Snapshot::new(
                objects::domains(conn)?,
                objects::companies(conn)?,
                servers,
                &objects::settings(conn)?,
            )
        })
    }

    /// The whole configuration with the servers a run found unreachable (name → why), so that
    /// routing passes them over to the next acceptable server, and its trace says why.
    pub fn snapshot_without(
        &self,
        unreachable: &std::collections::HashMap<String, String>,
    ) -> Result<Snapshot> {
        self.in_read_transaction(|conn| {
            let mut servers = load_servers(conn, "", &[])?;
            for server in &mut servers {
                server.unreachable = unreachable.get(&server.name).cloned();
            }
            Snapshot::new(
                objects::domains(conn)?,
                objects::companies(conn)?,
                servers,
                &objects::settings(conn)?,
            )
        })
    }

    /// The part of the configuration that routing `request` can look at.
    ///
    /// Routing reads servers only through: the forced server (by name); the servers whose filter
    /// has the sender's address or domain, or the notification address or its domain (for every
    /// alias domain that can be the context); the unfiltered servers; and the first enabled
    /// server. Loading exactly those, in the same order, gives the same decision and trace as
    /// the whole configuration. Where a name is unknown, the error must list every valid name,
    /// so that case falls back to the whole configuration.
    pub fn snapshot_for(&self, request: &Request<'_>) -> Result<Snapshot> {
        let partial = self.in_read_transaction(|conn| load_for(conn, request))?;
        match partial {
            Some(snapshot) => Ok(snapshot),
            None => self.snapshot(),
        }
    }

    fn in_read_transaction<T>(&self, load: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        conn.execute_batch("BEGIN DEFERRED")?;
        let loaded = load(conn);
        conn.execute_batch("COMMIT")?;
        loaded
    }
}

/// Servers in routing order, only the columns routing needs (no secrets are read).
fn load_servers(
    conn: &Connection,
    filter_sql: &str,
    values: &[String],
) -> Result<Vec<RouteServer>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name, priority, enabled, from_filter FROM server {filter_sql}"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, bool>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut servers = Vec::new();
    for row in rows {
        let (name, priority, enabled, filter) = row?;
        let from_filter = FromFilter::parse(&filter).map_err(|e| {
            Error::config(format!(
                "server '{name}' has an invalid from-filter in the store ({e}); fix it with `mailroute server set {name} --from-filter LIST`"
            ))
        })?;
        servers.push(RouteServer {
            name,
            priority,
            enabled,
            from_filter,
            unreachable: None,
        });
    }
    Ok(servers)
}

fn domains_where(
    conn: &Connection,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<Vec<AliasDomain>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM alias_domain {sql}",
        objects::DOMAIN_COLUMNS
    ))?;
    let rows = stmt.query_map(values, objects::domain_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lookup keys of an address: its own, and its domain's.
fn keys_of(address: &str, keys: &mut Vec<String>) {
    if let Some(normalized) = address::normalize(address) {
        keys.push(domain_key(address::domain_of(&normalized)));
        keys.push(address_key(&normalized));
    }
}

/// The partial snapshot, or `None` when a name in the request is unknown.
fn load_for(conn: &Connection, request: &Request<'_>) -> Result<Option<Snapshot>> {
    let settings: Settings = objects::settings(conn)?;

    // Alias domains that can be the context: the one named, the company's, the first one.
    let mut domains = domains_where(conn, "ORDER BY priority, lower(name), id LIMIT 1", &[])?;
    let mut companies: Vec<Company> = Vec::new();
    if let Some(reference) = request.domain {
        let id = reference
            .strip_prefix('#')
            .and_then(|n| n.parse::<i64>().ok());
        let named = match id {
            Some(id) => domains_where(conn, "WHERE id = ?1", &[&id])?,
            None => Vec::new(),
        };
        let named = if named.is_empty() {
            domains_where(conn, "WHERE lower(name) = lower(?1)", &[&reference])?
        } else {
            named
        };
        if named.is_empty() {
            return Ok(None);
        }
        domains.extend(named);
    }
    if let Some(name) = request.company {
        let Ok(company) = objects::find_company(conn, name) else {
            return Ok(None);
        };
        if let Some(id) = company.alias_domain_id {
            domains.extend(domains_where(conn, "WHERE id = ?1", &[&id])?);
        }
        companies.push(company);
    }
    domains.sort_by_key(|d| d.id);
    domains.dedup_by_key(|d| d.id);

    // The keys routing will look up.
    let mut keys = vec![UNFILTERED_KEY.to_string()];
    if let Some(from) = request.from {
        if let Ok(ParsedFrom::Single(mailbox)) = address::parse_from(from.trim()) {
            keys_of(mailbox.addr_spec, &mut keys);
        }
    }
    for domain in &domains {
        if let Some(notification) = domain.notification_address() {
            keys_of(&notification, &mut keys);
        }
    }
    if let Some(email_from) = &settings.email_from {
        keys_of(email_from, &mut keys);
    }
    keys.sort();
    keys.dedup();

    let placeholders = vec!["?"; keys.len()].join(", ");
    let mut values = keys;
    let mut forced_names = Vec::new();
    for name in [request.server, settings.mass_mailing_server.as_deref()]
        .into_iter()
        .flatten()
    {
        values.push(name.to_string());
        forced_names.push("lower(name) = lower(?)");
    }
    let forced_sql = if forced_names.is_empty() {
        String::new()
    } else {
        format!(" OR {}", forced_names.join(" OR "))
    };
    let servers = load_servers(
        conn,
        &format!(
            "WHERE id IN (SELECT server_id FROM server_filter_key WHERE key IN ({placeholders}))
                OR id = (SELECT id FROM server WHERE enabled = 1 ORDER BY priority, lower(name) LIMIT 1)
                {forced_sql}"
        ),
        &values,
    )?;
    let forced = match (request.server, request.mass) {
        (Some(name), _) => Some(name),
        (None, true) => settings.mass_mailing_server.as_deref(),
        (None, false) => None,
    };
    if let Some(name) = forced {
        if !servers.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            return Ok(None);
        }
    }
    Snapshot::new(domains, companies, servers, &settings).map(Some)
}
