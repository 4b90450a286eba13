//! The interactive set-up under a real pseudo-terminal: prompts appear only when a person is
//! there, and what they answer is what the flags would have given.

use rexpect::session::{spawn_command, PtySession};

use crate::support::Env;

const TIMEOUT_MS: u64 = 20_000;

fn spawn(env: &Env, args: &[&str]) -> PtySession {
    // Not `env.command`: its stdio is piped, and rexpect must give the child the terminal.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mailroute"));
    cmd.args(args).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("HOME", env.dir().join("home"))
        .env("XDG_DATA_HOME", env.dir().join("xdg-data"))
        .env("MAILROUTE_DB", env.db())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("LC_ALL", "C.UTF-8");
    spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn mailroute under a pseudo-terminal")
}

/// Sends a key press to a prompt that reads single keys. The prompt switches the terminal to
/// raw mode only after it is drawn; a key sent before that would be flushed with the line
/// buffer, so give it a moment, as a person would.
fn key(p: &mut PtySession, key: &str) {
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send(key).unwrap();
    p.flush().unwrap();
}

#[test]
fn server_add_asks_for_what_is_missing_and_hides_the_password() {
    let env = Env::new();
    let mut p = spawn(&env, &["server", "add"]);
    p.exp_string("Name").unwrap();
    p.send_line("main").unwrap();
    p.exp_string("Host name or IP address").unwrap();
    p.send_line("127.0.0.1").unwrap();
    p.exp_string("Connection security").unwrap();
    key(&mut p, "\r"); // the default: STARTTLS
    p.exp_string("Port").unwrap();
    p.send_line("").unwrap(); // the default for STARTTLS: 587
    p.exp_string("User name").unwrap();
    p.send_line("alice").unwrap();
    p.exp_string("Where does the password come from?").unwrap();
    key(&mut p, "\x1b[A"); // up: "type it now"
    key(&mut p, "\r");
    p.exp_string("Password").unwrap();
    p.send_line("Typed-S3cret").unwrap();
    p.exp_string("From-filter").unwrap();
    p.send_line("example.com").unwrap();
    p.exp_string("Add this server?").unwrap();
    key(&mut p, "y");
    p.exp_string("Test the connection now?").unwrap();
    key(&mut p, "n");
    let rest = p.exp_eof().unwrap();
    assert!(
        !rest.contains("Typed-S3cret"),
        "the password was echoed: {rest}"
    );

    let server = env.run(["server", "show", "main", "--json"]).ok().json();
    assert_eq!(server["host"], "127.0.0.1");
    assert_eq!(server["port"], 587);
    assert_eq!(server["security"], "starttls");
    assert_eq!(server["user"], "alice");
    assert_eq!(server["password"], "stored");
    assert_eq!(server["from_filter"], "example.com");
}

#[test]
fn domain_add_asks_for_the_name_and_aliases() {
    let env = Env::new();
    let mut p = spawn(&env, &["domain", "add", "--catchall", "replies"]);
    p.exp_string("Domain name").unwrap();
    p.send_line("not a domain").unwrap();
    p.exp_string("not").unwrap(); // the validation message, then the prompt again
    p.send_line("example.com").unwrap();
    p.exp_string("Bounce alias").unwrap();
    p.send_line("").unwrap(); // default: bounce
    p.exp_string("Default From").unwrap();
    p.send_line("robot").unwrap();
    p.exp_string("Add this domain?").unwrap();
    key(&mut p, "y");
    p.exp_eof().unwrap();
    let list = env.run(["domain", "list", "--json"]).ok().json();
    let domain = &list[0];
    assert_eq!(domain["name"], "example.com");
    assert_eq!(domain["bounce"], "bounce");
    assert_eq!(domain["catchall"], "replies");
    assert_eq!(domain["default_from"], "robot");
}

#[test]
fn without_a_terminal_nothing_prompts_and_the_missing_flags_are_named() {
    let env = Env::new();
    let out = env.run(["server", "add"]).fails(64);
    assert!(
        out.stderr.contains("NAME") && out.stderr.contains("--url URL or --host HOST"),
        "{}",
        out.stderr
    );
    let out = env.run(["server", "add", "main"]).fails(64);
    assert!(out.stderr.contains("--host"), "{}", out.stderr);
    let out = env.run(["domain", "add"]).fails(64);
    assert!(out.stderr.contains("NAME"), "{}", out.stderr);
    assert_eq!(
        env.run(["server", "list", "--json"]).ok().json(),
        serde_json::json!([])
    );
}

#[test]
fn removal_asks_on_a_terminal_and_no_keeps_everything() {
    let env = Env::new();
    env.run(["server", "add", "main", "--host", "127.0.0.1"])
        .ok();
    let mut p = spawn(&env, &["server", "remove", "main"]);
    p.exp_string("Remove server 'main'").unwrap();
    key(&mut p, "n");
    p.exp_eof().unwrap();
    assert_eq!(
        env.run(["server", "list", "--json"]).ok().json()[0]["name"],
        "main"
    );
}
