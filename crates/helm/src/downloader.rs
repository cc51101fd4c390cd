//! `helm template --dependency-update`: helm's `downloader.Manager.Update`,
//! for what works offline.
//!
//! Dependencies from `file://` repositories are packaged into `charts/`
//! (helm's `tarFromLocalDir`), dependencies without a repository are checked
//! in `charts/`, outdated archives are deleted and `Chart.lock` is written,
//! with helm's messages (on stdout) and errors. Dependencies that need a
//! chart repository or an OCI registry fail with a clear error instead of a
//! download: chartgen never touches the network nor reads helm's
//! repositories file.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::chart::Dependency;
use crate::coalesce::Warnings;
use crate::loader;
use crate::save;
use crate::semver::{Constraints, Version};

/// Runs the update in the chart directory `chart_path`, appending helm's
/// messages to `out`. `debug` adds the lines helm prints with `--debug`.
///
/// Loading logs (symbolic links followed) go to `log`, as helm's loader logs
/// them.
pub fn update(
    chart_path: &Path,
    debug: bool,
    out: &mut String,
    log: &mut Warnings,
) -> Result<(), String> {
    match std::fs::metadata(chart_path) {
        Err(e) => return Err(format!("could not find {}: {e}", chart_path.display())),
        Ok(m) if !m.is_dir() => return Err("only unpacked charts can be updated".into()),
        Ok(_) => {}
    }
    let chart = loader::load_logged(chart_path, log).map_err(|e| e.message)?;
    let Some(reqs) = chart.metadata.dependencies.clone() else {
        return Ok(());
    };

    resolve_repo_names(&reqs, chart_path, debug, out)?;
    let mut locked = resolve(&reqs, chart_path, log)?;
    download_all(&mut locked, chart_path, debug, out, log)?;

    let digest = hash_req(&reqs, &locked);
    let old_digest = chart
        .raw_lock
        .as_deref()
        .and_then(|raw| chartgen_yaml::parse(raw).ok())
        .and_then(|v| {
            v.as_map()
                .and_then(|m| m.get("digest").and_then(|d| d.as_str().map(str::to_string)))
        });
    if old_digest.as_deref() == Some(digest.as_str()) {
        return Ok(());
    }
    write_lock(
        chart_path,
        &locked,
        &digest,
        chart.metadata.api_version == "v1",
    )
}

/// helm's `resolveRepoNames`, for a user without configured repositories.
fn resolve_repo_names(
    reqs: &[Dependency],
    chart_path: &Path,
    debug: bool,
    out: &mut String,
) -> Result<(), String> {
    let mut missing = Vec::new();
    let mut remote = Vec::new();
    for d in reqs {
        let repo = d.repository.as_str();
        if repo.is_empty() {
            continue;
        }
        if repo.starts_with("file://") {
            local_path(repo, chart_path)?;
            if debug {
                out.push_str(&format!("Repository from local path: {repo}\n"));
            }
        } else if repo.starts_with("oci://") || is_request_uri(repo) {
            remote.push(d);
        } else {
            missing.push(repo);
        }
    }
    if !missing.is_empty() {
        let mut msg = format!(
            "no repository definition for {}. Please add them via 'helm repo add'",
            missing.join(", ")
        );
        if missing
            .iter()
            .any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:"))
        {
            msg.push_str(
                "\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').",
            );
        }
        return Err(msg);
    }
    if let Some(d) = remote.first() {
        return Err(format!(
            "dependency {} comes from {}: chartgen works offline and cannot download it; fetch it with `helm dependency build`, or use a file:// repository",
            d.name, d.repository
        ));
    }
    Ok(())
}

/// Go's `url.ParseRequestURI` succeeding: an absolute URL or an absolute path.
fn is_request_uri(s: &str) -> bool {
    if s.starts_with('/') {
        return true;
    }
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// helm's `resolver.GetLocalPath`.
fn local_path(repo: &str, chart_path: &Path) -> Result<PathBuf, String> {
    let p = repo.strip_prefix("file://").unwrap_or(repo);
    let dep = if p.starts_with('/') {
        PathBuf::from(loader::path_clean(p))
    } else {
        PathBuf::from(loader::path_clean(&chart_path.join(p).to_string_lossy()))
    };
    match std::fs::metadata(&dep) {
        Ok(_) => Ok(dep),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("directory {} not found", dep.display()))
        }
        Err(e) => Err(format!("stat {}: {e}", dep.display())),
    }
}

fn constraint(d: &Dependency) -> Result<Constraints, String> {
    Constraints::parse(&d.version).map_err(|e| {
        format!(
            "dependency {} has an invalid version/constraint format: {e}",
            gotmpl::strconv::quote(&d.name)
        )
    })
}

