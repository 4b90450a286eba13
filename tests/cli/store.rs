//! The store: where it is, how it is created, global flags, concurrent writers, refusals that
//! change nothing, and `--json` errors.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use crate::support::{names, Env};

#[test]
fn created_with_its_folder_and_mode_0600_on_first_use() {
    let env = Env::new();
    let db = env.dir().join("not/yet/there/store.db");
    env.run(["domain", "add", "example.com"])
        .env("MAILROUTE_DB", &db)
        .ok();
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "store mode {mode:o}");
    let dir_mode = std::fs::metadata(db.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o077;
    assert_eq!(
        dir_mode, 0,
        "the folder is not readable by others: {dir_mode:o}"
    );
    let list = env
        .run(["domain", "list", "--json"])
        .env("MAILROUTE_DB", &db)
        .ok()
        .json();
    assert_eq!(names(&list), ["example.com"]);
}

#[test]
fn default_path_is_under_xdg_data_home() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"])
        .env_remove("MAILROUTE_DB")
        .ok();
    let db = env.dir().join("xdg-data/mailroute/mailroute.db");
    assert!(db.is_file(), "{} was created", db.display());
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!env.db().exists());
}

#[test]
fn default_path_falls_back_to_home() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"])
        .env_remove("MAILROUTE_DB")
        .env_remove("XDG_DATA_HOME")
        .ok();
    let db = env.dir().join("home/.local/share/mailroute/mailroute.db");
    assert!(db.is_file(), "{} was created", db.display());
}

#[test]
fn db_flag_before_or_after_the_subcommand() {
    let env = Env::new();
    let db = env.dir().join("flag.db");
    let db = db.to_str().unwrap();
    env.run(["--db", db, "domain", "add", "before.example"])
        .ok();
    env.run(["domain", "add", "after.example", "--db", db]).ok();
    env.run(["domain", "--db", db, "add", "middle.example"])
        .ok();
    let before = env
        .run(["--db", db, "domain", "list", "--json"])
        .ok()
        .json();
    let after = env
        .run(["domain", "list", "--json", "--db", db])
        .ok()
        .json();
    assert_eq!(before, after);
    assert_eq!(
        names(&before),
        ["after.example", "before.example", "middle.example"]
    );
    // --db wins over MAILROUTE_DB, which was never touched.
    assert!(!env.db().exists());
}

#[test]
fn json_flag_before_or_after_the_subcommand() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let a = env.run(["--json", "domain", "list"]).ok().json();
    let b = env.run(["domain", "list", "--json"]).ok().json();
    assert_eq!(a, b);
    let out = env.run(["--json", "route", "nobody"]).fails(65);
    assert_eq!(out.json_error().0, "bad-input");
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    // PRAGMA user_version lives at offset 60 of the SQLite header, big-endian. Each command
    // closes its connection, which checkpoints the WAL into the main file and removes it.
    let mut bytes = std::fs::read(env.db()).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert!(
        !env.db().with_extension("db-wal").exists(),
        "the WAL was checkpointed"
    );
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(env.db(), &bytes).unwrap();

    let out = env.run(["domain", "list", "--json"]).fails(78);
    out.assert_stdout_empty();
    let (kind, message) = out.json_error();
    assert_eq!(kind, "config");
    assert!(message.contains("newer"), "{message}");
    // Writing is refused too, and the file is left alone.
    env.run(["domain", "add", "other.example"]).fails(78);
    assert_eq!(std::fs::read(env.db()).unwrap(), bytes);
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_alone() {
    let env = Env::new();
    std::fs::write(env.db(), "not a database\n").unwrap();
    let out = env.run(["domain", "list", "--json"]).output();
    assert_ne!(out.code(), Some(0), "{}", out.describe());
    out.assert_no_panic();
    out.json_error();
    env.run(["domain", "add", "example.com"]).output();
    assert_eq!(std::fs::read(env.db()).unwrap(), b"not a database\n");
}

