//! Sending the outbox: due messages in groups that share a connection (same server, same
//! envelope sender), transactional mail before mass mailings, several connections at once.
//!
//! Crash safety: a batch is claimed (`sending` in the store) before its connection starts. Each
//! delivery is recorded in the send log before its content is written (an envelope alone
//! delivers nothing), and its acceptance after the server's final reply; the run's thread then
//! records accepted deliveries in the store in batches.
//!
//! Speed: with PIPELINING, a message's envelope is one write, and goes with the previous
//! message's content, so each message costs one round trip; a send-log append records one
//! message's acceptance and the next one's start together. A run that dies leaves its log: the next one applies it, marks `unknown` what was
//! started without an outcome (never resent unless told to: `--resend-unknown`, with the same
//! bytes and so the same Message-ID), and queues again what was claimed but not started.
//!
//! The run streams: it reads the outbox a batch at a time and holds only the batches in flight.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use serde::Serialize;

use crate::commands::send::endpoint_for;
use crate::error::{Error, ErrorKind, Result};
use crate::message;
use crate::model::SendingLimits;
use crate::routing::{self, Request, Snapshot};
use crate::smtp::{self, FailureClass, Session, SmtpError, Stage, StageLog};
use crate::store::outbox::{self, Entry, Group, Outcome, Pending};
use crate::store::{self, Store};

pub mod send_log;
pub use send_log::{Record, SendLog};

/// How a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub per_connection: u32,
}

/// What became of one message in this run.
#[derive(Debug, Clone, Serialize)]
pub struct MessageResult {
    pub id: i64,
    pub state: &'static str,
    pub attempts: i64,
    pub message_id: Option<String>,
    pub server: Option<String>,
    pub last_reply: Option<String>,
    pub failure_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
}

/// What a run found before sending: messages a dead run left unknown, and how many are due.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Preamble {
    pub unknown: usize,
    pub due: i64,
}

/// The delay before attempt `attempts + 1`: one minute, doubling, at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = (attempts - 1).clamp(0, 6) as u32;
    (60i64 << exponent).min(3600)
}

/// The state and failure kind a failed SMTP step leaves a message in.
fn classify(error: &SmtpError) -> (&'static str, &'static str) {
    match error.class {
        FailureClass::Permanent => (
            "failed",
            match error.stage {
                Stage::Mail => "invalid-sender",
                Stage::Rcpt => "invalid-recipient",
                _ => "refused-by-server",
            },
        ),
        FailureClass::Temporary => ("deferred", "refused-by-server"),
        FailureClass::Timeout => ("deferred", "timeout"),
        FailureClass::ConnectionLost
        | FailureClass::ConnectionRefused
        | FailureClass::UnknownHost => ("deferred", "connection"),
        FailureClass::Tls | FailureClass::StarttlsNotOffered => ("failed", "tls"),
        FailureClass::Auth => ("failed", "authentication"),
        FailureClass::Config => ("failed", "config"),
        FailureClass::Protocol => ("failed", "protocol"),
    }
}

/// Applies what a dead run left in its send log: accepted deliveries become `sent`, started
/// ones without an outcome `unknown`, and the messages it claimed but never started go back
/// to the queue. Returns how many became unknown. The caller holds the log's lock.
pub fn recover(store: &mut Store, log: &SendLog) -> Result<usize> {
    let replay = log.read()?;
    let unknown = store.write(|tx| {
        for (id, attempts, reply) in &replay.sent {
            outbox::record_sent(tx, *id, *attempts, reply)?;
        }
        if !log.existed() {
            // No log: a run from before it, whose started deliveries cannot be told apart.
            return outbox::mark_interrupted_unknown(tx);
        }
        let mut unknown = 0;
        for &id in &replay.started {
            unknown += outbox::mark_unknown(tx, id)?;
        }
        outbox::release_claimed(tx)?;
        Ok(unknown)
    })?;
    log.clear()?;
    Ok(unknown)
}

/// For commands other than `queue run`: recovers from a dead run if there is one and no run is
/// going on now (a live run's claimed messages are left alone). Returns how many became unknown.
pub fn recover_if_idle(store: &mut Store) -> Result<usize> {
    if !outbox::any_claimed(store.conn())? {
        return Ok(0);
    }
    match SendLog::lock(store.path())? {
        Some(log) => recover(store, &log),
        None => Ok(0),
    }
}

