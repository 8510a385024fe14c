// The API credentials of the cluster DNS: the current context's server and inline certificates of a
// kubeconfig (the cluster's admin.conf; a real CoreDNS uses its service account instead, which the
// simulated apiserver does not issue). Only the data fields kubeadm writes are read.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const KubeconfigSchema = z.looseObject({
  'current-context': z.string(),
  contexts: z.array(
    z.looseObject({ name: z.string(), context: z.looseObject({ cluster: z.string(), user: z.string() }) }),
  ),
  clusters: z.array(
    z.looseObject({
      name: z.string(),
      cluster: z.looseObject({ server: z.string(), 'certificate-authority-data': z.string() }),
    }),
  ),
  users: z.array(
    z.looseObject({
      name: z.string(),
      user: z.looseObject({ 'client-certificate-data': z.string(), 'client-key-data': z.string() }),
    }),
  ),
});

export interface ApiCredentials {
  /** https://<host>:<port> */
  readonly server: URL;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

const unbase64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

export function parseKubeconfig(text: string, source: string): ApiCredentials {
  const parsed = KubeconfigSchema.safeParse(parse(text));
  if (!parsed.success)
    throw new Error(
      `${source}: not a kubeconfig with inline certificates (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  const config = parsed.data;
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context?.user)?.user;
  if (!context || !cluster || !user)
    throw new Error(`${source}: current context "${config['current-context']}" names no cluster or user`);
  const server = new URL(cluster.server);
  if (server.protocol !== 'https:') throw new Error(`${source}: the server ${cluster.server} is not https`);
  return {
    server,
    ca: unbase64(cluster['certificate-authority-data']),
    cert: unbase64(user['client-certificate-data']),
    key: unbase64(user['client-key-data']),
  };
}

export async function readKubeconfig(path: string): Promise<ApiCredentials> {
  return parseKubeconfig(await readFile(path, 'utf8'), path);
}
