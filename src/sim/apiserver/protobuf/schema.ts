// The protobuf messages kubectl 1.33 sends: `kubectl create deployment|service|secret|namespace|configmap|
// serviceaccount` go through the typed clientset, which encodes bodies as application/vnd.kubernetes.protobuf
// (every other command this lab uses sends JSON). No npm package ships Kubernetes' .proto files, so this
// declares the subset those objects use. Message and field names and numbers are those of upstream's
// generated.proto files: k8s.io/apimachinery pkg/runtime (Unknown, TypeMeta), pkg/apis/meta/v1 (ObjectMeta,
// Time, LabelSelector, ...), pkg/util/intstr (IntOrString), pkg/api/resource (Quantity), and k8s.io/api
// core/v1 and apps/v1. A field kubectl could send but this subset lacks is not skipped silently:
// unknown-fields.ts rejects it by number.
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto2";

package k8s.io.apimachinery.pkg.runtime;
message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

const META = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;
message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
}
message OwnerReference {
  optional string apiVersion = 5;
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional bool controller = 6;
  optional bool blockOwnerDeletion = 7;
}
message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}
message LabelSelectorRequirement { optional string key = 1; optional string operator = 2; repeated string values = 3; }
message Condition {
  optional string type = 1;
  optional string status = 2;
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
`;

const SCALARS = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;
message IntOrString { optional int64 type = 1; optional int32 intVal = 2; optional string strVal = 3; }
`;

const RESOURCE = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;
message Quantity { optional string string = 1; }
`;

const CORE = `
syntax = "proto2";
package k8s.io.api.core.v1;
message Namespace {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}
message NamespaceSpec { repeated string finalizers = 1; }
message NamespaceStatus { optional string phase = 1; }
message Secret {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 5;
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}
message ConfigMap {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 4;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}
message ServiceAccount {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4;
}
message LocalObjectReference { optional string name = 1; }
message Service {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
  optional ServiceStatus status = 3;
}
message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional int32 healthCheckNodePort = 12;
  optional bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17;
  optional bool allocateLoadBalancerNodePorts = 20;
  optional string loadBalancerClass = 21;
  optional string internalTrafficPolicy = 22;
  optional string trafficDistribution = 23;
}
message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6;
  optional int32 port = 3;
  optional k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4;
  optional int32 nodePort = 5;
}
message SessionAffinityConfig { optional ClientIPConfig clientIP = 1; }
message ClientIPConfig { optional int32 timeoutSeconds = 1; }
message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1;
  repeated k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 2;
}
message LoadBalancerStatus { repeated LoadBalancerIngress ingress = 1; }
message LoadBalancerIngress { optional string ip = 1; optional string hostname = 2; optional string ipMode = 3; }
message PodTemplateSpec {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}
message PodSpec {
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4;
  optional int64 activeDeadlineSeconds = 5;
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21;
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional string schedulerName = 19;
  optional string priorityClassName = 24;
  optional int32 priority = 25;
  optional bool enableServiceLinks = 30;
  optional bool setHostnameAsFQDN = 35;
}
message Container {
  optional string name = 1;
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}
message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3;
  optional string protocol = 4;
  optional string hostIP = 5;
}
message EnvVar { optional string name = 1; optional string value = 2; }
message ResourceRequirements {
  map<string, k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
}
`;

const APPS = `
syntax = "proto2";
package k8s.io.api.apps.v1;
message Deployment {
  optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}
message DeploymentSpec {
  optional int32 replicas = 1;
  optional k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional k8s.io.api.core.v1.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6;
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9;
}
message DeploymentStrategy { optional string type = 1; optional RollingUpdateDeployment rollingUpdate = 2; }
message RollingUpdateDeployment {
  optional k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1;
  optional k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2;
}
message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  optional int32 terminatingReplicas = 9;
  optional int32 collisionCount = 8;
}
`;

export const root: protobuf.Root = (() => {
  const r = new protobuf.Root();
  for (const source of [PROTO, META, SCALARS, RESOURCE, CORE, APPS])
    protobuf.parse(source, r, { keepCase: true });
  r.resolveAll();
  return r;
})();

/** apiVersion/kind → message, for every kind kubectl 1.33 sends as protobuf in this lab's commands. */
export const KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/Secret': 'k8s.io.api.core.v1.Secret',
  'v1/ConfigMap': 'k8s.io.api.core.v1.ConfigMap',
  'v1/ServiceAccount': 'k8s.io.api.core.v1.ServiceAccount',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
};

/** Fields that are pointers in the Go types (k8s.io/api types.go): present means set, even to a zero
 *  value (`replicas: 0`, `immutable: false`), so JSON keeps them; every other zero value is omitted. */
export const POINTER_FIELDS: ReadonlySet<string> = new Set([
  'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.deletionTimestamp',
  'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.deletionGracePeriodSeconds',
  'k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference.controller',
  'k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference.blockOwnerDeletion',
  'k8s.io.api.core.v1.Secret.immutable',
  'k8s.io.api.core.v1.ConfigMap.immutable',
  'k8s.io.api.core.v1.ServiceAccount.automountServiceAccountToken',
  'k8s.io.api.core.v1.ServiceSpec.sessionAffinityConfig',
  'k8s.io.api.core.v1.ServiceSpec.ipFamilyPolicy',
  'k8s.io.api.core.v1.ServiceSpec.allocateLoadBalancerNodePorts',
  'k8s.io.api.core.v1.ServiceSpec.loadBalancerClass',
  'k8s.io.api.core.v1.ServiceSpec.internalTrafficPolicy',
  'k8s.io.api.core.v1.ServiceSpec.trafficDistribution',
  'k8s.io.api.core.v1.ServicePort.appProtocol',
  'k8s.io.api.core.v1.ClientIPConfig.timeoutSeconds',
  'k8s.io.api.core.v1.LoadBalancerIngress.ipMode',
  'k8s.io.api.core.v1.PodSpec.terminationGracePeriodSeconds',
  'k8s.io.api.core.v1.PodSpec.activeDeadlineSeconds',
  'k8s.io.api.core.v1.PodSpec.automountServiceAccountToken',
  'k8s.io.api.core.v1.PodSpec.shareProcessNamespace',
  'k8s.io.api.core.v1.PodSpec.priority',
  'k8s.io.api.core.v1.PodSpec.enableServiceLinks',
  'k8s.io.api.core.v1.PodSpec.setHostnameAsFQDN',
  'k8s.io.api.apps.v1.DeploymentSpec.replicas',
  'k8s.io.api.apps.v1.DeploymentSpec.selector',
  'k8s.io.api.apps.v1.DeploymentSpec.revisionHistoryLimit',
  'k8s.io.api.apps.v1.DeploymentSpec.progressDeadlineSeconds',
  'k8s.io.api.apps.v1.DeploymentStrategy.rollingUpdate',
  'k8s.io.api.apps.v1.RollingUpdateDeployment.maxUnavailable',
  'k8s.io.api.apps.v1.RollingUpdateDeployment.maxSurge',
]);
