//! Reading and writing the configuration objects, with the rules that span rows: domain name
//! sharing, first-domain assignment to companies, alias history, objects still in use.
//!
//! Functions take a `&Connection`; writes are meant to run inside `Store::write` (a
//! `Transaction` dereferences to a `Connection`), so that a refused change writes nothing.
//! Values arrive validated and cleaned by the caller; this module checks only what needs the
//! other rows.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::address::{FilterPart, FromFilter};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{AliasDomain, Company, PasswordSource, Secret, Server, SettingKey, Settings};
use crate::routing::ambiguous_domain;
use crate::smtp_url::Security;

// ---------------------------------------------------------------------------------------------
// Alias domains

/// A domain to create, with aliases already cleaned.
#[derive(Debug, Clone)]
pub struct NewDomain {
    pub name: String,
    pub bounce: Option<String>,
    pub catchall: Option<String>,
    pub default_from: Option<String>,
    pub priority: i64,
}

/// New values for an existing domain; `None` leaves a field as it is, `Some(None)` clears an alias.
#[derive(Debug, Clone, Default)]
pub struct DomainChanges {
    pub bounce: Option<Option<String>>,
    pub catchall: Option<Option<String>>,
    pub default_from: Option<Option<String>>,
    pub priority: Option<i64>,
}

/// One alias of a domain changing value: the old address may still receive mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasChange {
    pub alias: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl DomainChanges {
    /// The alias changes these changes make to `domain` (values equal to the current ones are not changes).
    pub fn alias_changes(&self, domain: &AliasDomain) -> Vec<AliasChange> {
        let mut changes = Vec::new();
        let mut check =
            |alias: &'static str, new: &Option<Option<String>>, old: &Option<String>| {
                if let Some(new) = new {
                    if new != old {
                        changes.push(AliasChange {
                            alias,
                            old: old.clone(),
                            new: new.clone(),
                        });
                    }
                }
            };
        check("bounce", &self.bounce, &domain.bounce);
        check("catchall", &self.catchall, &domain.catchall);
        check("default-from", &self.default_from, &domain.default_from);
        changes
    }
}

/// An alias value a domain used to have, kept so its address can still be redirected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasHistoryEntry {
    pub domain_id: i64,
    pub domain: String,
    pub alias: String,
    pub old_value: String,
    pub new_value: Option<String>,
    pub changed_at: String,
}

pub(super) const DOMAIN_COLUMNS: &str = "id, name, bounce, catchall, default_from, priority";
const DOMAIN_ORDER: &str = "ORDER BY priority, lower(name), id";

pub(super) fn domain_from_row(row: &Row<'_>) -> rusqlite::Result<AliasDomain> {
    Ok(AliasDomain {
        id: row.get(0)?,
        name: row.get(1)?,
        bounce: row.get(2)?,
        catchall: row.get(3)?,
        default_from: row.get(4)?,
        priority: row.get(5)?,
    })
}

/// All alias domains, in routing order (priority, then name).
pub fn domains(conn: &Connection) -> Result<Vec<AliasDomain>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DOMAIN_COLUMNS} FROM alias_domain {DOMAIN_ORDER}"
    ))?;
    let rows = stmt.query_map([], domain_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Finds a domain by name (case-insensitive) or by `#ID`; a shared name must be given by id.
pub fn find_domain(conn: &Connection, reference: &str) -> Result<AliasDomain> {
    if let Some(id) = reference
        .strip_prefix('#')
        .and_then(|n| n.parse::<i64>().ok())
    {
        let found = conn
            .query_row(
                &format!("SELECT {DOMAIN_COLUMNS} FROM alias_domain WHERE id = ?1"),
                [id],
                domain_from_row,
            )
            .optional()?;
        if let Some(domain) = found {
            return Ok(domain);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DOMAIN_COLUMNS} FROM alias_domain WHERE lower(name) = lower(?1) {DOMAIN_ORDER}"
    ))?;
    let mut found: Vec<AliasDomain> = stmt
        .query_map([reference], domain_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => {
            let mut names: Vec<String> = domains(conn)?.into_iter().map(|d| d.name).collect();
            names.dedup();
            Err(Error::not_found(
                "alias domain",
                reference,
                "alias domains",
                &names,
            ))
        }
        _ => Err(ambiguous_domain(reference, found.iter())),
    }
}

