//! Sending the outbox: due messages in groups that share a connection (same server, same
//! envelope sender), transactional mail before mass mailings, several connections at once.
//!
//! Crash safety: a message is marked `sending` (committed) before its DATA, and `sent` only
//! after the server's final reply. A run that dies leaves at most the messages of its open
//! connections in `sending`; the next run marks them `unknown` and never resends them unless
//! told to (`--resend-unknown`, with the same bytes and so the same Message-ID). Messages a
//! broken connection did not reach stay queued for the next pass.
//!
//! The run streams: it reads the outbox a batch at a time and holds only the batches in flight.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;

use crate::commands::send::endpoint_for;
use crate::error::{Error, Result};
use crate::message;
use crate::model::SendingLimits;
use crate::routing::{self, Request, Snapshot};
use crate::smtp::{self, FailureClass, Session, SmtpError, Stage, StageLog};
use crate::store::outbox::{self, Entry, Group, Pending};
use crate::store::{self, Store};

/// How a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub resend_unknown: bool,
    pub per_connection: u32,
    pub connections: usize,
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

/// What a run found before sending: messages marked unknown, and requeued.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Preamble {
    pub unknown: usize,
    pub requeued_unknown: usize,
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

/// Prepares a run: recovers from a crash, and counts what is due.
pub fn prepare(store: &mut Store, resend_unknown: bool) -> Result<Preamble> {
    store.write(|tx| {
        let unknown = outbox::mark_interrupted_unknown(tx)?;
        let requeued_unknown = if resend_unknown {
            outbox::requeue_unknown(tx)?
        } else {
            0
        };
        let due = outbox::due_groups(tx, outbox::now())?
            .iter()
            .map(|g| g.count)
            .sum();
        Ok(Preamble {
            unknown,
            requeued_unknown,
            due,
        })
    })
}

/// What workers tell the run: a message is done, or a batch of a server is.
enum Event {
    Message(MessageResult),
    BatchDone(Option<String>),
}

/// What the workers of a run share: the routing (which changes when a server is found down
/// and fails over), the servers found down, and each server's limits.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    down: Mutex<HashSet<String>>,
    limits: HashMap<String, SendingLimits>,
    writer: mpsc::Sender<Option<WriteRequest>>,
}

/// The write every message needs: the previous one `sent`, this one `sending`. Connections
/// hand it to one writer, which commits all the requests waiting at that moment together
/// (group commit): parallel connections then share commits instead of queueing for the lock.
struct WriteRequest {
    sent: Option<(i64, String)>,
    sending: i64,
    done: mpsc::SyncSender<Result<()>>,
}

impl Shared {
    /// Records `sent` and `sending`, and returns once they are committed.
    fn sent_and_sending(&self, sent: Option<(i64, String)>, sending: i64) -> Result<()> {
        let (done, committed) = mpsc::sync_channel(1);
        self.writer
            .send(Some(WriteRequest {
                sent,
                sending,
                done,
            }))
            .map_err(|_| Error::internal("the writer of the run stopped"))?;
        committed
            .recv()
            .map_err(|_| Error::internal("the writer of the run stopped"))?
    }
}

struct StopWriter<'w>(&'w mpsc::Sender<Option<WriteRequest>>);

impl Drop for StopWriter<'_> {
    fn drop(&mut self) {
        let _ = self.0.send(None);
    }
}

/// The writer's loop: takes every request waiting, commits them in one transaction, answers.
fn write_loop(db: &Path, requests: mpsc::Receiver<Option<WriteRequest>>) -> Result<()> {
    let mut store = Store::open(db)?;
    store.wait_briefly_when_busy()?;
    while let Ok(Some(first)) = requests.recv() {
        let mut batch = vec![first];
        let mut stop = false;
        while batch.len() < 256 {
            match requests.try_recv() {
                Ok(Some(more)) => batch.push(more),
                Ok(None) => {
                    stop = true;
                    break;
                }
                Err(_) => break,
            }
        }
        let written = store.write(|tx| {
            for request in &batch {
                if let Some((id, reply)) = &request.sent {
                    outbox::finish(tx, *id, "sent", Some(reply), None, None, None)?;
                }
                outbox::mark_sending(tx, request.sending)?;
            }
            Ok(())
        });
        for request in batch {
            let _ = request.done.send(written.clone());
        }
        if stop {
            break;
        }
    }
    Ok(())
}

