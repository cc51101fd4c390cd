//! `chartgen`: the command-line front end. It parses arguments and delegates;
//! the work happens in the library crates.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use gotmpl::{FuncMap, MissingKey, TemplateSet, Value};

mod allocator;

#[global_allocator]
static ALLOCATOR: allocator::CommandAllocator = allocator::CommandAllocator;

#[derive(Parser)]
#[command(name = "chartgen", version, about = "A Helm-compatible chart renderer")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a chart exactly as `helm template` does (no CHART: the built-in chart).
    Template {
        #[arg(num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Render as `template` does and diff against a golden file (exit 0 same, 1 different, 2 error).
    Diff {
        #[arg(num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Snapshot suites: render a manifest's cases and check or update their goldens.
    Snapshot {
        #[command(subcommand)]
        command: chartgen::snapshot::Command,
    },
    /// Render one Go text/template file with JSON data (numbers become float64, as in helm).
    Render {
        /// The template file.
        template: PathBuf,
        /// JSON file whose content becomes the dot.
        #[arg(long)]
        data: Option<PathBuf>,
        /// What a missing map key yields: invalid (Go's default), zero (helm), error.
        #[arg(long, default_value = "zero")]
        missingkey: String,
    },
    /// Check values files against a chart's schema; every problem located (file:line:col).
    ///
    /// Exit status: 0 valid, 1 invalid, 2 usage error.
    Validate {
        /// The chart (default: the nearest Chart.yaml above each file, else the built-in chart).
        #[arg(long)]
        chart: Option<PathBuf>,
        /// Check each file on its own over the chart's defaults instead of merging them in order (as -f does).
        #[arg(long)]
        each: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ValidateFormat,
        /// Colored text: auto (a terminal, and NO_COLOR unset), always, never.
        #[arg(long, value_enum, default_value = "auto")]
        color: ColorChoice,
        /// Values files (`-`: standard input).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Explain how the built-in chart decides a workload's securityContext or its secrets.
    Explain {
        #[command(subcommand)]
        what: ExplainWhat,
    },
    /// Print the version.
    Version,
    /// Generate a shell completion script.
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ValidateFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum ExplainWhat {
    /// Effective pod and container securityContexts of a workload, and where each field comes from.
    #[command(name = "securityContext")]
    SecurityContext {
        /// scheduler, apiServer, webserver, workers, triggerer, dagProcessor, ...
        workload: String,
        #[command(flatten)]
        values: ExplainValues,
    },
    /// Built-in secrets and which env var of which container reads which key, and why.
    Secrets {
        #[command(flatten)]
        values: ExplainValues,
    },
}

#[derive(clap::Args)]
struct ExplainValues {
    /// Values files (as for `template`).
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    values: Vec<String>,
    /// Set values on the command line.
    #[arg(long = "set")]
    set: Vec<String>,
    /// Release name.
    #[arg(long = "release", default_value = "release-name")]
    release: String,
    /// Namespace.
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
}

fn explain(what: &ExplainWhat) -> Result<String, String> {
    let opts = match what {
        ExplainWhat::SecurityContext { values, .. } | ExplainWhat::Secrets { values } => values,
    };
    let mut user = chartgen_helm::values::UserValues::new();
    user.value_files = opts.values.clone();
    user.values = opts.set.clone();
    let merged = chartgen_helm::values::merge_user_values(&user).map_err(|e| e.message)?;
    let values =
        chartgen_airflow::Values::from_user_values(&merged, &opts.release, &opts.namespace);
    Ok(match what {
        ExplainWhat::SecurityContext { workload, .. } => {
            let w: chartgen_airflow::Workload = workload.parse().map_err(|e| format!("{e}"))?;
            chartgen_airflow::explain_security_context(&values, w)
        }
        ExplainWhat::Secrets { .. } => chartgen_airflow::explain_secrets(&values),
    })
}

fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_value(v)))
                .collect(),
        ),
    }
}

fn render(template: &PathBuf, data: Option<&PathBuf>, missingkey: &str) -> Result<String, String> {
    let name = template.display().to_string();
    let text = std::fs::read_to_string(template).map_err(|e| format!("{name}: {e}"))?;
    let data = match data {
        Some(p) => {
            let raw = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let json: serde_json::Value = serde_json::from_str(&raw)
                .map_err(|e| format!("{}:{}:{}: {e}", p.display(), e.line(), e.column()))?;
            json_to_value(&json)
        }
        None => Value::Invalid,
    };
    let mut set = TemplateSet::new(&name, FuncMap::new());
    set.set_missing_key(match missingkey {
        "invalid" | "default" => MissingKey::Invalid,
        "zero" => MissingKey::Zero,
        "error" => MissingKey::Error,
        other => return Err(format!("unsupported missingkey option: {other}")),
    });
    set.parse(&name, &text).map_err(|e| e.to_string())?;
    set.render(&name, &data).map_err(|e| e.to_string())
}