/// Prepares a run: takes the run lock, recovers from a crash, and counts what is due. The
/// returned log is the lock; the run holds it to the end.
pub fn prepare(store: &mut Store, resend_unknown: bool) -> Result<(Preamble, SendLog)> {
    let log = SendLog::lock(store.path())?.ok_or_else(|| {
        Error::new(
            ErrorKind::Busy,
            "another `mailroute queue run` is sending from this store; it sends what is due, or try again when it ends",
        )
    })?;
    let unknown = recover(store, &log)?;
    let preamble = store.write(|tx| {
        if resend_unknown {
            outbox::requeue_unknown(tx)?;
        }
        let due = outbox::due_groups(tx, outbox::now())?
            .iter()
            .map(|g| g.count)
            .sum();
        Ok(Preamble { unknown, due })
    })?;
    Ok((preamble, log))
}

/// What the workers of a run share: the routing (which changes when a server is found down
/// and fails over), the servers found down, each server's limits, the send log, and the
/// results not yet taken by the run's thread.
struct Shared<'run> {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Servers found unreachable in this run, with why.
    down: Mutex<HashMap<String, String>>,
    limits: HashMap<String, SendingLimits>,
    log: &'run SendLog,
    /// Results wait here rather than in a channel: the run's thread takes them every few
    /// milliseconds, so a connection never has to wake it once per message.
    results: Mutex<Vec<MessageResult>>,
}

