//! The module graph stays a layered one: commands on top, no import circles. Read from the
//! sources: every `crate::a::b` and `super::…` path outside comments and test modules is an edge
//! from the module it is written in (two levels deep: `observe::dhcpd`, `report::human`) to the
//! module it names.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file (`observe/dhcpd.rs` → `observe::dhcpd`, `probe/mod.rs` → `probe`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The first `depth` segments of `path` that name a module file under `src`.
fn module_named(src: &Path, path: &[String], depth: usize) -> Vec<String> {
    let mut known = Vec::new();
    for seg in path.iter().take(depth) {
        let mut next = known.clone();
        next.push(seg.clone());
        let file = src.join(next.join("/"));
        if file.with_extension("rs").is_file() || file.join("mod.rs").is_file() {
            known = next;
        } else {
            break;
        }
    }
    known
}

/// The code of a file without comments and without the items marked `#[cfg(test)]`.
fn code(text: &str) -> String {
    let text: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        rest = &rest[at + "#[cfg(test)]".len()..];
        // The item ends at its `;` or at the brace closing its block, whichever comes first.
        let semi = rest.find(';');
        let open = rest.find('{');
        match (semi, open) {
            (Some(s), Some(o)) if s < o => rest = &rest[s + 1..],
            (_, Some(o)) => {
                let mut depth = 0usize;
                let mut end = rest.len();
                for (i, c) in rest[o..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = o + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &rest[end..];
            }
            (Some(s), None) => rest = &rest[s + 1..],
            (None, None) => rest = "",
        }
    }
    out.push_str(rest);
    out
}

fn graph(depth: usize) -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let path_re = Regex::new(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)+)").unwrap();
    let group_re = Regex::new(r"\b(crate|super)::\{([^}]*)\}").unwrap();
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel == Path::new("main.rs") {
            continue;
        }
        let me = module_of(rel);
        let from = me
            .iter()
            .take(depth)
            .cloned()
            .collect::<Vec<_>>()
            .join("::");
        let text = std::fs::read_to_string(&file).unwrap();
        let code = code(&text);
        // `super::{a, b::c}` names `super::a` and `super::b::c`.
        let grouped = group_re.captures_iter(&code).flat_map(|m| {
            let head = m[1].to_owned();
            m[2].split(',')
                .map(|item| item.trim().split(" as ").next().unwrap_or("").to_owned())
                .filter(|item| item.starts_with(|c: char| c.is_ascii_lowercase()))
                .map(|item| (head.clone(), format!("::{item}")))
                .collect::<Vec<_>>()
        });
        let plain = path_re
            .captures_iter(&code)
            .map(|m| (m[1].to_owned(), m[2].to_owned()));
        for (head, tail) in plain.chain(grouped).collect::<Vec<_>>() {
            let segs: Vec<String> = tail
                .trim_start_matches("::")
                .split("::")
                .map(str::to_owned)
                .collect();
            let mut full = match head.as_str() {
                "crate" => Vec::new(),
                // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` it is `a` too.
                _ => me[..me.len().saturating_sub(1)].to_vec(),
            };
            full.extend(segs);
            let to = module_named(&src, &full, depth).join("::");
            if to.is_empty() || to == from || from.starts_with(&format!("{to}::")) {
                continue;
            }
            if to.starts_with(&format!("{from}::")) {
                continue;
            }
            graph
                .entry(from.clone())
                .or_default()
                .entry(to)
                .or_default()
                .insert(rel.display().to_string());
        }
    }
    graph
}

/// The circles of the graph (strongly connected components of more than one module).
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iteratively small enough to write out recursively here.
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(next) = s.graph.get(v) {
            for w in next.keys() {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut part = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                part.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if part.len() > 1 {
                part.sort();
                s.found.push(part);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

fn explain(graph: &Graph, circle: &[String]) -> String {
    let mut out = String::new();
    for a in circle {
        for (b, files) in &graph[a] {
            if circle.contains(b) {
                out += &format!(
                    "  {a} -> {b} (in {})\n",
                    files.iter().cloned().collect::<Vec<_>>().join(", ")
                );
            }
        }
    }
    out
}

#[test]
fn no_module_imports_its_way_back_in_a_circle() {
    for depth in [1, 2] {
        let graph = graph(depth);
        assert!(graph.len() > 10, "the graph was not read: {graph:?}");
        let found = circles(&graph);
        let shown: Vec<String> = found.iter().map(|c| explain(&graph, c)).collect();
        assert!(
            found.is_empty(),
            "import circles between modules ({} level(s) deep):\n{}",
            depth,
            shown.join("\n")
        );
    }
}

#[test]
fn commands_are_on_top() {
    let graph = graph(1);
    let users: Vec<&String> = graph
        .iter()
        .filter(|(from, to)| to.contains_key("command") && *from != "fuzzing")
        .map(|(from, _)| from)
        .collect();
    assert!(
        users.is_empty(),
        "modules below the commands import them: {users:?}"
    );
    // The readers, the model and the rules know nothing of output.
    for lower in [
        "source",
        "load",
        "diagnostic",
        "observe",
        "profile",
        "rules",
        "probe",
        "config",
    ] {
        let to = graph
            .get(lower)
            .map(|m| m.keys().cloned().collect::<Vec<_>>());
        let up: Vec<String> = to
            .unwrap_or_default()
            .into_iter()
            .filter(|m| {
                ["command", "report", "cli", "outcome", "baseline", "hook"].contains(&m.as_str())
            })
            .collect();
        assert!(up.is_empty(), "{lower} imports a higher layer: {up:?}");
    }
}

#[test]
fn the_check_itself_sees_a_circle() {
    let mut graph = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .entry(b.into())
            .or_default()
            .insert("x.rs".into());
    };
    edge(&mut graph, "a", "b");
    edge(&mut graph, "b", "c");
    edge(&mut graph, "c", "a");
    edge(&mut graph, "c", "d");
    assert_eq!(circles(&graph), [["a", "b", "c"]]);
}
