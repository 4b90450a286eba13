//! The SQLite store: where the configuration lives, how it is opened, migrated and written.
//!
//! Owns the file (created with its folder on first use, mode 0600), the connection settings (WAL,
//! foreign keys, a busy timeout so that concurrent invocations wait rather than fail), the
//! numbered migrations, and write transactions (`BEGIN IMMEDIATE`, so a refused input leaves the
//! store exactly as it was). Object reads and writes are in `objects`; the routing snapshot is
//! built in `snapshot`, the one adapter between the store and the routing core.
//! Nothing here prints or knows about clap.

mod objects;
pub mod outbox;
mod snapshot;

use std::fs::{DirBuilder, OpenOptions};
use std::io::ErrorKind as IoErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, ErrorKind, Result};

pub use objects::*;

/// Marks the file as a mailroute store (`PRAGMA application_id`), so another SQLite database
/// given by mistake is refused instead of being migrated.
const APPLICATION_ID: i32 = 0x6d72_7274; // "mrrt"

/// How long a command waits for another mailroute process holding the write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The schema, one entry per version. Never edit a released entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: alias domains, their alias history, companies, servers, settings.
    r#"
    CREATE TABLE alias_domain (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        bounce TEXT,
        catchall TEXT,
        default_from TEXT,
        priority INTEGER NOT NULL DEFAULT 10
    );
    -- Two domains may share a name only if their bounce aliases differ and their catchall
    -- aliases differ (routing.md §1). Checked in code for the message; enforced here too.
    CREATE UNIQUE INDEX alias_domain_name_bounce ON alias_domain (lower(name), ifnull(bounce, ''));
    CREATE UNIQUE INDEX alias_domain_name_catchall ON alias_domain (lower(name), ifnull(catchall, ''));

    CREATE TABLE alias_history (
        id INTEGER PRIMARY KEY,
        alias_domain_id INTEGER NOT NULL REFERENCES alias_domain(id) ON DELETE CASCADE,
        alias TEXT NOT NULL CHECK (alias IN ('bounce', 'catchall', 'default-from')),
        old_value TEXT NOT NULL,
        new_value TEXT,
        changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    CREATE TABLE company (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        alias_domain_id INTEGER REFERENCES alias_domain(id) ON DELETE RESTRICT
    );

    CREATE TABLE server (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
        username TEXT,
        -- For 'stored' the secret itself, for 'command' the command, for 'env' the variable name.
        password_kind TEXT NOT NULL DEFAULT 'none'
            CHECK (password_kind IN ('none', 'stored', 'command', 'env')),
        password_value TEXT,
        from_filter TEXT NOT NULL DEFAULT '',
        priority INTEGER NOT NULL DEFAULT 10,
        enabled INTEGER NOT NULL DEFAULT 1,
        ca_file TEXT,
        insecure INTEGER NOT NULL DEFAULT 0,
        timeout_secs INTEGER
    );

    -- The keys routing looks servers up by, one row per from-filter part: 'a:' and a normalised
    -- address, 'd:' and a lower-cased domain, or '*' for a server without a filter. Lets a
    -- one-shot `route` load only the servers that can matter (see store::snapshot).
    CREATE TABLE server_filter_key (
        server_id INTEGER NOT NULL REFERENCES server(id) ON DELETE CASCADE,
        key TEXT NOT NULL
    );
    CREATE INDEX server_filter_key_key ON server_filter_key (key);
    CREATE INDEX server_filter_key_server ON server_filter_key (server_id);
    CREATE INDEX server_routing_order ON server (enabled, priority, lower(name));
    CREATE INDEX alias_domain_routing_order ON alias_domain (priority, lower(name), id);

    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2: authentication settings of a server: mechanism, plain-text AUTH, TLS client certificate.
    r#"
    ALTER TABLE server ADD COLUMN allow_plaintext_auth INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE server ADD COLUMN auth_mechanism TEXT;
    ALTER TABLE server ADD COLUMN client_cert TEXT;
    ALTER TABLE server ADD COLUMN client_key TEXT;
    "#,
    // 3: the outbox. A message is stored as built (its Message-ID fixed), with the routing
    // inputs to route it again at send time, and its delivery state.
    r#"
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN
            ('queued', 'sending', 'sent', 'deferred', 'failed', 'cancelled', 'unknown')),
        mass INTEGER NOT NULL DEFAULT 0,
        sender TEXT,
        company TEXT,
        domain TEXT,
        server TEXT,
        envelope_from TEXT NOT NULL,
        header_from TEXT NOT NULL,
        reply_to TEXT,
        recipients TEXT NOT NULL,
        message BLOB NOT NULL,
        message_id TEXT,
        send_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_reply TEXT,
        failure_kind TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

    -- Bulk sending limits of a server, and what it has sent recently (quota windows).
    ALTER TABLE server ADD COLUMN max_connections INTEGER NOT NULL DEFAULT 4;
    ALTER TABLE server ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 5;
    ALTER TABLE server ADD COLUMN per_minute INTEGER;
    ALTER TABLE server ADD COLUMN per_day INTEGER;
    ALTER TABLE server ADD COLUMN failover INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE server_usage (
        server TEXT NOT NULL,
        sent_at INTEGER NOT NULL
    );
    CREATE INDEX server_usage_window ON server_usage (server, sent_at);
    "#,
    // 4: the routing trace of a message that failed over (JSON steps), so that it can be shown
    // after the run: which server was unreachable, and which one routing took instead.
    r#"
    ALTER TABLE outbox ADD COLUMN route_trace TEXT;
    "#,
];

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// `$XDG_DATA_HOME/mailroute/mailroute.db`, or `~/.local/share/mailroute/mailroute.db`.
pub fn default_path() -> Result<PathBuf> {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local/share"))
        })
        .ok_or_else(|| {
            Error::config("cannot find the default store: neither XDG_DATA_HOME nor HOME is set; pass --db PATH or set MAILROUTE_DB")
        })?;
    Ok(data_home.join("mailroute").join("mailroute.db"))
}