impl Shared<'_> {
    fn limits(&self, server: Option<&str>) -> SendingLimits {
        server
            .and_then(|s| self.limits.get(s))
            .cloned()
            .unwrap_or_default()
    }

    // A worker that panicked cannot leave these half-changed (each change is one assignment
    // or push), so a poisoned lock is used as it is.
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn push(&self, result: MessageResult) {
        self.results
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(result);
    }

    fn take_results(&self) -> Vec<MessageResult> {
        std::mem::take(&mut *self.results.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// How often the run's thread records accepted deliveries in the store and reports results.
const SETTLE_EVERY: Duration = Duration::from_millis(50);

/// At most this many connections at once, whatever the servers allow.
const MAX_WORKERS: usize = 64;

/// Sends everything due; `report` is called for each message as it is done. `log` is the
/// run's locked send log, from [`prepare`].
pub fn run(
    db: &Path,
    log: &SendLog,
    options: &RunOptions,
    mut report: impl FnMut(MessageResult),
) -> Result<()> {
    let mut store = Store::open(db)?;
    let limits: HashMap<String, SendingLimits> = store::servers(store.conn())?
        .into_iter()
        .map(|s| (s.name, s.limits))
        .collect();
    let shared = Shared {
        snapshot: RwLock::new(Arc::new(store.snapshot()?)),
        down: Mutex::new(HashMap::new()),
        limits,
        log,
        results: Mutex::new(Vec::new()),
    };
    // As many connections as the servers with due mail allow together.
    let connections = {
        let servers: HashSet<Option<String>> = outbox::due_groups(store.conn(), outbox::now())?
            .into_iter()
            .map(|g| g.server)
            .collect();
        servers
            .iter()
            .map(|s| shared.limits(s.as_deref()).max_connections.max(1) as usize)
            .sum::<usize>()
            .clamp(1, MAX_WORKERS)
    };
    let (jobs, job_receiver) = mpsc::sync_channel::<(Group, Vec<Pending>)>(connections);
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (batches_done, batch_done_receiver) = mpsc::channel::<Option<String>>();

    // Records the accepted deliveries waiting in `shared` in the store (one transaction), and
    // reports every waiting result.
    let mut settle = |store: &mut Store| -> Result<()> {
        let results = shared.take_results();
        if results.is_empty() {
            return Ok(());
        }
        store.write(|tx| {
            for result in results.iter().filter(|r| r.state == "sent") {
                outbox::record_sent(
                    tx,
                    result.id,
                    result.attempts,
                    result.last_reply.as_deref().unwrap_or_default(),
                )?;
            }
            Ok(())
        })?;
        for result in results {
            report(result);
        }
        Ok(())
    };

    let outcome = std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for _ in 0..connections {
            let job_receiver = Arc::clone(&job_receiver);
            let batches_done = batches_done.clone();
            let shared = &shared;
            workers.push(scope.spawn(move || -> Result<()> {
                let mut store = Store::open(db)?;
                store.wait_briefly_when_busy()?;
                loop {
                    // The lock is held only to take a job, not while sending it.
                    let job = match job_receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return Err(Error::internal("a worker of the run panicked")),
                    };
                    let Ok((group, batch)) = job else {
                        return Ok(());
                    };
                    let sent = send_batch(&mut store, shared, &group, batch);
                    let _ = batches_done.send(group.server.clone());
                    sent?;
                }
            }));
        }
        drop(batches_done);
        let mut in_flight: HashMap<Option<String>, usize> = HashMap::new();
        // Waits a little for a batch to end, settling results meanwhile.
        let mut wait =
            |store: &mut Store, in_flight: &mut HashMap<Option<String>, usize>| -> Result<()> {
                match batch_done_receiver.recv_timeout(SETTLE_EVERY) {
                    Ok(server) => {
                        if let Some(count) = in_flight.get_mut(&server) {
                            *count = count.saturating_sub(1);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(Error::internal("every worker of the run stopped"))
                    }
                }
                settle(store)
            };
        let busy = |in_flight: &HashMap<Option<String>, usize>| in_flight.values().any(|&n| n > 0);
        let dispatched = (|| -> Result<()> {
            // Passes: a broken connection or a fail-over leaves messages queued for the next
            // pass. A pass ends only when all its batches are done and settled.
            for _pass in 0..4 {
                let now = outbox::now();
                let groups = outbox::due_groups(store.conn(), now)?;
                if groups.is_empty() {
                    break;
                }
                for group in groups {
                    // Transactional mail is served first: mass mailings start only when it is
                    // done.
                    if group.mass {
                        while busy(&in_flight) {
                            wait(&mut store, &mut in_flight)?;
                        }
                    }
                    let limit = shared
                        .limits(group.server.as_deref())
                        .max_connections
                        .max(1) as usize;
                    let mut after = 0;
                    loop {
                        // At most `max-connections` batches (connections) per server at once.
                        while in_flight.get(&group.server).copied().unwrap_or(0) >= limit {
                            wait(&mut store, &mut in_flight)?;
                        }
                        // Read and claimed in one transaction: nothing else takes them between.
                        let batch = store.write(|tx| {
                            let batch =
                                outbox::next_batch(tx, &group, after, options.per_connection, now)?;
                            let ids: Vec<i64> = batch.iter().map(|p| p.entry.id).collect();
                            outbox::claim(tx, &ids)?;
                            Ok(batch)
                        })?;
                        let Some(last) = batch.last() else { break };
                        after = last.entry.id;
                        let full = batch.len() as u32 == options.per_connection;
                        *in_flight.entry(group.server.clone()).or_default() += 1;
                        if jobs.send((group.clone(), batch)).is_err() {
                            return Err(Error::internal("every worker of the run stopped"));
                        }
                        if !full {
                            break;
                        }
                    }
                }
                while busy(&in_flight) {
                    wait(&mut store, &mut in_flight)?;
                }
            }
            Ok(())
        })();
        // However dispatching ended, the workers finish what they hold, and then stop.
        drop(jobs);
        let mut finished = Ok(());
        for worker in workers {
            let joined = worker
                .join()
                .map_err(|_| Error::internal("a worker of the run panicked"))
                .and_then(|r| r);
            if finished.is_ok() {
                finished = joined;
            }
        }
        dispatched.and(finished)
    });
    settle(&mut store)?;
    outcome?;
    // Everything the log recorded is in the store now.
    log.clear()
}

/// The routing request a queued message was made with.
pub fn request_of(entry: &Entry) -> Request<'_> {
    Request {
        from: entry.sender.as_deref(),
        company: entry.company.as_deref(),
        domain: entry.domain.as_deref(),
        mass: entry.mass,
        server: None,
        reply_to: entry.reply_to.as_deref(),
    }
}

/// The message with its From header replaced, or as it is when that fails.
fn with_from(message: &[u8], header_from: &str) -> Vec<u8> {
    message::parse_raw(message)
        .and_then(|raw| message::rewrite_raw(&raw, Some(header_from), None))
        .unwrap_or_else(|_| message.to_vec())
}

