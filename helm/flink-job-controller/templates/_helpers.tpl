{{/*
Chart name, truncated to the 63 characters a label value allows.
*/}}
{{- define "flink-job-controller.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, prefixed to the chart name unless it already contains it.
*/}}
{{- define "flink-job-controller.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "flink-job-controller.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Standard labels of every object.
*/}}
{{- define "flink-job-controller.labels" -}}
helm.sh/chart: {{ include "flink-job-controller.chart" . }}
{{ include "flink-job-controller.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: flink-job-controller
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the operator's pods (immutable in the Deployment's selector).
*/}}
{{- define "flink-job-controller.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flink-job-controller.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount the operator runs as.
*/}}
{{- define "flink-job-controller.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flink-job-controller.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image: repository@digest when a digest is set, else repository:tag (tag defaults to appVersion).
*/}}
{{- define "flink-job-controller.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
Path of the config file inside the container.
*/}}
{{- define "flink-job-controller.configPath" -}}
/etc/flink-job-controller/config.yaml
{{- end }}

{{/*
The operator's YAML config (the layout of docs/install.md, "Configuration"), from the values; extraConfig is
merged over it.
*/}}
{{- define "flink-job-controller.config" -}}
{{- $config := dict
  "kubernetes" (dict "inCluster" true)
  "watch" (dict "namespaces" .Values.watch.namespaces "labelSelector" .Values.watch.labelSelector)
  "controller" (dict
    "workers" (int .Values.controller.workers)
    "steadyRequeue" .Values.controller.steadyRequeue
    "progressRequeue" .Values.controller.progressRequeue)
  "leaderElection" (dict
    "enabled" .Values.leaderElection.enabled
    "leaseName" .Values.leaderElection.leaseName
    "leaseDuration" .Values.leaderElection.leaseDuration
    "renewDeadline" .Values.leaderElection.renewDeadline
    "retryPeriod" .Values.leaderElection.retryPeriod)
  "server" (dict "listen" (printf "0.0.0.0:%d" (int .Values.port)))
  "log" (dict "level" .Values.log.level "format" .Values.log.format)
  "artifacts" (dict
    "directories" .Values.artifacts.directories
    "cacheDirectory" "/tmp/flink-job-controller/artifacts"
    "maxDownloadBytes" (int64 .Values.artifacts.maxDownloadBytes)
    "maxCacheBytes" (int64 .Values.artifacts.maxCacheBytes)
    "sqlRunnerJar" "/opt/flink-job-controller/sql-runner.jar"
    "pythonDriverJar" "/opt/flink-job-controller/flink-python.jar"
    "egress" (dict
      "allowedHosts" .Values.artifacts.egress.allowedHosts
      "allowedRanges" .Values.artifacts.egress.allowedRanges
      "deniedRanges" .Values.artifacts.egress.deniedRanges)
    "trustedKeyFiles" .Values.artifacts.trustedKeyFiles)
  "flink" (dict "requestTimeout" .Values.flink.requestTimeout)
  "events" (dict "clusterScopedNamespace" (.Values.events.clusterScopedNamespace | default "default"))
  "secrets" (dict "namespaces" (include "flink-job-controller.secretNamespaces" . | fromJsonArray))
}}
{{- toYaml (mustMergeOverwrite $config (deepCopy .Values.extraConfig)) }}
{{- end }}

{{/*
Namespaces whose Secrets the operator caches and may read (JSON list): rbac.secretNamespaces, or the release
namespace when it is empty (the operator's own default).
*/}}
{{- define "flink-job-controller.secretNamespaces" -}}
{{- toJson (.Values.rbac.secretNamespaces | default (list .Release.Namespace)) }}
{{- end }}

{{/*
Namespaces of the Secrets the default FlinkSessionCluster references.
*/}}
{{- define "flink-job-controller.defaultClusterSecretNamespaces" -}}
{{- $refs := list }}
{{- with .Values.defaultCluster.tls }}
{{- $refs = concat $refs (list .caSecretRef .clientCertSecretRef) }}
{{- end }}
{{- with .Values.defaultCluster.auth }}
{{- $refs = append $refs .bearerTokenSecretRef }}
{{- with .apiKey }}{{ $refs = append $refs .secretRef }}{{ end }}
{{- with .basic }}{{ $refs = append $refs .secretRef }}{{ end }}
{{- with .kerberos }}{{ $refs = append $refs .keytabSecretRef }}{{ end }}
{{- end }}
{{- $namespaces := list }}
{{- range $refs }}
{{- if and . .namespace }}
{{- $namespaces = append $namespaces .namespace }}
{{- end }}
{{- end }}
{{- toJson ($namespaces | uniq) }}
{{- end }}
