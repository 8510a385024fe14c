// The fields the apiserver knows for the kinds the simulator accepts, so `apply` can reject unknown
// fields the way strict server-side field validation does (kubectl >= 1.27 default). `any` marks a
// subtree the simulator accepts without looking inside.
export type FieldSpec =
  | 'string'
  | 'int'
  | 'bool'
  | 'map'
  | 'any'
  | 'int-or-string'
  | readonly [FieldSpec]
  | { readonly [key: string]: FieldSpec };

const meta: FieldSpec = {
  name: 'string',
  namespace: 'string',
  labels: 'map',
  annotations: 'map',
  generateName: 'string',
  uid: 'string',
  resourceVersion: 'string',
  creationTimestamp: 'any',
  ownerReferences: 'any',
  finalizers: 'any',
  managedFields: 'any',
  generation: 'int',
  deletionTimestamp: 'any',
  deletionGracePeriodSeconds: 'int',
  selfLink: 'string',
};

const container: FieldSpec = {
  name: 'string',
  image: 'string',
  command: ['string'],
  args: ['string'],
  workingDir: 'string',
  ports: [{ name: 'string', containerPort: 'int', protocol: 'string', hostPort: 'int', hostIP: 'string' }],
  env: [{ name: 'string', value: 'string', valueFrom: 'any' }],
  envFrom: 'any',
  resources: 'any',
  volumeMounts: 'any',
  livenessProbe: 'any',
  readinessProbe: 'any',
  startupProbe: 'any',
  lifecycle: 'any',
  imagePullPolicy: 'string',
  securityContext: 'any',
  stdin: 'bool',
  stdinOnce: 'bool',
  tty: 'bool',
  terminationMessagePath: 'string',
  terminationMessagePolicy: 'string',
  volumeDevices: 'any',
  resizePolicy: 'any',
  restartPolicy: 'string',
};

const podSpec: FieldSpec = {
  containers: [container],
  initContainers: [container],
  ephemeralContainers: 'any',
  imagePullSecrets: [{ name: 'string' }],
  restartPolicy: 'string',
  nodeName: 'string',
  nodeSelector: 'map',
  serviceAccountName: 'string',
  serviceAccount: 'string',
  volumes: 'any',
  tolerations: 'any',
  affinity: 'any',
  hostNetwork: 'bool',
  hostPID: 'bool',
  hostIPC: 'bool',
  dnsPolicy: 'string',
  dnsConfig: 'any',
  terminationGracePeriodSeconds: 'int',
  activeDeadlineSeconds: 'int',
  securityContext: 'any',
  hostname: 'string',
  subdomain: 'string',
  schedulerName: 'string',
  priorityClassName: 'string',
  priority: 'int',
  enableServiceLinks: 'bool',
  automountServiceAccountToken: 'bool',
  topologySpreadConstraints: 'any',
  hostAliases: 'any',
  shareProcessNamespace: 'bool',
  runtimeClassName: 'string',
  readinessGates: 'any',
  preemptionPolicy: 'string',
  overhead: 'any',
  setHostnameAsFQDN: 'bool',
  os: 'any',
  schedulingGates: 'any',
  resourceClaims: 'any',
  hostUsers: 'bool',
};

const template: FieldSpec = { metadata: meta, spec: podSpec };
const selector: FieldSpec = { matchLabels: 'map', matchExpressions: 'any' };

export const KIND_FIELDS: Readonly<Record<string, { apiVersion: string; fields: FieldSpec }>> = {
  Deployment: {
    apiVersion: 'apps/v1',
    fields: {
      apiVersion: 'string',
      kind: 'string',
      metadata: meta,
      status: 'any',
      spec: {
        replicas: 'int',
        selector,
        template,
        strategy: 'any',
        minReadySeconds: 'int',
        revisionHistoryLimit: 'int',
        paused: 'bool',
        progressDeadlineSeconds: 'int',
      },
    },
  },
  Service: {
    apiVersion: 'v1',
    fields: {
      apiVersion: 'string',
      kind: 'string',
      metadata: meta,
      status: 'any',
      spec: {
        type: 'string',
        selector: 'map',
        ports: [
          {
            name: 'string',
            protocol: 'string',
            port: 'int',
            targetPort: 'int-or-string',
            nodePort: 'int',
            appProtocol: 'string',
          },
        ],
        clusterIP: 'string',
        clusterIPs: ['string'],
        externalName: 'string',
        externalIPs: ['string'],
        sessionAffinity: 'string',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 'int' } },
        loadBalancerIP: 'string',
        loadBalancerSourceRanges: ['string'],
        loadBalancerClass: 'string',
        externalTrafficPolicy: 'string',
        internalTrafficPolicy: 'string',
        ipFamilies: ['string'],
        ipFamilyPolicy: 'string',
        publishNotReadyAddresses: 'bool',
        healthCheckNodePort: 'int',
        allocateLoadBalancerNodePorts: 'bool',
      },
    },
  },
  Pod: {
    apiVersion: 'v1',
    fields: { apiVersion: 'string', kind: 'string', metadata: meta, spec: podSpec, status: 'any' },
  },
  Namespace: {
    apiVersion: 'v1',
    fields: {
      apiVersion: 'string',
      kind: 'string',
      metadata: meta,
      spec: { finalizers: ['string'] },
      status: 'any',
    },
  },
  Secret: {
    apiVersion: 'v1',
    fields: {
      apiVersion: 'string',
      kind: 'string',
      metadata: meta,
      type: 'string',
      data: 'map',
      stringData: 'map',
      immutable: 'bool',
    },
  },
};