impl Shared {
    fn limits(&self, server: Option<&str>) -> SendingLimits {
        server
            .and_then(|s| self.limits.get(s))
            .cloned()
            .unwrap_or_default()
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(snapshot) => Arc::clone(&snapshot),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }
}

/// Sends everything due; `report` is called for each message as it is done.
pub fn run(db: &Path, options: &RunOptions, mut report: impl FnMut(MessageResult)) -> Result<()> {
    let store = Store::open(db)?;
    let limits = store::servers(store.conn())?
        .into_iter()
        .map(|s| (s.name, s.limits))
        .collect();
    let (writer, write_requests) = mpsc::channel();
    let shared = Shared {
        snapshot: RwLock::new(Arc::new(store.snapshot()?)),
        down: Mutex::new(HashSet::new()),
        limits,
        writer,
    };
    let connections = options.connections.max(1);
    let (jobs, job_receiver) = mpsc::sync_channel::<(Group, Vec<Pending>)>(connections);
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (events, event_receiver) = mpsc::channel::<Event>();
    std::thread::scope(|scope| -> Result<()> {
        let writer = scope.spawn(move || write_loop(db, write_requests));
        // However this closure ends, the writer is told to stop, so the scope can end.
        let _stop_writer = StopWriter(&shared.writer);
        let mut workers = Vec::new();
        for _ in 0..connections {
            let job_receiver = Arc::clone(&job_receiver);
            let events = events.clone();
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
                    let sent = send_batch(&store, shared, &group, batch, &events);
                    let _ = events.send(Event::BatchDone(group.server.clone()));
                    sent?;
                }
            }));
        }
        drop(events);
        let mut in_flight: HashMap<Option<String>, usize> = HashMap::new();
        let mut handle = |event: Event, in_flight: &mut HashMap<Option<String>, usize>| match event
        {
            Event::Message(result) => report(result),
            Event::BatchDone(server) => {
                if let Some(count) = in_flight.get_mut(&server) {
                    *count = count.saturating_sub(1);
                }
            }
        };
        let busy = |in_flight: &HashMap<Option<String>, usize>| in_flight.values().any(|&n| n > 0);
        // Passes: a broken connection or a fail-over leaves messages queued for the next pass.
        // A pass ends only when all its batches are done, so no message is dispatched twice.
        for _pass in 0..4 {
            let now = outbox::now();
            let groups = outbox::due_groups(store.conn(), now)?;
            if groups.is_empty() {
                break;
            }
            for group in groups {
                // Transactional mail is served first: mass mailings start only when it is done.
                if group.mass {
                    while busy(&in_flight) {
                        match event_receiver.recv() {
                            Ok(event) => handle(event, &mut in_flight),
                            Err(_) => break,
                        }
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
                        match event_receiver.recv() {
                            Ok(event) => handle(event, &mut in_flight),
                            Err(_) => {
                                return Err(Error::internal("every worker of the run stopped"))
                            }
                        }
                    }
                    let batch = outbox::next_batch(
                        store.conn(),
                        &group,
                        after,
                        options.per_connection,
                        now,
                    )?;
                    let Some(last) = batch.last() else { break };
                    after = last.entry.id;
                    let full = batch.len() as u32 == options.per_connection;
                    *in_flight.entry(group.server.clone()).or_default() += 1;
                    if jobs.send((group.clone(), batch)).is_err() {
                        return Err(Error::internal("every worker of the run stopped"));
                    }
                    while let Ok(event) = event_receiver.try_recv() {
                        handle(event, &mut in_flight);
                    }
                    if !full {
                        break;
                    }
                }
            }
            while busy(&in_flight) {
                match event_receiver.recv() {
                    Ok(event) => handle(event, &mut in_flight),
                    Err(_) => break,
                }
            }
        }
        drop(jobs);
        for worker in workers {
            worker
                .join()
                .map_err(|_| Error::internal("a worker of the run panicked"))??;
        }
        let _ = shared.writer.send(None);
        writer
            .join()
            .map_err(|_| Error::internal("the writer of the run panicked"))??;
        for event in event_receiver.try_iter() {
            handle(event, &mut in_flight);
        }
        Ok(())
    })
}

