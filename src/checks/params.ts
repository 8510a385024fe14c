// Parameter fields shared by the built-in checks' `with:` schemas. Names are validated the way the API server
// validates them, so a typo in lab.yaml is a load-time error (`file:line with.service: ...`) rather than a
// check that polls until its deadline against an object that can never exist.
import { z } from 'zod';

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Equality-based selectors only (`a=b,c==d,e!=f`): what the tutorial uses, and simple to validate fully.
const LABEL_KEY =
  '([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';
const LABEL_VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const SELECTOR_TERM = `${LABEL_KEY}(=|==|!=)${LABEL_VALUE}`;
const SELECTOR = new RegExp(`^${SELECTOR_TERM}(,${SELECTOR_TERM})*$`);
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

export const serviceName = z
  .string()
  .regex(
    DNS_1035_LABEL,
    'a Service name: lower-case letters, digits and "-", starting with a letter, at most 63',
  );
export const podName = z
  .string()
  .regex(DNS_1123_SUBDOMAIN, 'a Pod name: lower-case letters, digits, "-" and ".", at most 253');
export const objectName = podName;
export const namespaceName = z
  .string()
  .regex(DNS_1123_LABEL, 'a namespace: lower-case letters, digits and "-", at most 63');
export const labelSelector = z
  .string()
  .regex(SELECTOR, 'an equality label selector like app=webserver or app=web,tier!=db');
export const port = z.int().min(1).max(65535);
export const clientImage = z
  .string()
  .regex(IMAGE, 'an image reference like docker.io/busybox')
  .default('docker.io/busybox')
  .describe('Image of the client pods the check creates (needs sh, wget, timeout, grep, env: busybox)');

/** Fields every check takes. `namespace` defaults to the lab's (CheckContext.namespace). */
export const commonFields = {
  namespace: namespaceName.optional().describe("Namespace of the objects (default: the lab's namespace)"),
  clientImage,
};

/** How a client addresses the Service. */
export const via = z
  .enum(['cluster-ip', 'dns'])
  .describe('cluster-ip: http://<ClusterIP>:<port>; dns: http://<service>:<port> (the short name)');

export const tutorialDefaults = {
  service: 'hostname-service-clusterip',
  selector: 'app=webserver',
  deployment: 'hostname-deployment',
  servicePort: 8080,
  podPort: 80,
  // Issue 15 (labs/service-types): the other service types, named as the tutorial names its ClusterIP one.
  nodePortService: 'hostname-service-nodeport',
  loadBalancerService: 'hostname-service-lb',
  externalNameService: 'hostname-service-externalname',
  externalName: 'www.example.com',
  exposedService: 'hostname-service-expose',
} as const;