/// helm's `Resolver.Resolve` for local dependencies: the exact version of
/// each, or `None` where helm leaves the entry empty (a `file://` chart whose
/// own version does not parse).
fn resolve(
    reqs: &[Dependency],
    chart_path: &Path,
    log: &mut Warnings,
) -> Result<Vec<Option<Dependency>>, String> {
    let mut locked = Vec::with_capacity(reqs.len());
    let mut missing = Vec::new();
    for d in reqs {
        let c = constraint(d)?;
        let mut lock = Dependency {
            name: d.name.clone(),
            repository: d.repository.clone(),
            version: d.version.clone(),
            ..Default::default()
        };
        if d.repository.is_empty() {
            local_path(&format!("charts/{}", d.name), chart_path)?;
            locked.push(Some(lock));
            continue;
        }
        let dir = local_path(&d.repository, chart_path)?;
        let ch = loader::load_logged(&dir, log).map_err(|e| e.message)?;
        let Ok(v) = Version::parse(&ch.metadata.version) else {
            locked.push(None);
            continue;
        };
        if !c.check(&v) {
            missing.push(format!(
                "{} (repository {}, version {})",
                gotmpl::strconv::quote(&d.name),
                gotmpl::strconv::quote(&d.repository),
                gotmpl::strconv::quote(&d.version)
            ));
            locked.push(None);
            continue;
        }
        lock.version = ch.metadata.version.clone();
        locked.push(Some(lock));
    }
    if !missing.is_empty() {
        return Err(format!(
            "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
            missing.len(),
            missing.join(", ")
        ));
    }
    Ok(locked)
}