/// Records a message's new routing (its From rewritten when that changed); returns the message.
/// A failover keeps the decision's trace, which says why the first server was passed over.
fn reroute(
    store: &Store,
    id: i64,
    message: &[u8],
    decision: &routing::Decision<'_>,
    failover: bool,
) -> Result<Vec<u8>> {
    let bytes = with_from(message, &decision.header_from);
    let trace = failover
        .then(|| serde_json::to_string(&decision.trace))
        .transpose()
        .map_err(|e| Error::internal(e.to_string()))?;
    outbox::reroute(
        store.conn(),
        id,
        decision.server,
        &decision.envelope_from,
        &decision.header_from,
        &bytes,
        trace.as_deref(),
    )?;
    Ok(bytes)
}

/// A message that failed over says so in its final reply.
fn with_failover_note(entry: &Entry, reply: String) -> String {
    match &entry.last_reply {
        Some(note) if note.starts_with("failed over") => format!("{reply} ({note})"),
        _ => reply,
    }
}

/// A 421 reply: the server is closing the connection, whatever else it has read.
fn is_closing(error: &SmtpError) -> bool {
    error.reply.as_deref().is_some_and(|r| r.starts_with("421"))
}

/// A connection-level failure: the server may be down, and another one may do.
fn is_unreachable(error: &SmtpError) -> bool {
    matches!(
        error.class,
        FailureClass::ConnectionRefused
            | FailureClass::Timeout
            | FailureClass::ConnectionLost
            | FailureClass::UnknownHost
    )
}

/// Sends one batch over one connection. Its messages were claimed when it was dispatched;
/// those it neither starts nor settles go back to the state they were claimed from.
fn send_batch(
    store: &mut Store,
    shared: &Shared<'_>,
    group: &Group,
    batch: Vec<Pending>,
) -> Result<()> {
    let claimed: Vec<(i64, String)> = batch
        .iter()
        .map(|p| (p.entry.id, p.entry.state.clone()))
        .collect();
    let mut started = HashSet::new();
    let sent = send_claimed(store, shared, group, batch, &mut started);
    // A started delivery without an outcome (only after an internal error) stays claimed: the
    // next run finds it in the send log and marks it unknown.
    let unstarted: Vec<(i64, &str)> = claimed
        .iter()
        .filter(|(id, _)| !started.contains(id))
        .map(|(id, state)| (*id, state.as_str()))
        .collect();
    if unstarted.is_empty() {
        return sent;
    }
    let released = store.write(|tx| outbox::release(tx, &unstarted));
    sent.and(released)
}

