//! `chartgen template`: helm template's argument handling and printing over
//! `chartgen_helm::action`.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::capabilities::KubeVersion;
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::release::{OutputOptions, Rendered};
use chartgen_helm::values::{merge_user_values, UserValues};

use crate::embedded;
use crate::template_args::TemplateArgs;

/// A failure to report as `Error: …` (after any warnings helm would log).
pub struct Failure {
    pub warnings: String,
    pub message: String,
}

fn fail(log: &Warnings, message: impl Into<String>) -> Failure {
    Failure {
        warnings: log.render(),
        message: message.into(),
    }
}

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Runs the command; returns what goes to stdout, and the warnings for stderr.
pub fn run(args: &TemplateArgs) -> Result<(String, String), Failure> {
    let mut log = Warnings::new();
    reject_online_flags(args).map_err(|m| fail(&log, m))?;

    let (release_name, chart_ref) = name_and_chart(args).map_err(|m| fail(&log, m))?;

    let kube_version = match &args.kube_version {
        Some(v) => Some(
            KubeVersion::parse(v)
                .map_err(|e| fail(&log, format!("invalid kube version '{v}': {e}")))?,
        ),
        None => None,
    };

    if let Some(path) = &chart_ref {
        locate_chart(path).map_err(|m| fail(&log, m))?;
    }

    let mut user = UserValues::new();
    for f in &args.values {
        user.value_files.push(f.clone());
    }
    user.values = args.set.clone();
    user.string_values = args.set_string.clone();
    user.file_values = args.set_file.clone();
    user.json_values = args.set_json.clone();
    user.literal_values = args.set_literal.clone();
    if args.values.iter().any(|f| f == "-") || args.set_file.iter().any(|f| f.contains("=-")) {
        let mut stdin = Vec::new();
        std::io::stdin()
            .read_to_end(&mut stdin)
            .map_err(|e| fail(&log, format!("reading stdin: {e}")))?;
        user = user.with_stdin(stdin);
    }
    let values = merge_user_values(&user).map_err(|e| fail(&log, e.message))?;

    let chart = match &chart_ref {
        Some(path) => LoadedChart::load(path, &mut log),
        None => match embedded::load() {
            Ok(c) => LoadedChart::from_chart(c, &mut log),
            Err(e) => return Err(fail(&log, e.message)),
        },
    }
    .map_err(|e| fail(&log, e.message))?;

    let opts = TemplateOptions {
        release_name,
        namespace: args
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string()),
        is_upgrade: args.is_upgrade,
        kube_version,
        api_versions: args.api_versions.clone(),
        skip_schema_validation: args.skip_schema_validation,
        output: OutputOptions {
            include_crds: args.include_crds,
            skip_tests: args.skip_tests,
            no_hooks: args.no_hooks,
            show_only: args.show_only.clone(),
            subchart_notes: args.render_subchart_notes,
        },
    };
    let rendered = chart.template(&values, &opts, &mut log).map_err(|e| {
        let hint = if e.during_render { DEBUG_HINT } else { "" };
        fail(&log, format!("{}{hint}", e.message))
    })?;

    let stdout = match &args.output_dir {
        Some(dir) => {
            write_output_dir(dir, args, &opts.release_name, &rendered).map_err(|m| fail(&log, m))?
        }
        None => rendered.stream,
    };
    Ok((stdout, log.render()))
}

fn reject_online_flags(args: &TemplateArgs) -> Result<(), String> {
    let offline = "chartgen renders offline";
    if args.repo.is_some() || args.version.is_some() || args.devel {
        return Err(format!(
            "--repo, --version and --devel select a chart from a repository, which needs network access ({offline}); pass a chart directory or archive"
        ));
    }
    if args.post_renderer.is_some() {
        return Err("--post-renderer is not supported".to_string());
    }
    if args.validate || args.dry_run.as_deref().is_some_and(|d| d != "client") {
        return Err(format!(
            "server-side validation needs a Kubernetes cluster ({offline}); only --dry-run=client is available"
        ));
    }
    if args.enable_dns {
        return Err(format!("--enable-dns needs network access ({offline})"));
    }
    Ok(())
}

/// helm's `NameAndChart` as the template command drives it (its default
/// release name is `release-name`). `None` for the chart means the built-in one.
fn name_and_chart(args: &TemplateArgs) -> Result<(String, Option<String>), String> {
    let flags_not_set = || -> Result<(), String> {
        if args.generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if args.name_template.is_some() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        Ok(())
    };
    match args.args.as_slice() {
        [] => Ok((default_name(args)?, None)),
        [chart] => Ok((default_name(args)?, Some(chart.clone()))),
        [name, chart] => {
            flags_not_set()?;
            Ok((name.clone(), Some(chart.clone())))
        }
        [_, _, rest @ ..] => Err(format!(
            "expected at most two arguments, unexpected arguments: {}",
            rest.join(", ")
        )),
    }
}

fn default_name(args: &TemplateArgs) -> Result<String, String> {
    match &args.name_template {
        Some(t) => render_name_template(t),
        None => Ok("release-name".to_string()),
    }
}

/// helm's `TemplateName`: the template runs with sprig functions and nil data.
fn render_name_template(text: &str) -> Result<String, String> {
    let mut set = gotmpl::TemplateSet::new("name-template", chartgen_sprig::funcs());
    set.parse("name-template", text)
        .map_err(|e| e.to_string())?;
    set.render("name-template", &gotmpl::Value::Invalid)
        .map_err(|e| e.to_string())
}

/// helm's `LocateChart` for local paths.
fn locate_chart(name: &str) -> Result<(), String> {
    if Path::new(name).exists() {
        return Ok(());
    }
    if Path::new(name).is_absolute() || name.starts_with('.') {
        return Err(format!("path {} not found", gotmpl::strconv::quote(name)));
    }
    Err(format!(
        "non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
    ))
}

/// `--output-dir`: each document is appended to `DIR/[release/]SOURCE`;
/// nothing is written unless rendering succeeded, and never outside DIR.
fn write_output_dir(
    dir: &str,
    args: &TemplateArgs,
    release: &str,
    rendered: &Rendered,
) -> Result<String, String> {
    let mut base = PathBuf::from(dir);
    if args.release_name {
        base.push(release);
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut report = String::new();
    for doc in &rendered.documents {
        let rel = Path::new(&doc.source);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(format!(
                "refusing to write {}: it would leave the output directory",
                doc.source
            ));
        }
        let path = base.join(rel);
        let append = written.contains(&path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        write!(f, "---\n# Source: {}\n{}\n", doc.source, doc.body)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !append {
            written.push(path.clone());
        }
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok(report)
}
