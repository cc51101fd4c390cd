//! `.Capabilities` as `helm template` builds it: helm v4.1.4's defaults
//! (Kubernetes v1.35.0, the client-go scheme's API versions), `--kube-version`
//! parsed like helm's `ParseKubeVersion`, `--api-versions` appended.

use std::sync::Arc;

use gotmpl::{Function, Kind, Object, Str, Type, Value};

/// `common.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// As given, with a `v` prefix (e.g. `v1.33.4-gke.1245000`).
    pub version: String,
    /// Normalized for constraint checks (`v1.33.4`): what `String()` returns.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

/// helm v4.1.4's `version.BuildInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for BuildInfo {
    fn default() -> BuildInfo {
        BuildInfo {
            version: "v4.1.4".into(),
            git_commit: "05fa37973dc9e42b76e1d2883494c87174b6074f".into(),
            git_tree_state: "clean".into(),
            go_version: "go1.25.9".into(),
            kube_client_version: "v1.35".into(),
        }
    }
}

/// helm v4.1.4's default API versions (`DefaultVersionSet`), in helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

impl Default for KubeVersion {
    fn default() -> KubeVersion {
        KubeVersion {
            version: "v1.35.0".into(),
            normalized: "v1.35.0".into(),
            major: "1".into(),
            minor: "35".into(),
        }
    }
}

impl KubeVersion {
    /// helm's `ParseKubeVersion` (k8s.io/apimachinery's `ParseGeneric`).
    /// Errors are the apimachinery texts; `helm template` prints them as
    /// `invalid kube version 'X': <error>`.
    pub fn parse(version: &str) -> Result<KubeVersion, String> {
        let q = gotmpl::strconv::quote;
        let s = version.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let s = s.strip_prefix('v').unwrap_or(s);
        let num_len = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        let mut numbers = &s[..num_len];
        // The regexp takes `[0-9]+(\.[0-9]+)*`: a trailing or doubled dot ends it.
        let mut end = 0;
        let b = numbers.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                i += 1;
                end = i;
            } else if i + 1 < b.len() && b[i + 1].is_ascii_digit() && end == i {
                i += 1;
            } else {
                break;
            }
        }
        numbers = &numbers[..end];
        if numbers.is_empty() {
            return Err(format!("could not parse {} as version", q(version)));
        }
        let comps: Vec<&str> = numbers.split('.').collect();
        if comps.len() < 2 {
            return Err(format!("illegal version string {}", q(version)));
        }
        let mut nums = Vec::new();
        for (i, c) in comps.iter().enumerate() {
            if i == 0 && c.starts_with('0') && *c != "0" {
                return Err(format!(
                    "illegal zero-prefixed version component {} in {}",
                    q(c),
                    q(version)
                ));
            }
            let n: u64 = c.parse().map_err(|_| {
                format!(
                    "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                    q(c),
                    q(version),
                    q(c)
                )
            })?;
            nums.push(n);
        }
        let git = if version.starts_with('v') {
            version.to_string()
        } else {
            format!("v{version}")
        };
        let norm: Vec<String> = nums.iter().map(|n| n.to_string()).collect();
        Ok(KubeVersion {
            version: git,
            normalized: format!("v{}", norm.join(".")),
            major: nums[0].to_string(),
            minor: nums[1].to_string(),
        })
    }
}

/// `.Capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
    pub helm_version: BuildInfo,
}

impl Default for Capabilities {
    fn default() -> Capabilities {
        Capabilities {
            kube_version: KubeVersion::default(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: BuildInfo::default(),
        }
    }
}

impl Capabilities {
    /// `helm template`'s capabilities: defaults, `--kube-version` (already
    /// parsed), `--api-versions` appended.
    pub fn for_template(kube: Option<KubeVersion>, extra_apis: &[String]) -> Capabilities {
        let mut c = Capabilities::default();
        if let Some(k) = kube {
            c.kube_version = k;
        }
        c.api_versions.extend(extra_apis.iter().cloned());
        c
    }