fn check_domain_sharing(
    conn: &Connection,
    except_id: Option<i64>,
    name: &str,
    bounce: &Option<String>,
    catchall: &Option<String>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DOMAIN_COLUMNS} FROM alias_domain WHERE lower(name) = lower(?1) AND id IS NOT ?2"
    ))?;
    let others: Vec<AliasDomain> = stmt
        .query_map(params![name, except_id], domain_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    for other in others {
        let shared = if &other.bounce == bounce {
            Some(("bounce", bounce))
        } else if &other.catchall == catchall {
            Some(("catchall", catchall))
        } else {
            None
        };
        if let Some((alias, value)) = shared {
            return Err(Error::conflict(format!(
                "alias domain {} (#{}) already has the {alias} alias '{}'; two domains may share a name only if their bounce aliases differ and their catchall aliases differ: give --{alias} another value",
                other.name,
                other.id,
                value.as_deref().unwrap_or("(none)")
            )));
        }
    }
    Ok(())
}

/// Creates a domain. The first domain ever created is given to every company without one.
/// Returns the domain and the names of the companies that received it.
pub fn add_domain(conn: &Connection, new: &NewDomain) -> Result<(AliasDomain, Vec<String>)> {
    check_domain_sharing(conn, None, &new.name, &new.bounce, &new.catchall)?;
    conn.execute(
        "INSERT INTO alias_domain (name, bounce, catchall, default_from, priority) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![new.name, new.bounce, new.catchall, new.default_from, new.priority],
    )?;
    let id = conn.last_insert_rowid();
    let count: i64 = conn.query_row("SELECT count(*) FROM alias_domain", [], |r| r.get(0))?;
    let mut assigned = Vec::new();
    if count == 1 {
        let mut stmt = conn.prepare(
            "UPDATE company SET alias_domain_id = ?1 WHERE alias_domain_id IS NULL RETURNING name",
        )?;
        assigned = stmt
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        assigned.sort_by_key(|n: &String| n.to_lowercase());
    }
    let domain = find_domain(conn, &format!("#{id}"))?;
    Ok((domain, assigned))
}

/// Applies changes to a domain, recording each alias whose value changes in the history.
pub fn update_domain(
    conn: &Connection,
    id: i64,
    changes: &DomainChanges,
) -> Result<(AliasDomain, Vec<AliasChange>)> {
    let current = find_domain(conn, &format!("#{id}"))?;
    let alias_changes = changes.alias_changes(&current);
    let mut updated = current.clone();
    if let Some(v) = &changes.bounce {
        updated.bounce = v.clone();
    }
    if let Some(v) = &changes.catchall {
        updated.catchall = v.clone();
    }
    if let Some(v) = &changes.default_from {
        updated.default_from = v.clone();
    }
    if let Some(p) = changes.priority {
        updated.priority = p;
    }
    check_domain_sharing(
        conn,
        Some(id),
        &updated.name,
        &updated.bounce,
        &updated.catchall,
    )?;
    conn.execute(
        "UPDATE alias_domain SET bounce = ?1, catchall = ?2, default_from = ?3, priority = ?4 WHERE id = ?5",
        params![updated.bounce, updated.catchall, updated.default_from, updated.priority, id],
    )?;
    for change in &alias_changes {
        if let Some(old) = &change.old {
            conn.execute(
                "INSERT INTO alias_history (alias_domain_id, alias, old_value, new_value) VALUES (?1, ?2, ?3, ?4)",
                params![id, change.alias, old, change.new],
            )?;
        }
    }
    Ok((updated, alias_changes))
}

