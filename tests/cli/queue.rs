//! The outbox against real SMTP servers: grouping and connection reuse, retries, permanent
//! failures, refused recipients, and a run killed with SIGKILL in the middle of 5,000 messages.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::smtp_support::{SmtpOptions, SmtpServer};
use crate::support::Env;

fn setup(server: &SmtpServer) -> Env {
    crate::smtp_support::env_sending_to(server)
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn enqueue(env: &Env, lines: &[Value]) -> Value {
    let file = env.dir().join(format!("batch-{}.jsonl", lines.len()));
    std::fs::write(&file, jsonl(lines)).unwrap();
    env.run(["queue", "add", "--file", file.to_str().unwrap(), "--json"])
        .ok()
        .json()
}

fn states(env: &Env) -> HashMap<i64, String> {
    env.run(["queue", "list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn message(i: usize, from: &str) -> Value {
    serde_json::json!({ "from": from, "to": format!("r{i}@example.org"), "subject": format!("message {i}"), "body": format!("body {i}") })
}

#[test]
fn a_group_shares_one_connection_and_mass_mail_waits_for_transactional() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let mut lines: Vec<Value> = (0..6).map(|i| message(i, "alice@example.com")).collect();
    let mut mass = message(6, "news@example.com");
    mass["mass"] = Value::Bool(true);
    lines.insert(0, mass);
    assert_eq!(enqueue(&env, &lines)["queued"], 7);
    let out = env.run(["queue", "run", "--json"]).ok();
    let results = out.ndjson();
    assert_eq!(results.len(), 7);
    assert!(
        results.iter().all(|r| r["state"] == "sent"),
        "{}",
        out.stdout
    );
    let delivered = server.messages();
    assert_eq!(delivered.len(), 7);
    // Six transactional messages over one connection, the mass mailing after them.
    assert_eq!(server.sessions(), 2);
    assert_eq!(
        delivered.last().unwrap().rcpt_tos,
        ["r6@example.org"],
        "mass mailing last"
    );
    assert!(states(&env).values().all(|s| s == "sent"));
    // Nothing is due any more.
    let out = env.run(["queue", "run"]).ok();
    out.assert_stdout_contains("Nothing was due");
}

#[test]
fn temporary_failures_are_deferred_and_permanent_ones_fail_at_once() {
    let soft = SmtpServer::start(SmtpOptions::plain().reject("mail:451"));
    let env = setup(&soft);
    enqueue(&env, &[message(1, "alice@example.com")]);
    let result = &env.run(["queue", "run", "--json"]).ok().ndjson()[0];
    assert_eq!(result["state"], "deferred");
    assert_eq!(result["failure_kind"], "refused-by-server");
    assert!(result["last_reply"].as_str().unwrap().starts_with("451"));
    // Deferred: not due again before its back-off, so a second run sends nothing.
    assert!(env.run(["queue", "run", "--json"]).ok().ndjson().is_empty());
    // The server recovers; a retry sends it, as the same message.
    let good = SmtpServer::start(SmtpOptions::plain());
    env.run(["server", "set", "main", "--port", &good.port().to_string()])
        .ok();
    env.run(["queue", "retry", "1"]).ok();
    let result = &env.run(["queue", "run", "--json"]).ok().ndjson()[0];
    assert_eq!(
        (result["state"].as_str(), result["attempts"].as_i64()),
        (Some("sent"), Some(2))
    );
    assert_eq!(good.messages().len(), 1);

    let hard = SmtpServer::start(SmtpOptions::plain().reject("mail:550"));
    let env = setup(&hard);
    enqueue(&env, &[message(1, "alice@example.com")]);
    let result = &env.run(["queue", "run", "--json"]).ok().ndjson()[0];
    assert_eq!(
        (result["state"].as_str(), result["failure_kind"].as_str()),
        (Some("failed"), Some("invalid-sender"))
    );
    let shown = env.run(["queue", "show", "1", "--json"]).ok().json();
    assert_eq!(shown["state"], "failed");
    assert_eq!(shown["attempts"], 1);
}

#[test]
fn one_refused_recipient_does_not_fail_the_others() {
    let server = SmtpServer::start(SmtpOptions::plain().reject_rcpt("bad@example.org", 550));
    let env = setup(&server);
    enqueue(
        &env,
        &[
            serde_json::json!({ "from": "alice@example.com", "to": ["a@example.org", "bad@example.org", "c@example.org"], "body": "x" }),
        ],
    );
    let result = &env.run(["queue", "run", "--json"]).ok().ndjson()[0];
    assert_eq!(result["state"], "sent");
    assert_eq!(result["refused"], serde_json::json!(["bad@example.org"]));
    assert_eq!(
        server.messages()[0].rcpt_tos,
        ["a@example.org", "c@example.org"]
    );
}

#[test]
fn an_invalid_line_enqueues_nothing_unless_skipped() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let file = env.dir().join("mixed.jsonl");
    std::fs::write(
        &file,
        jsonl(&[
            message(1, "alice@example.com"),
            serde_json::json!({ "from": "alice@example.com", "to": "not an address" }),
            message(3, "alice@example.com"),
        ]),
    )
    .unwrap();
    let out = env
        .run(["queue", "add", "--file", file.to_str().unwrap()])
        .fails(65);
    out.assert_stderr_contains("line 2");
    assert!(states(&env).is_empty(), "nothing may be enqueued");
    let out = env
        .run([
            "queue",
            "add",
            "--file",
            file.to_str().unwrap(),
            "--skip-invalid",
            "--json",
        ])
        .ok();
    assert_eq!(out.json()["queued"], 2);
    assert_eq!(out.json()["invalid"][0]["line"], 2);
    env.run(["queue", "cancel", "1"]).ok();
    assert_eq!(states(&env)[&1], "cancelled");
    env.run(["queue", "run"]).ok();
    assert_eq!(
        server.messages().len(),
        1,
        "the cancelled message is not sent"
    );
}

#[test]
fn send_queue_puts_the_message_in_the_outbox() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    let out = env
        .run([
            "send",
            "--queue",
            "--to",
            "bob@example.org",
            "--from",
            "bob@partner.example",
            "--body",
            "later",
            "--json",
        ])
        .ok();
    assert_eq!(out.json()["queued"], 1);
    assert_eq!(server.sessions(), 0, "queued, not sent");
    env.run(["queue", "run"]).ok();
    let delivered = &server.messages()[0];
    assert_eq!(delivered.mail_from, "bounce@example.com");
    assert!(delivered
        .raw
        .contains("From: \"bob\" <notifications@example.com>"));
}

