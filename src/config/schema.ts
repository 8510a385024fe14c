// The lab configuration (lab.config.yaml): shape, defaults-free (every value is written in the file so the
// Vagrantfile can read the same file), and the cross-field rules that stop a lab from booting broken.
import { z } from 'zod';
import { parseAddressPool } from './address-pool.ts';
import {
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  isNetworkOrBroadcast,
  parseCidr,
  parseIpv4,
  type Cidr,
} from './cidr.ts';

const cidrString = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
});

const ipv4String = z
  .string()
  .refine((v) => parseIpv4(v) !== undefined, { message: 'must be an IPv4 address such as 192.168.56.10' });

// RFC 1123 label: Kubernetes node names and Linux hostnames both accept it.
const hostname = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message:
    'must be a lowercase RFC 1123 name (a-z, 0-9, "-", at most 63 characters, no leading/trailing "-")',
});

// A registry host (DNS name or IPv4), optional port, optional path of lowercase repository components: a
// subset of the image reference grammar (https://github.com/distribution/reference/blob/v0.5.0/reference.go,
// lowercase hosts, single separators). It becomes the prefix of image references on the VM, so nothing a
// shell or awk would interpret can pass. The same pattern is checked again in master.sh.
const calicoRegistry = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'must be an environment variable name such as LAB_REGISTRY_PASSWORD',
});

export const nodeSchema = z.strictObject({
  name: hostname.describe('VM name, hostname and Kubernetes node name'),
  role: z.enum(['control-plane', 'worker']),
  ip: ipv4String.describe('Private-network address inside network.nodeCidr'),
  cpus: z.int().min(1).max(64),
  memoryMb: z.int().min(512).max(262_144),
});

const networkSchema = z.strictObject({
  nodeCidr: cidrString,
  podCidr: cidrString,
  serviceCidr: cidrString,
});

const nodesSchema = z
  .array(nodeSchema)
  .min(2, { message: 'needs a control-plane node and at least one worker' });

