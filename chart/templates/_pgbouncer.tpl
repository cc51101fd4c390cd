{{/* pgbouncer.ini generated from the metadata (and result backend) connection; layout of the Production Guide. */}}
{{- define "airflow.pgbouncer.ini" -}}
{{- $p := .Values.pgbouncer -}}
{{- $m := .Values.data.metadataConnection -}}
{{- $r := .Values.data.resultBackendConnection | default $m -}}
[databases]
{{ include "airflow.pgbouncer.metadataDb" . }} = host={{ include "airflow.db.serverHost" (dict "root" . "conn" $m) }} dbname={{ $m.db }} port={{ int64 $m.port }} pool_size={{ int64 $p.metadataPoolSize }}{{ with $p.extraIniMetadata }} {{ . }}{{ end }}
{{- if include "airflow.resultBackend.present" . }}
{{ include "airflow.pgbouncer.resultBackendDb" . }} = host={{ include "airflow.db.serverHost" (dict "root" . "conn" $r) }} dbname={{ $r.db }} port={{ int64 ($r.port | default 5432) }} pool_size={{ int64 $p.resultBackendPoolSize }}{{ with $p.extraIniResultBackend }} {{ . }}{{ end }}
{{- end }}

[pgbouncer]
pool_mode = transaction
listen_port = {{ int64 .Values.ports.pgbouncer }}
listen_addr = *
auth_type = {{ $p.auth_type }}
auth_file = {{ $p.auth_file }}
stats_users = {{ $m.user }}
ignore_startup_parameters = extra_float_digits
max_client_conn = {{ int64 $p.maxClientConn }}
verbose = {{ int64 $p.verbose }}
log_disconnections = {{ int64 $p.logDisconnections }}
log_connections = {{ int64 $p.logConnections }}
server_tls_sslmode = {{ $p.sslmode }}
server_tls_ciphers = {{ $p.ciphers }}
{{- if or $p.ssl.ca $p.ssl.cert $p.ssl.key }}
client_tls_sslmode = require
{{- with $p.ssl.ca }}
client_tls_ca_file = /etc/pgbouncer/root.crt
{{- end }}
{{- with $p.ssl.cert }}
client_tls_cert_file = /etc/pgbouncer/server.crt
{{- end }}
{{- with $p.ssl.key }}
client_tls_key_file = /etc/pgbouncer/server.key
{{- end }}
{{- end }}
{{- with $p.extraIni }}
{{ . }}
{{- end }}
{{ end -}}

{{/* users.txt: one quoted "user" "password" line per distinct database user. */}}
{{- define "airflow.pgbouncer.users" -}}
{{- $m := .Values.data.metadataConnection -}}
{{- $lines := list (printf "%s %s" ($m.user | toString | quote) ($m.pass | toString | quote)) -}}
{{- if and (include "airflow.resultBackend.present" .) .Values.data.resultBackendConnection -}}
{{- $r := .Values.data.resultBackendConnection -}}
{{- $lines = append $lines (printf "%s %s" ($r.user | toString | quote) ($r.pass | toString | quote)) -}}
{{- end -}}
{{- join "\n" (uniq $lines) }}
{{ end -}}
