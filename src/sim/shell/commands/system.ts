// Process and system commands of a busybox pod: env, printenv, hostname, ip, sleep, test, exit, export,
// true/false.
import { ExitSignal, type CommandFn } from '../session.ts';

const env: CommandFn = async (_args, io, session) => {
  io.out.write(
    session
      .environment()
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return 0;
};

const printenv: CommandFn = async (args, io, session) => {
  if (args.length === 0) return env(args, io, session);
  const vars = new Map(session.environment());
  let status = 0;
  for (const name of args) {
    const v = vars.get(name);
    if (v === undefined) status = 1;
    else io.out.write(`${v}\n`);
  }
  return status;
};

const hostname: CommandFn = async (args, io, session) => {
  io.out.write(args.includes('-i') ? `${session.pod.ip}\n` : `${session.pod.name}\n`);
  return 0;
};

function ipAddr(pod: { ip: string; mac: string; peerIndex: number }): string {
  return [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '    inet 127.0.0.1/8 scope host lo',
    '       valid_lft forever preferred_lft forever',
    '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop qlen 1000',
    '    link/ipip 0.0.0.0 brd 0.0.0.0',
    `4: eth0@if${pod.peerIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1480 qdisc noqueue qlen 1000`,
    `    link/ether ${pod.mac} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${pod.ip}/32 scope global eth0`,
    '       valid_lft forever preferred_lft forever',
    '',
  ].join('\n');
}

const ip: CommandFn = async (args, io, session) => {
  const [object, verb] = args;
  if (
    object !== undefined &&
    /^a(d(dr?)?)?$/.test(object) &&
    (verb === undefined || verb === 'show' || verb === 'list')
  ) {
    io.out.write(ipAddr(session.pod));
    return 0;
  }
  if (object !== undefined && /^r(o(u(te?)?)?)?$/.test(object)) {
    io.out.write('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    return 0;
  }
  io.err.write(`ip: unsupported by the simulated pod: ip ${args.join(' ')}\n`);
  return 1;
};

const sleep: CommandFn = async (args, io, session) => {
  const seconds = Number(args[0]);
  if (args.length === 0 || !Number.isFinite(seconds) || seconds < 0) {
    io.err.write(`sleep: invalid number '${args[0] ?? ''}'\n`);
    return 1;
  }
  session.virtualMs += seconds * 1000;
  await session.pod.wait(seconds, 'sleep');
  return 0;
};

function evalTest(args: string[]): boolean {
  if (args.length === 0) return false;
  if (args[0] === '!') return !evalTest(args.slice(1));
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, v = ''] = args;
    if (op === '-z') return v === '';
    if (op === '-n') return v !== '';
    return false;
  }
  const [a = '', op, b = ''] = args;
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '-eq':
      return na === nb;
    case '-ne':
      return na !== nb;
    case '-lt':
      return na < nb;
    case '-le':
      return na <= nb;
    case '-gt':
      return na > nb;
    case '-ge':
      return na >= nb;
    default:
      return false;
  }
}

const test: CommandFn = async (args) => (evalTest(args) ? 0 : 1);
const bracket: CommandFn = async (args, io) => {
  if (args[args.length - 1] !== ']') {
    io.err.write('[: missing ]\n');
    return 2;
  }
  return evalTest(args.slice(0, -1)) ? 0 : 1;
};

const exit: CommandFn = async (args, _io, session) => {
  throw new ExitSignal(args[0] === undefined ? session.status : Number.parseInt(args[0], 10) & 255);
};

const exportCmd: CommandFn = async (args, _io, session) => {
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (eq >= 0) session.vars.set(name, a.slice(eq + 1));
    session.exported.add(name);
  }
  return 0;
};

const unset: CommandFn = async (args, _io, session) => {
  for (const a of args) {
    session.vars.delete(a);
    session.exported.delete(a);
  }
  return 0;
};

const whoami: CommandFn = async (_a, io) => {
  io.out.write('root\n');
  return 0;
};

const date: CommandFn = async (_a, io, session) => {
  const d = new Date(Date.now() + session.virtualMs);
  io.out.write(`${d.toUTCString().replace(/GMT$/, 'UTC')}\n`);
  return 0;
};

export const systemCommands: Record<string, CommandFn> = {
  env,
  printenv,
  hostname,
  ip,
  sleep,
  test,
  '[': bracket,
  exit,
  export: exportCmd,
  unset,
  whoami,
  date,
  true: async () => 0,
  false: async () => 1,
  ':': async () => 0,
};
