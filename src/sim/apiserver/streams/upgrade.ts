// The entry point for the server: upgrade an exec/attach request to a v5.channel.k8s.io WebSocket and run
// the stream session on it, or refuse with a Status. kubectl 1.33 tries WebSocket first and, on any
// refused upgrade, retries over SPDY (client-go tools/remotecommand/fallback.go), which this server does
// not speak: so an error about the pod (404, 400) is answered the same to both attempts, and kubectl
// prints the second answer's Status as `Error from server (NotFound): …`.
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { PROTOCOL_V5 } from './channels.ts';
import { parseStreamRequest, StreamRequestError } from './request.ts';
import { runStreamSession } from './session.ts';
import { failureStatus, type Status } from './status.ts';
import type { StreamRequest, StreamTarget } from './types.ts';

const server = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has(PROTOCOL_V5) ? PROTOCOL_V5 : false),
});

/** Answers an upgrade request with an HTTP error carrying `status` as JSON, and closes the socket. */
export function rejectStreamUpgrade(socket: Duplex, status: Status): void {
  const code = status.code ?? 500;
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The exec/attach stream an upgrade request asks for; undefined once it has been answered with 400 (a bad
 *  query, in kube-apiserver's words) or 404 (not an exec or attach path). */
export function streamRequestOrReject(req: IncomingMessage, socket: Duplex): StreamRequest | undefined {
  let request: StreamRequest | undefined;
  try {
    request = parseStreamRequest(req.url ?? '/');
  } catch (error) {
    if (!(error instanceof StreamRequestError)) throw error;
    rejectStreamUpgrade(socket, failureStatus(400, 'BadRequest', error.message));
    return undefined;
  }
  if (!request)
    rejectStreamUpgrade(
      socket,
      failureStatus(404, 'NotFound', 'the server could not find the requested resource'),
    );
  return request;
}

/** Why this upgrade request cannot become a v5 stream, or undefined when it can. */
export function upgradeProblem(req: IncomingMessage): Status | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade !== 'websocket')
    return failureStatus(
      400,
      'BadRequest',
      `the simulated API server streams exec/attach over WebSocket (${PROTOCOL_V5}) only, not ${req.headers.upgrade ?? 'a plain request'}; use kubectl 1.30 or newer`,
    );
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(PROTOCOL_V5))
    return failureStatus(
      400,
      'BadRequest',
      `unsupported streaming protocol (offered: ${offered.filter(Boolean).join(', ') || 'none'}); the simulated API server speaks ${PROTOCOL_V5}`,
    );
  return undefined;
}

/** Call from the HTTP(S) server's 'upgrade' event once the pod and container are found. */
export function handleStreamUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: StreamTarget,
): void {
  const problem = upgradeProblem(req);
  if (problem) return rejectStreamUpgrade(socket, problem);
  server.handleUpgrade(req, socket, head, (ws) => runStreamSession(ws, target));
}
