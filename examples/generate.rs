//! Writes the committed completions and man pages: `cargo run --example generate`.

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        let dir = root.join(dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
    }
    for (path, content) in mailroute::generate::all_files() {
        std::fs::write(root.join(&path), content)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