/** The file's shape. Cross-field rules live in `crossFieldSchema` so both report in one pass. */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  vagrant: z.strictObject({
    box: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be a Vagrant box name such as bento/ubuntu-22.04' }),
    boxVersion: z
      .string()
      .regex(/^\d+(\.\d+){0,3}$/, { message: 'must be an exact box version such as 202502.21.0 (pin it)' }),
    provider: z.enum(['virtualbox', 'libvirt']),
    // Optional so that existing config files keep loading. Vagrant >= 2.4 picks a box's build by
    // architecture; `auto` means the host's (arm64 on Apple Silicon), decided by labkit, not by Vagrant's
    // own guess (src/vagrant/box-architecture.ts).
    boxArchitecture: z
      .enum(['auto', 'amd64', 'arm64'])
      .optional()
      .describe(
        "Which build of the box to use: auto (default) picks the host's architecture (arm64 on Apple Silicon); amd64 or arm64 pins it",
      ),
    bootTimeout: z.int().min(60).max(3600),
    libvirt: z
      .strictObject({
        driver: z.enum(['kvm', 'qemu']).optional(),
        cpuModel: z.string().min(1).optional(),
      })
      .optional(),
  }),
  network: networkSchema,
  nodes: nodesSchema,
  kubernetes: z.strictObject({
    version: z.string().regex(/^1\.\d{2}\.\d+$/, {
      message: 'must be a full patch version such as 1.33.5 (no "v", no range)',
    }),
    packageRevision: z
      .string()
      .regex(/^\d+\.\d+$/, { message: 'must be the pkgs.k8s.io package revision such as 1.1' }),
  }),
  calico: z.strictObject({
    version: z.string().regex(/^v3\.\d+\.\d+$/, { message: 'must be a Calico release such as v3.30.3' }),
    ipipMode: z.enum(['Always', 'CrossSubnet', 'Never']),
    // Optional so that existing config files keep loading; the Vagrantfile applies the same default.
    registry: z
      .string()
      .regex(calicoRegistry, {
        message:
          'must be a registry host[:port][/path] such as quay.io or registry.example.org:5000/mirror (lowercase, no scheme, no trailing "/")',
      })
      .default('quay.io')
      .describe(
        'Registry Calico images are pulled from instead of docker.io (Docker Hub limits anonymous pulls per address). Calico publishes every release to quay.io/calico as well',
      ),
  }),
  // Optional (off when absent) so that existing config files keep loading; lab.config.yaml turns it on.
  metallb: z
    .strictObject({
      enabled: z.boolean().describe('Install MetalLB (L2 mode) so LoadBalancer Services get an EXTERNAL-IP'),
      version: z
        .string()
        .regex(/^v0\.\d+\.\d+$/, { message: 'must be a MetalLB release such as v0.16.1' })
        .describe('MetalLB release; its config/manifests/metallb-native.yaml is applied'),
      pool: z
        .string()
        .superRefine((value, ctx) => {
          const parsed = parseAddressPool(value);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
        })
        .describe(
          'Addresses MetalLB hands out, inside network.nodeCidr and clear of the nodes and the host (.1): first-last or a CIDR',
        ),
      manifestSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, { message: 'must be a sha256 of 64 lowercase hex digits' })
        .optional()
        .describe(
          "sha256 of the release's metallb-native.yaml; labkit knows it for the releases it was tested with",
        ),
    })
    .optional()
    .describe(
      'MetalLB, the load balancer of bare-metal clusters: EXTERNAL-IPs for Services of type LoadBalancer',
    ),
  registry: z
    .strictObject({
      server: z.url({ message: 'must be a registry URL such as https://index.docker.io/v1/' }),
      usernameEnv: envName,
      passwordEnv: envName,
      emailEnv: envName.optional(),
    })
    .optional()
    .describe('Names of environment variables holding registry credentials; values are never stored'),
  // Optional (on by default) so that existing config files keep loading and students get lab:reset.
  snapshot: z
    .strictObject({
      enabled: z.boolean().describe('Snapshot every VM after a successful lab:up (smoke check passed)'),
      // It reaches libvirt's snapshot XML and VirtualBox's command line unescaped: a plain word only.
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
        message: 'must be a plain name such as labkit-ready (letters, digits, ".", "_", "-"; at most 63)',
      }),
    })
    .default({ enabled: true, name: 'labkit-ready' })
    .describe('The VM snapshot `npm run lab:reset` restores: taken after a lab:up whose smoke check passed'),
});

/** Rules across keys (overlaps, node addresses, roles). Reads whatever parts of the file are well formed, so
 *  one `lab config check` lists every problem even when other keys are wrong. */
export const crossFieldSchema = z
  .looseObject({
    network: z
      .looseObject({
        nodeCidr: z.unknown().optional(),
        podCidr: z.unknown().optional(),
        serviceCidr: z.unknown().optional(),
      })
      .optional()
      .catch(undefined),
    nodes: z.array(z.unknown()).optional().catch(undefined),
    metallb: z.looseObject({ pool: z.unknown().optional() }).optional().catch(undefined),
  })
  .superRefine((config, ctx) => {
    const ranges = (['nodeCidr', 'podCidr', 'serviceCidr'] as const).flatMap((key) => {
      const value = config.network?.[key];
      const parsed = typeof value === 'string' ? parseCidr(value) : undefined;
      return parsed?.ok ? [{ key, cidr: parsed.cidr }] : [];
    });
    checkOverlaps(ranges, ctx);
    const nodes = (config.nodes ?? []).map((n) => nodeSchema.safeParse(n).data);
    const nodeNet = ranges.find((r) => r.key === 'nodeCidr')?.cidr;
    checkNodes(nodes, nodeNet, ctx);
    const pool = config.metallb?.pool;
    if (typeof pool === 'string') checkPool(pool, nodeNet, nodes, ctx);
  });

export type LabConfig = z.infer<typeof configSchema>;
export type NodeConfig = z.infer<typeof nodeSchema>;

type Ctx = z.RefinementCtx;

function checkOverlaps(ranges: { key: string; cidr: Cidr }[], ctx: Ctx): void {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (a && b && cidrsOverlap(a.cidr, b.cidr)) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', b.key],
          message: `${b.cidr.text} overlaps network.${a.key} ${a.cidr.text}; node, pod and service ranges must be disjoint`,
        });
      }
    }
  }
}

