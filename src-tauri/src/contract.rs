//! The contract between the Rust commands and the UI's wrappers: every command registered in `lib.rs` has one typed
//! wrapper in `ui/src/api/commands.ts` that calls it by its exact name with exactly its arguments (Tauri's camelCase
//! of the Rust parameter names), and nothing else in the UI calls a command. A misspelt command or argument fails
//! here, not in an operator's hands. The types of arguments and results come from `bindings.ts` (generated).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Parameters Tauri fills in itself, which the UI does not send.
const INJECTED: [&str; 4] = ["State<", "AppHandle", "Window", "WebviewWindow"];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `module::name` of every command in `generate_handler![…]`.
fn registered(lib: &str) -> Vec<(String, String)> {
    let start = lib.find("generate_handler![").expect("generate_handler in lib.rs");
    let list = &lib[start + "generate_handler![".len()..];
    let list = &list[..list.find(']').unwrap()];
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| {
            let parts: Vec<&str> = path.split("::").collect();
            (parts[parts.len() - 2].to_string(), parts[parts.len() - 1].to_string())
        })
        .collect()
}

/// The text between the parenthesis at `open` and its match.
fn balanced(text: &str, open: usize, (left, right): (char, char)) -> &str {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return &text[open + 1..open + i];
            }
        }
    }
    panic!("unbalanced {left} at {open}");
}

/// Splits at the commas not nested in brackets of any kind.
fn top_level(list: &str) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0i32, 0, Vec::new());
    for (i, c) in list.char_indices() {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' | '>' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(list[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The arguments the UI must send to the command `name` defined in `source`.
fn arguments(source: &str, name: &str) -> BTreeSet<String> {
    let at = [format!("pub async fn {name}("), format!("pub fn {name}(")]
        .iter()
        .find_map(|sig| source.find(sig.as_str()).map(|i| i + sig.len() - 1))
        .unwrap_or_else(|| panic!("command {name} not defined in its module"));
    top_level(balanced(source, at, ('(', ')')))
        .into_iter()
        .filter_map(|param| param.split_once(':'))
        .filter(|(_, ty)| !INJECTED.iter().any(|i| ty.trim().trim_start_matches("tauri::").starts_with(i)))
        .map(|(name, _)| camel(name.trim().trim_start_matches("mut ")))
        .collect()
}

/// Every `call<…>("command", { … })` of the wrappers: command → the argument names it sends.
fn calls(ts: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    let mut rest = 0;
    while let Some(i) = ts[rest..].find("call<") {
        let at = rest + i + "call".len();
        let generic = balanced(ts, at, ('<', '>'));
        let after = at + generic.len() + 2;
        let args = balanced(ts, after, ('(', ')'));
        let parts = top_level(args);
        let name = parts[0].trim_matches('"').to_string();
        let keys = match parts.get(1) {
            None => BTreeSet::new(),
            Some(object) => {
                let object = object.trim().trim_start_matches('{').trim_end_matches('}');
                top_level(object).into_iter().map(|k| k.split(':').next().unwrap().trim().to_string()).collect()
            }
        };
        assert!(found.insert(name.clone(), keys).is_none(), "{name} has two wrappers in commands.ts");
        rest = after + args.len();
    }
    found
}

#[test]
fn every_command_has_one_wrapper_with_exactly_its_arguments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ui = root.join("../ui/src");
    let wrappers = calls(&read(&ui.join("api/commands.ts")));
    let mut problems = Vec::new();
    let commands = registered(&read(&root.join("src/lib.rs")));
    for (module, name) in &commands {
        let wanted = arguments(&read(&root.join(format!("src/commands/{module}.rs"))), name);
        match wrappers.get(name) {
            None => problems.push(format!("{name}: no wrapper in commands.ts")),
            Some(sent) if *sent != wanted => problems.push(format!("{name}: sends {sent:?}, takes {wanted:?}")),
            Some(_) => {}
        }
    }
    let known: BTreeSet<&String> = commands.iter().map(|(_, n)| n).collect();
    for name in wrappers.keys().filter(|n| !known.contains(n)) {
        problems.push(format!("{name}: called by commands.ts but not a registered command"));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(commands.len() > 50, "read {} commands", commands.len());
}

#[test]
fn the_ui_calls_commands_only_through_the_wrappers() {
    fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "vue") {
                found.push(path);
            }
        }
    }
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src");
    let mut files = Vec::new();
    sources(&ui, &mut files);
    let elsewhere: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("api/commands.ts") && !f.ends_with("api/invoke.ts"))
        .filter(|f| !f.to_string_lossy().ends_with(".test.ts"))
        .filter(|f| {
            let text = read(f);
            text.contains("invoke(") || text.contains("invoke<") || text.contains("call<") || text.contains("call(\"")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
}

#[test]
fn the_parser_reads_what_it_checks() {
    let ts = r#"export const a = (x: number) => call<Page<Row>>("a_b", { planId: x, idNumbers, on: channel(f) });
                export const b = () => call<void>("c");"#;
    let found = calls(ts);
    assert_eq!(found["a_b"], ["idNumbers", "on", "planId"].map(String::from).into());
    assert!(found["c"].is_empty());
    let rust =
        "pub async fn a_b(state: State<'_, AppState>, plan_id: i64, id_numbers: Vec<String>, on: Channel<P>) -> R";
    assert_eq!(arguments(rust, "a_b"), ["idNumbers", "on", "planId"].map(String::from).into());
}
