{{/*
Helpers of the Lotse cell chart. A service's effective values are serviceDefaults merged with its
own entry under .Values.services (its entry wins), so each entry only says what differs.
*/}}

{{- define "lotse-cell.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* labels every object of the release carries */}}
{{- define "lotse-cell.labels" -}}
helm.sh/chart: {{ include "lotse-cell.chart" . }}
app.kubernetes.io/name: lotse
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: lotse
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
lotse/county: {{ .Values.cell.county | quote }}
{{- end -}}

{{/* selector of one component of one service: (dict "root" $ "service" "example" "component" "api") */}}
{{- define "lotse-cell.selector" -}}
app.kubernetes.io/name: lotse
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
lotse/service: {{ .service }}
{{- end -}}

{{/* the effective values of a service: (dict "root" $ "name" "example" "values" $entry) */}}
{{- define "lotse-cell.service" -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy (default (dict) .values)) -}}
{{- toYaml $merged -}}
{{- end -}}

{{- define "lotse-cell.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <registry>/<repository>:<tag> */}}
{{- define "lotse-cell.image" -}}
{{- $repository := default .name .repository -}}
{{- printf "%s/%s:%s" .root.Values.image.registry $repository (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{/* the environment variable prefix of a service: LOTSE_EXAMPLE_ */}}
{{- define "lotse-cell.prefix" -}}
{{- printf "LOTSE_%s_" (.name | upper | replace "-" "_") -}}
{{- end -}}

{{- define "lotse-cell.gatewayUrl" -}}
{{- printf "http://%s-gateway.%s.svc.cluster.local:%v" .Release.Name .Release.Namespace .Values.gateway.service.port -}}
{{- end -}}

{{- define "lotse-cell.tokenIssuer" -}}
{{- default (printf "%s/api/v1/identity" (trimSuffix "/" .Values.cell.publicUrl)) .Values.platform.tokenIssuer -}}
{{- end -}}

{{/* JWKS through the gateway: only the gateway reaches the APIs (network policies) */}}
{{- define "lotse-cell.jwksUrl" -}}
{{- default (printf "%s/api/v1/identity/.well-known/jwks.json" (include "lotse-cell.gatewayUrl" .)) .Values.platform.jwksUrl -}}
{{- end -}}

{{/*
The environment of every container of a service: platform settings, the broker URL, the
database URL of the app role, the service's own settings. The owner's URL is added by the
setup job alone. (dict "root" $ "name" "example" "svc" $svc)
*/}}
{{- define "lotse-cell.env" -}}
{{- $root := .root -}}
{{- $prefix := include "lotse-cell.prefix" . -}}
- name: LOTSE_MODE
  value: local
- name: LOTSE_LOG_FORMAT
  value: json
- name: LOTSE_LOG_LEVEL
  value: {{ $root.Values.platform.logLevel | quote }}
- name: LOTSE_DELIVERY_LIMIT
  value: {{ $root.Values.platform.deliveryLimit | quote }}
- name: LOTSE_PREFETCH
  value: {{ $root.Values.platform.prefetch | quote }}
- name: LOTSE_PUBLIC_URL
  value: {{ $root.Values.cell.publicUrl | quote }}
- name: LOTSE_TOKEN_ISSUER
  value: {{ include "lotse-cell.tokenIssuer" $root | quote }}
- name: LOTSE_JWKS_URL
  value: {{ include "lotse-cell.jwksUrl" $root | quote }}
- name: LOTSE_TOKEN_AUDIENCE
  value: {{ $root.Values.platform.tokenAudience | quote }}
{{- with $root.Values.platform.trustedIssuers }}
- name: LOTSE_TRUSTED_ISSUERS
  value: {{ toJson . | quote }}
{{- end }}
- name: LOTSE_BROKER_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-%s-%s" $root.Release.Name .name $root.Values.broker.secretSuffix) .svc.brokerSecret }}
      key: {{ $root.Values.broker.urlKey }}
- name: {{ $prefix }}DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-%s-%s" $root.Release.Name .name $root.Values.database.secretSuffix) .svc.databaseSecret }}
      key: {{ $root.Values.database.urlKey }}
{{- if eq .name "console" }}
{{- /* the web console calls the APIs through the gateway with the user's token (ADR 0099) */}}
- name: LOTSE_CONSOLE_API_URL
  value: {{ include "lotse-cell.gatewayUrl" $root | quote }}
{{- end }}
{{- range $key, $value := .svc.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range $key, $ref := .svc.secretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ tpl $ref.secretName $root }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{/* writable scratch space on a read-only root filesystem */}}
{{- define "lotse-cell.scratchVolumes" -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
- name: run-lotse
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- end -}}

{{- define "lotse-cell.scratchMounts" -}}
- name: tmp
  mountPath: /tmp
- name: run-lotse
  mountPath: /run/lotse
{{- end -}}

{{- define "lotse-cell.podSpecCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
