{{/* Helpers of the provider intake chart (one service: intake, one provider). */}}

{{- define "provider-intake.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: lotse-provider-intake
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: lotse
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
lotse/service: intake
lotse/provider: {{ .Values.provider.key | quote }}
{{- end -}}

{{/* (dict "root" $ "component" "api") */}}
{{- define "provider-intake.selector" -}}
app.kubernetes.io/name: lotse-provider-intake
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "provider-intake.image" -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "provider-intake.databaseSecret" -}}
{{- default (printf "%s-database" .Release.Name) .Values.database.secretName -}}
{{- end -}}

{{- define "provider-intake.brokerUser" -}}
{{- default (printf "intake-%s" .Values.provider.key) .Values.broker.user -}}
{{- end -}}

{{- define "provider-intake.routingKeySuffix" -}}
{{- default .Values.provider.key .Values.broker.routingKeySuffix -}}
{{- end -}}

{{- define "provider-intake.cellGatewayUrl" -}}
{{- printf "http://%s-gateway.%s.svc.cluster.local:8080" .Values.cell.release .Values.cell.namespace -}}
{{- end -}}

{{- define "provider-intake.env" -}}
- name: LOTSE_MODE
  value: local
- name: LOTSE_LOG_FORMAT
  value: json
- name: LOTSE_LOG_LEVEL
  value: {{ .Values.platform.logLevel | quote }}
- name: LOTSE_DELIVERY_LIMIT
  value: {{ .Values.platform.deliveryLimit | quote }}
- name: LOTSE_PREFETCH
  value: {{ .Values.platform.prefetch | quote }}
- name: LOTSE_PUBLIC_URL
  value: {{ .Values.cell.publicUrl | quote }}
- name: LOTSE_TOKEN_ISSUER
  value: {{ default (printf "%s/api/v1/identity" (trimSuffix "/" .Values.cell.publicUrl)) .Values.cell.tokenIssuer | quote }}
- name: LOTSE_JWKS_URL
  value: {{ default (printf "%s/api/v1/identity/.well-known/jwks.json" (include "provider-intake.cellGatewayUrl" .)) .Values.cell.jwksUrl | quote }}
- name: LOTSE_TOKEN_AUDIENCE
  value: {{ .Values.platform.tokenAudience | quote }}
- name: LOTSE_EXCHANGE
  value: {{ .Values.broker.exchange | quote }}
# the provider organisation that runs this instance (its id in the county's identity service)
- name: LOTSE_INTAKE_OPERATOR
  value: {{ required "provider.organisationId is required: the provider's organisation id in the county's identity service" .Values.provider.organisationId | quote }}
# published as <event type>.<suffix>: the broker's topic permissions hold it to these keys
- name: LOTSE_ROUTING_KEY_SUFFIX
  value: {{ include "provider-intake.routingKeySuffix" . | quote }}
# the broker user may not configure anything; the county's services declare the topology
- name: LOTSE_DECLARE_TOPOLOGY
  value: "false"
- name: LOTSE_BROKER_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-broker" .Release.Name) .Values.broker.secretName }}
      key: {{ .Values.broker.urlKey }}
- name: LOTSE_INTAKE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "provider-intake.databaseSecret" . }}
      key: {{ .Values.database.urlKey }}
{{- range $key, $value := .Values.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range $key, $ref := .Values.secretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ tpl $ref.secretName $ }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{- define "provider-intake.podSpecCommon" -}}
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

{{- define "provider-intake.scratch" -}}
volumeMounts:
  - {name: tmp, mountPath: /tmp}
  - {name: run-lotse, mountPath: /run/lotse}
{{- end -}}

{{- define "provider-intake.scratchVolumes" -}}
volumes:
  - name: tmp
    emptyDir: {medium: Memory, sizeLimit: 64Mi}
  - name: run-lotse
    emptyDir: {medium: Memory, sizeLimit: 64Mi}
{{- end -}}
