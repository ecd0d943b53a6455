//! The layout of `crates/web/src` (issue 14): a feature never names another feature, the layers
//! below (`access/`, `services/`, `ui/`, `http/`) never name `features`, only `access/` calls
//! `authorize(`, views never name handlers, and handlers stay short; and no source file of any
//! crate or app grows past 600 lines.
//!
//! It reads source text with std alone (no syn, no `bro_web`), so it builds and runs at once.
//! Comments and string and char literals are blanked out before any rule looks at the code, so
//! text never counts as an import or a brace.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const MAX_FILE_LINES: usize = 600;
const MAX_HANDLER_LINES: usize = 80;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    /// Relative to the repository, with `/`.
    file: String,
    line: usize,
    rule: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.rule)
    }
}

/// Every layout violation under `repo_root`, sorted by file and line.
fn check(repo_root: &Path) -> Vec<Violation> {
    let mut out = Vec::new();
    for path in rs_files(&repo_root.join("crates/web/src")) {
        let file = SourceFile::read(repo_root, "crates/web/src", &path);
        check_web_code(&file, &mut out);
        check_file_length(&file, &mut out);
    }
    // Rule 5 holds in every crate and app, not only in the web layer.
    let mut bases = vec!["crates/store/sql".to_owned()];
    for group in ["crates", "apps"] {
        for entry in fs::read_dir(repo_root.join(group)).into_iter().flatten() {
            let name = entry.expect("read a directory entry").file_name();
            let base = format!("{group}/{}/src", name.to_string_lossy());
            if base != "crates/web/src" && repo_root.join(&base).is_dir() {
                bases.push(base);
            }
        }
    }
    for base in &bases {
        for path in rs_files(&repo_root.join(base)) {
            let file = SourceFile::read(repo_root, base, &path);
            check_file_length(&file, &mut out);
        }
    }
    out.sort();
    out
}

struct SourceFile {
    /// The folder scanned, relative to the repository.
    base: String,
    /// The path below `base`, one component each.
    parts: Vec<String>,
    masked: String,
}

impl SourceFile {
    fn read(repo_root: &Path, base: &str, path: &Path) -> SourceFile {
        let raw = fs::read_to_string(path).expect("read a source file");
        let rel = path.strip_prefix(repo_root.join(base)).expect("under base");
        let parts = rel.iter().map(|c| c.to_string_lossy().into_owned());
        SourceFile {
            base: base.to_owned(),
            parts: parts.collect(),
            masked: mask(&raw),
        }
    }

    fn violation(&self, line: usize, rule: String) -> Violation {
        let file = format!("{}/{}", self.base, self.parts.join("/"));
        Violation { file, line, rule }
    }

    /// The file's module in the crate: `features/plan/mod.rs` is `[features, plan]`.
    fn module_path(&self) -> Vec<String> {
        let mut path = self.parts.clone();
        let stem = path
            .pop()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_owned();
        if stem != "mod" && stem != "lib" {
            path.push(stem);
        }
        path
    }

    /// `A` for a file in `features/<A>/` (or `features/<A>.rs`).
    fn feature(&self) -> Option<String> {
        let module = self.module_path();
        (module.len() >= 2 && module[0] == "features").then(|| module[1].clone())
    }

    fn name(&self) -> &str {
        self.parts.last().map_or("", String::as_str)
    }

    fn dirs(&self) -> &[String] {
        &self.parts[..self.parts.len().saturating_sub(1)]
    }
}

fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten() {
        let path = entry.expect("read a directory entry").path();
        if path.is_dir() {
            out.extend(rs_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Rules 1 to 4 and 6, on the code of a file in `crates/web/src`.
fn check_web_code(file: &SourceFile, out: &mut Vec<Violation>) {
    let toks = tokens(&file.masked);
    let text = |i: usize| toks.get(i).map_or("", |t| t.text);
    let modules = module_paths(file.module_path(), &toks);
    let feature = file.feature();
    let features_root = file.parts == ["features", "mod.rs"] || file.parts == ["features.rs"];
    let in_access = file.parts[0] == "access";
    let is_view = file.name() == "views.rs" || file.dirs().iter().any(|d| d == "views");
    let is_handler = feature.is_some()
        && (file.parts[2..] == ["handlers.rs"]
            || file.dirs().get(2).is_some_and(|d| d == "handlers"));
    let mut in_use = false;

    for (i, tok) in toks.iter().enumerate() {
        let line = tok.line;
        let prev = text(i.wrapping_sub(1));
        in_use = match tok.text {
            "use" => true,
            ";" => false,
            _ => in_use,
        };

        // `features::<B>` (or `features::{B, …}`): only lib.rs may, for the router.
        if tok.text == "features" && text(i + 1) == "::" && !features_root {
            for (target, line) in path_targets(&toks, i + 2) {
                let rule = match &feature {
                    Some(own) if target == *own || target == "self" => continue,
                    Some(own) => {
                        format!("feature `{own}` names another feature: `features::{target}`")
                    }
                    None if file.parts == ["lib.rs"] && target == "router" => continue,
                    None => format!("names `features::{target}` outside features/ (never upward)"),
                };
                out.push(file.violation(line, rule));
            }
        }
        // `super::super::<B>` out of the feature's folder, resolved by the module's depth.
        if let Some(own) = &feature
            && tok.text == "super"
            && prev != "::"
        {
            let mut j = i;
            while text(j) == "super" && text(j + 1) == "::" {
                j += 2;
            }
            let here = &modules[i];
            let ups = (j - i) / 2;
            if ups > 0 && ups < here.len() && here[..here.len() - ups] == ["features"] {
                for (target, line) in path_targets(&toks, j) {
                    if target != *own && target != "self" {
                        let rule =
                            format!("feature `{own}` reaches feature `{target}` via `super`");
                        out.push(file.violation(line, rule));
                    }
                }
            }
        }
        // Feature modules stay private, so the compiler refuses sideways imports. `pub(super)`
        // at a feature's top level would open the module to every other feature.
        if let Some(own) = &feature
            && tok.text == "pub"
        {
            let (vis, after) = match text(i + 1) {
                "(" => (
                    text(i + 2),
                    matching(&toks, i + 1, "(", ")").map_or(i, |c| c + 1),
                ),
                _ => ("", i + 1),
            };
            let at_top = modules[i].len() == 2;
            let public = matches!(vis, "" | "crate" | "in") || (vis == "super" && at_top);
            if public && text(after) == "mod" {
                let shown = if vis.is_empty() {
                    "pub".to_owned()
                } else {
                    format!("pub({vis})")
                };
                let rule = format!("`{shown} mod` in feature `{own}`: its modules stay private");
                out.push(file.violation(line, rule));
            }
        }
        if !in_access && tok.text == "authorize" && text(i + 1) == "(" {
            let rule = "`authorize(` outside access/ (ask access/ for a scope)".to_owned();
            out.push(file.violation(line, rule));
        }
        if is_view
            && tok.text == "handlers"
            && (in_use || text(i + 1) == "::" || matches!(prev, "::" | "mod"))
        {
            let rule = "a view names a handlers module (views never depend on handlers)".to_owned();
            out.push(file.violation(line, rule));
        }
        if is_handler
            && tok.text == "fn"
            && toks.get(i + 1).is_some_and(Token::is_ident)
            && let Some(close) = fn_body_end(&toks, i + 2)
            && toks[close].line - line + 1 > MAX_HANDLER_LINES
        {
            let span = toks[close].line - line + 1;
            let rule = format!(
                "handler `{}` is {span} lines (limit {MAX_HANDLER_LINES})",
                text(i + 1)
            );
            out.push(file.violation(line, rule));
        }
    }
}

/// Rule 5: at most 600 lines before a trailing `#[cfg(test)] mod`; test files are exempt.
fn check_file_length(file: &SourceFile, out: &mut Vec<Violation>) {
    if file.name() == "tests.rs" || file.dirs().iter().any(|d| d == "tests") {
        return;
    }
    let toks = tokens(&file.masked);
    let counted = (file.masked.lines().enumerate())
        .find(|&(n, l)| l.trim_end() == "#[cfg(test)]" && starts_trailing_mod(&toks, n + 1))
        .map_or(file.masked.lines().count(), |(n, _)| n);
    if counted > MAX_FILE_LINES {
        let rule = format!(
            "{counted} lines, over {MAX_FILE_LINES} (a trailing test module does not count)"
        );
        out.push(file.violation(MAX_FILE_LINES + 1, rule));
    }
}

/// Whether the attribute on `line` (1-based) starts a `mod` that runs to the end of the file.
fn starts_trailing_mod(toks: &[Token<'_>], line: usize) -> bool {
    let text = |i: usize| toks.get(i).map_or("", |t| t.text);
    let Some(mut i) = toks.iter().position(|t| t.line == line) else {
        return false;
    };
    while text(i) == "#" && text(i + 1) == "[" {
        let Some(close) = matching(toks, i + 1, "[", "]") else {
            return false;
        };
        i = close + 1;
    }
    if text(i) == "pub" {
        i += 1;
        if text(i) == "(" {
            i = matching(toks, i, "(", ")").map_or(i, |c| c + 1);
        }
    }
    if text(i) != "mod" || !toks.get(i + 1).is_some_and(Token::is_ident) {
        return false;
    }
    let end = match text(i + 2) {
        "{" => matching(toks, i + 2, "{", "}"),
        ";" => Some(i + 2),
        _ => None,
    };
    end == Some(toks.len() - 1)
}

/// The closing brace of a fn whose signature starts at `from`, or None for a declaration.
fn fn_body_end(toks: &[Token<'_>], from: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, tok) in toks.iter().enumerate().skip(from) {
        match tok.text {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            ";" if depth == 0 => return None,
            "{" if depth == 0 => return matching(toks, k, "{", "}"),
            _ => {}
        }
    }
    None
}

/// The token closing the `open` at `at`.
fn matching(toks: &[Token<'_>], at: usize, open: &str, close: &str) -> Option<usize> {
    let mut depth = 0;
    for (k, tok) in toks.iter().enumerate().skip(at) {
        depth += i32::from(tok.text == open) - i32::from(tok.text == close);
        if depth == 0 {
            return Some(k);
        }
    }
    None
}

/// What a path names at `at`: one segment (`courses` in `features::courses::X`), or the first
/// segment of each item of a group (`courses` and `plan` in `features::{courses, plan::Y}`).
fn path_targets(toks: &[Token<'_>], at: usize) -> Vec<(String, usize)> {
    let Some(first) = toks.get(at) else {
        return Vec::new();
    };
    if first.is_ident() {
        return vec![(first.text.to_owned(), first.line)];
    }
    let Some(close) = matching(toks, at, "{", "}").filter(|_| first.text == "{") else {
        return Vec::new(); // not a path after all
    };
    let (mut out, mut depth) = (Vec::new(), 0);
    for (k, tok) in toks.iter().enumerate().take(close).skip(at) {
        depth += i32::from(tok.text == "{") - i32::from(tok.text == "}");
        if depth == 1 && tok.is_ident() && matches!(toks[k - 1].text, "{" | ",") {
            out.push((tok.text.to_owned(), tok.line));
        }
    }
    out
}

/// The module path at each token: the file's module plus any inline `mod x { … }` around it.
fn module_paths(mut current: Vec<String>, toks: &[Token<'_>]) -> Vec<Vec<String>> {
    let (mut open, mut depth) = (Vec::new(), 0);
    let mut out = Vec::with_capacity(toks.len());
    for (i, tok) in toks.iter().enumerate() {
        if tok.text == "{" {
            depth += 1;
            if i >= 2 && toks[i - 2].text == "mod" && toks[i - 1].is_ident() {
                current.push(toks[i - 1].text.to_owned());
                open.push(depth);
            }
        } else if tok.text == "}" {
            if open.last() == Some(&depth) {
                open.pop();
                current.pop();
            }
            depth -= 1;
        }
        out.push(current.clone());
    }
    out
}

struct Token<'a> {
    text: &'a str,
    line: usize,
}

impl Token<'_> {
    fn is_ident(&self) -> bool {
        self.text
            .starts_with(|c: char| c.is_alphabetic() || c == '_')
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Words (identifiers, keywords, numbers), `::`, and single punctuation characters.
fn tokens(masked: &str) -> Vec<Token<'_>> {
    let (mut out, mut line) = (Vec::new(), 1);
    let mut chars = masked.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c.is_whitespace() {
            line += usize::from(c == '\n');
            continue;
        } else if is_ident_char(c) {
            while let Some((j, d)) = chars.next_if(|&(_, d)| is_ident_char(d)) {
                end = j + d.len_utf8();
            }
        } else if c == ':' && chars.next_if(|&(_, d)| d == ':').is_some() {
            end += 1;
        }
        out.push(Token {
            text: &masked[start..end],
            line,
        });
    }
    out
}

/// The source with comments and string and char literals turned into spaces, newlines kept.
/// Knows nested block comments, escapes, raw strings (`r#"…"#`, `br"…"`) and lifetimes (`'a`).
fn mask(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let find = |from: usize, hit: &dyn Fn(usize) -> bool| (from..chars.len()).find(|&k| hit(k));
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let word_start = !is_ident_char(at(i.wrapping_sub(1)))
            || at(i - 1) == 'b' && !is_ident_char(at(i.wrapping_sub(2)));
        let raw_hashes = (i + 1..chars.len())
            .take_while(|&k| chars[k] == '#')
            .count();
        let end = if c == '/' && at(i + 1) == '/' {
            find(i, &|k| chars[k] == '\n').unwrap_or(chars.len())
        } else if c == '/' && at(i + 1) == '*' {
            let (mut k, mut depth) = (i, 0);
            loop {
                match (at(k), at(k + 1)) {
                    ('/', '*') => depth += 1,
                    ('*', '/') => depth -= 1,
                    ('\0', _) => break k,
                    _ => {
                        k += 1;
                        continue;
                    }
                }
                k += 2;
                if depth == 0 {
                    break k;
                }
            }
        } else if c == 'r' && word_start && at(i + 1 + raw_hashes) == '"' {
            let closes = |k: usize| chars[k] == '"' && (1..=raw_hashes).all(|h| at(k + h) == '#');
            find(i + 2 + raw_hashes, &closes).map_or(chars.len(), |k| k + 1 + raw_hashes)
        } else if c == '"' {
            let mut k = i + 1;
            while k < chars.len() && chars[k] != '"' {
                k += if chars[k] == '\\' { 2 } else { 1 };
            }
            k + 1
        } else if c == '\'' && at(i + 1) == '\\' {
            find(i + 3, &|k| chars[k] == '\'').map_or(chars.len(), |k| k + 1)
        } else if c == '\'' && at(i + 2) == '\'' {
            i + 3
        } else {
            out.push(c);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        out.extend(
            chars[i..end]
                .iter()
                .map(|&c| if c == '\n' { '\n' } else { ' ' }),
        );
        i = end;
    }
    out
}

#[test]
fn web_source_keeps_the_layout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(
        root.join("crates/web/src/lib.rs").is_file(),
        "no repo at {root:?}"
    );
    let found = check(&root);
    let list: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert!(
        found.is_empty(),
        "{} layout violations:\n{}",
        found.len(),
        list.join("\n")
    );
}

static TREES: AtomicUsize = AtomicUsize::new(0);

/// Removes a temp tree when the test ends, passed or not.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A path below crates/web/src, unless it starts at `crates/`.
fn repo_path(rel: &str) -> String {
    if rel.starts_with("crates/") {
        rel.to_owned()
    } else {
        format!("crates/web/src/{rel}")
    }
}

/// Checks a repository built in the temp dir from (path, text) pairs.
fn check_tree(files: &[(&str, &str)]) -> Vec<Violation> {
    let n = TREES.fetch_add(1, Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("bro-layout-{}-{n}", std::process::id()));
    let root = Cleanup(root);
    for (rel, text) in files {
        let path = root.0.join(repo_path(rel));
        fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        fs::write(path, text).expect("write a file");
    }
    check(&root.0)
}

#[track_caller]
fn assert_one(found: &[Violation], rel: &str, line: usize, words: &str) {
    let [v] = found else {
        panic!("expected one violation, got {found:#?}")
    };
    assert_eq!(
        (v.file.as_str(), v.line),
        (repo_path(rel).as_str(), line),
        "{v}"
    );
    assert!(v.rule.contains(words), "{v}");
}

/// `n` lines of code.
fn filler(n: usize) -> String {
    "let x = 1;\n".repeat(n)
}

/// A handler spanning `n` lines from its `fn` line to its closing brace.
fn handler(n: usize, first_line: &str) -> String {
    format!(
        "/// Doc.\npub(super) async fn edit() {{\n{first_line}\n{}}}\n",
        filler(n - 3)
    )
}

#[test]
fn a_feature_importing_another_is_reported_with_file_and_line() {
    let import = "use axum::Router;\nuse crate::features::courses::x;\n";
    let found = check_tree(&[("features/plan/handlers.rs", import)]);
    assert_one(&found, "features/plan/handlers.rs", 2, "features::courses");
    assert_eq!(check_tree(&[("features/courses/handlers.rs", import)]), []);
}

#[test]
fn groups_and_super_chains_out_of_a_feature_are_reported() {
    let edit = "use super::super::forms::Z;\nfn f() { super::super::super::sharing::g() }\n";
    let found = check_tree(&[
        (
            "features/plan/views.rs",
            "use crate::features::{plan::forms, courses};\n",
        ),
        (
            "features/plan/handlers.rs",
            "use super::super::courses::X;\nuse super::forms::Y;\n",
        ),
        ("features/plan/handlers/edit.rs", edit),
        (
            "features/plan/mod.rs",
            "mod handlers;\nuse super::{admin, plan};\n",
        ),
    ]);
    let places: Vec<_> = found.iter().map(|v| (v.file.as_str(), v.line)).collect();
    let expected = [
        ("crates/web/src/features/plan/handlers.rs", 1),
        ("crates/web/src/features/plan/handlers/edit.rs", 2),
        ("crates/web/src/features/plan/mod.rs", 2),
        ("crates/web/src/features/plan/views.rs", 1),
    ];
    assert_eq!(places, expected, "{found:#?}");
    assert!(found[2].rule.contains("`admin`"), "{}", found[2]);
}

#[test]
fn super_chains_in_an_inline_module_are_resolved_by_its_depth() {
    let code = "fn h() {}\n\n#[cfg(test)]\nmod tests {\n    use super::super::forms::X;\n}\n";
    assert_eq!(check_tree(&[("features/plan/handlers.rs", code)]), []);
}

#[test]
fn public_feature_modules_are_reported() {
    let root = "features/plan/mod.rs";
    assert_one(
        &check_tree(&[(root, "mod forms;\npub mod handlers;\n")]),
        root,
        2,
        "`pub mod`",
    );
    let found = check_tree(&[(root, "mod forms;\npub(crate) mod views;\n")]);
    assert_one(&found, root, 2, "`pub(crate) mod`");
    assert_one(
        &check_tree(&[(root, "pub(super) mod views;\n")]),
        root,
        1,
        "`pub(super) mod`",
    );
    // Below the feature's top level `pub(super)` reaches no further than the feature.
    let private = "mod forms;\nmod handlers;\nmod views {\n    pub(super) mod page;\n}\n\
                   pub(super) fn router() {}\n";
    let nested = ("features/plan/handlers/mod.rs", "pub(super) mod edit;\n");
    assert_eq!(check_tree(&[(root, private), nested]), []);
}

#[test]
fn the_layers_below_never_name_features() {
    let found = check_tree(&[
        ("access/scope.rs", "use crate::features::plan::PlanForm;\n"),
        (
            "lib.rs",
            "mod features;\nuse crate::features::{router, plan};\n",
        ),
    ]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].file.as_str(), found[0].line),
        ("crates/web/src/access/scope.rs", 1)
    );
    assert!(found[1].rule.contains("features::plan"), "{}", found[1]);
    let clean = check_tree(&[
        (
            "lib.rs",
            "mod features;\nfn app() { features::router(state) }\n",
        ),
        (
            "features/mod.rs",
            "mod plan;\nfn r() { plan::router(); crate::features::plan::x(); }\n",
        ),
        (
            "ui/chrome.rs",
            "// Not features::plan: chrome is below every feature.\n",
        ),
    ]);
    assert_eq!(clean, []);
}

#[test]
fn authorize_outside_access_is_reported() {
    let call = "fn f() {\n    access\n        .authorize(state, p);\n}\n";
    let found = check_tree(&[("access/scope.rs", call), ("features/x/handlers.rs", call)]);
    assert_one(&found, "features/x/handlers.rs", 3, "`authorize(`");
    let text = "// Never authorize(..) here.\nfn f() { let s = \"authorize(\"; reauthorize(); }\n";
    assert_eq!(check_tree(&[("features/x/handlers.rs", text)]), []);
}

#[test]
fn views_naming_handlers_are_reported() {
    let views = "features/plan/views.rs";
    let found = check_tree(&[(views, "use super::forms::F;\nuse super::handlers::X;\n")]);
    assert_one(&found, views, 2, "handlers");
    let folder = "features/plan/views/page.rs";
    let found = check_tree(&[(folder, "use super::super::{forms, handlers};\n")]);
    assert_one(&found, folder, 1, "handlers");
    let clean = check_tree(&[
        (
            views,
            "use super::forms::F;\n/// Rendered by handlers::edit.\nstruct EditPage;\n",
        ),
        ("features/plan/handlers.rs", "use super::views::EditPage;\n"),
    ]);
    assert_eq!(clean, []);
}

#[test]
fn files_over_600_lines_are_reported() {
    let found = check_tree(&[("ui/when.rs", &filler(601))]);
    assert_one(&found, "ui/when.rs", 601, "601 lines");
    let sql = "crates/store/sql/shared.rs";
    assert_one(&check_tree(&[(sql, &filler(601))]), sql, 601, "601 lines");
    assert_eq!(
        check_tree(&[("ui/when.rs", &filler(600)), (sql, &filler(600))]),
        []
    );
}

#[test]
fn trailing_test_modules_and_test_files_do_not_count() {
    let tests = format!("#[cfg(test)]\nmod tests {{\n{}}}\n", filler(197));
    let with_tests = format!("{}{tests}", filler(500));
    assert_eq!(with_tests.lines().count(), 700);
    let found = check_tree(&[
        ("ui/when.rs", &with_tests),
        ("features/plan/tests.rs", &filler(700)),
        ("http/tests/csrf.rs", &filler(700)),
    ]);
    assert_eq!(found, []);
    // A test module with code after it is not trailing, so the whole file counts.
    let found = check_tree(&[("ui/when.rs", &format!("{with_tests}fn more() {{}}\n"))]);
    assert_one(&found, "ui/when.rs", 601, "701 lines");
}

#[test]
fn handlers_over_80_lines_are_reported() {
    let file = "features/plan/handlers.rs";
    let found = check_tree(&[(file, &format!("use x::y;\n{}", handler(81, "")))]);
    assert_one(&found, file, 3, "`edit` is 81 lines");
    assert_eq!(check_tree(&[(file, &handler(80, ""))]), []);
    // Braces in literals and comments do not end the body early.
    let tricky = r##"    let (a, b, c) = ("}", r#"}"}"#, '}'); // }"##;
    let nested = "features/plan/handlers/edit.rs";
    assert_one(
        &check_tree(&[(nested, &handler(81, tricky))]),
        nested,
        2,
        "81 lines",
    );
    // Only a feature's handler files are held to it.
    assert_eq!(
        check_tree(&[("services/plan_edit.rs", &handler(81, ""))]),
        []
    );
}

#[test]
fn masking_blanks_text_and_keeps_code() {
    let code =
        "let a = '{'; fn f<'a>(s: &'a str) {} /* { /* } */ */ let b = br#\"{\"#; // }\nr#type";
    let masked = mask(code);
    assert_eq!(masked.len(), code.len());
    assert_eq!(
        (masked.matches('{').count(), masked.matches('}').count()),
        (1, 1),
        "{masked}"
    );
    assert!(masked.contains("fn f<'a>(s: &'a str) {}"), "{masked}");
    assert!(
        masked.contains("let b =") && masked.ends_with("\nr#type"),
        "{masked}"
    );
}
