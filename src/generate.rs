//! Completions and man pages, generated from the clap definitions in `cli`.
//!
//! The files are committed under `completions/` and `man/` so that packagers and users get them
//! without building; a test fails when they are stale, and `cargo run --example generate`
//! writes them again. Nothing here runs at mailroute's run time.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use roff::{bold, roman, Roff};

use crate::cli::Cli;
use crate::error::ExitCode;

/// Every generated file: its path relative to the repository root, and its content.
pub fn all_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = completions();
    files.extend(man_pages());
    files
}

/// Shell completions for bash, zsh, fish, elvish and PowerShell.
pub fn completions() -> Vec<(PathBuf, Vec<u8>)> {
    [
        (Shell::Bash, "mailroute.bash"),
        (Shell::Zsh, "_mailroute"),
        (Shell::Fish, "mailroute.fish"),
        (Shell::Elvish, "mailroute.elv"),
        (Shell::PowerShell, "_mailroute.ps1"),
    ]
    .into_iter()
    .map(|(shell, file)| {
        let mut cmd = Cli::command();
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, "mailroute", &mut out);
        (Path::new("completions").join(file), out)
    })
    .collect()
}

/// One man page per command and subcommand: mailroute.1, mailroute-domain.1, mailroute-domain-add.1, ...
pub fn man_pages() -> Vec<(PathBuf, Vec<u8>)> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, "mailroute", &mut pages);
    pages
}

fn collect_pages(cmd: &clap::Command, name: &str, pages: &mut Vec<(PathBuf, Vec<u8>)>) {
    let named = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    pages.push((
        Path::new("man").join(format!("{name}.1")),
        man_page(&named, name),
    ));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}

fn man_page(cmd: &clap::Command, name: &str) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .section("1")
        .source(format!("mailroute {}", env!("CARGO_PKG_VERSION")))
        .manual("mailroute manual");
    let mut out = Vec::new();
    // The sections clap knows, then the ones a man page reader expects (man-pages(7) order).
    let rendered: std::io::Result<()> = (|| {
        man.render_title(&mut out)?;
        man.render_name_section(&mut out)?;
        man.render_synopsis_section(&mut out)?;
        man.render_description_section(&mut out)?;
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut out)?;
        }
        if cmd.has_subcommands() {
            man.render_subcommands_section(&mut out)?;
        }
        Ok(())
    })();
    rendered.expect("writing to a Vec cannot fail");
    let mut roff = Roff::new();
    if let Some(after) = cmd.get_after_help() {
        roff.control("SH", ["EXAMPLES"]);
        for line in after.to_string().lines() {
            if line.trim().is_empty() {
                continue;
            }
            if line.starts_with("  ") {
                roff.control("IP", ["", "2"]).text([roman(line.trim())]);
            } else {
                roff.control("PP", []).text([roman(line)]);
            }
        }
    }
    roff.control("SH", ["ENVIRONMENT"])
        .control("TP", [])
        .text([bold("MAILROUTE_DB")])
        .text([roman("The store to use, as --db does.")])
        .control("TP", [])
        .text([bold("XDG_DATA_HOME")])
        .text([roman("Where the default store lives: $XDG_DATA_HOME/mailroute/mailroute.db (default ~/.local/share).")])
        .control("TP", [])
        .text([bold("NO_COLOR")])
        .text([roman("When set and not empty, output is never coloured. Colour is used only on a terminal.")]);
    roff.control("SH", ["FILES"])
        .control("TP", [])
        .text([bold("~/.local/share/mailroute/mailroute.db")])
        .text([roman("The SQLite store (mode 0600), created with its folder on first use. Passwords given with --password-stdin are stored in it; prefer --password-cmd or --password-env.")])
        .control("TP", [])
        .text([bold("~/.local/share/mailroute/mailroute.db-sendlog")])
        .text([roman("The outbox's send log (mode 0600): each delivery a queue run starts and each one the server accepts, before the store records it in batches; emptied when the run ends. A queue run holds a lock on it, so only one run sends at a time. After a crash, the next queue command applies it. Do not delete it while messages are in the sending state.")]);
    roff.control("SH", ["EXIT STATUS"]);
    for code in ExitCode::ALL {
        roff.control("TP", [])
            .text([bold(code.code().to_string())])
            .text([roman(code.meaning())]);
    }
    roff.control("SH", ["SEE ALSO"]).text([roman(
        "mailroute(1), msmtp(1), swaks(1), postconf(5) sender_dependent_relayhost_maps",
    )]);
    roff.to_writer(&mut out)
        .expect("writing to a Vec cannot fail");
    out
}
