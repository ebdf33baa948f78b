//! The core's layers, enforced: every production module imports only from its own layer or
//! the ones below, the top-level modules form no cycle, and a provider never imports
//! another provider. A small scanner of `crate::` paths (the project's own imports), so a
//! new upward import fails here, in `cargo test`, with the file and the path that did it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. A module may import from its own row and every row above it.
const LAYERS: &[&[&str]] = &[
    &["schema"],
    &["net"],
    &["providers"],
    &["check", "validate", "paste"],
    &["import", "vault", "profile"],
    &["app", "draft"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Test-only files and the trailing `#[cfg(test)] mod tests { … }` of a module are not
/// production code: tests may reach anywhere.
fn production_text(path: &Path) -> Option<String> {
    let name = path.file_stem()?.to_str()?;
    if name == "tests" || name.ends_with("_tests") {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let cut = text.find("#[cfg(test)]\nmod ").unwrap_or(text.len());
    let text = &text[..cut];
    // Comments may mention paths that are not imports.
    Some(
        text.lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Every `crate::name` the text refers to, including the names inside `use crate::{a, b::c}`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            // Only the first segment of each top-level item in the group matters.
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_first_segment(&item, &mut found);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            push_first_segment(&item, &mut found);
        } else {
            push_first_segment(after, &mut found);
        }
        rest = after;
    }
    found
}

fn push_first_segment(path: &str, found: &mut BTreeSet<String>) {
    let name: String = path
        .trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() {
        found.insert(name);
    }
}

/// `providers/aws/check.rs` → ("providers", Some("aws")); `check/mod.rs` → ("check", None).
fn place(path: &Path) -> (String, Option<String>) {
    let rel = path.strip_prefix(src()).unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let top = parts[0].clone();
    let sub = (top == "providers" && parts.len() > 2).then(|| parts[1].clone());
    (top, sub)
}

struct Scan {
    /// (importing module, imported module) → the files that do it.
    edges: BTreeMap<(String, String), BTreeSet<String>>,
    problems: Vec<String>,
}

fn scan() -> Scan {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut scan = Scan {
        edges: BTreeMap::new(),
        problems: Vec::new(),
    };
    for path in files {
        let Some(text) = production_text(&path) else {
            continue;
        };
        let (top, provider) = place(&path);
        if top == "lib" {
            continue;
        }
        let shown = path.strip_prefix(src()).unwrap().display().to_string();
        if layer_of(&top).is_none() {
            scan.problems.push(format!(
                "{shown}: module `{top}` has no layer; add it to LAYERS in tests/layers.rs"
            ));
            continue;
        }
        for target in crate_paths(&text) {
            if target == top {
                continue;
            }
            if layer_of(&target).is_none() {
                scan.problems.push(format!(
                    "{shown}: `crate::{target}` is not a module (use the item's own module, not a re-export at the crate root)"
                ));
                continue;
            }
            scan.edges
                .entry((top.clone(), target))
                .or_default()
                .insert(shown.clone());
        }
        if let Some(own) = provider {
            for other in provider_paths(&text) {
                if other != own && provider_folders().contains(&other) {
                    scan.problems.push(format!(
                        "{shown}: provider `{own}` imports provider `{other}`; share through the registry's own modules (providers/common.rs) instead"
                    ));
                }
            }
        }
    }
    scan
}

/// The provider folders under `providers/` (the registry's own modules are files).
fn provider_folders() -> BTreeSet<String> {
    std::fs::read_dir(src().join("providers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect()
}

/// Providers named in `crate::providers::x` or `super::super::x` paths.
fn provider_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for prefix in ["crate::providers::", "super::super::"] {
        let mut rest = text;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            push_first_segment(rest, &mut found);
        }
    }
    found.retain(|n| n.chars().next().is_some_and(|c| c.is_lowercase()));
    found
}

#[test]
fn every_import_points_to_its_own_layer_or_below() {
    let scan = scan();
    let mut problems = scan.problems.clone();
    for ((from, to), files) in &scan.edges {
        let (a, b) = (layer_of(from).unwrap(), layer_of(to).unwrap());
        if b > a {
            problems.push(format!(
                "`{from}` (layer {a}) imports `{to}` (layer {b}), which sits above it: {}",
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let scan = scan();
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in scan.edges.keys() {
        graph.entry(from).or_default().push(to);
    }
    // Depth-first search; a node met again while still on the path closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_scanner_sees_grouped_and_nested_imports() {
    let text =
        "use crate::{net::Session, schema::{Credentials, Outcome}};\nlet x = crate::check::run();";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["check", "net", "schema"]);
    assert_eq!(layer_of("app"), Some(5));
    assert_eq!(layer_of("schema"), Some(0));
}
