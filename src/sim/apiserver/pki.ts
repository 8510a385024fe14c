// The cluster's PKI as kubeadm lays it out (pki/ca.crt, pki/apiserver.crt, the kubernetes-admin client
// certificate of admin.conf), made with the openssl CLI (argv arrays, no shell). Keys are RSA 2048 and
// certificates SHA-256, as kubeadm's defaults; the CA lives 10 years, the leaf certificates 1 year.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface PkiFiles {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
  };
}

export interface PkiOptions {
  /** The apiserver's addresses: the master's address and the `kubernetes` service's ClusterIP. */
  readonly ips: readonly string[];
  /** The master's hostname (kubeadm adds it to the serving certificate). */
  readonly hostname: string;
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** kubeadm's apiserver SANs: the kubernetes service names, the node name, the addresses. */
export function apiserverSans(options: PkiOptions): string[] {
  for (const ip of options.ips)
    if (isIP(ip) !== 4) throw new Error(`apiserver certificate: "${ip}" is not an IPv4 address`);
  if (!DNS_NAME.test(options.hostname))
    throw new Error(`apiserver certificate: "${options.hostname}" is not a DNS name`);
  return [
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    `DNS:${options.hostname}`,
    ...options.ips.map((ip) => `IP:${ip}`),
  ];
}

async function openssl(args: readonly string[]): Promise<void> {
  await execa('openssl', args, { timeout: 30_000, stdin: 'ignore' });
}

async function newKey(file: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file]);
}

async function signLeaf(
  files: PkiFiles,
  key: string,
  cert: string,
  subject: string,
  extensions: string,
): Promise<void> {
  const csr = `${cert}.csr`;
  const ext = `${cert}.ext`;
  await writeFile(ext, extensions);
  try {
    await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      files.caCert,
      '-CAkey',
      files.caKey,
      '-set_serial',
      `0x1${randomBytes(15).toString('hex')}`,
      '-days',
      '365',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
  } finally {
    await rm(csr, { force: true });
    await rm(ext, { force: true });
  }
}

/** Creates a fresh CA, serving certificate and admin client certificate in `dir` (mode 0700). */
export async function createClusterPki(dir: string, options: PkiOptions): Promise<PkiFiles> {
  const files = pkiFiles(dir);
  const sans = apiserverSans(options);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await Promise.all([newKey(files.caKey), newKey(files.serverKey), newKey(files.adminKey)]);
  await openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    files.caKey,
    '-subj',
    '/CN=kubernetes',
    '-days',
    '3650',
    '-sha256',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
    '-out',
    files.caCert,
  ]);
  await signLeaf(
    files,
    files.serverKey,
    files.serverCert,
    '/CN=kube-apiserver',
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`,
  );
  await signLeaf(
    files,
    files.adminKey,
    files.adminCert,
    '/O=system:masters/CN=kubernetes-admin',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  return files;
}

export interface PkiPem {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
}

export async function readPki(files: PkiFiles): Promise<PkiPem> {
  const [caCert, serverCert, serverKey, adminCert, adminKey] = await Promise.all(
    [files.caCert, files.serverCert, files.serverKey, files.adminCert, files.adminKey].map((f) =>
      readFile(f, 'utf8'),
    ),
  );
  return {
    caCert: caCert ?? '',
    serverCert: serverCert ?? '',
    serverKey: serverKey ?? '',
    adminCert: adminCert ?? '',
    adminKey: adminKey ?? '',
  };
}