fn message_id(raw: &str) -> Option<String> {
    raw.lines()
        .find_map(|l| {
            l.strip_prefix("Message-ID:")
                .or_else(|| l.strip_prefix("Message-Id:"))
        })
        .map(|v| v.trim().trim_matches(['<', '>']).to_string())
}

/// Kills `queue run` with SIGKILL in the middle of 5,000 messages, runs it again, and checks
/// from the server's own record that every message arrived, none twice except those reported
/// unknown, and that every message ends up sent.
#[test]
fn a_killed_run_loses_nothing_and_resends_only_what_it_reports_unknown() {
    killed_run(SmtpOptions::plain());
}

/// The same with PIPELINING, where a connection writes each message's envelope ahead, with the
/// previous message's content.
#[test]
fn a_killed_pipelining_run_loses_nothing_and_resends_only_what_it_reports_unknown() {
    killed_run(SmtpOptions::plain().arg("--pipelining"));
}

fn killed_run(options: SmtpOptions) {
    const COUNT: usize = 5000;
    let server = SmtpServer::start(options);
    let env = setup(&server);
    let lines: Vec<Value> = (0..COUNT)
        .map(|i| message(i, "alice@example.com"))
        .collect();
    assert_eq!(enqueue(&env, &lines)["queued"], COUNT);
    let expected: HashMap<String, i64> = env
        .run(["queue", "list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["message_id"].as_str().unwrap().to_string(),
                e["id"].as_i64().unwrap(),
            )
        })
        .collect();

    let mut child = env
        .command(["queue", "run"])
        .spawn()
        .expect("start queue run");
    let started = Instant::now();
    while server.messages_count() < COUNT / 5 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run delivers nothing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    // Let the server finish writing what it had received.
    std::thread::sleep(Duration::from_millis(300));
    let arrived: HashSet<String> = server
        .messages()
        .iter()
        .map(|d| message_id(&d.raw).expect("a Message-ID"))
        .collect();
    assert!(arrived.len() < COUNT, "killed too late to test anything");

    // The first command after the crash recovers from the run's send log: what the server
    // accepted is sent, what was in flight is unknown, what was claimed but not started is
    // queued again, and nothing is left `sending`.
    let listed = env.run(["queue", "list", "--json"]).ok();
    let after_crash: Vec<Value> = listed.json().as_array().unwrap().clone();
    let in_state = |state: &str| -> HashSet<i64> {
        after_crash
            .iter()
            .filter(|e| e["state"] == state)
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    let unknown = in_state("unknown");
    assert!(in_state("sending").is_empty(), "nothing is left sending");
    assert!(
        unknown.len() <= 4,
        "only deliveries in flight on the run's 4 connections are unknown, not {}",
        unknown.len()
    );
    if !unknown.is_empty() {
        listed.assert_stderr_contains("marked unknown");
    }
    for entry in &after_crash {
        let mid = entry["message_id"].as_str().unwrap();
        let id = entry["id"].as_i64().unwrap();
        match entry["state"].as_str().unwrap() {
            "sent" => assert!(
                arrived.contains(mid),
                "message {id} is sent but never arrived"
            ),
            "unknown" => {}
            state => assert!(
                !arrived.contains(mid),
                "message {id} arrived but is {state}: it would be sent twice"
            ),
        }
    }

    // The next run sends the rest and leaves unknown messages alone.
    env.run(["queue", "run"]).ok();
    // Unknown ones go again only when asked, with the same Message-ID.
    env.run(["queue", "run", "--resend-unknown"]).ok();

    let mut seen: HashMap<String, usize> = HashMap::new();
    for delivered in server.messages() {
        let id = message_id(&delivered.raw).expect("a Message-ID");
        *seen.entry(id).or_default() += 1;
    }
    for (mid, id) in &expected {
        let times = seen.get(mid).copied().unwrap_or(0);
        assert!(times >= 1, "message {id} never arrived");
        assert!(
            times == 1 || unknown.contains(id),
            "message {id} arrived {times} times but was not reported unknown"
        );
    }
    assert_eq!(seen.len(), COUNT, "only the queued messages arrived");
    let final_states = states(&env);
    assert_eq!(final_states.len(), COUNT);
    assert!(
        final_states.values().all(|s| s == "sent"),
        "every message ends up sent"
    );
}