/// The routing request a queued message was made with.
fn request_of(entry: &Entry) -> Request<'_> {
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
fn reroute(
    store: &Store,
    id: i64,
    message: &[u8],
    decision: &routing::Decision<'_>,
) -> Result<Vec<u8>> {
    let bytes = with_from(message, &decision.header_from);
    outbox::reroute(
        store.conn(),
        id,
        decision.server,
        &decision.envelope_from,
        &decision.header_from,
        &bytes,
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

/// Sends one batch over one connection.
fn send_batch(
    store: &Store,
    shared: &Shared,
    group: &Group,
    batch: Vec<Pending>,
    events: &mpsc::Sender<Event>,
) -> Result<()> {
    let limits = shared.limits(group.server.as_deref());
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
            state,
            reply.as_deref(),
            kind,
            next,
            remaining.as_deref(),
        )?;
        let _ = events.send(Event::Message(MessageResult {
            id: pending.entry.id,
            state,
            attempts,
            message_id: pending.entry.message_id.clone(),
            server: group.server.clone(),
            last_reply: reply,
            failure_kind: kind,
            refused,
        }));
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
                    let bytes = reroute(store, entry.id, &pending.message, &decision)?;
                    sendable.push(Pending {
                        entry: entry.clone(),
                        message: bytes,
                    });
                } else {
                    sendable.push(pending);
                }
            }
            Ok(decision) => {
                // Picked up again by the next pass, in its new group.
                reroute(store, entry.id, &pending.message, &decision)?;
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
    // A message sent is recorded in the same commit as the next one's `sending`.
    let mut held: Option<(&Pending, String, Vec<String>)> = None;
    let emit_sent = |pending: &Pending, reply: String, refused: Vec<String>| {
        let _ = events.send(Event::Message(MessageResult {
            id: pending.entry.id,
            state: "sent",
            attempts: pending.entry.attempts + 1,
            message_id: pending.entry.message_id.clone(),
            server: group.server.clone(),
            last_reply: Some(reply),
            failure_kind: None,
            refused,
        }));
    };
    let flush = |held: &mut Option<(&Pending, String, Vec<String>)>| -> Result<()> {
        if let Some((pending, reply, refused)) = held.take() {
            outbox::finish(
                store.conn(),
                pending.entry.id,
                "sent",
                Some(&reply),
                None,
                None,
                None,
            )?;
            emit_sent(pending, reply, refused);
        }
        Ok(())
    };
    for (position, pending) in sendable.iter().enumerate() {
        let now = outbox::now();
        if let Some(name) = &group.server {
            if let Err(until) =
                outbox::reserve_quota(store.conn(), name, limits.per_minute, limits.per_day, now)?
            {
                // Over a quota: this message and the rest of the batch wait for the window.
                flush(&mut held)?;
                let reason = format!(
                    "server '{name}' has reached its sending quota: waiting for the window to open"
                );
                for waiting in &sendable[position..] {
                    outbox::postpone(store.conn(), waiting.entry.id, until, &reason)?;
                }
                break;
            }
        }
        shared.sent_and_sending(
            held.as_ref()
                .map(|(p, reply, _)| (p.entry.id, reply.clone())),
            pending.entry.id,
        )?;
        if let Some((sent, reply, refused)) = held.take() {
            emit_sent(sent, reply, refused);
        }
        let delivery = deliver(
            &mut session,
            pipelining,
            &pending.entry.envelope_from,
            &pending.entry.recipients,
            &pending.message,
        );
        if !matches!(delivery, Delivery::Sent { .. } | Delivery::Unknown(_)) {
            if let Some(name) = &group.server {
                outbox::release_quota(store.conn(), name, now)?;
            }
        }
        match delivery {
            Delivery::Sent {
                reply,
                refused,
                retry,
            } if retry.is_empty() => {
                held = Some((pending, with_failover_note(&pending.entry, reply), refused));
            }
            Delivery::Sent {
                reply,
                refused,
                retry,
            } => {
                finish(pending, "deferred", Some(reply), None, refused, Some(retry))?;
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
                if session.rset().is_err() {
                    break;
                }
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
                break;
            }
            Delivery::Unknown(e) => {
                finish(
                    pending,
                    "unknown",
                    Some(format!("{}: it may or may not have arrived", e.message)),
                    Some("connection"),
                    Vec::new(),
                    None,
                )?;
                break;
            }
        }
    }
    flush(&mut held)?;
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
        down.insert(name.to_string());
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
        reroute(store, entry.id, &pending.message, &decision)?;
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
            "queued",
            Some(&note),
            None,
            None,
            None,
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
    /// The server refused it; the connection is still usable (after RSET).
    Refused(SmtpError),
    /// The connection broke before the message could be accepted.
    NotSent(SmtpError),
    /// The connection broke after the message was written, before the server's verdict.
    Unknown(SmtpError),
}

