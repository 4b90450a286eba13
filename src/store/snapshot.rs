//! The one adapter between the store and the routing core: loads what routing needs, in one
//! read transaction so the snapshot is consistent even while another process writes.

use rusqlite::Connection;

use super::objects;
use super::Store;
use crate::address::FromFilter;
use crate::error::{Error, Result};
use crate::routing::{RouteServer, Snapshot};

impl Store {
    /// A consistent snapshot of the configuration for routing.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let conn = self.conn();
        conn.execute_batch("BEGIN DEFERRED")?;
        let loaded = load(conn);
        conn.execute_batch("COMMIT")?;
        loaded
    }
}

fn load(conn: &Connection) -> Result<Snapshot> {
    let domains = objects::domains(conn)?;
    let companies = objects::companies(conn)?;
    let settings = objects::settings(conn)?;
    // Only the columns routing needs: no secrets are read for routing.
    let mut stmt = conn.prepare_cached(
        "SELECT name, priority, enabled, from_filter FROM server ORDER BY priority, lower(name)",
    )?;
    let rows = stmt.query_map([], |row| {
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
        });
    }
    Snapshot::new(domains, companies, servers, &settings)
}
