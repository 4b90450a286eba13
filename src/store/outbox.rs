//! The outbox table: messages waiting to be sent, being sent, and what became of them.
//!
//! States: queued → sending → sent | deferred | failed | cancelled, and `unknown` for a message
//! whose delivery a dead run started (it may or may not have arrived). `sending` means claimed
//! by a run: a run claims a batch before its connection starts, and settles each message with
//! its outcome or gives it back. Which claimed messages had their delivery started, and which
//! were accepted, the run records first in its send log (`crate::outbox::send_log`), so that
//! a crash loses nothing; the store hears of accepted deliveries in batches.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};

/// Seconds since the Unix epoch: the outbox's clock.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A message to enqueue, already routed and built.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub mass: bool,
    pub sender: Option<String>,
    pub company: Option<String>,
    pub domain: Option<String>,
    pub server: Option<String>,
    pub envelope_from: String,
    pub header_from: String,
    pub reply_to: Option<String>,
    pub recipients: Vec<String>,
    pub message: Vec<u8>,
    pub message_id: Option<String>,
    pub send_at: i64,
}

/// A message of the outbox as `queue list`/`show` print it (the message bytes aside).
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub state: String,
    pub attempts: i64,
    pub message_id: Option<String>,
    pub last_reply: Option<String>,
    pub failure_kind: Option<String>,
    pub server: Option<String>,
    pub mass: bool,
    pub envelope_from: String,
    pub header_from: String,
    pub recipients: Vec<String>,
    pub send_at: i64,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(skip)]
    pub sender: Option<String>,
    #[serde(skip)]
    pub company: Option<String>,
    #[serde(skip)]
    pub domain: Option<String>,
    #[serde(skip)]
    pub reply_to: Option<String>,
    /// The routing trace (JSON steps) recorded when the message failed over.
    #[serde(skip)]
    pub route_trace: Option<String>,
}

const ENTRY_COLUMNS: &str = "id, state, attempts, message_id, last_reply, failure_kind, server, mass, envelope_from, header_from, recipients, send_at, next_attempt_at, created_at, updated_at, sender, company, domain, reply_to, route_trace";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let recipients: String = row.get(10)?;
    Ok(Entry {
        id: row.get(0)?,
        state: row.get(1)?,
        attempts: row.get(2)?,
        message_id: row.get(3)?,
        last_reply: row.get(4)?,
        failure_kind: row.get(5)?,
        server: row.get(6)?,
        mass: row.get(7)?,
        envelope_from: row.get(8)?,
        header_from: row.get(9)?,
        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        send_at: row.get(11)?,
        next_attempt_at: row.get(12)?,
        created_at: row.get(13)?,
        updated_at: row.get(14)?,
        sender: row.get(15)?,
        company: row.get(16)?,
        domain: row.get(17)?,
        reply_to: row.get(18)?,
        route_trace: row.get(19)?,
    })
}

/// Adds a message; returns its id.
pub fn enqueue(conn: &Connection, message: &NewMessage) -> Result<i64> {
    let now = now();
    let recipients =
        serde_json::to_string(&message.recipients).map_err(|e| Error::internal(e.to_string()))?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO outbox (mass, sender, company, domain, server, envelope_from, header_from, reply_to,
            recipients, message, message_id, send_at, next_attempt_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?13)",
    )?;
    insert.execute(params![
        message.mass,
        message.sender,
        message.company,
        message.domain,
        message.server,
        message.envelope_from,
        message.header_from,
        message.reply_to,
        recipients,
        message.message,
        message.message_id,
        message.send_at,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// After a crash of a run that left no send log (or before there was one): every message it
/// had claimed may or may not have been delivered.
pub fn mark_interrupted_unknown(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'unknown', attempts = attempts + 1, last_reply = ?2, updated_at = ?1 WHERE state = 'sending'",
        params![now(), INTERRUPTED],
    )?)
}

const INTERRUPTED: &str = "a run stopped during its delivery: it may or may not have arrived";

/// After a crash: a message whose delivery had started, with no outcome, may or may not have
/// arrived.
pub fn mark_unknown(conn: &Connection, id: i64) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'unknown', attempts = attempts + 1, last_reply = ?3, updated_at = ?2 WHERE id = ?1 AND state = 'sending'",
        params![id, now(), INTERRUPTED],
    )?)
}

/// After a crash: messages claimed by the dead run whose delivery never started are queued.
pub fn release_claimed(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'queued', updated_at = ?1 WHERE state = 'sending'",
        [now()],
    )?)
}

/// Claims messages for a run's connection: no other command changes them while it sends.
pub fn claim(conn: &Connection, ids: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET state = 'sending', updated_at = ?2 WHERE id = ?1 AND state IN ('queued', 'deferred')",
    )?;
    let now = now();
    for &id in ids {
        stmt.execute(params![id, now])?;
    }
    Ok(())
}

