// API objects as the simulator stores them: shaped like the Kubernetes API (metadata / spec / status) so
// `-o json`, `-o yaml` and `-o jsonpath` show what a real cluster would. The zod schemas validate the
// state file when it is read (it is shared by every kubectl invocation and the test harness); they are
// loose, so fields the simulator does not interpret survive a read-modify-write unchanged.
import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

export const ObjectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  generateName: z.string().optional(),
  generation: z.number().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export const ContainerPortSchema = z.looseObject({
  name: z.string().optional(),
  containerPort: z.number(),
  protocol: z.string().optional(),
});

export const ContainerSchema = z.looseObject({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  ports: z.array(ContainerPortSchema).optional(),
  env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional(),
  stdin: z.boolean().optional(),
  tty: z.boolean().optional(),
  /** Always / IfNotPresent / Never (defaulted at pod creation, src/sim/model/pods.ts defaultPullPolicy). */
  imagePullPolicy: z.string().optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

export const PodSpecSchema = z.looseObject({
  containers: z.array(ContainerSchema),
  restartPolicy: z.string().optional(),
  nodeName: z.string().optional(),
  imagePullSecrets: z.array(z.looseObject({ name: z.string() })).optional(),
  enableServiceLinks: z.boolean().optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

export const PodTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: StringMap.optional(), name: z.string().optional() }).optional(),
  spec: PodSpecSchema,
});
export type PodTemplate = z.infer<typeof PodTemplateSchema>;

const ConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().optional(),
});

export const ContainerStatusSchema = z.looseObject({
  name: z.string(),
  image: z.string(),
  ready: z.boolean(),
  restartCount: z.number(),
  started: z.boolean().optional(),
  state: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const PodStatusSchema = z.looseObject({
  phase: z.string(),
  podIP: z.string().optional(),
  podIPs: z.array(z.looseObject({ ip: z.string() })).optional(),
  hostIP: z.string().optional(),
  startTime: z.string().optional(),
  conditions: z.array(ConditionSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  qosClass: z.string().optional(),
});

export const PodSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
  status: PodStatusSchema,
});
export type Pod = z.infer<typeof PodSchema>;

export const LabelSelectorSchema = z.looseObject({ matchLabels: StringMap.optional() });

export const DeploymentSchema = z.looseObject({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    replicas: z.number(),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
  }),
  status: z.looseObject({}),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export const ReplicaSetSchema = z.looseObject({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    replicas: z.number(),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
  }),
  status: z.looseObject({}),
});
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;

export const ServicePortSchema = z.looseObject({
  name: z.string().optional(),
  protocol: z.string(),
  port: z.number(),
  targetPort: z.union([z.number(), z.string()]),
  nodePort: z.number().optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

export const ServiceSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    type: z.string(),
    selector: StringMap.optional(),
    ports: z.array(ServicePortSchema).optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    externalIPs: z.array(z.string()).optional(),
    sessionAffinity: z.string().optional(),
    sessionAffinityConfig: z
      .looseObject({ clientIP: z.looseObject({ timeoutSeconds: z.number().optional() }).optional() })
      .optional(),
  }),
  status: z.looseObject({}),
});
export type Service = z.infer<typeof ServiceSchema>;

const EndpointAddressSchema = z.looseObject({
  ip: z.string(),
  nodeName: z.string().optional(),
  targetRef: z
    .looseObject({ kind: z.string(), name: z.string(), namespace: z.string(), uid: z.string() })
    .optional(),
});
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

export const EndpointsSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Endpoints'),
  metadata: ObjectMetaSchema,
  subsets: z
    .array(
      z.looseObject({
        addresses: z.array(EndpointAddressSchema).optional(),
        notReadyAddresses: z.array(EndpointAddressSchema).optional(),
        ports: z.array(
          z.looseObject({ name: z.string().optional(), port: z.number(), protocol: z.string() }),
        ),
      }),
    )
    .optional(),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

export const EndpointSliceSchema = z.looseObject({
  apiVersion: z.literal('discovery.k8s.io/v1'),
  kind: z.literal('EndpointSlice'),
  metadata: ObjectMetaSchema,
  addressType: z.string(),
  endpoints: z.array(
    z.looseObject({
      addresses: z.array(z.string()),
      conditions: z.looseObject({ ready: z.boolean(), serving: z.boolean(), terminating: z.boolean() }),
      nodeName: z.string().optional(),
      targetRef: z
        .looseObject({ kind: z.string(), name: z.string(), namespace: z.string(), uid: z.string() })
        .optional(),
    }),
  ),
  ports: z.array(z.looseObject({ name: z.string(), port: z.number(), protocol: z.string() })),
});
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;

export const NodeSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Node'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({ podCIDR: z.string().optional(), podCIDRs: z.array(z.string()).optional() }),
  status: z.looseObject({
    addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })),
    conditions: z.array(ConditionSchema),
    nodeInfo: z.looseObject({
      kubeletVersion: z.string(),
      osImage: z.string(),
      kernelVersion: z.string(),
      containerRuntimeVersion: z.string(),
    }),
  }),
});
export type Node = z.infer<typeof NodeSchema>;

export const SecretSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: ObjectMetaSchema,
  type: z.string(),
  data: StringMap.optional(),
});
export type Secret = z.infer<typeof SecretSchema>;

export const NamespaceConditionSchema = ConditionSchema.extend({
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NamespaceCondition = z.infer<typeof NamespaceConditionSchema>;

export const NamespaceSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Namespace'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({ finalizers: z.array(z.string()).optional() }),
  status: z.looseObject({
    phase: z.enum(['Active', 'Terminating']),
    conditions: z.array(NamespaceConditionSchema).optional(),
  }),
});
export type Namespace = z.infer<typeof NamespaceSchema>;

/** core/v1 Event as kube-apiserver stores it (events.k8s.io/v1 is a view of the same object). */
export const ObjectReferenceSchema = z.looseObject({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  uid: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

export const EventSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Event'),
  metadata: ObjectMetaSchema,
  involvedObject: ObjectReferenceSchema,
  reason: z.string(),
  message: z.string(),
  type: z.string(),
  source: z.looseObject({ component: z.string().optional(), host: z.string().optional() }),
  firstTimestamp: z.string().nullable(),
  lastTimestamp: z.string().nullable(),
  count: z.number().optional(),
  eventTime: z.string().nullable(),
  series: z.looseObject({ count: z.number(), lastObservedTime: z.string() }).optional(),
  action: z.string().optional(),
  reportingComponent: z.string(),
  reportingInstance: z.string(),
});
export type Event = z.infer<typeof EventSchema>;

export type ApiObject =
  Pod | Deployment | ReplicaSet | Service | Endpoints | EndpointSlice | Node | Secret | Event | Namespace;