// Nodes that failed their own shape check are `undefined` here: skipped, but indices stay right.
function checkNodes(nodes: readonly (NodeConfig | undefined)[], nodeNet: Cidr | undefined, ctx: Ctx): void {
  const seenNames = new Map<string, number>();
  const seenIps = new Map<string, number>();
  nodes.forEach((node, index) => {
    if (!node) return;
    const firstName = seenNames.get(node.name);
    if (firstName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes', index, 'name'],
        message: `duplicates nodes[${firstName}].name "${node.name}"`,
      });
    } else seenNames.set(node.name, index);
    const firstIp = seenIps.get(node.ip);
    if (firstIp !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes', index, 'ip'],
        message: `duplicates nodes[${firstIp}].ip ${node.ip}`,
      });
    } else seenIps.set(node.ip, index);
    const ip = parseIpv4(node.ip);
    if (nodeNet && ip !== undefined) {
      if (!cidrContains(nodeNet, ip)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'ip'],
          message: `${node.ip} is outside network.nodeCidr ${nodeNet.text}`,
        });
      } else if (isNetworkOrBroadcast(nodeNet, ip)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'ip'],
          message: `${node.ip} is the network or broadcast address of ${nodeNet.text}`,
        });
      } else if (ip === nodeNet.network + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'ip'],
          message: `${node.ip} is the host's own address on the private network (.1); use .2 or above`,
        });
      }
    }
  });
  const valid = nodes.filter((n): n is NodeConfig => n !== undefined);
  if (valid.length < nodes.length) return; // role counts are meaningless until every node parses
  const planes = valid.filter((n) => n.role === 'control-plane').length;
  if (planes !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['nodes'],
      message: `needs exactly one node with role control-plane (found ${planes})`,
    });
  }
  if (!valid.some((n) => n.role === 'worker')) {
    ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'needs at least one node with role worker' });
  }
  // kubeadm's own minimums (2 CPUs, 1700 MB on the control plane) are not a config rule: a smaller lab is
  // fine for `lab:up --until base` (e.g. the VM lane). lab:up's preflight enforces them when kubeadm will run
  // (src/preflight/control-plane-size.ts).
}

// MetalLB answers ARP for its addresses on the node network (L2 mode): they must be on that network, and
// an address a node or the host already has would be answered twice.
function checkPool(
  text: string,
  nodeNet: Cidr | undefined,
  nodes: readonly (NodeConfig | undefined)[],
  ctx: Ctx,
): void {
  const parsed = parseAddressPool(text);
  if (!parsed.ok || !nodeNet) return; // the shape error is reported by configSchema
  const { first, last } = parsed.pool;
  const netLast = nodeNet.network + 2 ** (32 - nodeNet.prefix) - 1;
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['metallb', 'pool'], message });
  if (!cidrContains(nodeNet, first) || !cidrContains(nodeNet, last)) {
    issue(
      `${text} is not inside network.nodeCidr ${nodeNet.text}: L2 mode answers ARP on the node network only`,
    );
    return;
  }
  if (first === nodeNet.network || last === netLast)
    issue(`${text} includes the network or broadcast address of ${nodeNet.text}`);
  if (first <= nodeNet.network + 1 && nodeNet.network + 1 <= last)
    issue(
      `${text} includes ${formatIpv4(nodeNet.network + 1)}, the host's own address on the private network`,
    );
  nodes.forEach((node, index) => {
    const ip = node ? parseIpv4(node.ip) : undefined;
    if (node && ip !== undefined && first <= ip && ip <= last)
      issue(`${text} includes nodes[${index}].ip ${node.ip} (${node.name}); pick addresses no node uses`);
  });
}

export function controlPlaneOf(config: LabConfig): NodeConfig {
  const node = config.nodes.find((n) => n.role === 'control-plane');
  if (!node) throw new Error('config has no control-plane node (validated configs always do)');
  return node;
}

export function workersOf(config: LabConfig): NodeConfig[] {
  return config.nodes.filter((n) => n.role === 'worker');
}
