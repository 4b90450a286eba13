//! A small builder for running `mailroute` against a throw-away store, in the style of cargo's
//! and just's test suites:
//!
//! ```ignore
//! let env = Env::new();
//! env.run(["domain", "add", "example.com"]).ok();
//! let out = env.run(["route", "nobody", "--json"]).fails(65);
//! assert_eq!(out.json_error().0, "bad-input");
//! ```
//!
//! Every process gets a scrubbed environment: the store, HOME and XDG_DATA_HOME all point into
//! the temporary directory, NO_COLOR is set, and no backtrace variables leak in. stdin is
//! `/dev/null` unless the test gives some, so the tool never sees a terminal.

#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_mailroute");

/// A temporary home with a store in it.
pub struct Env {
    dir: TempDir,
    db: PathBuf,
}

impl Env {
    /// A fresh environment whose store does not exist yet (it is created on first use).
    pub fn new() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("mailroute-test-")
            .tempdir()
            .expect("create a temporary directory");
        let db = dir.path().join("store.db");
        Env { dir, db }
    }

    /// The temporary directory everything lives in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The store's path, as passed with MAILROUTE_DB.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// A `Command` for the binary with the scrubbed environment, for tests that need to drive
    /// the process themselves (pipes, concurrency).
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", self.dir().join("home"))
            .env("XDG_DATA_HOME", self.dir().join("xdg-data"))
            .env("MAILROUTE_DB", &self.db)
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Starts describing one run of the tool.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let cmd = self.command(args);
        let args = cmd.get_args().map(OsStr::to_os_string).collect();
        Run {
            cmd,
            args,
            stdin: None,
        }
    }

    /// Runs `--json` listings of everything the store holds, to compare before and after a
    /// command that must not change anything. `local-parts` includes the alias history.
    pub fn dump(&self) -> Value {
        let mut dump = serde_json::Map::new();
        for what in [
            &["domain", "list"][..],
            &["company", "list"],
            &["server", "list"],
            &["settings", "show"],
            &["local-parts"],
        ] {
            let mut args: Vec<&str> = what.to_vec();
            args.push("--json");
            dump.insert(what.join(" "), self.run(args).ok().json());
        }
        Value::Object(dump)
    }

    /// Asserts that `args` is refused with `code` and leaves the store exactly as it was.
    pub fn refused_unchanged<I, S>(&self, args: I, code: i32) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let before = self.dump();
        let out = self.run(args).fails(code);
        let after = self.dump();
        assert_eq!(
            before,
            after,
            "a refused command changed the store\n{}",
            out.describe()
        );
        out
    }

    /// The worked-examples configuration of routing.md §7.
    pub fn worked_example(&self) {
        self.run([
            "server",
            "add",
            "dom",
            "--host",
            "dom.example",
            "--from-filter",
            "test.mycompany.com",
            "--priority",
            "0",
        ])
        .ok();
        self.run([
            "server",
            "add",
            "user",
            "--host",
            "user.example",
            "--from-filter",
            "specific_user@test.mycompany.com",
            "--priority",
            "1",
        ])
        .ok();
        self.run([
            "server",
            "add",
            "notif",
            "--host",
            "notif.example",
            "--from-filter",
            "notifications.test@test.mycompany.com",
            "--priority",
            "2",
        ])
        .ok();
        self.run([
            "server",
            "add",
            "any",
            "--host",
            "any.example",
            "--priority",
            "3",
        ])
        .ok();
        self.run([
            "domain",
            "add",
            "test.mycompany.com",
            "--bounce",
            "bounce.test",
            "--catchall",
            "catchall.test",
            "--default-from",
            "notifications.test",
        ])
        .ok();
    }

    /// `route FROM --json [extra...]`, expected to succeed, as a JSON value.
    pub fn route(&self, from: &str, extra: &[&str]) -> Value {
        let mut args = vec!["route", from, "--json"];
        args.extend_from_slice(extra);
        self.run(args).ok().json()
    }
}

/// One invocation being set up.
pub struct Run {
    cmd: Command,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
}

impl Run {
    /// Feeds these bytes on stdin (a pipe, not a terminal).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(input.into());
        self
    }

    /// Sets an environment variable for this run.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Run {
        self.cmd.env(key, value);
        self
    }

    /// Removes an environment variable for this run.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Run {
        self.cmd.env_remove(key);
        self
    }

    /// Runs it, whatever the outcome.
    pub fn output(mut self) -> Output {
        if self.stdin.is_some() {
            self.cmd.stdin(Stdio::piped());
        }
        let mut child: Child = self.cmd.spawn().expect("start mailroute");
        let writer = self.stdin.take().map(|input| {
            let mut pipe = child.stdin.take().expect("stdin pipe");
            std::thread::spawn(move || {
                // The tool may stop reading early (an error, or it never reads): not our concern.
                let _ = pipe.write_all(&input);
            })
        });
        let out = child.wait_with_output().expect("wait for mailroute");
        if let Some(writer) = writer {
            writer.join().expect("stdin writer");
        }
        Output {
            args: self.args,
            status: out.status,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout_bytes: out.stdout,
        }
    }

    /// Runs it and asserts it succeeded (exit 0).
    #[track_caller]
    pub fn ok(self) -> Output {
        let out = self.output();
        assert_eq!(out.code(), Some(0), "expected success\n{}", out.describe());
        out
    }

    /// Runs it and asserts it failed with exactly this exit code.
    #[track_caller]
    pub fn fails(self, code: i32) -> Output {
        let out = self.output();
        assert_eq!(
            out.code(),
            Some(code),
            "expected exit status {code}\n{}",
            out.describe()
        );
        out.assert_no_panic();
        out
    }
}