/// Refuses the removal of a domain that a company still uses, naming the companies.
pub fn check_domain_removable(conn: &Connection, domain: &AliasDomain) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT name FROM company WHERE alias_domain_id = ?1 ORDER BY lower(name)")?;
    let users: Vec<String> = stmt
        .query_map([domain.id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if users.is_empty() {
        return Ok(());
    }
    let (noun, pronoun) = if users.len() == 1 {
        ("company", "it")
    } else {
        ("companies", "them")
    };
    Err(Error::conflict(format!(
        "alias domain {} is used by {noun} {}; give {pronoun} another domain first with `mailroute company set NAME --domain OTHER`",
        domain.name,
        users.join(", "),
    )))
}

/// Removes a domain, unless a company still uses it.
pub fn remove_domain(conn: &Connection, domain: &AliasDomain) -> Result<()> {
    check_domain_removable(conn, domain)?;
    conn.execute("DELETE FROM alias_domain WHERE id = ?1", [domain.id])?;
    Ok(())
}

/// The old alias values kept for `local-parts`, newest first.
pub fn alias_history(conn: &Connection) -> Result<Vec<AliasHistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.alias_domain_id, d.name, h.alias, h.old_value, h.new_value, h.changed_at
         FROM alias_history h JOIN alias_domain d ON d.id = h.alias_domain_id
         ORDER BY h.changed_at DESC, h.id DESC",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(AliasHistoryEntry {
            domain_id: row.get(0)?,
            domain: row.get(1)?,
            alias: row.get(2)?,
            old_value: row.get(3)?,
            new_value: row.get(4)?,
            changed_at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------------------------------------
// Companies

fn company_from_row(row: &Row<'_>) -> rusqlite::Result<Company> {
    Ok(Company {
        id: row.get(0)?,
        name: row.get(1)?,
        alias_domain_id: row.get(2)?,
    })
}

pub fn companies(conn: &Connection) -> Result<Vec<Company>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, alias_domain_id FROM company ORDER BY lower(name)")?;
    let rows = stmt.query_map([], company_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find_company(conn: &Connection, name: &str) -> Result<Company> {
    conn.query_row(
        "SELECT id, name, alias_domain_id FROM company WHERE name = ?1 COLLATE NOCASE",
        [name],
        company_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        let names: Vec<String> = companies(conn)
            .map(|cs| cs.into_iter().map(|c| c.name).collect())
            .unwrap_or_default();
        Error::not_found("company", name, "companies", &names)
    })
}

/// Creates a company, with the given domain or else the first one (priority, then name).
pub fn add_company(conn: &Connection, name: &str, domain_id: Option<i64>) -> Result<Company> {
    if find_company(conn, name).is_ok() {
        return Err(Error::conflict(format!(
            "a company named '{name}' already exists; pick another name, or change it with `mailroute company set`"
        )));
    }
    let domain_id = match domain_id {
        Some(id) => Some(id),
        None => domains(conn)?.first().map(|d| d.id),
    };
    conn.execute(
        "INSERT INTO company (name, alias_domain_id) VALUES (?1, ?2)",
        params![name, domain_id],
    )?;
    find_company(conn, name)
}

pub fn set_company_domain(
    conn: &Connection,
    company: &Company,
    domain_id: Option<i64>,
) -> Result<()> {
    conn.execute(
        "UPDATE company SET alias_domain_id = ?1 WHERE id = ?2",
        params![domain_id, company.id],
    )?;
    Ok(())
}

pub fn remove_company(conn: &Connection, company: &Company) -> Result<()> {
    conn.execute("DELETE FROM company WHERE id = ?1", [company.id])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Servers

const SERVER_COLUMNS: &str = "id, name, host, port, security, username, password_kind, password_value, from_filter, priority, enabled, ca_file, insecure, timeout_secs, allow_plaintext_auth, auth_mechanism, client_cert, client_key, max_connections, max_attempts, per_minute, per_day, failover";

fn server_from_row(row: &Row<'_>) -> rusqlite::Result<Server> {
    let conversion = |i: usize, message: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, message.into())
    };
    let security: String = row.get(4)?;
    let password_kind: String = row.get(6)?;
    let password_value: Option<String> = row.get(7)?;
    let filter_text: String = row.get(8)?;
    let password = match (password_kind.as_str(), password_value) {
        ("stored", Some(v)) => PasswordSource::Stored(Secret::new(v)),
        ("command", Some(v)) => PasswordSource::Command(v),
        ("env", Some(v)) => PasswordSource::Env(v),
        _ => PasswordSource::None,
    };
    let port: i64 = row.get(3)?;
    Ok(Server {
        id: row.get(0)?,
        name: row.get(1)?,
        host: row.get(2)?,
        port: u16::try_from(port).map_err(|_| conversion(3, format!("port {port}")))?,
        security: Security::parse(&security).map_err(|e| conversion(4, e.to_string()))?,
        user: row.get(5)?,
        password,
        from_filter: FromFilter::parse(&filter_text).map_err(|e| conversion(8, e.to_string()))?,
        priority: row.get(9)?,
        enabled: row.get(10)?,
        ca_file: row.get(11)?,
        insecure: row.get(12)?,
        timeout_secs: row.get(13)?,
        allow_plaintext_auth: row.get(14)?,
        auth_mechanism: row.get(15)?,
        client_cert: row.get(16)?,
        client_key: row.get(17)?,
        limits: crate::model::SendingLimits {
            max_connections: row.get(18)?,
            max_attempts: row.get(19)?,
            per_minute: row.get(20)?,
            per_day: row.get(21)?,
            failover: row.get(22)?,
        },
    })
}