fn send_claimed(
    store: &Store,
    shared: &Shared<'_>,
    group: &Group,
    batch: Vec<Pending>,
    started: &mut HashSet<i64>,
) -> Result<()> {
    let limits = shared.limits(group.server.as_deref());
    // The end of an attempt that the store records at once (not a delivery the server accepted:
    // those go through the send log).
    let finish = |pending: &Pending,
                  state: &'static str,
                  reply: Option<String>,
                  kind: Option<&'static str>,
                  refused: Vec<String>,
                  remaining: Option<Vec<String>>|
     -> Result<()> {
        let attempts = pending.entry.attempts + 1;
        let (state, kind, next) = match state {
            "deferred" if attempts >= i64::from(limits.max_attempts) => {
                ("failed", Some("too-many-attempts"), None)
            }
            "deferred" => ("deferred", kind, Some(outbox::now() + backoff(attempts))),
            other => (other, kind, None),
        };
        let reply = reply.map(|r| with_failover_note(&pending.entry, r));
        outbox::finish(
            store.conn(),
            pending.entry.id,
            &Outcome {
                state,
                attempts,
                reply: reply.as_deref(),
                failure_kind: kind,
                next_attempt_at: next,
                recipients: remaining.as_deref(),
            },
        )?;
        shared.push(MessageResult {
            id: pending.entry.id,
            state,
            attempts,
            message_id: pending.entry.message_id.clone(),
            server: group.server.clone(),
            last_reply: reply,
            failure_kind: kind,
            refused,
        });
        Ok(())
    };

    // Routed again at send time: a message whose routing changed since it was queued (the
    // configuration changed, or a server failed over) goes back with its new routing.
    let snapshot = shared.snapshot();
    let mut sendable = Vec::with_capacity(batch.len());
    for pending in batch {
        let entry = &pending.entry;
        match routing::decide(&snapshot, &request_of(entry)) {
            Ok(decision)
                if decision.server.map(str::to_string) == group.server
                    && decision.envelope_from == entry.envelope_from =>
            {
                if decision.header_from != entry.header_from {
                    let bytes = reroute(store, entry.id, &pending.message, &decision, false)?;
                    sendable.push(Pending {
                        entry: entry.clone(),
                        message: bytes,
                    });
                } else {
                    sendable.push(pending);
                }
            }
            Ok(decision) => {
                // Released unstarted: the next pass picks it up in its new group.
                reroute(store, entry.id, &pending.message, &decision, false)?;
            }
            Err(e) => finish(
                &pending,
                "failed",
                Some(e.message),
                Some("config"),
                Vec::new(),
                None,
            )?,
        }
    }
    if sendable.is_empty() {
        return Ok(());
    }

    let endpoint = match endpoint_for(store, group.server.as_deref(), None) {
        Ok(endpoint) => endpoint,
        Err(e) => {
            for pending in &sendable {
                finish(
                    pending,
                    "failed",
                    Some(e.message.clone()),
                    Some("config"),
                    Vec::new(),
                    None,
                )?;
            }
            return Ok(());
        }
    };
    let mut log = StageLog::default();
    let (mut session, pipelining) = match smtp::open(&endpoint, &mut log) {
        Ok((session, ehlo)) => (session, ehlo.has("PIPELINING")),
        Err(e) => {
            if let (Some(name), true) = (&group.server, limits.failover && is_unreachable(&e)) {
                if fail_over(store, shared, name, &e, &sendable)? {
                    return Ok(());
                }
            }
            let (state, kind) = classify(&e);
            for pending in &sendable {
                finish(
                    pending,
                    state,
                    Some(e.message.clone()),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
            }
            return Ok(());
        }
    };
    session.transcript.stop();
    // Accepted deliveries not yet in the send log: written together with the next delivery's
    // start (one write), and reported only once they are in the log.
    let mut accepted: Vec<(Record, MessageResult)> = Vec::new();
    let log_with = |accepted: &mut Vec<(Record, MessageResult)>, next: Option<i64>| -> Result<()> {
        let (mut records, results): (Vec<Record>, Vec<MessageResult>) = accepted.drain(..).unzip();
        records.extend(next.map(Record::Sending));
        if !records.is_empty() {
            shared.log.append(&records)?;
        }
        for result in results {
            shared.push(result);
        }
        Ok(())
    };
    // A message's place in the server's quotas: `Some(until)` when a window is full.
    let over_quota = |now: i64| -> Result<Option<i64>> {
        match &group.server {
            Some(name) => Ok(outbox::reserve_quota(
                store.conn(),
                name,
                limits.per_minute,
                limits.per_day,
                now,
            )?
            .err()),
            None => Ok(None),
        }
    };
    let release_quota = |at: i64| -> Result<()> {
        match &group.server {
            Some(name) => outbox::release_quota(store.conn(), name, at),
            None => Ok(()),
        }
    };
    // When the envelope of the message at `position` was written ahead (after the previous
    // message's content), the time its quota was reserved.
    let mut ahead: Option<i64> = None;
    for (position, pending) in sendable.iter().enumerate() {
        let (written_ahead, reserved_at) = match ahead.take() {
            Some(at) => (true, at),
            None => {
                let now = outbox::now();
                if let Some(until) = over_quota(now)? {
                    // Over a quota: this message and the rest of the batch wait for the window.
                    let reason = format!(
                        "server '{}' has reached its sending quota: waiting for the window to open",
                        group.server.as_deref().unwrap_or_default()
                    );
                    for waiting in &sendable[position..] {
                        outbox::postpone(store.conn(), waiting.entry.id, until, &reason)?;
                    }
                    break;
                }
                (false, now)
            }
        };
        let next = sendable.get(position + 1);
        let mut next_ahead: Option<i64> = None;
        let delivery = deliver(&mut session, pipelining, written_ahead, pending, || {
            // Durable before the content leaves: if the run dies from here on, the next one
            // knows this message may have arrived. (An envelope alone delivers nothing.)
            log_with(&mut accepted, Some(pending.entry.id))?;
            started.insert(pending.entry.id);
            // The next envelope goes with this content when the server pipelines and the next
            // message has its quota.
            let Some(next) = next.filter(|_| pipelining) else {
                return Ok(None);
            };
            let now = outbox::now();
            if over_quota(now)?.is_some() {
                return Ok(None);
            }
            next_ahead = Some(now);
            Ok(Some((
                next.entry.envelope_from.as_str(),
                next.entry.recipients.as_slice(),
            )))
        })?;
        if !matches!(delivery, Delivery::Sent { .. } | Delivery::Unknown(_)) {
            release_quota(reserved_at)?;
        }
        if let Delivery::Unstarted = delivery {
            // Given back untried: the next pass sends it over a new connection.
            break;
        }
        let stop = match delivery {
            Delivery::Sent {
                reply,
                refused,
                retry,
            } if retry.is_empty() => {
                let attempts = pending.entry.attempts + 1;
                let reply = with_failover_note(&pending.entry, reply);
                accepted.push((
                    Record::Sent {
                        id: pending.entry.id,
                        attempts,
                        reply: reply.clone(),
                    },
                    MessageResult {
                        id: pending.entry.id,
                        state: "sent",
                        attempts,
                        message_id: pending.entry.message_id.clone(),
                        server: group.server.clone(),
                        last_reply: Some(reply),
                        failure_kind: None,
                        refused,
                    },
                ));
                false
            }
            Delivery::Sent {
                reply,
                refused,
                retry,
            } => {
                finish(pending, "deferred", Some(reply), None, refused, Some(retry))?;
                false
            }
            Delivery::Refused(e) => {
                let (state, kind) = classify(&e);
                finish(
                    pending,
                    state,
                    e.reply.clone().or(Some(e.message.clone())),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
                // 421: the server is closing the connection. An envelope refused leaves a
                // transaction open: RSET. A message refused after its content ended its
                // transaction, and the next envelope may be on its way.
                is_closing(&e) || (next_ahead.is_none() && session.rset().is_err())
            }
            Delivery::NotSent(e) => {
                let (state, kind) = classify(&e);
                finish(
                    pending,
                    state,
                    Some(e.message.clone()),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
                true
            }
            Delivery::Unstarted => true,
            Delivery::Unknown(e) => {
                finish(
                    pending,
                    "unknown",
                    Some(format!("{}: it may or may not have arrived", e.message)),
                    Some("connection"),
                    Vec::new(),
                    None,
                )?;
                true
            }
        };
        if stop {
            if let Some(at) = next_ahead {
                // Its envelope went ahead but its content never left: it is given back.
                release_quota(at)?;
            }
            break;
        }
        ahead = next_ahead;
    }
    log_with(&mut accepted, None)?;
    let _ = session.quit();
    Ok(())
}

/// `name` is unreachable: mark it down for the rest of the run, route the batch again without
/// it, and move each message to the server routing now chooses. `false` when no other server
/// would take any of them (they are then deferred as usual).
fn fail_over(
    store: &Store,
    shared: &Shared,
    name: &str,
    error: &SmtpError,
    batch: &[Pending],
) -> Result<bool> {
    let snapshot = {
        let mut down = shared
            .down
            .lock()
            .map_err(|_| Error::internal("a worker of the run panicked"))?;
        down.insert(name.to_string(), error.message.clone());
        let snapshot = Arc::new(store.snapshot_without(&down)?);
        if let Ok(mut current) = shared.snapshot.write() {
            *current = Arc::clone(&snapshot);
        }
        snapshot
    };
    let mut moved = false;
    for pending in batch {
        let entry = &pending.entry;
        let Ok(decision) = routing::decide(&snapshot, &request_of(entry)) else {
            continue;
        };
        if decision.server == Some(name) {
            continue;
        }
        reroute(store, entry.id, &pending.message, &decision, true)?;
        let note = format!(
            "failed over from '{name}' ({}) to {}",
            error.message,
            decision
                .server
                .map_or("the fallback server".to_string(), |s| format!("'{s}'"))
        );
        outbox::finish(
            store.conn(),
            entry.id,
            &Outcome {
                state: "queued",
                attempts: entry.attempts,
                reply: Some(&note),
                ..Outcome::default()
            },
        )?;
        moved = true;
    }
    Ok(moved)
}

enum Delivery {
    /// The server took it for these recipients; `refused` were refused for good, `retry` for now.
    Sent {
        reply: String,
        refused: Vec<String>,
        retry: Vec<String>,
    },
    /// The server refused it; the connection is still usable.
    Refused(SmtpError),
    /// The connection broke before the message could be accepted.
    NotSent(SmtpError),
    /// The connection broke after the message was written, before the server's verdict.
    Unknown(SmtpError),
    /// Its envelope was written ahead, after the previous message, and the connection broke
    /// before its replies came: nothing of it was tried.
    Unstarted,
}

/// One message over an open session. With PIPELINING its envelope is one write (or was written
/// ahead, after the previous message: `written_ahead`). `then` runs once the envelope is
/// accepted, just before the content is written, and may give the next message's envelope to
/// write with this one's content.
fn deliver<'p>(
    session: &mut Session,
    pipelining: bool,
    written_ahead: bool,
    pending: &Pending,
    then: impl FnOnce() -> Result<Option<(&'p str, &'p [String])>>,
) -> Result<Delivery> {
    let (envelope, recipients, bytes) = (
        pending.entry.envelope_from.as_str(),
        pending.entry.recipients.as_slice(),
        pending.message.as_slice(),
    );
    let broken = |e: &SmtpError| {
        matches!(
            e.class,
            FailureClass::ConnectionLost | FailureClass::Timeout
        )
    };
    let (mut accepted, mut refused, mut retry) = (0, Vec::new(), Vec::new());
    let mut first_refusal = None;
    let mut sort =
        |recipient: &String, result: std::result::Result<smtp::Reply, SmtpError>| match result {
            Ok(_) => accepted += 1,
            Err(e) => {
                if e.class == FailureClass::Temporary {
                    retry.push(recipient.clone());
                } else {
                    refused.push(recipient.clone());
                }
                first_refusal.get_or_insert(e);
            }
        };
    if pipelining {
        let replies = if written_ahead {
            session.envelope_replies(envelope, recipients)
        } else {
            session.envelope_pipelined(envelope, recipients)
        };
        let replies = match replies {
            Ok(replies) => replies,
            Err(e) if written_ahead && broken(&e) => return Ok(Delivery::Unstarted),
            Err(e) => return Ok(Delivery::NotSent(e)),
        };
        let data_ok = replies.data.is_ok();
        if let Err(e) = replies.mail {
            if data_ok {
                // A server that said 354 anyway waits for a message: end an empty one.
                let _ = session
                    .write_message(b"")
                    .and_then(|()| session.final_reply().map(|_| ()));
            }
            return Ok(Delivery::Refused(e));
        }
        for (recipient, result) in recipients.iter().zip(replies.rcpt) {
            sort(recipient, result);
        }
        match replies.data {
            Ok(_) if accepted > 0 => {}
            Ok(_) => {
                let _ = session
                    .write_message(b"")
                    .and_then(|()| session.final_reply().map(|_| ()));
                return Ok(Delivery::Refused(first_refusal.unwrap_or_else(|| {
                    SmtpError::new(Stage::Rcpt, FailureClass::Protocol, "no recipient")
                })));
            }
            Err(e) => return Ok(Delivery::Refused(first_refusal.unwrap_or(e))),
        }
    } else {
        if let Err(e) = session.mail_from(envelope) {
            return Ok(if broken(&e) {
                Delivery::NotSent(e)
            } else {
                Delivery::Refused(e)
            });
        }
        for recipient in recipients {
            match session.rcpt_to(recipient) {
                Err(e) if broken(&e) => return Ok(Delivery::NotSent(e)),
                result => sort(recipient, result),
            }
        }
        if accepted == 0 {
            return Ok(Delivery::Refused(first_refusal.unwrap_or_else(|| {
                SmtpError::new(Stage::Rcpt, FailureClass::Protocol, "no recipient")
            })));
        }
        if let Err(e) = session.data() {
            return Ok(if broken(&e) {
                Delivery::NotSent(e)
            } else {
                Delivery::Refused(e)
            });
        }
    }
    let next = then()?;
    if let Err(e) = session.write_message_then(bytes, next) {
        // With the next envelope after it, the final dot may have left before the write broke.
        return Ok(if next.is_some() {
            Delivery::Unknown(e)
        } else {
            Delivery::NotSent(e)
        });
    }
    Ok(match session.final_reply() {
        Ok(reply) => Delivery::Sent {
            reply: reply.text(),
            refused,
            retry,
        },
        Err(e) if e.reply.is_some() => Delivery::Refused(e),
        Err(e) => Delivery::Unknown(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox::NewMessage;

    fn queued(store: &mut Store, count: usize) -> Vec<i64> {
        store
            .write(|tx| {
                (0..count)
                    .map(|i| {
                        outbox::enqueue(
                            tx,
                            &NewMessage {
                                mass: false,
                                sender: Some("alice@example.com".into()),
                                company: None,
                                domain: None,
                                server: Some("main".into()),
                                envelope_from: "alice@example.com".into(),
                                header_from: "alice@example.com".into(),
                                reply_to: None,
                                recipients: vec![format!("r{i}@example.org")],
                                message: b"Subject: x\r\n\r\nx\r\n".to_vec(),
                                message_id: Some(format!("<{i}@example.com>")),
                                send_at: 0,
                            },
                        )
                    })
                    .collect()
            })
            .unwrap()
    }

    fn states(store: &Store) -> Vec<(String, i64, Option<String>)> {
        outbox::list(store.conn(), None)
            .unwrap()
            .into_iter()
            .map(|e| (e.state, e.attempts, e.last_reply))
            .collect()
    }

    #[test]
    fn recovery_applies_the_log_of_a_dead_run() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let mut store = Store::open(&db).unwrap();
        let ids = queued(&mut store, 4);
        store.write(|tx| outbox::claim(tx, &ids)).unwrap();
        // The dead run: 1 accepted, 2 started without an outcome, 3 and 4 claimed only.
        let log = SendLog::lock(&db).unwrap().unwrap();
        log.append(&[Record::Sending(ids[0])]).unwrap();
        log.append(&[
            Record::Sent {
                id: ids[0],
                attempts: 1,
                reply: "250 ok".into(),
            },
            Record::Sending(ids[1]),
        ])
        .unwrap();
        drop(log);

        assert_eq!(recover_if_idle(&mut store).unwrap(), 1);
        let unknown_reply =
            Some("a run stopped during its delivery: it may or may not have arrived".to_string());
        assert_eq!(
            states(&store),
            vec![
                ("sent".into(), 1, Some("250 ok".into())),
                ("unknown".into(), 1, unknown_reply),
                ("queued".into(), 0, None),
                ("queued".into(), 0, None),
            ]
        );
        // The log is empty now: recovering again changes nothing.
        assert_eq!(recover_if_idle(&mut store).unwrap(), 0);
        assert!(SendLog::lock(&db)
            .unwrap()
            .unwrap()
            .read()
            .unwrap()
            .sent
            .is_empty());
    }

    #[test]
    fn a_live_run_is_left_alone_and_a_run_without_a_log_leaves_everything_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let mut store = Store::open(&db).unwrap();
        let ids = queued(&mut store, 2);
        store.write(|tx| outbox::claim(tx, &ids)).unwrap();

        // Claimed by a run that holds the lock: nothing to recover.
        let live = SendLog::lock(&db).unwrap().unwrap();
        assert_eq!(recover_if_idle(&mut store).unwrap(), 0);
        assert!(states(&store)
            .iter()
            .all(|(state, _, _)| state == "sending"));
        assert!(matches!(
            prepare(&mut store, false),
            Err(Error {
                kind: ErrorKind::Busy,
                ..
            })
        ));
        drop(live);

        // No log at all (a run from before it): whatever was claimed may have been sent.
        std::fs::remove_file(SendLog::path_for(&db)).unwrap();
        assert_eq!(recover_if_idle(&mut store).unwrap(), 2);
        assert!(states(&store)
            .iter()
            .all(|(state, _, _)| state == "unknown"));
    }
}
