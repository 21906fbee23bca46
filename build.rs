//! Every rule is declared once, by the `declare_rule!` at the top of its file under src/rules/.
//! Readers and configuration sit below the rules and still need to know every code, its name,
//! default level, scope and what it needs: this script reads those fields from each declaration
//! and writes them to `$OUT_DIR/codes.rs`, which src/diagnostic.rs expands into the `Code` enum.
//! The rest of a declaration (the check and the explain text) is compiled in src/rules/ itself.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Ident, Lit, Token};

const RULES: &str = "src/rules";
const LEVELS: [&str; 3] = ["Info", "Warning", "Error"];
const SCOPES: [&str; 6] = [
    "Profile",
    "Network",
    "Host",
    "Probe",
    "Input",
    "Suppression",
];
const NEEDS: [&str; 3] = ["Networks", "Dns", "Probe"];

/// One `field: value` of a declaration.
struct Field {
    key: Ident,
    value: Expr,
}

impl Parse for Field {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![:]>()?;
        let value = input.parse()?;
        Ok(Field { key, value })
    }
}

/// What the layers below the rules know of a code.
struct Header {
    number: u16,
    code: String,
    name: String,
    level: String,
    scope: String,
    needs: Vec<String>,
    input_problem: bool,
    file: String,
}

fn fail(file: &Path, message: impl std::fmt::Display) -> ! {
    panic!("{}: {message}", file.display())
}

fn ident(file: &Path, key: &str, value: &Expr) -> String {
    match value {
        Expr::Path(p) => match p.path.get_ident() {
            Some(id) => id.to_string(),
            None => fail(file, format!("`{key}` takes a bare name")),
        },
        _ => fail(file, format!("`{key}` takes a bare name")),
    }
}

fn string(file: &Path, key: &str, value: &Expr) -> String {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => s.value(),
        _ => fail(file, format!("`{key}` takes a string literal")),
    }
}

fn one_of(file: &Path, key: &str, value: String, allowed: &[&str]) -> String {
    if !allowed.contains(&value.as_str()) {
        fail(
            file,
            format!("`{key}: {value}` is none of {}", allowed.join(", ")),
        );
    }
    value
}

/// The header of the one `declare_rule!` in `file`, or `None` for a file without one.
fn header(file: &Path) -> Option<Header> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(file, e));
    let parsed = syn::parse_file(&text).unwrap_or_else(|e| fail(file, e));
    let mut declarations = parsed.items.iter().filter_map(|item| match item {
        syn::Item::Macro(m) if m.mac.path.is_ident("declare_rule") => Some(&m.mac),
        _ => None,
    });
    let mac = declarations.next()?;
    if declarations.next().is_some() {
        fail(file, "one `declare_rule!` per file");
    }
    let fields = mac
        .parse_body_with(Punctuated::<Field, Token![,]>::parse_terminated)
        .unwrap_or_else(|e| fail(file, e));
    let get = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| &f.value)
            .unwrap_or_else(|| fail(file, format!("the declaration has no `{key}`")))
    };
    let code = ident(file, "code", get("code"));
    let number = code
        .strip_prefix("SL")
        .filter(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| fail(file, format!("`{code}` is not SL and three digits")));
    let name = string(file, "name", get("name"));
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    if stem != name.replace('-', "_") {
        fail(
            file,
            format!(
                "declares `{name}`: a rule's file is named after the rule ({}.rs)",
                name.replace('-', "_")
            ),
        );
    }
    let level = one_of(file, "level", ident(file, "level", get("level")), &LEVELS);
    let scope = one_of(file, "scope", ident(file, "scope", get("scope")), &SCOPES);
    let needs = match get("needs") {
        Expr::Array(a) => a
            .elems
            .iter()
            .map(|e| one_of(file, "needs", ident(file, "needs", e), &NEEDS))
            .collect(),
        _ => fail(
            file,
            "`needs` takes a list: [], [Networks], [Dns] or [Probe]",
        ),
    };
    let input_problem = match fields.iter().find(|f| f.key == "input_problem") {
        None => false,
        Some(Field {
            value: Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }),
            ..
        }) => b.value,
        Some(_) => fail(file, "`input_problem` takes true or false"),
    };
    Some(Header {
        number,
        code,
        name,
        level,
        scope,
        needs,
        input_problem,
        file: format!("{stem}.rs"),
    })
}

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"));
    let rules = dir.join(RULES);
    println!("cargo::rerun-if-changed={RULES}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&rules)
        .unwrap_or_else(|e| fail(&rules, e))
        .map(|entry| entry.unwrap_or_else(|e| fail(&rules, e)).path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"))
        .collect();
    files.sort();
    let mut headers: Vec<Header> = files.iter().filter_map(|f| header(f)).collect();
    headers.sort_by_key(|h| h.number);
    for pair in headers.windows(2) {
        if pair[0].number == pair[1].number {
            panic!(
                "{} is declared twice: in {RULES}/{} and {RULES}/{}",
                pair[0].code, pair[0].file, pair[1].file
            );
        }
    }
    let mut out = String::from("codes! {\n");
    for h in &headers {
        let _ = writeln!(
            out,
            "    {} {:?} {} {} [{}] {} {:?},",
            h.code,
            h.name,
            h.level,
            h.scope,
            h.needs.join(" "),
            h.input_problem,
            format!("{RULES}/{}", h.file),
        );
    }
    out.push_str("}\n");
    let target = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo")).join("codes.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| fail(&target, e));
}
