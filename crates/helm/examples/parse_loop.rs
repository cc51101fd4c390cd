//! Parses every template file under a directory N times with helm's function
//! map, as the engine does (for measuring the parser):
//! `cargo run --release -p chartgen-helm --example parse_loop -- DIR N`.
//! Under DIR, files in a `templates` directory are parsed (DIR itself counts
//! when it is one). Each round's trees are dropped in [`drop_round`], so a
//! profiler shows the cost of freeing them apart from parsing. With
//! `--stats`, prints how many commands pipelines have, arguments commands
//! have and names field chains have (what the tree's inline sizes rest on).

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use gotmpl::ast::{Arg, ListNode, Node, PipeNode, Tree};
use gotmpl::TemplateSet;

/// Histograms: pipeline commands, command arguments, chain names, declarations.
#[derive(Default)]
struct Stats {
    cmds: BTreeMap<usize, usize>,
    args: BTreeMap<usize, usize>,
    names: BTreeMap<usize, usize>,
    decl: BTreeMap<usize, usize>,
}

impl Stats {
    fn list(&mut self, l: &ListNode) {
        for n in l.nodes.iter() {
            match n {
                Node::Action(a) => self.pipe(&a.pipe),
                Node::If(b) | Node::Range(b) | Node::With(b) => {
                    self.pipe(&b.pipe);
                    self.list(b.list.get().expect("parsed lists are decoded"));
                    if let Some(e) = &b.else_list {
                        self.list(e.get().expect("parsed lists are decoded"));
                    }
                }
                Node::Template(t) => {
                    if let Some(p) = &t.pipe {
                        self.pipe(p);
                    }
                }
                Node::List(l) => self.list(l),
                _ => {}
            }
        }
    }

    fn pipe(&mut self, p: &PipeNode) {
        *self.cmds.entry(p.cmds.len()).or_default() += 1;
        *self.decl.entry(p.decl.len()).or_default() += 1;
        for c in p.cmds.iter() {
            *self.args.entry(c.args.len()).or_default() += 1;
            for a in c.args.iter() {
                self.arg(a);
            }
        }
    }

    fn arg(&mut self, a: &Arg) {
        match a {
            Arg::Field(f) => *self.names.entry(f.ident.len()).or_default() += 1,
            Arg::Variable(v) => *self.names.entry(v.ident.len()).or_default() += 1,
            Arg::Chain(c) => {
                *self.names.entry(c.field.len()).or_default() += 1;
                self.arg(&c.node);
            }
            Arg::Pipe(p) => self.pipe(p),
            _ => {}
        }
    }
}

fn collect(dir: &Path, in_templates: bool, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            let t = in_templates || p.file_name().is_some_and(|n| n == "templates");
            collect(&p, t, out);
        } else if in_templates {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), text));
            }
        }
    }
}

#[inline(never)]
fn parse_round(set: &TemplateSet, files: &[(String, String)]) -> Vec<Vec<Tree>> {
    files
        .iter()
        .filter_map(|(name, text)| set.parse_trees(name, text).ok())
        .collect()
}

#[inline(never)]
fn drop_round(trees: Vec<Vec<Tree>>) -> usize {
    let n = trees.iter().map(Vec::len).sum();
    drop(trees);
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).map_or(".", String::as_str));
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10);
    let mut files = Vec::new();
    let is_templates = dir.file_name().is_some_and(|n| n == "templates");
    collect(dir, is_templates, &mut files);
    let set = TemplateSet::new("gotpl", chartgen_helm::funcs::funcs());
    if args.iter().any(|a| a == "--stats") {
        let mut stats = Stats::default();
        for tree in parse_round(&set, &files).iter().flatten() {
            stats.list(&tree.root);
        }
        println!("commands per pipeline: {:?}", stats.cmds);
        println!("arguments per command: {:?}", stats.args);
        println!("names per field/variable/chain: {:?}", stats.names);
        println!("declarations per pipeline: {:?}", stats.decl);
        return;
    }
    let mut trees = 0;
    for _ in 0..n {
        trees += drop_round(parse_round(&set, &files));
    }
    println!("{} files, {n} rounds, {trees} trees", files.len());
}