/// Gives claimed messages back, in the state they were claimed from, when their connection
/// did not start them (a broken connection, a changed routing, a failover).
pub fn release(conn: &Connection, messages: &[(i64, &str)]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET state = ?2, updated_at = ?3 WHERE id = ?1 AND state = 'sending'",
    )?;
    let now = now();
    for &(id, state) in messages {
        stmt.execute(params![id, state, now])?;
    }
    Ok(())
}

/// A delivery the server accepted (from the run, or from its send log after a crash).
pub fn record_sent(conn: &Connection, id: i64, attempts: i64, reply: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'sent', attempts = ?2, last_reply = ?3, failure_kind = NULL,
            updated_at = ?4 WHERE id = ?1 AND state = 'sending'",
    )?
    .execute(params![id, attempts, reply, now()])?;
    Ok(())
}

/// Whether some messages are claimed (a run is sending, or one died).
pub fn any_claimed(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'sending')",
        [],
        |row| row.get(0),
    )?)
}

/// `--resend-unknown`: unknown messages are queued again, with the same message (and Message-ID).
pub fn requeue_unknown(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = ?1, updated_at = ?1 WHERE state = 'unknown'",
        [now()],
    )?)
}

/// A group of due messages that can share one connection: same server, same envelope sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub server: Option<String>,
    pub envelope_from: String,
    pub mass: bool,
    pub count: i64,
}