/// helm's `downloadAll` + `safeMoveDeps`: archives into a temporary
/// directory inside the chart, then moved into `charts/`; archives of
/// dependencies no longer wanted are deleted.
fn download_all(
    deps: &mut [Option<Dependency>],
    chart_path: &Path,
    debug: bool,
    out: &mut String,
    log: &mut Warnings,
) -> Result<(), String> {
    let dest = chart_path.join("charts");
    match std::fs::metadata(&dest) {
        Ok(m) if !m.is_dir() => {
            return Err(format!(
                "{} is not a directory",
                gotmpl::strconv::quote(&dest.to_string_lossy())
            ))
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&dest).map_err(|e| e.to_string())?
        }
        Err(e) => {
            return Err(format!(
                "unable to retrieve file info for '{}': {e}",
                dest.display()
            ))
        }
    }
    let tmp = chart_path.join(format!("tmpcharts-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let result = download_into(deps, chart_path, &tmp, &dest, debug, out, log);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn download_into(
    deps: &mut [Option<Dependency>],
    chart_path: &Path,
    tmp: &Path,
    dest: &Path,
    debug: bool,
    out: &mut String,
    log: &mut Warnings,
) -> Result<(), String> {
    out.push_str(&format!("Saving {} charts\n", deps.len()));
    let mut save_error = None;
    for dep in deps.iter_mut().flatten() {
        if dep.repository.is_empty() {
            out.push_str(&format!(
                "Dependency {} did not declare a repository. Assuming it exists in the charts directory\n",
                dep.name
            ));
            let path = dest.join(&dep.name);
            let ch = loader::load_logged(&path, log)
                .map_err(|e| format!("unable to load chart '{}': {}", path.display(), e.message))?;
            let c = Constraints::parse(&dep.version).map_err(|e| {
                format!(
                    "dependency {} has an invalid version/constraint format: {e}",
                    dep.name
                )
            })?;
            let v = Version::parse(&ch.metadata.version).map_err(|e| {
                format!(
                    "invalid version {} for dependency {}: {e}",
                    dep.version, dep.name
                )
            })?;
            if !c.check(&v) {
                save_error = Some(format!(
                    "dependency {} at version {} does not satisfy the constraint {}",
                    dep.name, ch.metadata.version, dep.version
                ));
                break;
            }
            continue;
        }
        if debug {
            out.push_str(&format!(
                "Archiving {} from repo {}\n",
                dep.name, dep.repository
            ));
        }
        match tar_from_local_dir(chart_path, dep, tmp, log) {
            Ok(version) => dep.version = version,
            Err(e) => {
                save_error = Some(e);
                break;
            }
        }
    }
    if let Some(e) = save_error {
        out.push_str(&format!("Save error occurred:  {e}\n"));
        return Err(e);
    }
    safe_move_deps(deps, tmp, dest, out)
}

/// helm's `tarFromLocalDir`: the version packaged.
fn tar_from_local_dir(
    chart_path: &Path,
    dep: &Dependency,
    tmp: &Path,
    log: &mut Warnings,
) -> Result<String, String> {
    let dir = local_path(&dep.repository, chart_path)?;
    let ch = loader::load_logged(&dir, log).map_err(|e| e.message)?;
    let c = Constraints::parse(&dep.version).map_err(|e| {
        format!(
            "dependency {} has an invalid version/constraint format: {e}",
            dep.name
        )
    })?;
    let v = Version::parse(&ch.metadata.version).map_err(|e| e.to_string())?;
    if !c.check(&v) {
        return Err(format!(
            "can't get a valid version for dependency {}",
            dep.name
        ));
    }
    save::save(&ch, tmp)?;
    Ok(ch.metadata.version.clone())
}

fn safe_move_deps(
    deps: &[Option<Dependency>],
    tmp: &Path,
    dest: &Path,
    out: &mut String,
) -> Result<(), String> {
    let local: Vec<&str> = deps
        .iter()
        .flatten()
        .filter(|d| d.repository.is_empty())
        .map(|d| d.name.as_str())
        .collect();
    let list = |dir: &Path| -> Result<Vec<(String, bool)>, String> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
            let e = e.map_err(|e| e.to_string())?;
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            v.push((e.file_name().to_string_lossy().into_owned(), is_dir));
        }
        v.sort();
        Ok(v)
    };
    let sources = list(tmp)?;
    let existing = list(dest)?;
    let mut moved = Vec::new();
    for (name, is_dir) in &sources {
        if *is_dir {
            continue;
        }
        let src = tmp.join(name);
        moved.push(name.clone());
        if let Err(e) = loader::load_file(&src) {
            out.push_str(&format!(
                "Could not verify {} for moving: {} (Skipping)",
                src.display(),
                e.message
            ));
            continue;
        }
        if let Err(e) = std::fs::rename(&src, dest.join(name)) {
            out.push_str(&format!(
                "Unable to move {} to charts dir {e} (Skipping)",
                src.display()
            ));
        }
    }
    out.push_str("Deleting outdated charts\n");
    for (name, is_dir) in &existing {
        if *is_dir || moved.contains(name) {
            continue;
        }
        let path = dest.join(name);
        match loader::load_file(&path) {
            Err(e) => out.push_str(&format!(
                "Could not verify {} for deletion: {} (Skipping)\n",
                path.display(),
                e.message
            )),
            Ok(ch) if local.contains(&ch.name()) => {}
            Ok(_) => {
                if let Err(e) = std::fs::remove_file(&path) {
                    out.push_str(&format!(
                        "Could not delete {}: {e} (Skipping)",
                        path.display()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// helm's `HashReq`: the sha256 of the JSON of the requested and the locked
/// dependencies.
fn hash_req(reqs: &[Dependency], locked: &[Option<Dependency>]) -> String {
    let req: Vec<String> = reqs
        .iter()
        .map(|d| save::dependency_json(Some(d)))
        .collect();
    let lock: Vec<String> = locked
        .iter()
        .map(|d| save::dependency_json(d.as_ref()))
        .collect();
    let data = format!("[[{}],[{}]]", req.join(","), lock.join(","));
    let sum = Sha256::digest(data.as_bytes());
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// helm's `writeLock`: Chart.lock (requirements.lock for v1 charts) through
/// sigs.k8s.io/yaml, never through a symlink.
fn write_lock(
    chart_path: &Path,
    locked: &[Option<Dependency>],
    digest: &str,
    legacy: bool,
) -> Result<(), String> {
    use gotmpl::{MapEntries, Value};
    let mut m = MapEntries::new();
    let deps = locked
        .iter()
        .map(|d| d.as_ref().map(save::dependency_value).unwrap_or(Value::Nil))
        .collect();
    m.insert("dependencies".into(), Value::list(deps));
    m.insert("digest".into(), Value::from(digest));
    m.insert("generated".into(), Value::from(go_time_now().as_str()));
    let mut data = chartgen_yaml::to_yaml(&Value::map(m));
    data.push('\n');
    let name = if legacy {
        "requirements.lock"
    } else {
        "Chart.lock"
    };
    let dest = chart_path.join(name);
    if let Ok(meta) = std::fs::symlink_metadata(&dest) {
        if meta.file_type().is_symlink() {
            let link = std::fs::read_link(&dest).map_err(|e| {
                format!(
                    "error reading symlink for {}: {e}",
                    gotmpl::strconv::quote(&dest.to_string_lossy())
                )
            })?;
            return Err(format!(
                "the {name} file is a symlink to {}",
                gotmpl::strconv::quote(&link.to_string_lossy())
            ));
        }
    }
    std::fs::write(&dest, data).map_err(|e| format!("open {}: {e}", dest.display()))
}

/// `time.Now()` as Go's JSON encodes it (RFC 3339 with trimmed nanoseconds),
/// in UTC.
fn go_time_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let nanos = now.subsec_nanos();
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let mut s = format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11, 22));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn request_uris() {
        assert!(is_request_uri("https://charts.example.com"));
        assert!(is_request_uri("/abs/path"));
        assert!(!is_request_uri("stable"));
        assert!(!is_request_uri("@stable"));
        assert!(!is_request_uri("1http://x"));
    }

    #[test]
    fn digest_matches_helm() {
        // Chart.lock written by helm v4.1.4 for `sub` (">=0.1.0", file://../sub)
        // locked at 0.2.0.
        let req = Dependency {
            name: "sub".into(),
            version: ">=0.1.0".into(),
            repository: "file://../sub".into(),
            ..Default::default()
        };
        let lock = Dependency {
            version: "0.2.0".into(),
            ..req.clone()
        };
        assert_eq!(
            hash_req(&[req], &[Some(lock)]),
            "sha256:5e96d23c183a09a017ef112bd482e3e200d4107852dd855fb41955de74aa023d"
        );
    }
}
