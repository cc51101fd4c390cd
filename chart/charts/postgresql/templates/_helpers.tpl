{{- define "postgresql.fullname" -}}
{{- .Values.fullnameOverride | default (printf "%s-postgresql" .Release.Name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The bootstrap superuser of the image: postgres, or auth.username without the postgres user. */}}
{{- define "postgresql.superuser" -}}
{{- if .Values.auth.enablePostgresUser -}}postgres{{- else -}}{{ .Values.auth.username }}{{- end -}}
{{- end -}}

{{/* Is auth.username an additional user next to postgres (created by the init script)? */}}
{{- define "postgresql.appUser" -}}
{{- if and .Values.auth.enablePostgresUser .Values.auth.username -}}true{{- end -}}
{{- end -}}

{{- define "postgresql.selectorLabels" -}}
app.kubernetes.io/name: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "postgresql.labels" -}}
{{ include "postgresql.selectorLabels" . }}
app.kubernetes.io/component: database
app.kubernetes.io/part-of: airflow
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