#[test]
fn over_quota_messages_wait_for_the_window_and_route_shows_what_is_left() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let env = setup(&server);
    env.run(["server", "set", "main", "--per-minute", "2"]).ok();
    let lines: Vec<Value> = (0..5).map(|i| message(i, "alice@example.com")).collect();
    enqueue(&env, &lines);
    env.run(["queue", "run"]).ok();
    let entries = env.run(["queue", "list", "--json"]).ok().json();
    let entries = entries.as_array().unwrap();
    let sent = entries.iter().filter(|e| e["state"] == "sent").count();
    let waiting: Vec<&Value> = entries
        .iter()
        .filter(|e| e["state"] == "deferred")
        .collect();
    assert_eq!((sent, waiting.len()), (2, 3));
    for entry in &waiting {
        assert_eq!(entry["failure_kind"], "quota");
        assert_eq!(
            entry["attempts"], 0,
            "waiting for a quota is not a failed attempt"
        );
    }
    assert_eq!(server.messages().len(), 2);
    let route = env
        .run(["route", "alice@example.com", "--json"])
        .ok()
        .json();
    assert_eq!(route["quota"]["per_minute"]["remaining"], 0);
    assert_eq!(route["quota"]["per_minute"]["limit"], 2);
    // A minute later (moved back in the store, as the clock would), the window has room again.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute("UPDATE server_usage SET sent_at = sent_at - 120", [])
        .unwrap();
    conn.execute(
        "UPDATE outbox SET next_attempt_at = next_attempt_at - 120 WHERE state = 'deferred'",
        [],
    )
    .unwrap();
    drop(conn);
    env.run(["queue", "run"]).ok();
    assert_eq!(server.messages().len(), 4);
}

