// The contract between the simulated kube-apiserver and the exec/attach streams it serves.
//
//   server                                   streams/
//   ------                                   --------
//   parseStreamRequest(url) ───────────────▶ StreamRequest (which pod, container, command, stdin/tty)
//   looks the pod up; answers 404/400 itself
//   handleStreamUpgrade(req, socket, head,   WebSocket upgrade (v5.channel.k8s.io), channel framing,
//     target: StreamTarget) ───────────────▶ resize, stdin close, the exit Status on channel 3
//   target.open() ◀──────────────────────── called once the upgrade succeeded
//
// A PodProcess is "a process in a container" as a container runtime gives it to the kubelet: stdin to
// write, stdout/stderr to read, a terminal size, an exit: a real Linux process in the pod's namespaces,
// with a real pty under a terminal (src/sim/runtime exec/attach, reached through src/sim/kubelet).
import type { Readable, Writable } from 'node:stream';

/** A terminal's size in character cells (the JSON kubectl sends on the resize channel). */
export interface TerminalSize {
  readonly width: number;
  readonly height: number;
}

export interface StartOptions {
  /** Run under a terminal: one output stream (stderr merged into stdout), a line discipline, resize. */
  readonly tty: boolean;
  /** Whether the caller attaches stdin; without it stdin reads as closed (EOF) at once. */
  readonly stdin: boolean;
  /** Extra environment on top of the container's own (exec adds none today; a real runtime may). */
  readonly env?: readonly (readonly [string, string])[];
  /** The terminal's first size when `tty` (kubectl sends it as the first resize message). */
  readonly size?: TerminalSize;
}

/** How a process ended: an exit code (0-255), or, killed by a signal, 128 + its number and its name. */
export interface ProcessExit {
  readonly code: number;
  readonly signal?: NodeJS.Signals;
}

export interface PodProcess {
  /** The process's stdin. `end()` is the client closing stdin (EOF; a terminal's Ctrl-D). */
  readonly stdin: Writable;
  /** The process's stdout; under a TTY the terminal's whole output (echo, prompt, stderr). */
  readonly stdout: Readable;
  /** The process's stderr; under a TTY it ends without data (a pty has one output). */
  readonly stderr: Readable;
  /** The terminal was resized (ignored without a TTY). */
  resize(size: TerminalSize): void;
  /** Resolves once the process has exited; by then stdout and stderr are ended (everything written is
   *  buffered in them, so a reader waits for their 'end' before reporting the exit). Never rejects. */
  readonly exit: Promise<ProcessExit>;
  /** Ends the process (SIGKILL semantics: exit resolves with code 137). Idempotent. */
  kill(): void;
}

/** Thrown (rejected) by a runtime when a command cannot start, e.g. its executable is not in the image.
 *  `message` is the runtime's own text, as containerd words it; the stream reports it on the error
 *  channel as kube-apiserver does ("Internal error occurred: error executing command in container: …"). */
export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

/** Starts processes in one container (the kubelet's view of a container runtime). */
export interface ContainerRuntime {
  start(command: readonly string[], options: StartOptions): Promise<PodProcess>;
}

/** What an exec or attach URL asks for (query parameters as kubectl 1.33 sends them). */
export interface StreamRequest {
  readonly kind: 'exec' | 'attach';
  readonly namespace: string;
  readonly pod: string;
  /** `container=`; undefined when absent (the server picks the pod's default container). */
  readonly container: string | undefined;
  /** exec's `command=` parameters in order (empty for attach). */
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** What the server hands the stream once it has found the pod and container. */
export interface StreamTarget {
  readonly request: StreamRequest;
  /** exec: start `request.command` (reject with ProcessStartError when it cannot start); attach: the
   *  container's running main process. Called once, after the WebSocket upgrade. */
  open(): Promise<PodProcess>;
  /** true for exec (the stream ending kills the process, as a closed pty does); false for attach (the
   *  container keeps running when the client detaches). */
  readonly ownsProcess: boolean;
}