/// Writes all of `out` or nothing visible changes: the render already finished.
fn print_stdout(out: &str) -> ExitCode {
    if write_stdout(out) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes `out` to stdout; false (reported) if that failed other than by a
/// closed pipe.
fn write_stdout(out: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("Error: writing output: {e}");
            false
        }
    }
}

/// The command line with `template`'s real flag set (for help and completion).
fn full_command() -> clap::Command {
    Cli::command()
        .mut_subcommand("template", |_| chartgen::flags::clap_command())
        .mut_subcommand("diff", |_| chartgen::diff::clap_command())
}

/// The stderr text to print before stdout and after it: helm logs and warns
/// while it works, prints what it rendered (a failed `--debug` render too),
/// then its error, and so it reads on one terminal.
fn stderr_around_stdout(out: &chartgen::Outcome) -> (&str, &str) {
    match out.stderr.rfind("Error: ") {
        Some(i)
            if out.exit != 0
                && !out.stdout.is_empty()
                && (i == 0 || out.stderr.as_bytes()[i - 1] == b'\n') =>
        {
            out.stderr.split_at(i)
        }
        _ => (out.stderr.as_str(), ""),
    }
}

/// Prints a library command's outcome and exits with its code.
fn finish(out: chartgen::Outcome) -> ExitCode {
    let (before, after) = stderr_around_stdout(&out);
    let _ = std::io::stderr().write_all(before.as_bytes());
    let code = print_stdout(&out.stdout);
    let _ = std::io::stderr().write_all(after.as_bytes());
    if out.exit != 0 {
        ExitCode::from(out.exit.clamp(1, 255) as u8)
    } else {
        code
    }
}

fn cwd() -> Result<PathBuf, ExitCode> {
    std::env::current_dir().map_err(|e| {
        eprintln!("Error: getting the working directory: {e}");
        ExitCode::from(2)
    })
}

fn run_diff(args: &[String]) -> ExitCode {
    let cwd = match cwd() {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut stdin = std::io::stdin().lock();
    let mut env = chartgen::Env {
        cwd,
        stdin: &mut stdin,
    };
    chartgen::tree_cache::enable_from_env();
    finish(chartgen::diff::run(
        args,
        &mut env,
        chartgen::diff::Terminal::detect(),
    ))
}

fn run_snapshot(command: &chartgen::snapshot::Command) -> ExitCode {
    let cwd = match cwd() {
        Ok(d) => d,
        Err(code) => return code,
    };
    chartgen::tree_cache::enable_from_env();
    let ctx = chartgen::snapshot::Context {
        cwd,
        var: &chartgen::determinism::process_var,
        term: chartgen::diff::Terminal::detect(),
    };
    finish(chartgen::snapshot::run(command, &ctx))
}

/// Whether `template` adds file:line:col lines after helm's error text:
/// `CHARTGEN_LOCATED_ERRORS=1`/`0` decides, else only for a terminal, so
/// scripts that compare helm's stderr see helm's bytes.
fn located_errors_wanted() -> bool {
    use std::io::IsTerminal;
    match std::env::var("CHARTGEN_LOCATED_ERRORS").as_deref() {
        Ok("1") | Ok("true") => true,
        Ok("0") | Ok("false") => false,
        _ => std::io::stderr().is_terminal(),
    }
}

fn run_template(args: &[String]) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("Error: getting the working directory: {e}");
            return 1;
        }
    };
    let mut stdin = std::io::stdin().lock();
    let mut env = chartgen::Env {
        cwd,
        stdin: &mut stdin,
    };
    chartgen::template::KEEP_AT_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
    chartgen::tree_cache::enable_from_env();
    chartgen::tree_cache::defer_saves();
    let out = chartgen::run_template(args, &mut env);
    let (before, after) = stderr_around_stdout(&out);
    let _ = std::io::stderr().write_all(before.as_bytes());
    let written = write_stdout(&out.stdout);
    let _ = std::io::stderr().write_all(after.as_bytes());
    if !out.located.is_empty() && located_errors_wanted() {
        let _ = std::io::stderr().write_all(format!("{}\n", out.located.join("\n")).as_bytes());
    }
    chartgen::tree_cache::save_deferred();
    if out.exit != 0 {
        out.exit.clamp(1, 255) as u8
    } else {
        u8::from(!written)
    }
}

