{{/*
Shared helpers of the airflow chart.

Conventions:
  * helpers taking more than the root context receive a dict with the keys
    "root" (the root context), "c" (the component's values), "name" (the
    component name used in labels and resource names) and, where needed,
    "own" (the values block of a sidecar or init container);
  * helpers answering a yes/no question return "true" or "" so that they can
    be used as `if include "..." .`.
*/}}

{{/* ---------------------------------------------------------------- names */}}

{{- define "airflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Prefix of every resource name. By default the release name (so the guide's
`<RELEASE_NAME>-fernet-key` etc. hold); fullnameOverride wins; with
useStandardNaming the usual `<release>-<chart>` form is used.
*/}}
{{- define "airflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if .Values.useStandardNaming -}}
{{- $name := include "airflow.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- else -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "airflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* ---------------------------------------------------------------- labels */}}

{{/* Selector labels of a component: dict root, name. Never change them: selectors are immutable. */}}
{{- define "airflow.selectorLabels" -}}
tier: airflow
component: {{ .name }}
release: {{ .root.Release.Name }}
{{- end -}}

{{/* Pod labels: dict root, name, c. */}}
{{- define "airflow.podLabels" -}}
{{- $labels := dict "app.kubernetes.io/name" (include "airflow.name" .root) "app.kubernetes.io/instance" .root.Release.Name "app.kubernetes.io/component" .name -}}
{{- $labels = merge $labels (.root.Values.labels | default dict) -}}
{{- if .c -}}{{- $labels = merge (deepCopy (.c.labels | default dict)) $labels -}}{{- end -}}
{{ include "airflow.selectorLabels" . }}
{{ toYaml (omit $labels "tier" "component" "release") }}
{{- end -}}

{{/* Object labels: dict root, name, c (c optional). */}}
{{- define "airflow.labels" -}}
{{- $labels := dict "app.kubernetes.io/name" (include "airflow.name" .root) "app.kubernetes.io/instance" .root.Release.Name "app.kubernetes.io/component" .name "app.kubernetes.io/part-of" "airflow" "app.kubernetes.io/managed-by" .root.Release.Service "app.kubernetes.io/version" (.root.Chart.AppVersion | toString) "helm.sh/chart" (include "airflow.chart" .root) -}}
{{- $labels = merge $labels (.root.Values.labels | default dict) -}}
{{- if .c -}}{{- $labels = merge (deepCopy (.c.labels | default dict)) $labels -}}{{- end -}}
{{ include "airflow.selectorLabels" . }}
{{ toYaml (omit $labels "tier" "component" "release") }}
{{- end -}}

{{/* ---------------------------------------------------------------- versions and executors */}}

{{- define "airflow.v3" -}}
{{- if semverCompare ">=3.0.0-0" (toString .Values.airflowVersion) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.executor.celery" -}}
{{- $r := "" -}}
{{- range splitList "," .Values.executor -}}
{{- if regexMatch "(^|\\.)(CeleryExecutor|CeleryKubernetesExecutor)$" (trim .) -}}{{- $r = "true" -}}{{- end -}}
{{- end -}}
{{- $r -}}
{{- end -}}

{{- define "airflow.executor.kubernetes" -}}
{{- $r := "" -}}
{{- range splitList "," .Values.executor -}}
{{- if regexMatch "(^|\\.)(KubernetesExecutor|CeleryKubernetesExecutor|LocalKubernetesExecutor)$" (trim .) -}}{{- $r = "true" -}}{{- end -}}
{{- end -}}
{{- $r -}}
{{- end -}}

{{- define "airflow.executor.local" -}}
{{- $r := "" -}}
{{- range splitList "," .Values.executor -}}
{{- if regexMatch "(^|\\.)(LocalExecutor|LocalKubernetesExecutor)$" (trim .) -}}{{- $r = "true" -}}{{- end -}}
{{- end -}}
{{- $r -}}
{{- end -}}

{{/* Executors that launch pods (Celery workers or Kubernetes task pods), as the guide's token-volume section lists them. */}}
{{- define "airflow.executor.podLaunching" -}}
{{- if or (include "airflow.executor.celery" .) (include "airflow.executor.kubernetes" .) -}}true{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- which workloads are rendered */}}

{{- define "airflow.scheduler.enabled" -}}
{{- if .Values.scheduler.enabled -}}true{{- end -}}
{{- end -}}

{{- define "airflow.apiServer.enabled" -}}
{{- if and (include "airflow.v3" .) .Values.apiServer.enabled -}}true{{- end -}}
{{- end -}}

{{- define "airflow.webserver.enabled" -}}
{{- if and (not (include "airflow.v3" .)) .Values.webserver.enabled -}}true{{- end -}}
{{- end -}}

{{/* The default Celery workers are rendered for Celery executors unless workers.celery.enableDefault is false. */}}
{{- define "airflow.workers.enabled" -}}
{{- if and (include "airflow.executor.celery" .) (ne (toString .Values.workers.celery.enableDefault) "false") -}}true{{- end -}}
{{- end -}}

{{- define "airflow.triggerer.enabled" -}}
{{- if .Values.triggerer.enabled -}}true{{- end -}}
{{- end -}}

{{/* dagProcessor.enabled null means: on for Airflow 3 (mandatory there), off for Airflow 2. */}}
{{- define "airflow.dagProcessor.enabled" -}}
{{- if kindIs "invalid" .Values.dagProcessor.enabled -}}
{{- if include "airflow.v3" . -}}true{{- end -}}
{{- else if .Values.dagProcessor.enabled -}}true{{- end -}}
{{- end -}}

{{- define "airflow.flower.enabled" -}}
{{- if and .Values.flower.enabled (include "airflow.executor.celery" .) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.redis.enabled" -}}
{{- if and .Values.redis.enabled (include "airflow.executor.celery" .) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.cleanup.enabled" -}}
{{- if and .Values.cleanup.enabled (include "airflow.executor.kubernetes" .) -}}true{{- end -}}
{{- end -}}

{{/* The scheduler runs as a StatefulSet when it runs tasks itself and task logs are persisted. */}}
{{- define "airflow.scheduler.statefulSet" -}}
{{- if and (include "airflow.executor.local" .) .Values.workers.persistence.enabled (not .Values.logs.persistence.enabled) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.workers.statefulSet" -}}
{{- include "airflow.workers.statefulSetOf" (dict "root" . "c" (include "airflow.workers.values" (dict "root" . "executor" "celery") | fromJson)) -}}
{{- end -}}

{{/* airflow.workers.statefulSet for the workers' effective values already at hand: dict root, c */}}
{{- define "airflow.workers.statefulSetOf" -}}
{{- if and .c.persistence.enabled (not .root.Values.logs.persistence.enabled) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.triggerer.statefulSet" -}}
{{- if and .Values.triggerer.persistence.enabled (not .Values.logs.persistence.enabled) -}}true{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- worker values */}}

{{/*
Overlay `over` on `base` (both maps) the way the official chart applies
workers.celery and workers.kubernetes on workers; returns JSON. dict base, over, section.
  * unset (null), empty maps and empty lists never override;
  * maps are merged key by key, except the blocks listed in $replace, which
    replace the base block whole (a securityContext is never merged);
  * in securityContexts, `containers` and `container` are one setting: an
    overlay setting either replaces both of the base;
  * in kerberosInitContainer, booleans are or-ed (an overlay cannot switch
    off an init container workers.kerberosInitContainer enables).
*/}}
{{- define "airflow.overlay" -}}
{{- $replace := list "annotations" "podAnnotations" "persistentVolumeClaimRetentionPolicy" "pod" "container" "containers" "securityContext" "containerLifecycleHooks" "advanced" "behavior" "resources" "nodeSelector" "affinity" "labels" "strategy" "updateStrategy" "config" -}}
{{- $out := deepCopy (.base | default dict) -}}
{{- $over := .over | default dict -}}
{{- if and (eq .section "securityContexts") (or $over.containers $over.container) -}}
{{- $_ := unset $out "containers" -}}
{{- $_ := unset $out "container" -}}
{{- end -}}
{{- range $k, $v := $over -}}
{{- $b := get $out $k -}}
{{- if or (kindIs "invalid" $v) (and (or (kindIs "map" $v) (kindIs "slice" $v)) (empty $v)) -}}
{{- else if and (kindIs "map" $v) (kindIs "map" $b) (not (has $k $replace)) -}}
{{- $_ := set $out $k (include "airflow.overlay" (dict "base" $b "over" $v "section" $k) | fromJson) -}}
{{- else if and (eq $.section "kerberosInitContainer") (kindIs "bool" $v) (kindIs "bool" $b) -}}
{{- $_ := set $out $k (or $b $v) -}}
{{- else -}}
{{- $_ := set $out $k $v -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
A map without its null entries, recursively; maps left empty are dropped
too (so that {maxUnavailable: null} does not replace a PDB config). JSON.
*/}}
{{- define "airflow.pruneNulls" -}}
{{- $out := dict -}}
{{- range $k, $v := . -}}
{{- if kindIs "map" $v -}}
{{- $inner := include "airflow.pruneNulls" $v | fromJson -}}
{{- if $inner -}}{{- $_ := set $out $k $inner -}}{{- end -}}
{{- else if not (kindIs "invalid" $v) -}}
{{- $_ := set $out $k $v -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Effective values of the Celery workers ("celery") or of KubernetesExecutor
pods ("kubernetes"): workers with workers.<executor>, without its nulls,
overlaid (see airflow.overlay). Returns JSON. dict root, executor.
*/}}
{{- define "airflow.workers.values" -}}
{{- $w := omit .root.Values.workers "celery" "kubernetes" -}}
{{- $over := include "airflow.pruneNulls" (get .root.Values.workers .executor | default dict) | fromJson -}}
{{- include "airflow.overlay" (dict "base" $w "over" $over "section" "") -}}
{{- end -}}

{{/* ---------------------------------------------------------------- KEDA */}}

{{/*
Triggers one triggerer runs: [triggerer] capacity (default_capacity on
Airflow 2), else Airflow's default 1000. Named like the official chart's
helper so that its KEDA query works unchanged.
*/}}
{{- define "triggerer.capacity" -}}
{{- $t := .Values.config.triggerer | default dict -}}
{{- $t.capacity | default $t.default_capacity | default 1000 | int -}}
{{- end -}}

{{/*
Does the KEDA scaler of a component (dict root, c: its values with .keda)
need KEDA_DB_CONN, a direct database connection, instead of the container's
AIRFLOW_CONN_AIRFLOW_DB? Yes for MySQL (KEDA's mysql scaler wants a DSN), when
PgBouncer is enabled but keda.usePgbouncer is false, and when the component
switches AIRFLOW_CONN_AIRFLOW_DB off.
*/}}
{{- define "airflow.keda.direct" -}}
{{- $root := .root -}}
{{- if .c.keda.enabled -}}
{{- if or (eq (toString $root.Values.data.metadataConnection.protocol) "mysql") (and $root.Values.pgbouncer.enabled (not .c.keda.usePgbouncer)) (not (include "airflow.builtInEnabled" (dict "root" $root "c" .c "name" "AIRFLOW_CONN_AIRFLOW_DB"))) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Could a keda block, as given in values, switch KEDA on? Empty only when it
surely does not (unset, or a map whose enabled is false or unset).
*/}}
{{- define "airflow.keda.mayBeOn" -}}
{{- if kindIs "invalid" . -}}
{{- else if not (kindIs "map" .) -}}true
{{- else if .enabled -}}true
{{- end -}}
{{- end -}}

{{/* Does any rendered KEDA scaler read KEDA_DB_CONN (the metadata secret's kedaConnection key)? root */}}
{{- define "airflow.keda.connectionNeeded" -}}
{{- if include "airflow.workers.enabled" . -}}
{{- /* The workers' effective values cost a deep overlay: skip it when neither block can switch KEDA on. */ -}}
{{- $celery := .Values.workers.celery -}}
{{- if or (include "airflow.keda.mayBeOn" .Values.workers.keda) (not (kindIs "map" $celery)) (include "airflow.keda.mayBeOn" $celery.keda) -}}
{{- $w := include "airflow.workers.values" (dict "root" . "executor" "celery") | fromJson -}}
{{- if include "airflow.keda.direct" (dict "root" . "c" $w) -}}true{{- end -}}
{{- end -}}
{{- end -}}
{{- if include "airflow.triggerer.enabled" . -}}
{{- if include "airflow.keda.direct" (dict "root" . "c" .Values.triggerer) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/*
kedaConnection of the metadata secret: the database server itself (never
PgBouncer); a URI for PostgreSQL, a Go MySQL DSN for MySQL. root
*/}}
{{- define "airflow.keda.connection" -}}
{{- $c := .Values.data.metadataConnection -}}
{{- $host := include "airflow.db.serverHost" (dict "root" . "conn" $c) -}}
{{- if eq (toString $c.protocol) "mysql" -}}
{{- printf "%s:%s@tcp(%s:%d)/%s" (toString $c.user) (toString $c.pass) $host (int64 $c.port) $c.db -}}
{{- else -}}
{{- $query := "" -}}
{{- with $c.sslmode -}}{{- $query = printf "?sslmode=%s" . -}}{{- end -}}
{{- printf "%s://%s:%s@%s:%d/%s%s" $c.protocol (urlquery (toString $c.user)) (urlquery (toString $c.pass)) $host (int64 $c.port) $c.db $query -}}
{{- end -}}
{{- end -}}

{{/* KEDA_DB_CONN env entry (YAML list, "[]" when not needed): dict root, c */}}
{{- define "airflow.keda.env" -}}
{{- if include "airflow.keda.direct" . -}}
{{- toYaml (list (dict "name" "KEDA_DB_CONN" "valueFrom" (dict "secretKeyRef" (dict "name" (include "airflow.secret.metadata" .root) "key" "kedaConnection")))) -}}
{{- else -}}
[]
{{- end -}}
{{- end -}}

{{/* KEDA ScaledObject of a worker or triggerer workload: dict root, c, name (component and container), kind */}}
{{- define "airflow.keda.scaledObject" -}}
{{- $root := .root -}}
{{- $k := .c.keda -}}
{{- if $k.enabled }}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "airflow.fullname" $root }}-{{ .name }}
  namespace: {{ $root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" $root "name" .name "c" .c) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ .kind }}
    name: {{ include "airflow.fullname" $root }}-{{ .name }}
    envSourceContainerName: {{ .name }}
  pollingInterval: {{ int64 $k.pollingInterval }}
  cooldownPeriod: {{ int64 $k.cooldownPeriod }}
  minReplicaCount: {{ int64 $k.minReplicaCount }}
  maxReplicaCount: {{ int64 $k.maxReplicaCount }}
  {{- with $k.advanced }}
  advanced: {{- toYaml . | nindent 4 }}
  {{- end }}
  triggers:
    {{- if eq (toString $root.Values.data.metadataConnection.protocol) "mysql" }}
    - type: mysql
      metadata:
        queryValue: "1"
        connectionStringFromEnv: KEDA_DB_CONN
        query: {{ tpl $k.query $root | quote }}
    {{- else }}
    - type: postgresql
      metadata:
        targetQueryValue: "1"
        connectionFromEnv: {{ ternary "KEDA_DB_CONN" "AIRFLOW_CONN_AIRFLOW_DB" (eq (include "airflow.keda.direct" .) "true") }}
        query: {{ tpl $k.query $root | quote }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- images */}}

{{/* dict repository, tag, digest */}}
{{- define "airflow.imageRef" -}}
{{- if .digest -}}
{{- printf "%s@%s" .repository .digest -}}
{{- else -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
{{- end -}}

{{- define "airflow.image" -}}
{{- $i := .Values.images.airflow -}}
{{- include "airflow.imageRef" (dict "repository" ($i.repository | default .Values.defaultAirflowRepository) "tag" ($i.tag | default .Values.defaultAirflowTag) "digest" ($i.digest | default .Values.defaultAirflowDigest)) -}}
{{- end -}}

{{- define "airflow.migrationImage" -}}
{{- if .Values.images.useDefaultImageForMigration -}}
{{- include "airflow.imageRef" (dict "repository" .Values.defaultAirflowRepository "tag" .Values.defaultAirflowTag "digest" .Values.defaultAirflowDigest) -}}
{{- else -}}
{{- include "airflow.image" . -}}
{{- end -}}
{{- end -}}

{{- define "airflow.podTemplateImage" -}}
{{- $i := .Values.images.pod_template -}}
{{- if or $i.repository $i.tag -}}
{{- include "airflow.imageRef" (dict "repository" ($i.repository | default .Values.images.airflow.repository | default .Values.defaultAirflowRepository) "tag" ($i.tag | default .Values.images.airflow.tag | default .Values.defaultAirflowTag)) -}}
{{- else -}}
{{- include "airflow.image" . -}}
{{- end -}}
{{- end -}}

{{- define "airflow.flowerImage" -}}
{{- $i := .Values.images.flower -}}
{{- if or $i.repository $i.tag -}}
{{- include "airflow.imageRef" (dict "repository" ($i.repository | default .Values.images.airflow.repository | default .Values.defaultAirflowRepository) "tag" ($i.tag | default .Values.images.airflow.tag | default .Values.defaultAirflowTag)) -}}
{{- else -}}
{{- include "airflow.image" . -}}
{{- end -}}
{{- end -}}

{{- define "airflow.simpleImage" -}}
{{- include "airflow.imageRef" (dict "repository" .repository "tag" .tag) -}}
{{- end -}}

{{/* ---------------------------------------------------------------- secret names (guide table, first column) */}}

{{- define "airflow.secret.metadata" -}}
{{- .Values.data.metadataSecretName | default (printf "%s-airflow-metadata" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.fernetKey" -}}
{{- .Values.fernetKeySecretName | default (printf "%s-fernet-key" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.apiSecretKey" -}}
{{- .Values.apiSecretKeySecretName | default (printf "%s-api-secret-key" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.jwtSecret" -}}
{{- .Values.jwtSecretName | default (printf "%s-jwt-secret" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.webserverSecretKey" -}}
{{- .Values.webserverSecretKeySecretName | default (printf "%s-webserver-secret-key" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.resultBackend" -}}
{{- .Values.data.resultBackendSecretName | default (printf "%s-airflow-result-backend" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.brokerUrl" -}}
{{- .Values.data.brokerUrlSecretName | default (printf "%s-airflow-broker-url" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.elasticsearch" -}}
{{- .Values.elasticsearch.secretName | default (printf "%s-elasticsearch" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.opensearch" -}}
{{- .Values.opensearch.secretName | default (printf "%s-opensearch" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.redisPassword" -}}
{{- .Values.redis.passwordSecretName | default (printf "%s-redis-password" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.pgbouncerConfig" -}}
{{- .Values.pgbouncer.configSecretName | default (printf "%s-pgbouncer-config" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.pgbouncerStats" -}}
{{- .Values.pgbouncer.metricsExporterSidecar.statsSecretName | default (printf "%s-pgbouncer-stats" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.pgbouncerCertificates" -}}
{{- printf "%s-pgbouncer-certificates" (include "airflow.fullname" .) -}}
{{- end -}}

{{- define "airflow.secret.kerberosKeytab" -}}
{{- printf "%s-kerberos-keytab" (include "airflow.fullname" .) -}}
{{- end -}}

{{- define "airflow.secret.flower" -}}
{{- .Values.flower.secretName | default (printf "%s-flower" (include "airflow.fullname" .)) -}}
{{- end -}}

{{- define "airflow.secret.registry" -}}
{{- printf "%s-registry" (include "airflow.fullname" .) -}}
{{- end -}}

{{- define "airflow.secret.gitSshKey" -}}
{{- .Values.dags.gitSync.sshKeySecret | default (printf "%s-ssh-secret" (include "airflow.fullname" .)) -}}
{{- end -}}

{{/* ---------------------------------------------------------------- which built-in secrets exist */}}

{{/* The result backend secret/env exist for Celery executors unless the metadata connection is only known as an external secret (Airflow then derives it from sql_alchemy_conn). */}}
{{- define "airflow.resultBackend.present" -}}
{{- if include "airflow.executor.celery" . -}}
{{- if or .Values.data.resultBackendSecretName .Values.data.resultBackendConnection (not .Values.data.metadataSecretName) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* The broker URL secret/env exist for Celery executors when a broker is known. */}}
{{- define "airflow.brokerUrl.present" -}}
{{- if include "airflow.executor.celery" . -}}
{{- if or .Values.data.brokerUrlSecretName .Values.data.brokerUrl .Values.redis.enabled -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "airflow.flower.basicAuth" -}}
{{- if or .Values.flower.secretName (and (.Values.flower.username | default .Values.flower.user) .Values.flower.password) -}}true{{- end -}}
{{- end -}}

{{- define "airflow.registry.createSecret" -}}
{{- if and .Values.registry.connection (not .Values.registry.secretName) (not .Values.imagePullSecrets) -}}true{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- connections */}}

{{- define "airflow.postgresql.host" -}}
{{- if .Values.postgresql.fullnameOverride -}}
{{- printf "%s.%s" .Values.postgresql.fullnameOverride .Release.Namespace -}}
{{- else -}}
{{- printf "%s-postgresql.%s" .Release.Name .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* Host of the database server itself (not PgBouncer): dict root, conn. */}}
{{- define "airflow.db.serverHost" -}}
{{- .conn.host | default (include "airflow.postgresql.host" .root) -}}
{{- end -}}

{{- define "airflow.pgbouncer.host" -}}
{{- printf "%s-pgbouncer.%s" (include "airflow.fullname" .) .Release.Namespace -}}
{{- end -}}

{{- define "airflow.pgbouncer.metadataDb" -}}
{{- printf "%s-metadata" (include "airflow.fullname" .) -}}
{{- end -}}

{{- define "airflow.pgbouncer.resultBackendDb" -}}
{{- printf "%s-result-backend" (include "airflow.fullname" .) -}}
{{- end -}}

{{/*
Connection URI: dict root, conn, scheme (optional prefix such as "db+"), pgbDb (PgBouncer database alias).
Through PgBouncer when pgbouncer.enabled; user and password are URL-encoded.
*/}}
{{- define "airflow.connectionUri" -}}
{{- $root := .root -}}
{{- $c := .conn -}}
{{- $host := include "airflow.db.serverHost" (dict "root" $root "conn" $c) -}}
{{- $port := int64 $c.port -}}
{{- $db := $c.db -}}
{{- if $root.Values.pgbouncer.enabled -}}
{{- $host = include "airflow.pgbouncer.host" $root -}}
{{- $port = int64 $root.Values.ports.pgbouncer -}}
{{- $db = .pgbDb -}}
{{- end -}}
{{- $sslmode := $c.sslmode -}}
{{- if $root.Values.pgbouncer.enabled -}}
{{- /* Airflow talks to PgBouncer: TLS only when PgBouncer has client certificates (pgbouncer.ssl). */ -}}
{{- $p := $root.Values.pgbouncer.ssl -}}
{{- if not (or $p.ca $p.cert $p.key) -}}{{- $sslmode = "disable" -}}{{- end -}}
{{- end -}}
{{- $query := "" -}}
{{- if and (hasPrefix "postgres" $c.protocol) $sslmode -}}{{- $query = printf "?sslmode=%s" $sslmode -}}{{- end -}}
{{- printf "%s%s://%s:%s@%s:%d/%s%s" (.scheme | default "") $c.protocol (urlquery (toString $c.user)) (urlquery (toString $c.pass)) $host $port $db $query -}}
{{- end -}}

{{- define "airflow.metadataConnection" -}}
{{- include "airflow.connectionUri" (dict "root" . "conn" .Values.data.metadataConnection "pgbDb" (include "airflow.pgbouncer.metadataDb" .)) -}}
{{- end -}}

{{- define "airflow.resultBackendConnection" -}}
{{- $c := .Values.data.resultBackendConnection | default .Values.data.metadataConnection -}}
{{- $c = merge (deepCopy $c) (dict "protocol" "postgresql" "port" 5432 "sslmode" "") -}}
{{- include "airflow.connectionUri" (dict "root" . "conn" $c "scheme" "db+" "pgbDb" (include "airflow.pgbouncer.resultBackendDb" .)) -}}
{{- end -}}

{{/*
Derived secret material. `helm template` must be reproducible, so nothing is
random: a missing secret is derived from the release name, namespace and a
purpose string with sha256. Anyone who knows those can recompute it, so
production installations must set the value or an existing *SecretName.
dict root, purpose, length.
*/}}
{{- define "airflow.derivedSecret" -}}
{{- printf "chartgen-airflow/%s/%s/%s" .root.Release.Namespace .root.Release.Name .purpose | sha256sum | trunc (int .length) -}}
{{- end -}}

{{- define "airflow.redis.password" -}}
{{- .Values.redis.password | default (include "airflow.derivedSecret" (dict "root" . "purpose" "redis-password" "length" 32)) -}}
{{- end -}}

{{- define "airflow.brokerUrl" -}}
{{- if .Values.data.brokerUrl -}}
{{- .Values.data.brokerUrl -}}
{{- else -}}
{{- printf "redis://:%s@%s-redis:%d/0" (urlquery (include "airflow.redis.password" .)) (include "airflow.fullname" .) (int64 .Values.ports.redisDB) -}}
{{- end -}}
{{- end -}}

{{/* A Fernet key is 32 bytes, URL-safe base64 encoded. */}}
{{- define "airflow.fernetKey" -}}
{{- if .Values.fernetKey -}}
{{- .Values.fernetKey -}}
{{- else -}}
{{- include "airflow.derivedSecret" (dict "root" . "purpose" "fernet-key" "length" 32) | b64enc | replace "+" "-" | replace "/" "_" -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- security contexts */}}

{{/*
Pod securityContext of an Airflow workload: dict root, c.
Precedence (first non-empty wins, never merged), as in the official chart:
  1. <component>.securityContexts.pod
  2. <component>.securityContext (deprecated singular form)
  3. securityContexts.pod
  4. securityContext (deprecated singular form)
  5. runAsUser: uid, fsGroup: gid
*/}}
{{- define "airflow.podSecurityContext" -}}
{{- $local := (.c.securityContexts | default dict) -}}
{{- $global := (.root.Values.securityContexts | default dict) -}}
{{- if $local.pod -}}
{{ toYaml $local.pod }}
{{- else if .c.securityContext -}}
{{ toYaml .c.securityContext }}
{{- else if $global.pod -}}
{{ toYaml $global.pod }}
{{- else if .root.Values.securityContext -}}
{{ toYaml .root.Values.securityContext }}
{{- else -}}
runAsUser: {{ int64 .root.Values.uid }}
fsGroup: {{ int64 .root.Values.gid }}
{{- end -}}
{{- end -}}

{{/*
Container securityContext of an Airflow container: dict root, c, own (optional), default (optional YAML).
Precedence (first non-empty wins, never merged):
  1. the sidecar's or init container's own securityContexts.container(s) ("own"),
     then its deprecated singular securityContext when "ownLegacy" is set (git-sync)
  2. <component>.securityContexts.containers (or .container)
  3. securityContexts.containers (or .container)
  4. the chart default: allowPrivilegeEscalation false, all capabilities dropped
     (git-sync additionally runs as dags.gitSync.uid)
With "ownOnly" (the root-only volume-permissions init container) only levels 1 and 4 apply.
*/}}
{{- define "airflow.containerSecurityContext" -}}
{{- $own := dict -}}
{{- if .own -}}{{- $own = (.own.securityContexts | default dict) -}}{{- end -}}
{{- $local := dict -}}
{{- if .c -}}{{- $local = (.c.securityContexts | default dict) -}}{{- end -}}
{{- $global := (.root.Values.securityContexts | default dict) -}}
{{- $ownLegacy := dict -}}
{{- if and .own .ownLegacy -}}{{- $ownLegacy = .own.securityContext -}}{{- end -}}
{{- $picked := or $own.containers $own.container $ownLegacy $local.containers $local.container $global.containers $global.container -}}
{{- if .ownOnly -}}{{- $picked = or $own.containers $own.container -}}{{- end -}}
{{- if $picked -}}
{{ toYaml $picked }}
{{- else if .replaceDefault -}}
{{ .replaceDefault }}
{{- else -}}
{{- with .default -}}{{ . }}{{ "\n" }}{{- end -}}
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
{{- end -}}
{{- end -}}

{{/*
Pod securityContext of pgbouncer, redis and statsd (kept apart from the
Airflow global settings, as in the official chart): dict c, fsGroup (bool).
  1. <component>.securityContexts.pod
  2. <component>.securityContext (deprecated singular form; redis and statsd)
  3. runAsUser: <component>.uid (and fsGroup for redis)
*/}}
{{- define "airflow.localPodSecurityContext" -}}
{{- $local := (.c.securityContexts | default dict) -}}
{{- if $local.pod -}}
{{ toYaml $local.pod }}
{{- else if .c.securityContext -}}
{{ toYaml .c.securityContext }}
{{- else -}}
runAsUser: {{ int64 .c.uid }}
{{- if .fsGroup }}
fsGroup: {{ int64 .c.uid }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* Container securityContext of pgbouncer, redis and statsd: dict c, own (optional). */}}
{{- define "airflow.localContainerSecurityContext" -}}
{{- $own := dict -}}
{{- if .own -}}{{- $own = (.own.securityContexts | default dict) -}}{{- end -}}
{{- $local := (.c.securityContexts | default dict) -}}
{{- $picked := or $own.containers $own.container $local.containers $local.container -}}
{{- if $picked -}}
{{ toYaml $picked }}
{{- else -}}
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- environment */}}

{{/* Is the built-in env var NAME enabled for the component? dict root, c, name. The component's entry wins over the global one. */}}
{{- define "airflow.builtInEnabled" -}}
{{- $global := .root.Values.enableBuiltInSecretEnvVars | default dict -}}
{{- $local := dict -}}
{{- if .c -}}{{- $local = .c.enableBuiltInSecretEnvVars | default dict -}}{{- end -}}
{{- if hasKey $local .name -}}
{{- if index $local .name -}}true{{- end -}}
{{- else if hasKey $global .name -}}
{{- if index $global .name -}}true{{- end -}}
{{- else -}}true{{- end -}}
{{- end -}}

{{/* One env var read from a secret: dict name, secret, key */}}
{{- define "airflow.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/*
The built-in secret env vars of an Airflow container: dict root, c.
Table of the production guide; each one is skipped when switched off.
*/}}
{{- define "airflow.builtInSecretEnv" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- /* airflow.builtInEnabled for each name, with the two maps read once. */ -}}
{{- $global := $root.Values.enableBuiltInSecretEnvVars | default dict -}}
{{- $local := dict -}}
{{- if $c -}}{{- $local = $c.enableBuiltInSecretEnvVars | default dict -}}{{- end -}}
{{- $on := dict -}}
{{- range $name := list "AIRFLOW__CORE__FERNET_KEY" "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" "AIRFLOW_CONN_AIRFLOW_DB" "AIRFLOW__API__SECRET_KEY" "AIRFLOW__API_AUTH__JWT_SECRET" "AIRFLOW__WEBSERVER__SECRET_KEY" "AIRFLOW__CELERY__RESULT_BACKEND" "AIRFLOW__CELERY__BROKER_URL" "AIRFLOW__ELASTICSEARCH__HOST" "AIRFLOW__OPENSEARCH__HOST" -}}
{{- $from := ternary $local $global (hasKey $local $name) -}}
{{- if or (not (hasKey $from $name)) (index $from $name) -}}{{- $_ := set $on $name true -}}{{- end -}}
{{- end -}}
{{- if $on.AIRFLOW__CORE__FERNET_KEY }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__CORE__FERNET_KEY" "secret" (include "airflow.secret.fernetKey" $root) "key" "fernet-key") }}
{{- end }}
{{- if $on.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" "secret" (include "airflow.secret.metadata" $root) "key" "connection") }}
{{- end }}
{{- if $on.AIRFLOW_CONN_AIRFLOW_DB }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW_CONN_AIRFLOW_DB" "secret" (include "airflow.secret.metadata" $root) "key" "connection") }}
{{- end }}
{{- if include "airflow.v3" $root }}
{{- if $on.AIRFLOW__API__SECRET_KEY }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__API__SECRET_KEY" "secret" (include "airflow.secret.apiSecretKey" $root) "key" "api-secret-key") }}
{{- end }}
{{- if $on.AIRFLOW__API_AUTH__JWT_SECRET }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__API_AUTH__JWT_SECRET" "secret" (include "airflow.secret.jwtSecret" $root) "key" "jwt-secret") }}
{{- end }}
{{- else }}
{{- if $on.AIRFLOW__WEBSERVER__SECRET_KEY }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__WEBSERVER__SECRET_KEY" "secret" (include "airflow.secret.webserverSecretKey" $root) "key" "webserver-secret-key") }}
{{- end }}
{{- end }}
{{- if and $on.AIRFLOW__CELERY__RESULT_BACKEND (include "airflow.resultBackend.present" $root) }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__CELERY__RESULT_BACKEND" "secret" (include "airflow.secret.resultBackend" $root) "key" "connection") }}
{{- end }}
{{- if and $on.AIRFLOW__CELERY__BROKER_URL (include "airflow.brokerUrl.present" $root) }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__CELERY__BROKER_URL" "secret" (include "airflow.secret.brokerUrl" $root) "key" "connection") }}
{{- end }}
{{- if and $on.AIRFLOW__ELASTICSEARCH__HOST $root.Values.elasticsearch.enabled }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__ELASTICSEARCH__HOST" "secret" (include "airflow.secret.elasticsearch" $root) "key" "connection") }}
{{- end }}
{{- if and $on.AIRFLOW__OPENSEARCH__HOST $root.Values.opensearch.enabled }}
{{ include "airflow.secretEnv" (dict "name" "AIRFLOW__OPENSEARCH__HOST" "secret" (include "airflow.secret.opensearch" $root) "key" "connection") }}
{{- end }}
{{- end -}}

{{/* extraEnv: a templated YAML string, a list of EnvVar objects or a map name -> value. */}}
{{- define "airflow.extraEnv" -}}
{{- $e := .Values.extraEnv -}}
{{- if kindIs "string" $e -}}
{{- if $e }}
{{ tpl $e . | trim }}
{{- end -}}
{{- else if kindIs "slice" $e -}}
{{- if $e }}
{{ toYaml $e }}
{{- end -}}
{{- else if kindIs "map" $e -}}
{{- range $k, $v := $e }}
- name: {{ $k }}
  value: {{ toString $v | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Complete env of an Airflow container: dict root, c, extra (list, optional), custom (bool, default true).
Order: AIRFLOW_HOME, built-in secret env vars, global env, global secret list,
extraEnv, the component's env, then "extra" (container-specific).
*/}}
{{- define "airflow.env" -}}
{{- $root := .root -}}
- name: AIRFLOW_HOME
  value: {{ $root.Values.airflowHome | quote }}
{{- include "airflow.builtInSecretEnv" . }}
{{- if ne (toString .custom) "false" }}
{{- with $root.Values.env }}
{{ toYaml . }}
{{- end }}
{{- range $root.Values.secret }}
{{ include "airflow.secretEnv" (dict "name" .envName "secret" .secretName "key" .secretKey) }}
{{- end }}
{{- include "airflow.extraEnv" $root }}
{{- end }}
{{- if .c }}
{{- with .c.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "airflow.envFrom" -}}
{{- $e := .Values.extraEnvFrom -}}
{{- if kindIs "string" $e -}}
{{- if $e -}}{{ tpl $e . | trim }}{{- end -}}
{{- else if $e -}}
{{ toYaml $e }}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- volumes */}}

{{- define "airflow.dagsMountPath" -}}
{{- .Values.dags.mountPath | default (printf "%s/dags" .Values.airflowHome) -}}
{{- end -}}

{{- define "airflow.dagsFolder" -}}
{{- if .Values.dags.gitSync.enabled -}}
{{- $sub := .Values.dags.gitSync.subPath | default "" | trimPrefix "/" | trimSuffix "/" -}}
{{- if $sub -}}
{{- printf "%s/repo/%s" (include "airflow.dagsMountPath" .) $sub -}}
{{- else -}}
{{- printf "%s/repo" (include "airflow.dagsMountPath" .) -}}
{{- end -}}
{{- else -}}
{{- include "airflow.dagsMountPath" . -}}
{{- end -}}
{{- end -}}

{{- define "airflow.logsPath" -}}
{{- printf "%s/logs" .Values.airflowHome -}}
{{- end -}}

{{- define "airflow.dags.mounted" -}}
{{- if or .Values.dags.persistence.enabled .Values.dags.gitSync.enabled -}}true{{- end -}}
{{- end -}}

{{/* The component owning git-sync when DAGs live on a PVC: the DAG processor if deployed, else the scheduler. */}}
{{- define "airflow.gitSync.pvcOwner" -}}
{{- if include "airflow.dagProcessor.enabled" . -}}dag-processor{{- else -}}scheduler{{- end -}}
{{- end -}}

{{/* Does a pod of component NAME run git-sync containers? dict root, name */}}
{{- define "airflow.gitSync.inPod" -}}
{{- $root := .root -}}
{{- if $root.Values.dags.gitSync.enabled -}}
{{- if not $root.Values.dags.persistence.enabled -}}true{{- else if eq .name (include "airflow.gitSync.pvcOwner" $root) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* Mounts of the Airflow configuration: root */}}
{{- define "airflow.configVolumeMounts" -}}
- name: config
  mountPath: {{ printf "%s/airflow.cfg" .Values.airflowHome }}
  subPath: airflow.cfg
  readOnly: true
{{- if .Values.airflowLocalSettings }}
- name: config
  mountPath: {{ printf "%s/config/airflow_local_settings.py" .Values.airflowHome }}
  subPath: airflow_local_settings.py
  readOnly: true
{{- end }}
{{- if .Values.kerberos.enabled }}
- name: config
  mountPath: {{ .Values.kerberos.configPath }}
  subPath: krb5.conf
  readOnly: true
{{- end }}
{{- end -}}

{{/* Volume mounts of an Airflow container: dict root, c, dags (bool), logs (bool) */}}
{{- define "airflow.volumeMounts" -}}
{{- $root := .root -}}
{{ include "airflow.configVolumeMounts" $root }}
{{- if .logs }}
- name: logs
  mountPath: {{ include "airflow.logsPath" $root }}
{{- if and $root.Values.logs.persistence.enabled $root.Values.logs.persistence.subPath }}
  subPath: {{ $root.Values.logs.persistence.subPath }}
{{- end }}
{{- end }}
{{- if and .dags (include "airflow.dags.mounted" $root) }}
- name: dags
  mountPath: {{ include "airflow.dagsMountPath" $root }}
  readOnly: {{ if and $root.Values.dags.persistence.enabled (not $root.Values.dags.gitSync.enabled) }}false{{ else }}true{{ end }}
{{- if and $root.Values.dags.persistence.enabled $root.Values.dags.persistence.subPath }}
  subPath: {{ $root.Values.dags.persistence.subPath }}
{{- end }}
{{- end }}
{{- if and $root.Values.kerberos.enabled .kerberos }}
- name: kerberos-ccache
  mountPath: {{ $root.Values.kerberos.ccacheMountPath }}
  readOnly: true
{{- end }}
{{- with $root.Values.volumeMounts }}
{{ toYaml . }}
{{- end }}
{{- if .c }}
{{- with .c.extraVolumeMounts }}
{{ tpl (toYaml .) $root }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes of an Airflow pod: dict root, c, name, dags (bool), logs (bool: add a logs volume; false when a claim template provides it) */}}
{{- define "airflow.volumes" -}}
{{- $root := .root -}}
- name: config
  configMap:
    name: {{ include "airflow.fullname" $root }}-config
{{- if .logs }}
{{- if $root.Values.logs.persistence.enabled }}
- name: logs
  persistentVolumeClaim:
    claimName: {{ $root.Values.logs.persistence.existingClaim | default (printf "%s-logs" (include "airflow.fullname" $root)) }}
{{- else }}
- name: logs
  emptyDir: {{- if $root.Values.logs.emptyDirConfig }}{{ toYaml $root.Values.logs.emptyDirConfig | nindent 4 }}{{ else }} {}{{ end }}
{{- end }}
{{- end }}
{{- if and .dags (include "airflow.dags.mounted" $root) }}
{{- if $root.Values.dags.persistence.enabled }}
- name: dags
  persistentVolumeClaim:
    claimName: {{ $root.Values.dags.persistence.existingClaim | default (printf "%s-dags" (include "airflow.fullname" $root)) }}
{{- else }}
- name: dags
  emptyDir: {{- if $root.Values.dags.gitSync.emptyDirConfig }}{{ toYaml $root.Values.dags.gitSync.emptyDirConfig | nindent 4 }}{{ else }} {}{{ end }}
{{- end }}
{{- end }}
{{- if and .dags (include "airflow.gitSync.inPod" (dict "root" $root "name" .name)) }}
{{- include "airflow.gitSync.volumes" $root }}
{{- end }}
{{- with $root.Values.volumes }}
{{ toYaml . }}
{{- end }}
{{- if .c }}
{{- with .c.extraVolumes }}
{{ tpl (toYaml .) $root }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "airflow.gitSync.volumes" -}}
{{- if or .Values.dags.gitSync.sshKeySecret .Values.dags.gitSync.sshKey }}
- name: git-sync-ssh-key
  secret:
    secretName: {{ include "airflow.secret.gitSshKey" . }}
    defaultMode: 288
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- containers */}}

{{/* Probe timing fields: a probe values block */}}
{{- define "airflow.probeTiming" -}}
initialDelaySeconds: {{ int64 .initialDelaySeconds }}
timeoutSeconds: {{ int64 .timeoutSeconds }}
failureThreshold: {{ int64 .failureThreshold }}
periodSeconds: {{ int64 .periodSeconds }}
{{- end -}}

{{/* `airflow jobs check` probe command: dict root, job, command (override) */}}
{{- define "airflow.jobCheckCommand" -}}
{{- if .command -}}
{{ toYaml .command }}
{{- else -}}
- sh
- -c
- CONNECTION_CHECK_MAX_COUNT=0 AIRFLOW__LOGGING__LOGGING_LEVEL=ERROR exec /entrypoint airflow jobs check --job-type {{ .job }} --local
{{- end -}}
{{- end -}}

{{/* command/args of a container from values (templated): dict root, c */}}
{{- define "airflow.commandArgs" -}}
{{- with .c.command }}
command: {{- include "airflow.tplList" (dict "root" $.root "list" .) | nindent 2 }}
{{- end }}
{{- with .c.args }}
args: {{- include "airflow.tplList" (dict "root" $.root "list" .) | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Lifecycle hooks: dict root, c (component or sidecar block) */}}
{{- define "airflow.lifecycle" -}}
{{- $hooks := .c.containerLifecycleHooks | default .root.Values.containerLifecycleHooks -}}
{{- with $hooks }}
lifecycle: {{- tpl (toYaml .) $.root | nindent 2 }}
{{- end }}
{{- end -}}

{{/* wait-for-airflow-migrations init container: dict root, c */}}
{{- define "airflow.waitForMigrations" -}}
{{- $root := .root -}}
- name: wait-for-airflow-migrations
  image: {{ include "airflow.migrationImage" $root }}
  imagePullPolicy: {{ $root.Values.images.airflow.pullPolicy }}
  securityContext: {{- include "airflow.containerSecurityContext" (dict "root" $root "c" .c "own" .c.waitForMigrations) | nindent 4 }}
  args:
    - airflow
    - db
    - check-migrations
    - --migration-wait-timeout={{ int64 $root.Values.images.migrationsWaitTimeout }}
  {{- with include "airflow.envFrom" $root }}
  envFrom: {{- . | nindent 4 }}
  {{- end }}
  env: {{- include "airflow.env" (dict "root" $root "c" .c "extra" .c.waitForMigrations.env) | nindent 4 }}
  volumeMounts: {{- include "airflow.configVolumeMounts" $root | nindent 4 }}
  {{- with .c.resources }}
  resources: {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Log groomer sidecar: dict root, c, name (container name) */}}
{{- define "airflow.logGroomer" -}}
{{- $root := .root -}}
{{- $g := .c.logGroomerSidecar -}}
- name: {{ .name }}
  image: {{ include "airflow.image" $root }}
  imagePullPolicy: {{ $root.Values.images.airflow.pullPolicy }}
  securityContext: {{- include "airflow.containerSecurityContext" (dict "root" $root "c" .c "own" $g) | nindent 4 }}
  {{- with $g.command }}
  command: {{- include "airflow.tplList" (dict "root" $root "list" .) | nindent 4 }}
  {{- end }}
  {{- with $g.args }}
  args: {{- include "airflow.tplList" (dict "root" $root "list" .) | nindent 4 }}
  {{- end }}
  env:
    - name: AIRFLOW__LOG_RETENTION_DAYS
      value: {{ $g.retentionDays | toString | quote }}
    - name: AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES
      value: {{ $g.frequencyMinutes | toString | quote }}
    {{- /* Size limits of the image's clean-logs script; 0 (the default) disables them. */}}
    {{- if $g.maxSizeBytes }}
    - name: AIRFLOW__LOG_MAX_SIZE_BYTES
      value: {{ int64 $g.maxSizeBytes | toString | quote }}
    {{- end }}
    {{- if $g.maxSizePercent }}
    - name: AIRFLOW__LOG_MAX_SIZE_PERCENT
      value: {{ $g.maxSizePercent | toString | quote }}
    {{- end }}
    - name: AIRFLOW_HOME
      value: {{ $root.Values.airflowHome | quote }}
    {{- with $g.env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with ($g.containerLifecycleHooks | default $root.Values.containerLifecycleHooks) }}
  lifecycle: {{- tpl (toYaml .) $root | nindent 4 }}
  {{- end }}
  {{- with $g.resources }}
  resources: {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: logs
      mountPath: {{ include "airflow.logsPath" $root }}
{{- end -}}

{{/* git-sync container: dict root, c, init (bool) */}}
{{- define "airflow.gitSync.container" -}}
{{- $root := .root -}}
{{- $g := $root.Values.dags.gitSync -}}
- name: {{ $g.containerName }}{{ if .init }}-init{{ end }}
  image: {{ include "airflow.simpleImage" $root.Values.images.gitSync }}
  imagePullPolicy: {{ $root.Values.images.gitSync.pullPolicy }}
  securityContext: {{- include "airflow.containerSecurityContext" (dict "root" $root "c" .c "own" $g "ownLegacy" true "default" (printf "runAsUser: %d" (int64 $g.uid))) | nindent 4 }}
  {{- with $g.envFrom }}
  envFrom: {{- tpl . $root | trim | nindent 4 }}
  {{- end }}
  env:
    - name: GITSYNC_REPO
      value: {{ $g.repo | quote }}
    - name: GITSYNC_REF
      value: {{ $g.ref | default $g.branch | quote }}
    - name: GITSYNC_DEPTH
      value: {{ $g.depth | toString | quote }}
    - name: GITSYNC_ROOT
      value: /git
    - name: GITSYNC_LINK
      value: repo
    - name: GITSYNC_ADD_USER
      value: "true"
    - name: GITSYNC_MAX_FAILURES
      value: {{ $g.maxFailures | toString | quote }}
    {{- if $g.wait }}
    - name: GITSYNC_PERIOD
      value: {{ printf "%ss" (toString $g.wait) | quote }}
    {{- else }}
    - name: GITSYNC_PERIOD
      value: {{ $g.period | toString | quote }}
    {{- end }}
    {{- if .init }}
    - name: GITSYNC_ONE_TIME
      value: "true"
    {{- end }}
    {{- if or $g.sshKeySecret $g.sshKey }}
    - name: GITSYNC_SSH_KEY_FILE
      value: /etc/git-secret/ssh
    {{- if $g.knownHosts }}
    - name: GITSYNC_SSH_KNOWN_HOSTS
      value: "true"
    - name: GITSYNC_SSH_KNOWN_HOSTS_FILE
      value: /etc/git-secret/known_hosts
    {{- else }}
    - name: GITSYNC_SSH_KNOWN_HOSTS
      value: "false"
    {{- end }}
    {{- end }}
    {{- if $g.credentialsSecret }}
    - name: GITSYNC_USERNAME
      valueFrom:
        secretKeyRef:
          name: {{ $g.credentialsSecret }}
          key: GITSYNC_USERNAME
    - name: GITSYNC_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ $g.credentialsSecret }}
          key: GITSYNC_PASSWORD
    {{- end }}
    {{- with $g.env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if not .init }}
  {{- with $g.livenessProbe }}
  livenessProbe: {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $g.readinessProbe }}
  readinessProbe: {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with ($g.containerLifecycleHooks | default $root.Values.containerLifecycleHooks) }}
  lifecycle: {{- tpl (toYaml .) $root | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- with $g.resources }}
  resources: {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: dags
      mountPath: /git
    {{- if or $g.sshKeySecret $g.sshKey }}
    - name: git-sync-ssh-key
      mountPath: /etc/git-secret/ssh
      subPath: gitSshKey
      readOnly: true
    {{- end }}
    {{- if and (or $g.sshKeySecret $g.sshKey) $g.knownHosts }}
    - name: config
      mountPath: /etc/git-secret/known_hosts
      subPath: known_hosts
      readOnly: true
    {{- end }}
    {{- with $g.extraVolumeMounts }}
    {{- tpl (toYaml .) $root | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* Kerberos sidecar or init container: dict root, c (workers), init (bool) */}}
{{- define "airflow.kerberos.container" -}}
{{- $root := .root -}}
{{- $k := ternary .c.kerberosInitContainer .c.kerberosSidecar (eq (toString .init) "true") -}}
- name: {{ ternary "kerberos-init" "worker-kerberos" (eq (toString .init) "true") }}
  image: {{ include "airflow.image" $root }}
  imagePullPolicy: {{ $root.Values.images.airflow.pullPolicy }}
  securityContext: {{- include "airflow.containerSecurityContext" (dict "root" $root "c" .c "own" $k) | nindent 4 }}
  args: ["kerberos"{{ if .init }}, "-o"{{ end }}]
  {{- with include "airflow.envFrom" $root }}
  envFrom: {{- . | nindent 4 }}
  {{- end }}
  env: {{- include "airflow.env" (dict "root" $root "c" .c "extra" (list (dict "name" "KRB5_CONFIG" "value" $root.Values.kerberos.configPath) (dict "name" "KRB5CCNAME" "value" (printf "%s/%s" $root.Values.kerberos.ccacheMountPath $root.Values.kerberos.ccacheFileName)))) | nindent 4 }}
  {{- with $k.resources }}
  resources: {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if not .init }}
  {{- with ($k.containerLifecycleHooks | default $root.Values.containerLifecycleHooks) }}
  lifecycle: {{- tpl (toYaml .) $root | nindent 4 }}
  {{- end }}
  {{- end }}
  volumeMounts:
    {{- include "airflow.configVolumeMounts" $root | nindent 4 }}
    - name: kerberos-keytab
      mountPath: {{ $root.Values.kerberos.keytabPath }}
      subPath: kerberos.keytab
      readOnly: true
    - name: kerberos-ccache
      mountPath: {{ $root.Values.kerberos.ccacheMountPath }}
    - name: logs
      mountPath: {{ include "airflow.logsPath" $root }}
{{- end -}}

{{/* ---------------------------------------------------------------- pod spec pieces */}}

{{- define "airflow.imagePullSecrets" -}}
{{- $names := list -}}
{{- if .Values.imagePullSecrets -}}
{{- range .Values.imagePullSecrets -}}
{{- if kindIs "map" . -}}{{- $names = append $names .name -}}{{- else -}}{{- $names = append $names . -}}{{- end -}}
{{- end -}}
{{- else if .Values.registry.secretName -}}
{{- $names = list .Values.registry.secretName -}}
{{- else if .Values.registry.connection -}}
{{- $names = list (include "airflow.secret.registry" .) -}}
{{- end -}}
{{- if $names }}
imagePullSecrets:
{{- range $names }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Scheduling fields of a pod: dict root, c, name. The component's nodeSelector,
affinity, tolerations and topologySpreadConstraints win over the global ones;
without any affinity a soft anti-affinity spreads the component over nodes.
*/}}
{{- define "airflow.podScheduling" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- with ($c.nodeSelector | default $root.Values.nodeSelector) }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- $affinity := $c.affinity | default $root.Values.affinity -}}
{{- if $affinity }}
affinity: {{- toYaml $affinity | nindent 2 }}
{{- else if not .noDefaultAffinity }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels: {{- include "airflow.selectorLabels" (dict "root" $root "name" .name) | nindent 14 }}
{{- end }}
{{- with ($c.tolerations | default $root.Values.tolerations) }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($c.topologySpreadConstraints | default $root.Values.topologySpreadConstraints) }}
topologySpreadConstraints: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $c.runtimeClassName }}
runtimeClassName: {{ . }}
{{- end }}
{{- with ($c.schedulerName | default $root.Values.schedulerName) }}
schedulerName: {{ . }}
{{- end }}
{{- with $c.hostAliases }}
hostAliases: {{- toYaml . | nindent 2 }}
{{- end }}
{{- include "airflow.imagePullSecrets" $root }}
{{- end -}}

{{/* Service account name: dict root, c, name */}}
{{- define "airflow.serviceAccountName" -}}
{{- if .c.serviceAccount.create -}}
{{- .c.serviceAccount.name | default (printf "%s-%s" (include "airflow.fullname" .root) .name) -}}
{{- else -}}
{{- .c.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* cluster-autoscaler eviction annotation: c */}}
{{- define "airflow.safeToEvict" -}}
cluster-autoscaler.kubernetes.io/safe-to-evict: {{ ternary "true" "false" (eq (toString .safeToEvict) "true") | quote }}
{{- end -}}

{{/* Checksums of the configuration and secrets every Airflow pod reads; a change rolls the pods. */}}
{{- define "airflow.checksums" -}}
checksum/airflow-config: {{ include (print .Template.BasePath "/configmaps/configmap.yaml") . | sha256sum }}
checksum/metadata-secret: {{ include (print .Template.BasePath "/secrets/metadata-connection-secret.yaml") . | sha256sum }}
checksum/fernet-key: {{ include (print .Template.BasePath "/secrets/fernetkey-secret.yaml") . | sha256sum }}
checksum/api-secrets: {{ include (print .Template.BasePath "/secrets/api-secrets.yaml") . | sha256sum }}
checksum/celery-secrets: {{ include (print .Template.BasePath "/secrets/celery-secrets.yaml") . | sha256sum }}
checksum/extra-configmaps: {{ include (print .Template.BasePath "/configmaps/extra-configmaps.yaml") . | sha256sum }}
checksum/extra-secrets: {{ include (print .Template.BasePath "/secrets/extra-secrets.yaml") . | sha256sum }}
{{- end -}}

{{/* Pod annotations of an Airflow pod: dict root, c */}}
{{- define "airflow.podAnnotations" -}}
{{- $a := merge (deepCopy (.c.podAnnotations | default dict)) (.root.Values.airflowPodAnnotations | default dict) -}}
{{ include "airflow.checksums" .root }}
{{- with $a }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- services and ingress */}}

{{/* Service ports with templated port numbers: dict root, ports */}}
{{- define "airflow.servicePorts" -}}
{{- range .ports }}
- name: {{ .name }}
  protocol: {{ .protocol | default "TCP" }}
  port: {{ tpl (toString .port) $.root | int64 }}
  targetPort: {{ .targetPort | default .name }}
  {{- with .nodePort }}
  nodePort: {{ int64 . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Pod pathing for the pod template: path of pod_template_file.yaml in the scheduler. */}}
{{- define "airflow.podTemplate.path" -}}
{{- printf "%s/pod_templates/pod_template_file.yaml" .Values.airflowHome -}}
{{- end -}}

{{/* Ingress rules/tls for an ingress values block: dict root, i (ingress values), service, port */}}
{{- define "airflow.ingressSpec" -}}
{{- $root := .root -}}
{{- $i := .i -}}
{{- $hosts := list -}}
{{- $tls := list -}}
{{- range $i.hosts -}}
{{- if kindIs "map" . -}}
{{- $name := tpl (toString .name) $root -}}
{{- $hosts = append $hosts $name -}}
{{- if and .tls .tls.enabled -}}{{- $tls = append $tls (dict "hosts" (list $name) "secretName" .tls.secretName) -}}{{- end -}}
{{- else -}}
{{- $name := tpl (toString .) $root -}}
{{- $hosts = append $hosts $name -}}
{{- if and $i.tls $i.tls.enabled -}}{{- $tls = append $tls (dict "hosts" (list $name) "secretName" $i.tls.secretName) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (not $i.hosts) $i.host -}}
{{- $hosts = list (tpl $i.host $root) -}}
{{- if and $i.tls $i.tls.enabled -}}{{- $tls = list (dict "hosts" $hosts "secretName" $i.tls.secretName) -}}{{- end -}}
{{- end -}}
{{- if not $hosts -}}{{- $hosts = list "" -}}{{- end -}}
{{- with $i.ingressClassName }}
ingressClassName: {{ . }}
{{- end }}
{{- if $tls }}
tls: {{- toYaml $tls | nindent 2 }}
{{- end }}
rules:
{{- range $hosts }}
  {{- if . }}
  - host: {{ . | quote }}
    http:
  {{- else }}
  - http:
  {{- end }}
      paths:
        {{- with $i.precedingPaths }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        - path: {{ $i.path }}
          pathType: {{ $i.pathType }}
          backend:
            service:
              name: {{ $.service }}
              port:
                name: {{ $.port }}
        {{- with $i.succeedingPaths }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}
{{- end -}}

{{/* revisionHistoryLimit: dict root, c (the component's value wins over the global one; 0 is honoured) */}}
{{- define "airflow.revisionHistoryLimit" -}}
{{- if not (kindIs "invalid" .c.revisionHistoryLimit) }}
revisionHistoryLimit: {{ int64 .c.revisionHistoryLimit }}
{{- else if not (kindIs "invalid" .root.Values.revisionHistoryLimit) }}
revisionHistoryLimit: {{ int64 .root.Values.revisionHistoryLimit }}
{{- end }}
{{- end -}}

{{/* Volume claim template of a logs volume: dict root, p (persistence values), name */}}
{{- define "airflow.logsClaimTemplate" -}}
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: logs
    {{- with .p.annotations }}
    annotations: {{- toYaml . | nindent 6 }}
    {{- end }}
  spec:
    accessModes: ["ReadWriteOnce"]
    {{- with .p.storageClassName }}
    storageClassName: {{ if eq . "-" }}""{{ else }}{{ . }}{{ end }}
    {{- end }}
    resources:
      requests:
        storage: {{ .p.size }}
{{- end -}}

{{/*
Settings of the scheduler's projected service account token volume:
scheduler.serviceAccount.serviceAccountTokenVolume (the official chart's
location). The deprecated scheduler.serviceAccountTokenVolume is used only
when the official block is not enabled and it is (its missing keys come from
the official block). Returns JSON.
*/}}
{{- define "airflow.scheduler.tokenVolume.settings" -}}
{{- $t := .Values.scheduler.serviceAccount.serviceAccountTokenVolume -}}
{{- $old := .Values.scheduler.serviceAccountTokenVolume | default dict -}}
{{- if and (not $t.enabled) $old.enabled -}}
{{- $t = merge (deepCopy $old) $t -}}
{{- end -}}
{{- toJson $t -}}
{{- end -}}

{{/* Projected service account token volume of the scheduler: root */}}
{{- define "airflow.scheduler.tokenVolume" -}}
{{- $t := include "airflow.scheduler.tokenVolume.settings" . | fromJson -}}
- name: {{ $t.volumeName }}
  projected:
    defaultMode: 420
    sources:
      - serviceAccountToken:
          path: token
          expirationSeconds: {{ int64 $t.expirationSeconds }}
          {{- with $t.audience }}
          audience: {{ . }}
          {{- end }}
      - configMap:
          name: kube-root-ca.crt
          items:
            - key: ca.crt
              path: ca.crt
      - downwardAPI:
          items:
            - path: namespace
              fieldRef:
                apiVersion: v1
                fieldPath: metadata.namespace
{{- end -}}

{{/*
Is the scheduler's projected token volume rendered? As in the official chart:
enabled, the automatic token mount switched off, and a pod-launching executor.
*/}}
{{- define "airflow.scheduler.tokenVolume.enabled" -}}
{{- $t := include "airflow.scheduler.tokenVolume.settings" . | fromJson -}}
{{- if and $t.enabled (not .Values.scheduler.serviceAccount.automountServiceAccountToken) (include "airflow.executor.podLaunching" .) -}}true{{- end -}}
{{- end -}}

{{/* Container-level fields shared by Airflow main containers: image, pull policy, command/args, env. dict root, c, extra (env list, optional) */}}
{{- define "airflow.mainContainerBase" -}}
image: {{ include "airflow.image" .root }}
imagePullPolicy: {{ .root.Values.images.airflow.pullPolicy }}
securityContext: {{- include "airflow.containerSecurityContext" (dict "root" .root "c" .c) | nindent 2 }}
{{- include "airflow.commandArgs" . }}
{{- with include "airflow.envFrom" .root }}
envFrom: {{- . | nindent 2 }}
{{- end }}
env: {{- include "airflow.env" (dict "root" .root "c" .c "extra" .extra) | nindent 2 }}
{{- include "airflow.lifecycle" . }}
{{- with .c.resources }}
resources: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Kerberos volumes: root */}}
{{- define "airflow.kerberos.volumes" -}}
- name: kerberos-keytab
  secret:
    secretName: {{ include "airflow.secret.kerberosKeytab" . }}
    defaultMode: 288
- name: kerberos-ccache
  emptyDir: {}
{{- end -}}

{{/*
Is the create-user job wanted? As in the official chart, the deprecated
webserver.defaultUser.enabled decides when it is set; otherwise (also when
webserver.defaultUser is set without `enabled`) createUserJob.enabled, unless
createUserJob.defaultUser.enabled (in the official schema, absent by default)
is false.
*/}}
{{- define "airflow.createUserJob.wanted" -}}
{{- $old := .Values.webserver.defaultUser | default dict -}}
{{- if hasKey $old "enabled" -}}
{{- if $old.enabled -}}true{{- end -}}
{{- else if and .Values.createUserJob.enabled (ne (toString .Values.createUserJob.defaultUser.enabled) "false") -}}true{{- end -}}
{{- end -}}

{{/*
One field of the first UI user: the deprecated webserver.defaultUser.<field>
when set, else createUserJob.defaultUser.<field>. dict root, field
*/}}
{{- define "airflow.defaultUser" -}}
{{- $old := .root.Values.webserver.defaultUser | default dict -}}
{{- if hasKey $old .field -}}
{{- index $old .field -}}
{{- else -}}
{{- index .root.Values.createUserJob.defaultUser .field -}}
{{- end -}}
{{- end -}}

{{/* The create-user job needs `airflow users create`: Airflow 2, or Airflow 3 with the FAB auth manager. */}}
{{- define "airflow.createUserJob.enabled" -}}
{{- if include "airflow.createUserJob.wanted" . -}}
{{- $authManager := toString ((.Values.config.core | default dict).auth_manager | default "") -}}
{{- if or (not (include "airflow.v3" .)) (contains "FabAuthManager" $authManager) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Components with a service account, as a list of dicts {name, c}. Used by the
ServiceAccount template and the OpenShift SCC RoleBinding.
*/}}
{{- define "airflow.serviceAccountComponents" -}}
{{- $l := list -}}
{{- if include "airflow.scheduler.enabled" . -}}{{- $l = append $l (dict "name" "scheduler" "key" "scheduler") -}}{{- end -}}
{{- if include "airflow.apiServer.enabled" . -}}{{- $l = append $l (dict "name" "api-server" "key" "apiServer") -}}{{- end -}}
{{- if include "airflow.webserver.enabled" . -}}{{- $l = append $l (dict "name" "webserver" "key" "webserver") -}}{{- end -}}
{{- if or (include "airflow.workers.enabled" .) (include "airflow.executor.kubernetes" .) -}}{{- $l = append $l (dict "name" "worker" "key" "workers") -}}{{- end -}}
{{- if include "airflow.triggerer.enabled" . -}}{{- $l = append $l (dict "name" "triggerer" "key" "triggerer") -}}{{- end -}}
{{- if include "airflow.dagProcessor.enabled" . -}}{{- $l = append $l (dict "name" "dag-processor" "key" "dagProcessor") -}}{{- end -}}
{{- if include "airflow.flower.enabled" . -}}{{- $l = append $l (dict "name" "flower" "key" "flower") -}}{{- end -}}
{{- if .Values.statsd.enabled -}}{{- $l = append $l (dict "name" "statsd" "key" "statsd") -}}{{- end -}}
{{- if .Values.pgbouncer.enabled -}}{{- $l = append $l (dict "name" "pgbouncer" "key" "pgbouncer") -}}{{- end -}}
{{- if include "airflow.redis.enabled" . -}}{{- $l = append $l (dict "name" "redis" "key" "redis") -}}{{- end -}}
{{- if .Values.migrateDatabaseJob.enabled -}}{{- $l = append $l (dict "name" "migrate-database-job" "key" "migrateDatabaseJob") -}}{{- end -}}
{{- if include "airflow.createUserJob.enabled" . -}}{{- $l = append $l (dict "name" "create-user-job" "key" "createUserJob") -}}{{- end -}}
{{- if include "airflow.cleanup.enabled" . -}}{{- $l = append $l (dict "name" "cleanup" "key" "cleanup") -}}{{- end -}}
{{- if .Values.databaseCleanup.enabled -}}{{- $l = append $l (dict "name" "database-cleanup" "key" "databaseCleanup") -}}{{- end -}}
{{- toJson $l -}}
{{- end -}}

{{/* PodDisruptionBudget: dict root, c, name */}}
{{- define "airflow.pdb" -}}
{{- if .c.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}-pdb
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name "c" .c) | nindent 4 }}
spec:
  selector:
    matchLabels: {{- include "airflow.selectorLabels" (dict "root" .root "name" .name) | nindent 6 }}
  {{- toYaml .c.podDisruptionBudget.config | nindent 2 }}
{{- end }}
{{- end -}}

{{/* HorizontalPodAutoscaler of a Deployment: dict root, c, name */}}
{{- define "airflow.hpa" -}}
{{- if .c.hpa.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name "c" .c) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "airflow.fullname" .root }}-{{ .name }}
  minReplicas: {{ int64 .c.hpa.minReplicaCount }}
  maxReplicas: {{ int64 .c.hpa.maxReplicaCount }}
  metrics: {{- toYaml .c.hpa.metrics | nindent 4 }}
  {{- with .c.hpa.behavior }}
  behavior: {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* A UI Service: dict root, c, name */}}
{{- define "airflow.uiService" -}}
{{- $s := .c.service -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name "c" .c) | nindent 4 }}
  {{- with $s.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $s.type }}
  selector: {{- include "airflow.selectorLabels" (dict "root" .root "name" .name) | nindent 4 }}
  ports: {{- include "airflow.servicePorts" (dict "root" .root "ports" $s.ports) | trim | nindent 4 }}
  {{- if eq $s.type "LoadBalancer" }}
  {{- with $s.loadBalancerIP }}
  loadBalancerIP: {{ . }}
  {{- end }}
  {{- with $s.loadBalancerSourceRanges }}
  loadBalancerSourceRanges: {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/* An Ingress: dict root, i (ingress values), name (resource suffix), service, port, component */}}
{{- define "airflow.ingress" -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .component) | nindent 4 }}
  {{- with .i.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec: {{- include "airflow.ingressSpec" (dict "root" .root "i" .i "service" .service "port" .port) | trim | nindent 2 }}
{{- end -}}

{{/* Pod spec of a one-shot Airflow job (Job or CronJob): dict root, c, name, container */}}
{{- define "airflow.jobPodSpec" -}}
{{- $root := .root -}}
{{- $c := .c -}}
restartPolicy: {{ $c.restartPolicy | default "OnFailure" }}
serviceAccountName: {{ include "airflow.serviceAccountName" (dict "root" $root "c" $c "name" .name) }}
automountServiceAccountToken: {{ $c.serviceAccount.automountServiceAccountToken }}
securityContext: {{- include "airflow.podSecurityContext" (dict "root" $root "c" $c) | nindent 2 }}
{{- with include "airflow.podScheduling" (dict "root" $root "c" $c "name" .name "noDefaultAffinity" true) | trim }}
{{ . }}
{{- end }}
{{- with $c.extraInitContainers }}
initContainers: {{- tpl (toYaml .) $root | nindent 2 }}
{{- end }}
containers:
  - name: {{ .container }}
    image: {{ ternary (include "airflow.migrationImage" $root) (include "airflow.image" $root) (eq .name "migrate-database-job") }}
    imagePullPolicy: {{ $root.Values.images.airflow.pullPolicy }}
    securityContext: {{- include "airflow.containerSecurityContext" (dict "root" $root "c" $c) | nindent 6 }}
    {{- with $c.command }}
    command: {{- include "airflow.tplList" (dict "root" $root "list" .) | nindent 6 }}
    {{- end }}
    {{- with $c.args }}
    args: {{- include "airflow.tplList" (dict "root" $root "list" .) | nindent 6 }}
    {{- end }}
    {{- if ne (toString $c.applyCustomEnv) "false" }}
    {{- with include "airflow.envFrom" $root }}
    envFrom: {{- . | nindent 6 }}
    {{- end }}
    {{- end }}
    env: {{- include "airflow.env" (dict "root" $root "c" $c "custom" (ne (toString $c.applyCustomEnv) "false")) | nindent 6 }}
    {{- with ($c.containerLifecycleHooks | default $root.Values.containerLifecycleHooks) }}
    lifecycle: {{- tpl (toYaml .) $root | nindent 6 }}
    {{- end }}
    {{- with $c.resources }}
    resources: {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts: {{- include "airflow.volumeMounts" (dict "root" $root "c" $c "dags" false "logs" false) | nindent 6 }}
  {{- with $c.extraContainers }}
  {{- tpl (toYaml .) $root | nindent 2 }}
  {{- end }}
volumes: {{- include "airflow.volumes" (dict "root" $root "c" $c "name" .name "dags" false "logs" false) | nindent 2 }}
{{- end -}}

{{/* A Job, optionally a helm hook: dict root, c, name, container, weight */}}
{{- define "airflow.job" -}}
{{- $c := .c -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .jobName }}
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name "c" $c) | nindent 4 }}
  {{- $annotations := deepCopy ($c.jobAnnotations | default dict) -}}
  {{- if $c.useHelmHooks -}}
  {{- $annotations = merge $annotations (dict "helm.sh/hook" "post-install,post-upgrade" "helm.sh/hook-weight" (toString .weight) "helm.sh/hook-delete-policy" "before-hook-creation,hook-succeeded") -}}
  {{- end }}
  {{- with $annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if not (kindIs "invalid" $c.ttlSecondsAfterFinished) }}
  ttlSecondsAfterFinished: {{ int64 $c.ttlSecondsAfterFinished }}
  {{- end }}
  backoffLimit: {{ int64 $c.backoffLimit }}
  template:
    metadata:
      labels: {{- include "airflow.podLabels" (dict "root" .root "name" .name "c" $c) | nindent 8 }}
      annotations:
        {{- include "airflow.podAnnotations" (dict "root" .root "c" (dict "podAnnotations" $c.annotations)) | nindent 8 }}
    spec: {{- include "airflow.jobPodSpec" . | nindent 6 }}
{{- end -}}

{{/* A CronJob: dict root, c, name, container */}}
{{- define "airflow.cronJob" -}}
{{- $c := .c -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name "c" $c) | nindent 4 }}
  {{- with $c.jobAnnotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  schedule: {{ tpl $c.schedule .root | quote }}
  concurrencyPolicy: Forbid
  {{- if not (kindIs "invalid" $c.failedJobsHistoryLimit) }}
  failedJobsHistoryLimit: {{ int64 $c.failedJobsHistoryLimit }}
  {{- end }}
  {{- if not (kindIs "invalid" $c.successfulJobsHistoryLimit) }}
  successfulJobsHistoryLimit: {{ int64 $c.successfulJobsHistoryLimit }}
  {{- end }}
  jobTemplate:
    metadata:
      labels: {{- include "airflow.podLabels" (dict "root" .root "name" .name "c" $c) | nindent 8 }}
    spec:
      backoffLimit: 1
      template:
        metadata:
          labels: {{- include "airflow.podLabels" (dict "root" .root "name" .name "c" $c) | nindent 12 }}
          annotations:
            {{- include "airflow.podAnnotations" (dict "root" .root "c" $c) | nindent 12 }}
        spec: {{- include "airflow.jobPodSpec" (merge (dict "c" (merge (dict "restartPolicy" "Never") (deepCopy $c))) .) | nindent 10 }}
{{- end -}}

{{/* Peer matching every pod of this release's Airflow deployment. */}}
{{- define "airflow.netpol.airflowPeer" -}}
- podSelector:
    matchLabels:
      tier: airflow
      release: {{ .Release.Name }}
{{- end -}}

{{/* A NetworkPolicy: dict root, name, ingress (YAML list string; empty: deny all ingress) */}}
{{- define "airflow.networkPolicy" -}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "airflow.fullname" .root }}-{{ .name }}-policy
  namespace: {{ .root.Release.Namespace }}
  labels: {{- include "airflow.labels" (dict "root" .root "name" .name) | nindent 4 }}
spec:
  podSelector:
    matchLabels: {{- include "airflow.selectorLabels" (dict "root" .root "name" .name) | nindent 6 }}
  policyTypes:
    - Ingress
  {{- if .ingress }}
  ingress: {{- .ingress | nindent 4 }}
  {{- else }}
  ingress: []
  {{- end }}
{{- end -}}

{{/* Ingress rule for a UI with networkPolicy.ingress.{from,ports} (or the deprecated extraNetworkPolicies): dict root, c, airflowPeers (also admit this release's Airflow pods, e.g. to the execution API) */}}
{{- define "airflow.netpol.uiIngress" -}}
{{- $np := .c.networkPolicy.ingress -}}
- ports:
  {{- range $np.ports }}
    - protocol: {{ .protocol | default "TCP" }}
      port: {{ tpl (toString .port) $.root | int64 }}
      {{- with .endPort }}
      endPort: {{ int64 . }}
      {{- end }}
  {{- end }}
  {{- /* extraNetworkPolicies: the official chart's deprecated name of networkPolicy.ingress.from. */}}
  {{- with ($np.from | default .c.extraNetworkPolicies) }}
  from: {{- toYaml . | nindent 4 }}
    {{- if $.airflowPeers }}
    {{- include "airflow.netpol.airflowPeer" $.root | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/* "uid:gid" owning the logs volume: the effective pod runAsUser/fsGroup (else uid/gid). dict root, c */}}
{{- define "airflow.volumeOwner" -}}
{{- $pod := include "airflow.podSecurityContext" . | fromYaml -}}
{{- $user := .root.Values.uid -}}
{{- if hasKey $pod "runAsUser" -}}{{- $user = $pod.runAsUser -}}{{- end -}}
{{- $group := .root.Values.gid -}}
{{- if hasKey $pod "fsGroup" -}}{{- $group = $pod.fsGroup -}}{{- else if hasKey $pod "runAsGroup" -}}{{- $group = $pod.runAsGroup -}}{{- end -}}
{{- printf "%d:%d" (int64 $user) (int64 $group) -}}
{{- end -}}

{{/* A templated list of strings (command/args): each item rendered with tpl and double-quoted. dict root, list */}}
{{- define "airflow.tplList" -}}
{{- $lines := list -}}
{{- range .list -}}
{{- $lines = append $lines (printf "- %s" (tpl (toString .) $.root | quote)) -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{/* ---------------------------------------------------------------- official chart helper names */}}

{{/*
Values files written for the official chart may call that chart's helpers
from templated values (its default `config` block does). These helpers,
written for this chart, answer under the same names.
*/}}

{{/* DAGs folder. */}}
{{- define "airflow_dags" -}}
{{- include "airflow.dagsFolder" . -}}
{{- end -}}

{{/* Directory holding pod_template_file.yaml. */}}
{{- define "airflow_pod_template_file" -}}
{{- include "airflow.podTemplate.path" . | dir -}}
{{- end -}}

{{/* Task logs directory. */}}
{{- define "airflow_logs_no_quote" -}}
{{- include "airflow.logsPath" . -}}
{{- end -}}

{{/* dagProcessor.dagBundleConfigList as JSON ("[]" when empty). */}}
{{- define "dag_bundle_config_list" -}}
{{- $bundles := list -}}
{{- range .Values.dagProcessor.dagBundleConfigList -}}
{{- $bundles = append $bundles (dict "name" .name "classpath" .classpath "kwargs" (.kwargs | default dict)) -}}
{{- end -}}
{{- toJson $bundles -}}
{{- end -}}

{{/* Whole CPUs of a CPU quantity, rounded up ("1500m" -> 2, "0.5" -> 1; empty -> 0). */}}
{{- define "cpu_count" -}}
{{- $q := toString (. | default "") -}}
{{- if hasSuffix "m" $q -}}
{{- ceil (divf (float64 (trimSuffix "m" $q)) 1000) | int -}}
{{- else -}}
{{- ceil (float64 $q) | int -}}
{{- end -}}
{{- end -}}
