//! The layers of docs/ARCHITECTURE.md, enforced: every reference from one top-level
//! module of `app/src` (or `server/src`) to another must point down, to a lower layer
//! or to a module listed before it in its own layer. That order is total, so the
//! modules cannot form a cycle. A new top-level module fails here until it is placed.
//! Below them all is the `domain` crate (app/domain), which `app` re-exports; the
//! compiler keeps it from using anything above it.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// `app/src`, bottom to top.
const APP: &[(&str, &[&str])] = &[
    ("base", &["client", "status"]),
    ("store", &["store"]),
    ("audit", &["audit"]),
    ("billing provider", &["billing"]),
    ("identity provider", &["identity"]),
    ("state", &["state"]),
    ("auth", &["auth"]),
    ("ui kit", &["ui"]),
    ("checks", &["checks"]),
    ("operations engine", &["ops"]),
    (
        "features",
        &[
            "search",
            "activity",
            "notes",
            "integrity",
            "drift",
            "customer",
            "extensions",
            "approvals",
            "tickets",
            "dashboard",
            "staff",
        ],
    ),
    ("shell and API", &["shell", "api"]),
];

/// Names the crate root re-exports from its own modules, and the module of each.
const APP_ROOT_ITEMS: &[(&str, &str)] = &[("on_db", "store"), ("on_tx", "store"), ("App", "shell")];

/// `server/src`, bottom to top.
const SERVER: &[(&str, &[&str])] = &[
    ("base", &["settings", "telemetry"]),
    ("startup", &["startup"]),
    ("seed", &["seed"]),
    ("serve", &["serve"]),
    ("commands", &["commands"]),
];

/// Source text with comments and the contents of string and character literals blanked,
/// so only code is searched.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == b'\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == b'r' && (next == Some(b'"') || next == Some(b'#')) && !ident_before(b, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c as char);
                i += 1;
                continue;
            }
            j += 1;
            let closing: Vec<u8> =
                std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            while j < b.len() && !b[j..].starts_with(&closing) {
                j += 1;
            }
            out.push_str("\"\"");
            i = j + closing.len();
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i += 1;
        } else if c == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), or else a lifetime.
            let end = if next == Some(b'\\') {
                b[i + 2..].iter().position(|&x| x == b'\'').map(|p| i + 2 + p)
            } else {
                let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + ch_len) == Some(&b'\'')).then_some(i + 1 + ch_len)
            };
            match end {
                Some(e) => {
                    out.push_str("' '");
                    i = e + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of each item of a `{…}` group starting at `s` (after `{`).
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && !c.is_whitespace() => {
                start = false;
                if depth == 0 {
                    heads.push(ident_at(&s[i..]).to_string());
                }
            }
            _ => {}
        }
    }
    heads
}

/// Every top-level module `code` (a file of module `module`) refers to, with the line.
fn references(code: &str, root_items: &BTreeMap<&str, &str>) -> Vec<(String, usize)> {
    let line_of = |pos: usize| code[..pos].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (pos, _) in code.match_indices("crate::") {
        if pos > 0 && {
            let p = code.as_bytes()[pos - 1];
            p.is_ascii_alphanumeric() || p == b'_'
        } {
            continue;
        }
        let rest = &code[pos + "crate::".len()..];
        let heads = match rest.strip_prefix('{') {
            Some(group) => group_heads(group),
            None => vec![ident_at(rest).to_string()],
        };
        for head in heads {
            let target = root_items.get(head.as_str()).map_or(head, |m| m.to_string());
            found.push((target, line_of(pos)));
        }
    }
    for (item, module) in root_items {
        if item.starts_with("on_") {
            for (pos, _) in code.match_indices(&format!("{item}!")) {
                found.push((module.to_string(), line_of(pos)));
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

struct Graph {
    modules: usize,
    edges: BTreeSet<(String, String)>,
    violations: Vec<String>,
}

/// Checks `src` against `layers`; `roots` are the crate's root files (not modules).
fn check(src: &Path, layers: &[(&str, &[&str])], root_items: &[(&str, &str)]) -> Graph {
    let order: Vec<(&str, &str)> =
        layers.iter().flat_map(|(layer, ms)| ms.iter().map(move |m| (*m, *layer))).collect();
    let rank = |m: &str| order.iter().position(|(n, _)| *n == m);
    let layer_of = |m: &str| order.iter().find(|(n, _)| *n == m).map_or("?", |(_, l)| *l);
    let root_items: BTreeMap<&str, &str> = root_items.iter().copied().collect();
    let mut violations = Vec::new();
    let mut edges = BTreeSet::new();
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if ["lib", "main"].contains(&name.as_str()) {
            continue;
        }
        if rank(&name).is_none() {
            violations.push(format!(
                "{}: module `{name}` is in no layer: place it in the table in {}",
                path.display(),
                file!()
            ));
            continue;
        }
        modules.insert(name.clone());
        let mut files = Vec::new();
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path.clone());
        }
        for file in files {
            let code = code_only(&fs::read_to_string(&file).unwrap());
            for (target, line) in references(&code, &root_items) {
                if target == name {
                    continue;
                }
                let Some(to) = rank(&target) else { continue };
                edges.insert((name.clone(), target.clone()));
                if to > rank(&name).unwrap() {
                    violations.push(format!(
                        "{}:{line}: `{name}` ({}) uses `{target}` ({}), which is above it",
                        file.display(),
                        layer_of(&name),
                        layer_of(&target),
                    ));
                }
            }
        }
    }
    Graph { modules: modules.len(), edges, violations }
}

fn report(which: &str, graph: &Graph) {
    println!("{which}: {} modules, {} dependency edges", graph.modules, graph.edges.len());
    for v in &graph.violations {
        println!("  {v}");
    }
}

#[test]
fn app_modules_depend_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = check(&src, APP, APP_ROOT_ITEMS);
    report("app/src", &graph);
    assert!(graph.violations.is_empty(), "{} upward dependencies", graph.violations.len());
    assert!(graph.modules >= 18, "the walk found too few modules: {}", graph.modules);
}

#[test]
fn server_modules_depend_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let graph = check(&src, SERVER, &[]);
    report("server/src", &graph);
    assert!(graph.violations.is_empty(), "{} upward dependencies", graph.violations.len());
    assert!(graph.modules >= 5, "the walk found too few modules: {}", graph.modules);
}

#[test]
fn the_scanner_sees_code_and_only_code() {
    let src = "use crate::{ops::server, ui::X};\n// crate::shell\nlet s = \"crate::api\"; \
               let c = '\"'; fn f<'a>(x: &'a str) { crate::store::now(); on_tx!(tx) }";
    let code = code_only(src);
    let items: BTreeMap<&str, &str> = APP_ROOT_ITEMS.iter().copied().collect();
    let mut found: Vec<String> = references(&code, &items).into_iter().map(|(m, _)| m).collect();
    found.sort();
    assert_eq!(found, ["ops", "store", "store", "ui"]);
}

#[test]
fn an_upward_reference_is_reported() {
    let dir = std::env::temp_dir().join(format!("layers-test-{}", std::process::id()));
    fs::create_dir_all(dir.join("low")).unwrap();
    fs::write(dir.join("low/mod.rs"), "use crate::high::Thing;\n").unwrap();
    fs::write(dir.join("high.rs"), "use crate::low::Other;\n").unwrap();
    let graph = check(&dir, &[("bottom", &["low"]), ("top", &["high"])], &[]);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(graph.violations.len(), 1, "{:?}", graph.violations);
    assert!(graph.violations[0].contains("`low` (bottom) uses `high` (top)"));
}