/// All servers, in routing order (priority, then name).
pub fn servers(conn: &Connection) -> Result<Vec<Server>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SERVER_COLUMNS} FROM server ORDER BY priority, lower(name)"
    ))?;
    let rows = stmt.query_map([], server_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn server_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM server ORDER BY priority, lower(name)")?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find_server(conn: &Connection, name: &str) -> Result<Server> {
    conn.query_row(
        &format!("SELECT {SERVER_COLUMNS} FROM server WHERE name = ?1 COLLATE NOCASE"),
        [name],
        server_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        Error::not_found(
            "server",
            name,
            "servers",
            &server_names(conn).unwrap_or_default(),
        )
    })
}

fn password_columns(password: &PasswordSource) -> (&'static str, Option<&str>) {
    match password {
        PasswordSource::None => ("none", None),
        PasswordSource::Stored(secret) => ("stored", Some(secret.expose())),
        PasswordSource::Command(cmd) => ("command", Some(cmd)),
        PasswordSource::Env(var) => ("env", Some(var)),
    }
}

/// The lookup keys of a from-filter, as stored in `server_filter_key`.
pub fn filter_keys(filter: &FromFilter) -> Vec<String> {
    if filter.is_empty() {
        return vec![UNFILTERED_KEY.to_string()];
    }
    filter
        .parts()
        .iter()
        .map(|part| match part {
            FilterPart::Address(a) => address_key(a),
            FilterPart::Domain(d) => domain_key(d),
        })
        .collect()
}

pub const UNFILTERED_KEY: &str = "*";

pub fn address_key(normalized: &str) -> String {
    format!("a:{normalized}")
}

pub fn domain_key(domain: &str) -> String {
    format!("d:{domain}")
}

fn write_filter_keys(conn: &Connection, server_id: i64, filter: &FromFilter) -> Result<()> {
    conn.execute(
        "DELETE FROM server_filter_key WHERE server_id = ?1",
        [server_id],
    )?;
    let mut insert =
        conn.prepare_cached("INSERT INTO server_filter_key (server_id, key) VALUES (?1, ?2)")?;
    for key in filter_keys(filter) {
        insert.execute(params![server_id, key])?;
    }
    Ok(())
}