    /// The `*common.Capabilities` template value.
    pub fn to_value(&self) -> Value {
        Value::object(CapabilitiesObj(Arc::new(self.clone())))
    }
}

#[derive(Debug)]
struct CapabilitiesObj(Arc<Capabilities>);

impl Object for CapabilitiesObj {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "*common.Capabilities".into(),
            kind: Kind::Pointer,
        }
    }
    fn copystructure(&self) -> Option<Value> {
        let mut copy = (*self.0).clone();
        copy.kube_version = copy.kube_version.copied();
        Some(Value::object(CapabilitiesObj(Arc::new(copy))))
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "KubeVersion" => Value::object(KubeVersionObj {
                version: self.0.kube_version.clone(),
                addressable: true,
            }),
            "APIVersions" => Value::object(VersionSet(Arc::new(self.0.api_versions.clone()))),
            "HelmVersion" => Value::object(BuildInfoObj(self.0.helm_version.clone())),
            _ => return None,
        })
    }
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        ["KubeVersion", "APIVersions", "HelmVersion"]
            .iter()
            .map(|n| {
                let v = match *n {
                    // fmt prints the []string element by element.
                    "APIVersions" => VersionSet(Arc::new(self.0.api_versions.clone())).as_value(),
                    _ => self.field(n).unwrap_or_default(),
                };
                ((*n).into(), v)
            })
            .collect()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl KubeVersion {
    /// copystructure's copy: the unexported normalized form is not copied.
    fn copied(&self) -> KubeVersion {
        KubeVersion {
            normalized: String::new(),
            ..self.clone()
        }
    }
}

impl KubeVersionObj {
    /// `String()`: the normalized version, or the version as given when
    /// there is none (a copy).
    fn string(&self) -> String {
        if self.version.normalized.is_empty() {
            self.version.version.clone()
        } else {
            self.version.normalized.clone()
        }
    }
}

#[derive(Debug)]
struct KubeVersionObj {
    version: KubeVersion,
    /// A field of `*Capabilities` (addressable), not a copy that went
    /// through a function.
    addressable: bool,
}