/// What one run produced.
pub struct Output {
    pub args: Vec<OsString>,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

impl Output {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// A description for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "command: mailroute {}\nstatus: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }

    #[track_caller]
    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && self.code() != Some(101),
            "the process panicked\n{}",
            self.describe()
        );
    }

    /// stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{}", self.describe()))
    }

    /// stdout as NDJSON: one JSON value a line.
    #[track_caller]
    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| {
                    panic!(
                        "stdout line is not a JSON document: {e}: {line:?}\n{}",
                        self.describe()
                    )
                })
            })
            .collect()
    }

    /// stderr as the `--json` error contract: exactly one JSON object
    /// `{"error": {"kind": ..., "message": ...}}`. Returns (kind, message).
    #[track_caller]
    pub fn json_error(&self) -> (String, String) {
        let value: Value = serde_json::from_str(self.stderr.trim()).unwrap_or_else(|e| {
            panic!(
                "stderr is not exactly one JSON object: {e}\n{}",
                self.describe()
            )
        });
        let error = value
            .as_object()
            .and_then(|o| o.get("error"))
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("stderr has no \"error\" object\n{}", self.describe()));
        let kind = error
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("error has no string \"kind\"\n{}", self.describe()));
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("error has no string \"message\"\n{}", self.describe()));
        assert!(
            !message.is_empty(),
            "empty error message\n{}",
            self.describe()
        );
        (kind.to_string(), message.to_string())
    }

    /// Asserts stdout is empty (a failing command prints no data).
    #[track_caller]
    pub fn assert_stdout_empty(&self) -> &Self {
        assert!(
            self.stdout.is_empty(),
            "expected nothing on stdout\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "expected stderr to contain {needle:?}\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn assert_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "expected stdout to contain {needle:?}\n{}",
            self.describe()
        );
        self
    }
}

/// A string field of a JSON object, with a useful message when it is missing.
#[track_caller]
pub fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string {key:?} in {value:#}"))
}

/// The names in a `--json` list (`domain list`, `server list`, `company list`).
pub fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {list:#}"))
        .iter()
        .map(|item| str_field(item, "name").to_string())
        .collect()
}

/// Checks the routing decision contract of cli.md: the required keys and their types.
#[track_caller]
pub fn assert_decision_shape(d: &Value) {
    let obj = d
        .as_object()
        .unwrap_or_else(|| panic!("a decision is a JSON object, got {d:#}"));
    for key in [
        "server",
        "rule",
        "header_from",
        "envelope_from",
        "reply_to",
        "rewritten",
        "trace",
        "warnings",
    ] {
        assert!(obj.contains_key(key), "decision lacks {key:?}: {d:#}");
    }
    assert!(
        d["server"].is_string() || d["server"].is_null(),
        "server is a name or null: {d:#}"
    );
    let rule = str_field(d, "rule");
    assert!(
        [
            "forced",
            "address",
            "domain",
            "notification-address",
            "notification-domain",
            "unfiltered",
            "first",
            "fallback"
        ]
        .contains(&rule),
        "unknown rule {rule:?}"
    );
    assert!(d["header_from"].is_string(), "header_from: {d:#}");
    let envelope = str_field(d, "envelope_from");
    assert!(
        envelope.is_ascii() && envelope.contains('@') && !envelope.contains('<'),
        "envelope_from is a bare ASCII address: {envelope:?}"
    );
    assert!(d["reply_to"].is_string(), "reply_to: {d:#}");
    assert!(d["rewritten"].is_boolean(), "rewritten: {d:#}");
    let trace = d["trace"]
        .as_array()
        .unwrap_or_else(|| panic!("trace is an array: {d:#}"));
    assert!(!trace.is_empty(), "the trace is empty: {d:#}");
    for step in trace {
        assert!(
            step["step"].is_string() && step["outcome"].is_string(),
            "each trace step has a string step and outcome: {step:#}"
        );
    }
    let warnings = d["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("warnings is an array: {d:#}"));
    assert!(
        warnings.iter().all(Value::is_string),
        "warnings are strings: {d:#}"
    );
}
