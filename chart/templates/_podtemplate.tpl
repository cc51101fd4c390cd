{{/*
pod_template_file.yaml of the KubernetesExecutor. Task pods are "workers":
they use the workers values (securityContexts, resources, serviceAccount,
enableBuiltInSecretEnvVars, safeToEvict ...) with workers.kubernetes overlaid
(the official chart's per-executor settings: command, securityContexts,
containerLifecycleHooks, kerberosInitContainer).
*/}}
{{- define "airflow.podTemplateFile" -}}
{{- $c := include "airflow.workers.values" (dict "root" . "executor" "kubernetes") | fromJson -}}
{{- $name := "worker" -}}
{{- $gitSync := include "airflow.gitSync.inPod" (dict "root" . "name" $name) -}}
{{- $kerberos := and .Values.kerberos.enabled (or $c.kerberosSidecar.enabled $c.kerberosInitContainer.enabled) -}}
apiVersion: v1
kind: Pod
metadata:
  name: placeholder-name
  labels: {{- include "airflow.podLabels" (dict "root" . "name" $name "c" $c) | nindent 4 }}
    kubernetes-executor: "True"
  annotations:
    {{- include "airflow.safeToEvict" $c | nindent 4 }}
    {{- with (merge (deepCopy ($c.podAnnotations | default dict)) (.Values.airflowPodAnnotations | default dict)) }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if or $gitSync (and $kerberos $c.kerberosInitContainer.enabled) $c.extraInitContainers }}
  initContainers:
    {{- if $gitSync }}
    {{- include "airflow.gitSync.container" (dict "root" . "c" $c "init" true) | nindent 4 }}
    {{- end }}
    {{- if and $kerberos $c.kerberosInitContainer.enabled }}
    {{- include "airflow.kerberos.container" (dict "root" . "c" $c "init" true) | nindent 4 }}
    {{- end }}
    {{- with $c.extraInitContainers }}
    {{- tpl (toYaml .) $ | nindent 4 }}
    {{- end }}
  {{- end }}
  containers:
    - name: base
      image: {{ include "airflow.podTemplateImage" . }}
      imagePullPolicy: {{ .Values.images.pod_template.pullPolicy }}
      securityContext: {{- include "airflow.containerSecurityContext" (dict "root" . "c" $c) | nindent 8 }}
      {{- with $c.command }}
      command: {{- include "airflow.tplList" (dict "root" $ "list" .) | nindent 8 }}
      {{- end }}
      {{- with include "airflow.envFrom" . }}
      envFrom: {{- . | nindent 8 }}
      {{- end }}
      {{- $extra := list (dict "name" "AIRFLOW_IS_K8S_EXECUTOR_POD" "value" "True") -}}
      {{- if $kerberos }}
      {{- $extra = append $extra (dict "name" "KRB5_CONFIG" "value" .Values.kerberos.configPath) -}}
      {{- $extra = append $extra (dict "name" "KRB5CCNAME" "value" (printf "%s/%s" .Values.kerberos.ccacheMountPath .Values.kerberos.ccacheFileName)) -}}
      {{- end }}
      env: {{- include "airflow.env" (dict "root" . "c" $c "extra" $extra) | nindent 8 }}
      {{- with ($c.containerLifecycleHooks | default .Values.containerLifecycleHooks) }}
      lifecycle: {{- tpl (toYaml .) $ | nindent 8 }}
      {{- end }}
      {{- with $c.resources }}
      resources: {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts: {{- include "airflow.volumeMounts" (dict "root" . "c" $c "dags" true "logs" true "kerberos" $kerberos) | nindent 8 }}
    {{- if and $kerberos $c.kerberosSidecar.enabled }}
    {{- include "airflow.kerberos.container" (dict "root" . "c" $c "init" false) | nindent 4 }}
    {{- end }}
    {{- with $c.extraContainers }}
    {{- tpl (toYaml .) $ | nindent 4 }}
    {{- end }}
  restartPolicy: Never
  securityContext: {{- include "airflow.podSecurityContext" (dict "root" . "c" $c) | nindent 4 }}
  serviceAccountName: {{ include "airflow.serviceAccountName" (dict "root" . "c" $c "name" $name) }}
  automountServiceAccountToken: {{ $c.serviceAccount.automountServiceAccountToken }}
  terminationGracePeriodSeconds: {{ int64 $c.terminationGracePeriodSeconds }}
  {{- with include "airflow.podScheduling" (dict "root" . "c" $c "name" $name "noDefaultAffinity" true) | trim }}{{ . | nindent 2 }}{{ end }}
  volumes:
    {{- include "airflow.volumes" (dict "root" . "c" $c "name" $name "dags" true "logs" true) | nindent 4 }}
    {{- if $kerberos }}
    {{- include "airflow.kerberos.volumes" . | nindent 4 }}
    {{- end }}
{{- end -}}
