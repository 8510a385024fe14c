// Starts a simulated kube-apiserver in this process: the live cluster from its state file, HTTPS with the
// cluster's serving certificate, client certificates checked against the cluster CA.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Kubelet } from '../kubelet/kubelet.ts';
import type { NodeHosts } from '../kubelet/nodes.ts';
import type { KubeletRuntime } from '../kubelet/runtime-port.ts';
import { Proxier } from '../proxy/proxier.ts';
import { LiveCluster } from './live-cluster.ts';
import { pkiFiles, readPki } from './pki.ts';
import { podStreamUpgrade } from './pod-streams.ts';
import { decodeProtobufBody } from './protobuf/index.ts';
import { ApiServer } from './server.ts';

export interface ListenOptions {
  readonly stateFile: string;
  readonly pkiDir: string;
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly now?: () => number;
  /** The nodes' kubelet: where the nodes live and the container runtime (in-process tests give it an
   *  in-memory runtime, test/helpers/fake-runtime.ts). */
  readonly kubelet: {
    readonly hosts: NodeHosts;
    readonly runtime: KubeletRuntime;
    /** Also run kube-proxy: rules and routes in the nodes' network namespaces (root; off with a fake
     *  runtime, whose nodes have no namespace). */
    readonly proxy?: boolean;
  };
}

export interface RunningApiServer {
  readonly port: number;
  readonly cluster: LiveCluster;
  readonly server: Server;
  /** Stops serving and saves the state. */
  close(): Promise<void>;
}

export async function listenApiServer(options: ListenOptions): Promise<RunningApiServer> {
  const pem = await readPki(pkiFiles(options.pkiDir));
  const cluster = await LiveCluster.open(options.stateFile, options.now);
  await cluster.attachKubelet(
    new Kubelet(cluster, {
      cluster: options.kubelet.hosts.cluster,
      nodes: options.kubelet.hosts.nodes,
      runtime: options.kubelet.runtime,
      log: (line) => process.stderr.write(`${line}\n`),
    }),
  );
  if (options.kubelet.proxy) {
    const { hosts } = options.kubelet;
    cluster.attachProxier(
      new Proxier({
        nodes: hosts.nodes.map((n) => ({ name: n.name, address: n.address, netns: n.netns })),
        ...(hosts.gateway ? { gateway: hosts.gateway } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      }),
    );
  }
  cluster.start();
  let port = options.port;
  const authenticate = (req: IncomingMessage): boolean => (req.socket as TLSSocket).authorized;
  const api = new ApiServer({
    cluster,
    serverAddress: `${options.address}:${options.port}`,
    authenticate,
    decodeProtobuf: decodeProtobufBody,
  });
  const server = createServer(
    {
      cert: pem.serverCert,
      key: pem.serverKey,
      ca: pem.caCert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    api.handle,
  );
  server.on('upgrade', podStreamUpgrade(cluster, authenticate));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.address, resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    cluster,
    server,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await cluster.stop();
    },
  };
}