/// The groups with due messages, transactional mail first.
pub fn due_groups(conn: &Connection, now: i64) -> Result<Vec<Group>> {
    let mut stmt = conn.prepare(
        "SELECT server, envelope_from, mass, count(*) FROM outbox
         WHERE state IN ('queued', 'deferred') AND next_attempt_at <= ?1
         GROUP BY server, envelope_from, mass ORDER BY mass, min(id)",
    )?;
    let rows = stmt.query_map([now], |row| {
        Ok(Group {
            server: row.get(0)?,
            envelope_from: row.get(1)?,
            mass: row.get(2)?,
            count: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A message ready to be sent.
#[derive(Debug, Clone)]
pub struct Pending {
    pub entry: Entry,
    pub message: Vec<u8>,
}

/// The next due messages of a group, after `after_id`, at most `limit`: the run reads the
/// outbox a batch at a time and never holds all of it.
pub fn next_batch(
    conn: &Connection,
    group: &Group,
    after_id: i64,
    limit: u32,
    now: i64,
) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS}, message FROM outbox
         WHERE state IN ('queued', 'deferred') AND next_attempt_at <= ?1 AND server IS ?2
           AND envelope_from = ?3 AND mass = ?4 AND id > ?5
         ORDER BY id LIMIT ?6"
    ))?;
    let rows = stmt.query_map(
        params![
            now,
            group.server,
            group.envelope_from,
            group.mass,
            after_id,
            limit
        ],
        |row| {
            Ok(Pending {
                entry: entry_from_row(row)?,
                message: row.get(20)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How an attempt ended, as the store records it.
#[derive(Debug, Clone, Default)]
pub struct Outcome<'a> {
    pub state: &'a str,
    /// The attempt count after this attempt.
    pub attempts: i64,
    pub reply: Option<&'a str>,
    pub failure_kind: Option<&'a str>,
    /// When to try again (deferred messages).
    pub next_attempt_at: Option<i64>,
    /// The recipients still to be sent to, when some were already accepted.
    pub recipients: Option<&'a [String]>,
}

/// Records the end of an attempt.
pub fn finish(conn: &Connection, id: i64, outcome: &Outcome<'_>) -> Result<()> {
    let recipients = outcome
        .recipients
        .map(|r| serde_json::to_string(r).unwrap_or_else(|_| "[]".into()));
    conn.prepare_cached(
        "UPDATE outbox SET state = ?2, last_reply = ?3, failure_kind = ?4,
            next_attempt_at = coalesce(?5, next_attempt_at), recipients = coalesce(?6, recipients),
            updated_at = ?7, attempts = ?8 WHERE id = ?1",
    )?
    .execute(params![
        id,
        outcome.state,
        outcome.reply,
        outcome.failure_kind,
        outcome.next_attempt_at,
        recipients,
        now(),
        outcome.attempts
    ])?;
    Ok(())
}

/// Updates the routing of a message whose decision changed since it was queued; `route_trace`
/// is the decision's trace when a failover caused it.
pub fn reroute(
    conn: &Connection,
    id: i64,
    server: Option<&str>,
    envelope_from: &str,
    header_from: &str,
    message: &[u8],
    route_trace: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET server = ?2, envelope_from = ?3, header_from = ?4, message = ?5, updated_at = ?6, route_trace = ?7 WHERE id = ?1",
        params![id, server, envelope_from, header_from, message, now(), route_trace],
    )?;
    Ok(())
}

pub fn list(conn: &Connection, state: Option<&str>) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([state], entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find(conn: &Connection, id: i64) -> Result<Entry> {
    conn.query_row(
        &format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE id = ?1"),
        [id],
        entry_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("no message {id} in the outbox; see `mailroute queue list`"),
        )
    })
}

/// Queues messages again now; refuses ids that are unknown or already sent or being sent.
pub fn retry(conn: &Connection, ids: &[i64]) -> Result<()> {
    for &id in ids {
        let entry = find(conn, id)?;
        if entry.state == "sending" {
            return Err(Error::conflict(format!(
                "message {id} is being sent by a `queue run`: it cannot be retried until that run ends"
            )));
        }
        if entry.state == "sent" {
            return Err(Error::conflict(format!(
                "message {id} is sent: it cannot be retried"
            )));
        }
        conn.execute(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
    }
    Ok(())
}

pub fn cancel(conn: &Connection, ids: &[i64]) -> Result<()> {
    for &id in ids {
        let entry = find(conn, id)?;
        if entry.state == "sending" {
            return Err(Error::conflict(format!(
                "message {id} is being sent by a `queue run`: it cannot be cancelled until that run ends"
            )));
        }
        if entry.state == "sent" {
            return Err(Error::conflict(format!(
                "message {id} is sent: it cannot be cancelled"
            )));
        }
        conn.execute(
            "UPDATE outbox SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
    }
    Ok(())
}

/// Deletes sent messages last updated before `before`; returns how many.
pub fn purge_sent(conn: &Connection, before: i64) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM outbox WHERE state = 'sent' AND updated_at < ?1",
        [before],
    )?)
}

/// Reserves one message in a server's quota windows (a minute, a day). `Ok(Err(until))` when a
/// window is full: the message must wait until `until`. The count and the reservation are one
/// immediate transaction, so parallel connections cannot overshoot a quota together.
pub fn reserve_quota(
    conn: &Connection,
    server: &str,
    per_minute: Option<u32>,
    per_day: Option<u32>,
    now: i64,
) -> Result<std::result::Result<(), i64>> {
    if per_minute.is_none() && per_day.is_none() {
        return Ok(Ok(()));
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let reserved = (|| -> Result<std::result::Result<(), i64>> {
        for (limit, window) in [(per_minute, 60), (per_day, 86_400)] {
            let Some(limit) = limit else { continue };
            let used: i64 = conn.query_row(
                "SELECT count(*) FROM server_usage WHERE server = ?1 AND sent_at > ?2",
                params![server, now - window],
                |row| row.get(0),
            )?;
            if used >= i64::from(limit) {
                // The window opens again when the oldest message that fills it leaves it.
                let oldest: i64 = conn.query_row(
                    "SELECT sent_at FROM server_usage WHERE server = ?1 AND sent_at > ?2
                     ORDER BY sent_at LIMIT 1 OFFSET ?3",
                    params![server, now - window, used - i64::from(limit)],
                    |row| row.get(0),
                )?;
                return Ok(Err(oldest + window + 1));
            }
        }
        conn.execute(
            "INSERT INTO server_usage (server, sent_at) VALUES (?1, ?2)",
            params![server, now],
        )?;
        Ok(Ok(()))
    })();
    match &reserved {
        Ok(_) => conn.execute_batch("COMMIT")?,
        Err(_) => {
            let _ = conn.execute_batch("ROLLBACK");
        }
    }
    reserved
}

/// Gives back a reservation for a message that was not sent after all.
pub fn release_quota(conn: &Connection, server: &str, at: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM server_usage WHERE rowid = (SELECT rowid FROM server_usage WHERE server = ?1 AND sent_at = ?2 LIMIT 1)",
        params![server, at],
    )?;
    Ok(())
}

/// How much of its quotas a server has used: (last minute, last day).
pub fn quota_used(conn: &Connection, server: &str, now: i64) -> Result<(i64, i64)> {
    let count = |window: i64| -> Result<i64> {
        Ok(conn.query_row(
            "SELECT count(*) FROM server_usage WHERE server = ?1 AND sent_at > ?2",
            params![server, now - window],
            |row| row.get(0),
        )?)
    };
    Ok((count(60)?, count(86_400)?))
}

/// A message waits (over a quota): deferred until `until`, without counting an attempt.
pub fn postpone(conn: &Connection, id: i64, until: i64, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET state = 'deferred', next_attempt_at = ?2, last_reply = ?3, failure_kind = 'quota', updated_at = ?4 WHERE id = ?1",
        params![id, until, reason, now()],
    )?;
    Ok(())
}
