//! The send log: a file beside the store that records, as a `queue run` goes, each message whose
//! content it starts to write and each one the server accepts, before the store is told.
//!
//! Why a file of its own: marking every message in SQLite before its DATA and after its final
//! reply costs two commits per message (file locks, WAL frames, and a hand-off between the
//! connections that share them), which was most of a parallel run's time. An append here is one
//! `write(2)`. Like a WAL commit with `synchronous = NORMAL` (the store's setting), it survives
//! the process being killed, because the kernel holds the page; neither survives a power cut.
//! The run applies accepted deliveries to the store in batches. After a crash, the next command
//! that takes the lock applies what the log holds, marks `unknown` the deliveries started without
//! an outcome, and releases the messages the dead run had claimed but never started
//! (`crate::outbox::recover`).
//!
//! The file is also the run lock: a run holds an exclusive `flock` on it from start to end, so
//! two runs never share messages, and the lock goes with the process when it dies.
//!
//! It only records; it decides nothing about routing, SMTP or states.

use std::collections::HashSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    /// This message's content is about to be written: it may arrive from now on.
    Sending(i64),
    /// The server accepted it with this final reply, at this attempt.
    Sent {
        id: i64,
        attempts: i64,
        reply: String,
    },
}

/// What a log holds: accepted deliveries, and deliveries started without an outcome.
#[derive(Debug, Default)]
pub struct Replay {
    pub sent: Vec<(i64, i64, String)>,
    pub started: HashSet<i64>,
}

/// An open, locked send log.
#[derive(Debug)]
pub struct SendLog {
    file: File,
    path: PathBuf,
    existed: bool,
}

impl SendLog {
    /// The log of the store at `db`: `DB-sendlog`, as SQLite names its own `DB-wal`.
    pub fn path_for(db: &Path) -> PathBuf {
        let mut path = db.as_os_str().to_owned();
        path.push("-sendlog");
        PathBuf::from(path)
    }

    /// Opens the log (created, mode 0600, if missing) and takes its lock; `None` when another
    /// process holds it, that is, a run is sending from this store.
    pub fn lock(db: &Path) -> Result<Option<SendLog>> {
        let path = Self::path_for(db);
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Store,
                    format!("cannot open the send log {}: {e}", path.display()),
                )
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SendLog {
                file,
                path,
                existed,
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(Error::new(
                ErrorKind::Store,
                format!("cannot lock the send log {}: {e}", path.display()),
            )),
        }
    }

    /// Whether the file was there before this lock: a store whose runs predate the log has
    /// none, and its messages left `sending` cannot be told apart.
    pub fn existed(&self) -> bool {
        self.existed
    }

    /// Appends records, in one write: with O_APPEND, the lines of parallel connections never
    /// mix, and a connection records a delivery's acceptance and the next one's start together.
    pub fn append(&self, records: &[Record]) -> Result<()> {
        let mut lines = Vec::with_capacity(64 * records.len());
        for record in records {
            serde_json::to_writer(&mut lines, record)
                .map_err(|e| Error::internal(e.to_string()))?;
            lines.push(b'\n');
        }
        (&self.file).write_all(&lines).map_err(|e| {
            Error::new(
                ErrorKind::Store,
                format!("cannot write the send log {}: {e}", self.path.display()),
            )
        })
    }

    /// Reads the log. A last line cut short (the process died while writing it) is ignored: its
    /// delivery had not started, or its acceptance is then treated as unknown.
    pub fn read(&self) -> Result<Replay> {
        let read_error = |e: std::io::Error| {
            Error::new(
                ErrorKind::Store,
                format!("cannot read the send log {}: {e}", self.path.display()),
            )
        };
        let mut file = &self.file;
        file.seek(SeekFrom::Start(0)).map_err(read_error)?;
        let mut replay = Replay::default();
        for line in BufReader::new(file).split(b'\n') {
            let line = line.map_err(read_error)?;
            match serde_json::from_slice::<Record>(&line) {
                Ok(Record::Sending(id)) => {
                    replay.started.insert(id);
                }
                Ok(Record::Sent {
                    id,
                    attempts,
                    reply,
                }) => {
                    replay.started.remove(&id);
                    replay.sent.push((id, attempts, reply));
                }
                Err(_) => continue,
            }
        }
        Ok(replay)
    }

    /// Empties the log, once the store holds everything it recorded.
    pub fn clear(&self) -> Result<()> {
        self.file.set_len(0).map_err(|e| {
            Error::new(
                ErrorKind::Store,
                format!("cannot empty the send log {}: {e}", self.path.display()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_replay_and_a_torn_last_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let log = SendLog::lock(&db).unwrap().expect("nobody else holds it");
        assert!(!log.existed());
        let sent = |id, attempts, reply: &str| Record::Sent {
            id,
            attempts,
            reply: reply.into(),
        };
        log.append(&[Record::Sending(1)]).unwrap();
        log.append(&[sent(1, 1, "250 ok"), Record::Sending(2)])
            .unwrap();
        log.append(&[Record::Sending(3)]).unwrap();
        log.append(&[sent(3, 2, "250 queued\nas 7")]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(SendLog::path_for(&db))
            .unwrap()
            .write_all(b"{\"sent\":{\"id\":2,\"atte")
            .unwrap();
        let replay = log.read().unwrap();
        assert_eq!(
            replay.sent,
            vec![(1, 1, "250 ok".into()), (3, 2, "250 queued\nas 7".into())]
        );
        assert_eq!(replay.started, HashSet::from([2]));
        log.clear().unwrap();
        assert!(log.read().unwrap().sent.is_empty());
        log.append(&[Record::Sending(4)]).unwrap();
        assert_eq!(log.read().unwrap().started, HashSet::from([4]));
    }

    #[test]
    fn one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let first = SendLog::lock(&db).unwrap().expect("free");
        assert!(SendLog::lock(&db).unwrap().is_none());
        drop(first);
        let again = SendLog::lock(&db).unwrap().expect("free again");
        assert!(again.existed());
    }
}
