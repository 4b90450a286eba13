//! The committed completions and man pages must be what the current CLI generates.

use std::path::Path;

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected = mailroute::generate::all_files();
    let mut stale = Vec::new();
    for (path, content) in &expected {
        match std::fs::read(root.join(path)) {
            Ok(committed) if &committed == content => {}
            Ok(_) => stale.push(format!("{} is stale", path.display())),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let relative = Path::new(dir).join(entry.file_name());
            if !expected.iter().any(|(path, _)| *path == relative) {
                stale.push(format!("{} is no longer generated", relative.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nregenerate them with: cargo run --example generate",
        stale.join("\n")
    );
}

#[test]
fn man_page_lists_every_exit_status() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("man/mailroute.1")).unwrap();
    assert!(page.contains(".SH \"EXIT STATUS\"") || page.contains(".SH EXIT STATUS"));
    for code in ["64", "65", "68", "69", "70", "75", "76", "77", "78"] {
        assert!(
            page.contains(&format!("\\fB{code}\\fR")),
            "exit status {code} missing"
        );
    }
}

#[test]
fn every_command_help_has_examples() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let name = format!("{path} {}", cmd.get_name());
        if cmd.has_subcommands() {
            for sub in cmd.get_subcommands() {
                walk(sub, &name, missing);
            }
        } else if !cmd
            .get_after_help()
            .is_some_and(|h| h.to_string().contains("Examples:"))
        {
            missing.push(name);
        }
    }
    let mut missing = Vec::new();
    for sub in mailroute::cli::Cli::command().get_subcommands() {
        walk(sub, "mailroute", &mut missing);
    }
    assert!(missing.is_empty(), "--help without examples: {missing:?}");
}