fn store_error(path: &Path, what: &str, error: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Store,
        format!("cannot {what} the store {}: {error}", path.display()),
    )
}

impl Store {
    /// Opens the store at `path`, creating it (and its folder) on first use, and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| store_error(path, "create the folder of", e))?;
            }
        }
        // Create the file ourselves so that it is 0600 from the first byte; SQLite gives the
        // -wal and -shm files the same mode.
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == IoErrorKind::AlreadyExists => {}
            Err(e) => return Err(store_error(path, "create", e)),
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| store_error(path, "open", e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().map_err(|e| match e.kind {
            ErrorKind::Store => store_error(path, "open", e.message),
            _ => e,
        })?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.enable_wal()?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Switches a new store to WAL. SQLite does not run the busy handler for this switch, so
    /// processes that start together on a new store retry here until the busy timeout runs out.
    fn enable_wal(&mut self) -> Result<()> {
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            let attempt = self
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
                .and_then(|mode| {
                    if mode.eq_ignore_ascii_case("wal") {
                        Ok(mode)
                    } else {
                        self.conn
                            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                    }
                });
            match attempt {
                Ok(_) => return Ok(()),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn schema_version(conn: &Connection) -> Result<(i64, i32)> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        Ok((version, app_id))
    }

    fn migrate(&mut self) -> Result<()> {
        let latest = MIGRATIONS.len() as i64;
        // `locked`: inside the write transaction, where no other process can be half-way through
        // creating the schema; only then does "tables but no version" mean a foreign database.
        let check = |path: &Path,
                     version: i64,
                     app_id: i32,
                     conn: &Connection,
                     locked: bool|
         -> Result<()> {
            if app_id != 0 && app_id != APPLICATION_ID {
                return Err(Error::config(format!(
                    "{} is an SQLite database of another application, not a mailroute store; pass another --db PATH",
                    path.display()
                )));
            }
            if locked && app_id == 0 && version == 0 {
                let tables: i64 = conn.query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |row| row.get(0),
                )?;
                if tables > 0 {
                    return Err(Error::config(format!(
                        "{} is an SQLite database but not a mailroute store; pass another --db PATH",
                        path.display()
                    )));
                }
            }
            if version > latest {
                return Err(Error::config(format!(
                    "the store {} was written by a newer mailroute (schema {version}; this one knows up to {latest}); upgrade mailroute to use it",
                    path.display()
                )));
            }
            Ok(())
        };
        let (version, app_id) = Self::schema_version(&self.conn)?;
        check(&self.path, version, app_id, &self.conn, false)?;
        if version == latest {
            return Ok(());
        }
        // Another process may be migrating at the same moment: take the write lock, then look again.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (version, app_id) = Self::schema_version(&tx)?;
        check(&self.path, version, app_id, &tx, true)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(|e| {
                Error::internal(format!("migration {} of the store failed: {e}", i + 1))
            })?;
        }
        tx.pragma_update(None, "user_version", latest)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one write transaction: all of it is committed, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// For connections that write often and briefly side by side (the outbox's workers):
    /// SQLite's own busy handler sleeps whole milliseconds between tries, longer than such a
    /// write takes, so retry every 50 µs instead, for as long as the usual busy timeout.
    pub fn wait_briefly_when_busy(&mut self) -> Result<()> {
        const PAUSE: Duration = Duration::from_micros(50);
        let tries = (BUSY_TIMEOUT.as_micros() / PAUSE.as_micros()) as i32;
        self.conn.busy_handler(Some(move |attempt: i32| {
            std::thread::sleep(PAUSE);
            attempt < tries
        }))?;
        Ok(())
    }
}