/// Stack for the command's thread. Deeply nested but valid input (YAML nests
/// 10000 deep, templates call 100000 deep) recurses deeply; Go grows its
/// stacks up to 1 GB, so chartgen gives its work room of that order too
/// (reserved address space; only what is used is committed).
const STACK_SIZE: usize = 512 << 20;

/// glibc's malloc, tuned for a short run that allocates a lot on two or
/// three threads (`template` renders on all cores while it validates).
///
/// Two arenas: with one, those threads queue on its lock (ten times the
/// context switches, a quarter more CPU); more arenas fault in more heaps.
/// The heaps are never trimmed, and large buffers stay in them rather than
/// being mapped and unmapped each time.
///
/// Page faults were 10-25% of a run: the main (`brk`) heap's first
/// `HEAP_RESERVE` bytes are reserved at once and advised as transparent huge
/// pages (what glibc's `glibc.malloc.hugetlb=1` tunable does), so that it is
/// faulted in 2 MiB at a time; the command thread does the same with its
/// arena's heap (see [`reserve_thread_heap`]). Only touched 2 MiB pages
/// count in RSS (peak RSS grows by up to 2 MiB per heap); where THP is
/// disabled the advice does nothing.
///
/// A 2 MiB range becomes a huge page only if its first touch comes after
/// the advice: one small page faulted in before (even malloc writing a
/// chunk header) makes the whole range fault in small pages. Hence the
/// order: reserve, advise, then free and align (see [`skip_to_huge_page`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    const HEAP_RESERVE: usize = 64 << 20;
    const HUGE: usize = 2 << 20;
    // Below the mmap threshold, so it comes from the heap: malloc extends
    // the heap by it plus M_TOP_PAD, and writes a header at its end, past
    // what a render of a large chart uses.
    const PROBE: usize = 24 << 20;
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread exists. The malloc/free pair is balanced, madvise only
    // advises on the heap's own pages (checked to be what sbrk added), and
    // `skip_to_huge_page` gets the address just freed.
    unsafe {
        // `snapshot` renders a case per core and keeps glibc's default.
        if !is_snapshot() {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        // No fastbins (tcache still serves small blocks): each allocation
        // past the small sizes (output buffers growing) would first
        // consolidate them. About 1% fewer instructions on a render.
        libc::mallopt(libc::M_MXFAST, 0);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TOP_PAD, HEAP_RESERVE as libc::c_int);
        let before = libc::sbrk(0) as usize;
        // (black_box: a malloc/free pair may be optimised away.)
        let p = std::hint::black_box(libc::malloc(PROBE));
        let after = libc::sbrk(0) as usize;
        libc::mallopt(libc::M_TOP_PAD, 1 << 20);
        if p.is_null() {
            return;
        }
        let extended = after.wrapping_sub(before) >= HEAP_RESERVE && after > before;
        if extended {
            let start = (p as usize - CHUNK_HEADER + HUGE - 1) & !(HUGE - 1);
            let end = after & !(HUGE - 1);
            if end > start {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
        libc::free(p);
        if extended {
            skip_to_huge_page(p as usize);
        }
    }
}

/// glibc's chunk header (two words), right before each address malloc returns.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const CHUNK_HEADER: usize = 2 * std::mem::size_of::<usize>();

/// Makes the heap's next allocations start at a 2 MiB boundary. `freed` is
/// the address malloc returned, then took back, for a large block carved
/// from the heap's free top: that top now starts at its chunk header. The
/// part of the heap below the boundary has had pages faulted in one by one
/// (the arena's own header, earlier allocations) and cannot become a huge
/// page; left to malloc, its other pages would be faulted in one by one
/// too. They are given instead to a block that is never used nor freed:
/// address space, no memory.
///
/// # Safety
/// `freed` must be as described, with no allocation on this thread since.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe fn skip_to_huge_page(freed: usize) {
    const HUGE: usize = 2 << 20;
    let top = freed - CHUNK_HEADER;
    let gap = ((top + HUGE - 1) & !(HUGE - 1)) - top;
    // A request of `gap - CHUNK_HEADER` bytes is a chunk of exactly `gap`
    // bytes (glibc rounds request + one word up to 16). Small gaps are
    // left alone.
    if gap >= 4096 {
        // SAFETY: a plain allocation, deliberately never freed.
        let filler = unsafe { libc::malloc(gap - CHUNK_HEADER) } as usize;
        if filler != freed {
            // Not carved from the top after all (malloc found another free
            // chunk): give it back, nothing is gained or lost.
            // SAFETY: `filler` came from malloc just above.
            unsafe { libc::free(filler as *mut libc::c_void) };
        }
    }
}

