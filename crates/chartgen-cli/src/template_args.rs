//! `chartgen template`'s flags: helm template's offline flags, same names and
//! shapes (pflag string slices split on commas, string arrays do not).

use clap::Args;

#[derive(Args, Debug, Default, Clone)]
pub struct TemplateArgs {
    /// [NAME] [CHART]; with no CHART the built-in chart is rendered.
    #[arg(value_name = "NAME|CHART", num_args = 0..)]
    pub args: Vec<String>,

    /// Values files (can be repeated or comma-separated); `-` reads stdin.
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    pub values: Vec<String>,
    /// Set values on the command line (key1=val1,key2=val2).
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// Set STRING values on the command line.
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    /// Set values from files (key1=path1,key2=path2).
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    /// Set JSON values (key1=jsonval1 or a JSON object).
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    /// Set a literal STRING value.
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,

    /// Namespace of the release.
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,
    /// Template used to name the release.
    #[arg(long = "name-template")]
    pub name_template: Option<String>,
    /// Generate the name (and omit the NAME parameter).
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// Only show manifests rendered from the given templates.
    #[arg(short = 's', long = "show-only")]
    pub show_only: Vec<String>,
    /// Write the executed templates to files in this directory instead of stdout.
    #[arg(long = "output-dir")]
    pub output_dir: Option<String>,
    /// Use the release name in the output-dir path.
    #[arg(long = "release-name")]
    pub release_name: bool,
    /// Include CRDs in the templated output.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// Skip CRDs (they are not printed by default anyway).
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    /// Skip tests from templated output.
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Leave out hooks.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// Kubernetes version used for Capabilities.KubeVersion.
    #[arg(long = "kube-version")]
    pub kube_version: Option<String>,
    /// Kubernetes api versions used for Capabilities.APIVersions.
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Disable JSON schema validation.
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    /// Render sub-chart notes along with the parent.
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,
    /// Update dependencies if they are missing (only what works offline).
    #[arg(long = "dependency-update")]
    pub dependency_update: bool,
    /// Enable DNS lookups (not available: chartgen renders offline).
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    /// Release description (accepted, unused by template).
    #[arg(long = "description")]
    pub description: Option<String>,
    /// Use development versions too (needs a repository: unsupported).
    #[arg(long = "devel")]
    pub devel: bool,
    /// Chart version constraint (needs a repository: unsupported).
    #[arg(long = "version")]
    pub version: Option<String>,
    /// Chart repository URL (needs the network: unsupported).
    #[arg(long = "repo")]
    pub repo: Option<String>,
    /// Post-renderer (not supported).
    #[arg(long = "post-renderer")]
    pub post_renderer: Option<String>,
    /// Dry-run strategy; only `client` works offline.
    #[arg(long = "dry-run", num_args = 0..=1, default_missing_value = "client")]
    pub dry_run: Option<String>,
    /// Deprecated helm flag (server validation): not available offline.
    #[arg(long = "validate")]
    pub validate: bool,
    /// Print rendered output even when it is not valid YAML.
    #[arg(long = "debug")]
    pub debug: bool,
}