fn deliver(
    session: &mut Session,
    pipelining: bool,
    envelope: &str,
    recipients: &[String],
    bytes: &[u8],
) -> Delivery {
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
        let replies = match session.envelope_pipelined(envelope, recipients) {
            Ok(replies) => replies,
            Err(e) => return Delivery::NotSent(e),
        };
        let data_ok = replies.data.is_ok();
        if let Err(e) = replies.mail {
            if data_ok {
                // A server that said 354 anyway waits for a message: end an empty one.
                let _ = session
                    .write_message(b"")
                    .and_then(|()| session.final_reply().map(|_| ()));
            }
            return Delivery::Refused(e);
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
                return Delivery::Refused(first_refusal.unwrap_or_else(|| {
                    SmtpError::new(Stage::Rcpt, FailureClass::Protocol, "no recipient")
                }));
            }
            Err(e) => return Delivery::Refused(first_refusal.unwrap_or(e)),
        }
    } else {
        if let Err(e) = session.mail_from(envelope) {
            return if broken(&e) {
                Delivery::NotSent(e)
            } else {
                Delivery::Refused(e)
            };
        }
        for recipient in recipients {
            match session.rcpt_to(recipient) {
                Err(e) if broken(&e) => return Delivery::NotSent(e),
                result => sort(recipient, result),
            }
        }
        if accepted == 0 {
            return Delivery::Refused(first_refusal.unwrap_or_else(|| {
                SmtpError::new(Stage::Rcpt, FailureClass::Protocol, "no recipient")
            }));
        }
        if let Err(e) = session.data() {
            return if broken(&e) {
                Delivery::NotSent(e)
            } else {
                Delivery::Refused(e)
            };
        }
    }
    if let Err(e) = session.write_message(bytes) {
        return Delivery::NotSent(e);
    }
    match session.final_reply() {
        Ok(reply) => Delivery::Sent {
            reply: reply.text(),
            refused,
            retry,
        },
        Err(e) if e.reply.is_some() => Delivery::Refused(e),
        Err(e) => Delivery::Unknown(e),
    }
}