impl Object for KubeVersionObj {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "common.KubeVersion".into(),
            kind: Kind::Struct,
        }
    }
    fn method(&self, name: &str) -> Option<Function> {
        // Pointer methods: out of reach of a copy.
        if !self.addressable {
            return None;
        }
        let v = match name {
            "String" => self.string(),
            "GitVersion" => self.version.version.clone(),
            _ => return None,
        };
        Some(Function::new(vec![], move |_, _| {
            Ok(Value::from(v.as_str()))
        }))
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::from(match name {
            "Version" => self.version.version.as_str(),
            "Major" => self.version.major.as_str(),
            "Minor" => self.version.minor.as_str(),
            _ => return None,
        }))
    }
    fn go_string(&self) -> Option<String> {
        Some(self.string())
    }
    fn go_eq(&self, other: &dyn Object) -> Option<bool> {
        // Every field, the unexported normalized form too.
        let other = other.as_any().downcast_ref::<KubeVersionObj>()?;
        Some(self.version == other.version)
    }
    fn copystructure(&self) -> Option<Value> {
        Some(Value::object(KubeVersionObj {
            version: self.version.copied(),
            addressable: false,
        }))
    }
    // `func (kv *KubeVersion) String() string`.
    fn stringer_on_pointer(&self) -> bool {
        true
    }
    fn addressable(&self) -> bool {
        self.addressable
    }
    fn interface_copy(&self) -> Option<Value> {
        self.addressable.then(|| {
            Value::object(KubeVersionObj {
                version: self.version.clone(),
                addressable: false,
            })
        })
    }
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        // fmt prints unexported fields too.
        vec![
            ("Version".into(), Value::from(self.version.version.as_str())),
            (
                "normalizedVersion".into(),
                Value::from(self.version.normalized.as_str()),
            ),
            ("Major".into(), Value::from(self.version.major.as_str())),
            ("Minor".into(), Value::from(self.version.minor.as_str())),
        ]
    }
    fn json_fields(&self) -> Option<Vec<(Str, Value)>> {
        // encoding/json ignores String(): the exported fields.
        Some(
            self.struct_fields()
                .into_iter()
                .filter(|(name, _)| &**name != "normalizedVersion")
                .collect(),
        )
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `common.VersionSet` (a `[]string` with `Has`).
#[derive(Debug, Clone)]
pub struct VersionSet(pub Arc<Vec<String>>);

impl VersionSet {
    /// The underlying `[]string` (for range, index and printing).
    pub fn as_value(&self) -> Value {
        Value::List(Arc::new(gotmpl::List {
            ty: Type::Slice {
                elem: Type::shared(Type::String),
                name: Some("common.VersionSet".into()),
            },
            items: self.0.iter().map(|s| Value::from(s.as_str())).collect(),
            nil: false,
            spare: Default::default(),
        }))
    }
}

impl Object for VersionSet {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "common.VersionSet".into(),
            kind: Kind::Slice,
        }
    }
    fn method(&self, name: &str) -> Option<Function> {
        if name != "Has" {
            return None;
        }
        let set = self.0.clone();
        Some(Function::new(vec![Type::String], move |_, a| {
            let want = a[0].as_str().unwrap_or("");
            Ok(Value::Bool(set.iter().any(|s| s == want)))
        }))
    }
    // No String method: fmt prints it as the slice it is.
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn underlying(&self) -> Option<Value> {
        Some(self.as_value())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[derive(Debug)]
struct BuildInfoObj(BuildInfo);

impl Object for BuildInfoObj {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "version.BuildInfo".into(),
            kind: Kind::Struct,
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.struct_fields()
            .into_iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v)
    }
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        let b = &self.0;
        vec![
            ("Version".into(), Value::from(b.version.as_str())),
            ("GitCommit".into(), Value::from(b.git_commit.as_str())),
            (
                "GitTreeState".into(),
                Value::from(b.git_tree_state.as_str()),
            ),
            ("GoVersion".into(), Value::from(b.go_version.as_str())),
            (
                "KubeClientVersion".into(),
                Value::from(b.kube_client_version.as_str()),
            ),
        ]
    }
    fn json_fields(&self) -> Option<Vec<(Str, Value)>> {
        // `json:"version,omitempty"` … `json:"kube_client_version"`.
        let b = &self.0;
        let mut f: Vec<(Str, Value)> = Vec::new();
        for (k, v) in [
            ("version", &b.version),
            ("git_commit", &b.git_commit),
            ("git_tree_state", &b.git_tree_state),
            ("go_version", &b.go_version),
        ] {
            if !v.is_empty() {
                f.push((k.into(), Value::from(v.as_str())));
            }
        }
        f.push((
            "kube_client_version".into(),
            Value::from(b.kube_client_version.as_str()),
        ));
        Some(f)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions() {
        let k = KubeVersion::parse("1.33.4-gke.1245000").unwrap();
        assert_eq!(k.version, "v1.33.4-gke.1245000");
        assert_eq!(k.normalized, "v1.33.4");
        assert_eq!((k.major.as_str(), k.minor.as_str()), ("1", "33"));
        assert_eq!(KubeVersion::parse("v1.30").unwrap().normalized, "v1.30");
        assert_eq!(
            KubeVersion::parse("1").unwrap_err(),
            "illegal version string \"1\""
        );
        assert_eq!(
            KubeVersion::parse("x").unwrap_err(),
            "could not parse \"x\" as version"
        );
    }

    #[test]
    fn version_set_has() {
        let c = Capabilities::for_template(None, &["bar.io/v2/Gadget".into()]);
        assert!(c.api_versions.iter().any(|s| s == "bar.io/v2/Gadget"));
        assert_eq!(c.api_versions.len(), DEFAULT_API_VERSIONS.len() + 1);
    }
}