/// Creates a server (its `id` is ignored) and indexes its filter keys.
pub fn add_server(conn: &Connection, server: &Server) -> Result<Server> {
    if find_server(conn, &server.name).is_ok() {
        return Err(Error::conflict(format!(
            "a server named '{}' already exists; pick another name, or change it with `mailroute server set {}`",
            server.name, server.name
        )));
    }
    let (kind, value) = password_columns(&server.password);
    conn.execute(
        &format!(
            "INSERT INTO server ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
            SERVER_COLUMNS
        ),
        params![
            server.name,
            server.host,
            server.port,
            server.security.as_str(),
            server.user,
            kind,
            value,
            server.from_filter.as_str(),
            server.priority,
            server.enabled,
            server.ca_file,
            server.insecure,
            server.timeout_secs,
            server.allow_plaintext_auth,
            server.auth_mechanism,
            server.client_cert,
            server.client_key,
            server.limits.max_connections,
            server.limits.max_attempts,
            server.limits.per_minute,
            server.limits.per_day,
            server.limits.failover,
        ],
    )?;
    write_filter_keys(conn, conn.last_insert_rowid(), &server.from_filter)?;
    find_server(conn, &server.name)
}

/// Writes back a whole server record (read with [`find_server`] in the same transaction).
pub fn update_server(conn: &Connection, server: &Server) -> Result<()> {
    let (kind, value) = password_columns(&server.password);
    conn.execute(
        "UPDATE server SET host = ?1, port = ?2, security = ?3, username = ?4, password_kind = ?5,
            password_value = ?6, from_filter = ?7, priority = ?8, enabled = ?9, ca_file = ?10,
            insecure = ?11, timeout_secs = ?12, allow_plaintext_auth = ?13, auth_mechanism = ?14,
            client_cert = ?15, client_key = ?16, max_connections = ?17, max_attempts = ?18,
            per_minute = ?19, per_day = ?20, failover = ?21 WHERE id = ?22",
        params![
            server.host,
            server.port,
            server.security.as_str(),
            server.user,
            kind,
            value,
            server.from_filter.as_str(),
            server.priority,
            server.enabled,
            server.ca_file,
            server.insecure,
            server.timeout_secs,
            server.allow_plaintext_auth,
            server.auth_mechanism,
            server.client_cert,
            server.client_key,
            server.limits.max_connections,
            server.limits.max_attempts,
            server.limits.per_minute,
            server.limits.per_day,
            server.limits.failover,
            server.id,
        ],
    )?;
    write_filter_keys(conn, server.id, &server.from_filter)
}

/// Refuses the removal of the server the setting mass-mailing-server names.
pub fn check_server_removable(conn: &Connection, server: &Server) -> Result<()> {
    match settings(conn)?.mass_mailing_server {
        Some(mass) if mass.eq_ignore_ascii_case(&server.name) => Err(Error::conflict(format!(
            "server '{}' is the mass-mailing-server; unset it first with `mailroute settings unset mass-mailing-server` (or name another server)",
            server.name
        ))),
        _ => Ok(()),
    }
}

/// Removes a server, unless the setting mass-mailing-server names it.
pub fn remove_server(conn: &Connection, server: &Server) -> Result<()> {
    check_server_removable(conn, server)?;
    conn.execute("DELETE FROM server WHERE id = ?1", [server.id])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Settings

pub fn settings(conn: &Connection) -> Result<Settings> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM setting")?;
    let mut settings = Settings::default();
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (key, value) = row?;
        match SettingKey::parse(&key) {
            Some(key) => *settings.slot(key) = Some(value),
            None => {
                return Err(Error::new(
                    ErrorKind::Store,
                    format!("the store has an unknown setting '{key}'; it was written by another version of mailroute"),
                ))
            }
        }
    }
    Ok(settings)
}

pub fn set_setting(conn: &Connection, key: SettingKey, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key.as_str(), value],
        )?,
        None => conn.execute("DELETE FROM setting WHERE key = ?1", [key.as_str()])?,
    };
    Ok(())
}