fn is_snapshot() -> bool {
    std::env::args_os().nth(1).is_some_and(|c| c == "snapshot")
}

/// The command thread's share of [`tune_malloc`]. Its first allocation gave
/// it the second arena, whose heap glibc maps as one `HEAP_MAX` block
/// aligned to its size and makes usable in page-sized steps (each a fault):
/// a large block allocated and freed makes `THREAD_HEAP_RESERVE` of it
/// usable at once (never trimmed), and the whole block is advised as
/// transparent huge pages. Measured: kube-prometheus-stack 7,300 page faults
/// → 1,800, a quarter less wall time than with one arena.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reserve_thread_heap() {
    // glibc's HEAP_MAX_SIZE on 64-bit targets (2 × the largest mmap threshold).
    const HEAP_MAX: usize = 64 << 20;
    // Below the mmap threshold set in `tune_malloc`, so it comes from the heap.
    const THREAD_HEAP_RESERVE: usize = 24 << 20;
    if is_snapshot() {
        return;
    }
    // SAFETY: a balanced malloc/free pair; madvise only advises on the
    // aligned block holding that allocation, which is the arena's own heap
    // mapping when the allocation lies outside the main `brk` heap (checked),
    // and advice on anonymous memory never changes its contents.
    unsafe {
        let p = std::hint::black_box(libc::malloc(THREAD_HEAP_RESERVE)) as usize;
        if p == 0 {
            return;
        }
        let brk_end = libc::sbrk(0) as usize;
        if p < brk_end {
            // The main arena (the thread could not be spawned): already advised.
            libc::free(p as *mut libc::c_void);
            return;
        }
        let block = p & !(HEAP_MAX - 1);
        libc::madvise(block as *mut libc::c_void, HEAP_MAX, libc::MADV_HUGEPAGE);
        libc::free(p as *mut libc::c_void);
        skip_to_huge_page(p);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn reserve_thread_heap() {}

fn main() -> ExitCode {
    tune_malloc();
    match std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(run_main)
    {
        // A panic has already been reported by the panic hook.
        Ok(h) => h.join().unwrap_or(ExitCode::from(101)),
        Err(_) => run_main(),
    }
}

fn run_main() -> ExitCode {
    reserve_thread_heap();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Some(args) = chartgen::template_invocation(&argv) {
        // (After the heap reservation: the helper thread it starts then
        // shares a heap already advised as huge pages.)
        chartgen::template::start_early(&args);
        let status = run_template(&args);
        // Nothing is left to do: returning would only have this thread's
        // stack unmapped and the thread joined first.
        std::process::exit(i32::from(status));
    }
    if let Some(args) = chartgen::invocation(&argv, "diff") {
        return run_diff(&args);
    }
    // `template` never gets here; clap handles the other commands and
    // `help template` (with template's real flag set).
    let matches = full_command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Template { args } => ExitCode::from(run_template(&args)),
        Command::Diff { args } => run_diff(&args),
        Command::Snapshot { command } => run_snapshot(&command),
        Command::Render {
            template,
            data,
            missingkey,
        } => match render(&template, data.as_ref(), &missingkey) {
            Ok(out) => print_stdout(&out),
            Err(e) => {
                eprintln!("Error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Explain { what } => match explain(&what) {
            Ok(out) => print_stdout(&out),
            Err(e) => {
                eprintln!("Error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Validate {
            chart,
            each,
            format,
            color,
            files,
        } => {
            use std::io::IsTerminal;
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let args = chartgen::validate::Args {
                chart,
                each,
                format: match format {
                    ValidateFormat::Text => chartgen_validate::Format::Text,
                    ValidateFormat::Json => chartgen_validate::Format::Json,
                },
                color,
                files,
            };
            let cwd = match std::env::current_dir() {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("Error: getting the working directory: {e}");
                    return ExitCode::from(2);
                }
            };
            let out = chartgen::validate::run(&args, cwd);
            let code = print_stdout(&out.stdout);
            if out.exit != 0 {
                ExitCode::from(out.exit.clamp(1, 255) as u8)
            } else {
                code
            }
        }
        Command::Version => {
            println!("chartgen {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Completion { shell } => {
            let mut cmd = full_command();
            clap_complete::generate(shell, &mut cmd, "chartgen", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}