#[test]
fn a_server_that_is_down_fails_over_to_the_next_one_routing_accepts() {
    let backup = SmtpServer::start(SmtpOptions::plain());
    let env = Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "127.0.0.1",
        "--port",
        &crate::smtp_support::closed_port().to_string(),
        "--from-filter",
        "example.com",
        "--priority",
        "0",
        "--failover",
    ])
    .ok();
    env.run([
        "server",
        "add",
        "backup",
        "--host",
        "127.0.0.1",
        "--port",
        &backup.port().to_string(),
        "--from-filter",
        "example.com",
        "--priority",
        "5",
    ])
    .ok();
    let lines: Vec<Value> = (0..3).map(|i| message(i, "alice@example.com")).collect();
    enqueue(&env, &lines);
    let results = env.run(["queue", "run", "--json"]).ok().ndjson();
    assert_eq!(results.len(), 3);
    for result in &results {
        assert_eq!(result["state"], "sent");
        assert_eq!(result["server"], "backup");
        assert!(
            result["last_reply"]
                .as_str()
                .unwrap()
                .contains("failed over from 'main'"),
            "{result}"
        );
    }
    assert_eq!(backup.messages().len(), 3);

    // The trace recorded at the failover says which server was passed over, and why.
    let id = results[0]["id"].as_i64().unwrap().to_string();
    let shown = env.run(["queue", "show", &id, "--json"]).ok().json();
    assert_eq!(shown["failed_over"], true, "{shown}");
    let trace = shown["trace"].as_array().unwrap();
    let passed_over = trace
        .iter()
        .find(|step| step["server"] == "main")
        .expect("the trace names main");
    assert_eq!(passed_over["outcome"], "skipped", "{passed_over}");
    assert!(
        passed_over["detail"]
            .as_str()
            .unwrap()
            .contains("could not be reached in this run"),
        "{passed_over}"
    );
    let chosen = trace
        .iter()
        .find(|step| step["outcome"] == "matched")
        .expect("a server was chosen");
    assert_eq!(chosen["server"], "backup", "{chosen}");
    let human = env.run(["queue", "show", &id]).ok();
    human.assert_stdout_contains("How it was routed when it failed over:");
    human.assert_stdout_contains("main: has a matching filter but could not be reached");

    // Without --failover, the same outage only defers them.
    env.run(["server", "set", "main", "--failover", "false"])
        .ok();
    enqueue(&env, &[message(9, "alice@example.com")]);
    let results = env.run(["queue", "run", "--json"]).ok().ndjson();
    assert_eq!(
        (
            results[0]["state"].as_str(),
            results[0]["failure_kind"].as_str()
        ),
        (Some("deferred"), Some("connection"))
    );
    // A message that did not fail over shows how it is routed now.
    let id = results[0]["id"].as_i64().unwrap().to_string();
    let shown = env.run(["queue", "show", &id, "--json"]).ok().json();
    assert_eq!(shown["failed_over"], false, "{shown}");
    assert!(shown["trace"]
        .as_array()
        .unwrap()
        .iter()
        .any(|step| step["server"] == "main" && step["outcome"] == "matched"));
}

#[test]
fn a_421_in_the_middle_of_a_batch_defers_and_loses_nothing() {
    a_421_defers(SmtpOptions::plain());
    // With PIPELINING the next envelope is already on its way when the 421 comes: that message
    // is given back untried, and gets its own 421 over the next connection.
    a_421_defers(SmtpOptions::plain().arg("--pipelining"));
}

fn a_421_defers(options: SmtpOptions) {
    let server = SmtpServer::start(options.reject("data-end:421"));
    let env = setup(&server);
    let lines: Vec<Value> = (0..3).map(|i| message(i, "alice@example.com")).collect();
    enqueue(&env, &lines);
    env.run(["queue", "run"]).ok();
    let entries = env.run(["queue", "list", "--json"]).ok().json();
    for entry in entries.as_array().unwrap() {
        assert_eq!(entry["state"], "deferred", "{entry}");
        assert_eq!(entry["attempts"], 1, "{entry}");
        assert!(
            entry["last_reply"].as_str().unwrap().starts_with("421"),
            "{entry}"
        );
    }
    assert!(server.messages().is_empty());
}

