//! Embeds the front-end assets into the binary: our own files under `assets/app` and the
//! npm-built vendor files (DKFDS, htmx) under `assets/vendor`, which `npm run build:assets`
//! produces from package.json + package-lock.json.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let assets = root.join("assets");
    println!("cargo:rerun-if-changed=assets");
    if !assets.join("vendor").is_dir() {
        panic!(
            "crates/web/assets/vendor is missing: run `npm ci && npm run build:assets` at the repository root \
             (scripts/demo and scripts/test do this for you)"
        );
    }
    let mut files = Vec::new();
    walk(&assets, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    let mut code = String::from("pub static ASSETS: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&assets)
            .expect("walked under assets")
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(f).expect("asset readable");
        rel.hash(&mut hasher);
        bytes.hash(&mut hasher);
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    writeln!(
        code,
        "pub const ASSET_VERSION: &str = \"{:016x}\";",
        hasher.finish()
    )
    .expect("write to string");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("assets.rs");
    std::fs::write(out, code).expect("write assets.rs");
}
