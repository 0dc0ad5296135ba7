{{/* Chart name, or nameOverride. */}}
{{- define "realtime-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name: fullnameOverride, else release name + chart name (once if one contains the other). */}}
{{- define "realtime-gateway.fullname" -}}
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

{{/* chart-version label value. */}}
{{- define "realtime-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "realtime-gateway.labels" -}}
helm.sh/chart: {{ include "realtime-gateway.chart" . }}
{{ include "realtime-gateway.selectorLabels" . }}
app.kubernetes.io/component: realtime
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the gateway's pods (Service, PDB, spread constraints). */}}
{{- define "realtime-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "realtime-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Secret and key of WEBUI_SECRET_KEY: the existing one, or the chart's. */}}
{{- define "realtime-gateway.webuiSecretName" -}}
{{- if .Values.webuiSecretKey.existingSecret }}
{{- .Values.webuiSecretKey.existingSecret }}
{{- else }}
{{- include "realtime-gateway.fullname" . }}
{{- end }}
{{- end }}

{{- define "realtime-gateway.webuiSecretKey" -}}
{{- if .Values.webuiSecretKey.existingSecret }}
{{- .Values.webuiSecretKey.existingSecretKey }}
{{- else }}
{{- print "WEBUI_SECRET_KEY" }}
{{- end }}
{{- end }}

{{/* Whether Redis mode is on; fails on a mode the chart does not know. */}}
{{- define "realtime-gateway.redis" -}}
{{- if eq .Values.mode "redis" }}true
{{- else if ne .Values.mode "memory" }}
{{- fail (printf "mode must be memory or redis, not %q" .Values.mode) }}
{{- end }}
{{- end }}