#[test]
fn pipelining_servers_get_the_envelope_in_one_write_with_the_same_results() {
    let server = SmtpServer::start(
        SmtpOptions::plain()
            .arg("--pipelining")
            .reject_rcpt("bad@example.org", 550)
            .reject_rcpt("later@example.org", 450),
    );
    let env = setup(&server);
    enqueue(
        &env,
        &[
            serde_json::json!({ "from": "alice@example.com", "to": ["a@example.org", "bad@example.org", "later@example.org"], "body": "x" }),
            serde_json::json!({ "from": "alice@example.com", "to": "bad@example.org", "body": "y" }),
            message(3, "alice@example.com"),
        ],
    );
    let results = env.run(["queue", "run", "--json"]).ok().ndjson();
    let by_id: HashMap<i64, &Value> = results
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r))
        .collect();
    // 1: sent to a@, refused for good for bad@, deferred for later@ (4xx) only.
    assert_eq!(by_id[&1]["state"], "deferred");
    assert_eq!(by_id[&1]["refused"], serde_json::json!(["bad@example.org"]));
    let shown = env.run(["queue", "show", "1", "--json"]).ok().json();
    assert_eq!(
        shown["recipients"],
        serde_json::json!(["later@example.org"])
    );
    // 2: its only recipient refused: failed, and the connection goes on to 3.
    assert_eq!(
        (
            by_id[&2]["state"].as_str(),
            by_id[&2]["failure_kind"].as_str()
        ),
        (Some("failed"), Some("invalid-recipient"))
    );
    assert_eq!(by_id[&3]["state"], "sent");
    assert_eq!(server.sessions(), 1);
    let delivered = server.messages();
    assert_eq!(delivered.len(), 2);
    assert_eq!(delivered[0].rcpt_tos, ["a@example.org"]);
}

/// While a run sends, its messages are claimed: a second run is refused (exit 75, nothing
/// touched), `queue list` shows them `sending`, and they cannot be cancelled.
#[test]
fn a_run_in_progress_holds_its_messages() {
    let server = SmtpServer::start(SmtpOptions::plain().hang());
    let env = setup(&server);
    env.run(["server", "set", "main", "--timeout", "3"]).ok();
    let lines: Vec<Value> = (0..3).map(|i| message(i, "alice@example.com")).collect();
    enqueue(&env, &lines);
    let mut first = env
        .command(["queue", "run"])
        .spawn()
        .expect("start queue run");
    server.wait_for_sessions(1);

    let second = env.run(["queue", "run", "--json"]).fails(75);
    let (kind, message) = second.json_error();
    assert_eq!(kind, "busy");
    assert!(
        message.contains("another `mailroute queue run`"),
        "{message}"
    );
    assert!(states(&env).values().all(|s| s == "sending"));
    let cancel = env.run(["queue", "cancel", "1"]).fails(65);
    cancel.assert_stderr_contains("being sent by a `queue run`");

    assert!(first.wait().unwrap().success());
    let entries = env.run(["queue", "list", "--json"]).ok().json();
    for entry in entries.as_array().unwrap() {
        assert_eq!(entry["state"], "deferred", "{entry}");
        assert_eq!(entry["failure_kind"], "timeout", "{entry}");
        assert_eq!(entry["attempts"], 1, "{entry}");
    }
    // The lock went with the run.
    env.run(["queue", "cancel", "1"]).ok();
}

/// A run opens as many connections at once as the server allows (`--max-connections`), and
/// no more. Killed while all of them wait for a greeting, it leaves every message queued:
/// none had started.
#[test]
fn a_run_opens_as_many_connections_as_the_server_allows() {
    let server = SmtpServer::start(SmtpOptions::plain().hang());
    let env = setup(&server);
    env.run([
        "server",
        "set",
        "main",
        "--max-connections",
        "6",
        "--timeout",
        "60",
    ])
    .ok();
    let lines: Vec<Value> = (0..12).map(|i| message(i, "alice@example.com")).collect();
    enqueue(&env, &lines);
    let mut run = env
        .command(["queue", "run", "--per-connection", "1"])
        .spawn()
        .expect("start queue run");
    assert_eq!(server.wait_for_sessions(6), 6, "six connections at once");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.sessions(), 6, "and no more");
    run.kill().expect("SIGKILL");
    run.wait().unwrap();

    let after = states(&env);
    assert_eq!(after.len(), 12);
    assert!(
        after.values().all(|s| s == "queued"),
        "claimed but never started: queued again, not unknown: {after:?}"
    );
}