#[test]
fn another_applications_sqlite_database_is_refused() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    // PRAGMA application_id lives at offset 68.
    let mut bytes = std::fs::read(env.db()).unwrap();
    bytes[68..72].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    std::fs::write(env.db(), &bytes).unwrap();
    let out = env.run(["domain", "list", "--json"]).fails(78);
    assert_eq!(out.json_error().0, "config");
    env.run(["server", "add", "x", "--host", "h"]).fails(78);
    assert_eq!(std::fs::read(env.db()).unwrap(), bytes);
}

/// Runs 8 threads, each running 10 `server add` processes one after the other, so that 8
/// processes write to the store at any moment; returns the failures.
fn add_servers_concurrently(env: &Env) -> Vec<String> {
    let handles: Vec<_> = (0..8)
        .map(|p| {
            let commands: Vec<_> = (0..10)
                .map(|i| {
                    let mut cmd = env.command([
                        "server".to_string(),
                        "add".to_string(),
                        format!("s{p}-{i}"),
                        "--host".to_string(),
                        format!("h{p}.example"),
                        "--priority".to_string(),
                        i.to_string(),
                    ]);
                    cmd.stdout(Stdio::null());
                    cmd
                })
                .collect();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for mut cmd in commands {
                    let out = cmd.output().unwrap();
                    if !out.status.success() {
                        failures.push(format!(
                            "{:?}: {:?} {}",
                            cmd.get_args().collect::<Vec<_>>(),
                            out.status,
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
                failures
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect()
}

#[test]
fn concurrent_writers_all_succeed() {
    let env = Env::new();
    env.run(["settings", "show"]).ok(); // the store exists and is migrated
    let failures = add_servers_concurrently(&env);
    assert!(
        failures.is_empty(),
        "failed processes:\n{}",
        failures.join("\n")
    );
    let list = env.run(["server", "list", "--json"]).ok().json();
    let mut got = names(&list);
    got.sort();
    let mut want: Vec<String> = (0..8)
        .flat_map(|p| (0..10).map(move |i| format!("s{p}-{i}")))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn concurrent_first_use_all_succeed() {
    // Several processes starting on a store that does not exist yet race to create it, switch
    // it to WAL and migrate it: every one of them must wait its turn, none may fail.
    // `--password-stdin` is read before the store is opened, so stdin is a starting gate: every
    // process is started and waits on its stdin, then all are let go at once.
    for round in 0..30 {
        let env = Env::new();
        let mut children: Vec<_> = (0..16)
            .map(|p| {
                let mut cmd = env.command([
                    "server",
                    "add",
                    &format!("s{p}"),
                    "--host",
                    "h.example",
                    "--user",
                    "u",
                    "--password-stdin",
                ]);
                cmd.stdin(Stdio::piped()).stdout(Stdio::null());
                cmd.spawn().unwrap()
            })
            .collect();
        let gates: Vec<_> = children
            .iter_mut()
            .map(|c| c.stdin.take().unwrap())
            .collect();
        for mut gate in gates {
            gate.write_all(b"pw\n").unwrap();
        }
        let failures: Vec<String> = children
            .into_iter()
            .enumerate()
            .filter_map(|(p, child)| {
                let out = child.wait_with_output().unwrap();
                (!out.status.success()).then(|| {
                    format!(
                        "process {p}: {:?} {}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    )
                })
            })
            .collect();
        assert!(
            failures.is_empty(),
            "round {round}: failed processes:\n{}",
            failures.join("\n")
        );
        let list = env.run(["server", "list", "--json"]).ok().json();
        assert_eq!(names(&list).len(), 16, "round {round}");
    }
}

#[test]
fn json_errors_are_one_object_on_stderr() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "h"]).ok();
    for (args, code, kind) in [
        (&["route", "nobody", "--json"][..], 65, "bad-input"),
        (&["server", "show", "smtp2", "--json"], 65, "not-found"),
        (
            &["server", "add", "main", "--host", "h", "--json"],
            65,
            "conflict",
        ),
        (&["domain", "add", "a b", "--json"], 65, "bad-input"),
        (&["domain", "--json", "frobnicate"], 64, "usage"),
        (&["server", "add", "--json"], 64, "usage"),
        (&["--json", "--no-such-flag"], 64, "usage"),
    ] {
        let out = env.run(args).fails(code);
        out.assert_stdout_empty();
        assert_eq!(out.json_error().0, kind, "{}", out.describe());
    }
}

#[test]
fn json_errors_stay_one_object_when_there_is_also_a_note() {
    // `domain add` notes on stderr how it cleaned an alias; if the add is then refused, a
    // script reading stderr with --json must still find exactly one JSON object.
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let out = env.refused_unchanged(
        [
            "domain",
            "add",
            "example.com",
            "--bounce",
            "Bounce Two",
            "--json",
        ],
        65,
    );
    let (kind, _) = out.json_error();
    assert_eq!(kind, "conflict");
}

#[test]
fn refused_commands_leave_the_store_as_it_was() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["domain", "add", "other.example", "--priority", "1"])
        .ok();
    env.run(["company", "add", "Acme"]).ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "h",
        "--from-filter",
        "example.com",
    ])
    .ok();
    env.run(["server", "add", "bulk", "--host", "h"]).ok();
    env.run(["settings", "set", "mass-mailing-server", "bulk"])
        .ok();
    env.run(["settings", "set", "email-from", "admin@example.com"])
        .ok();
    env.run(["domain", "set", "other.example", "--bounce", "b2", "--yes"])
        .ok();

    let refusals: &[(&[&str], i32)] = &[
        (&["domain", "add", "outlook.fr, gmail.com"], 65),
        (&["domain", "add", "provaïder"], 65),
        (&["domain", "add", "example.com"], 65),
        (
            &[
                "domain",
                "set",
                "example.com",
                "--bounce",
                "x",
                "--priority",
                "3",
            ],
            64,
        ),
        (&["domain", "set", "nope.example", "--priority", "3"], 65),
        // Acme got other.example: it comes first (priority 1).
        (&["domain", "remove", "other.example", "--yes"], 65),
        (&["domain", "remove", "example.com"], 64),
        (&["company", "add", "acme"], 65),
        (
            &["company", "add", "Globex", "--domain", "nope.example"],
            65,
        ),
        (&["company", "set", "Acme", "--domain", "nope.example"], 65),
        (&["company", "remove", "Acme"], 64),
        (&["server", "add", "x", "--url", "smtp://u:secret@h"], 65),
        (&["server", "add", "x", "--url", "gopher://h"], 65),
        (
            &["server", "add", "x", "--host", "h", "--from-filter", "a@@b"],
            65,
        ),
        (&["server", "add", "MAIN", "--host", "h"], 65),
        (
            &[
                "server",
                "set",
                "main",
                "--from-filter",
                "a@@b",
                "--priority",
                "1",
            ],
            65,
        ),
        (&["server", "set", "main", "--password-env", "PW"], 64),
        (&["server", "remove", "bulk", "--yes"], 65),
        (&["server", "remove", "main"], 64),
        (&["server", "enable", "smtp2"], 65),
        (&["settings", "set", "fallback-server", "nope"], 65),
        (&["settings", "set", "mass-mailing-server", "smtp2"], 65),
        (
            &["settings", "set", "email-from", "a@b.example, c@d.example"],
            65,
        ),
        (&["settings", "unset", "colour"], 65),
        (&["route", "nobody"], 65),
        (&["route", "a@b.example", "--server", "smtp2"], 65),
    ];
    for (args, code) in refusals {
        env.refused_unchanged(*args, *code);
    }
}

#[test]
fn no_arguments_prints_an_overview() {
    let env = Env::new();
    let out = env.run(Vec::<&str>::new()).ok();
    out.assert_stdout_contains("mailroute");
    let help = env.run(["--help"]).ok();
    help.assert_stdout_contains("route");
    let version = env.run(["--version"]).ok();
    version.assert_stdout_contains(env!("CARGO_PKG_VERSION"));
}

#[test]
fn nothing_is_written_outside_the_temporary_home() {
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run(["route", "a@example.com", "--json"]).ok();
    // Only the store (and the HOME/XDG folders if the tool made them) in the temp dir.
    let entries: Vec<String> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        entries.iter().all(|e| e.starts_with("store.db")),
        "{entries:?}"
    );
}
