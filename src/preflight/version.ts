// Dotted versions as the tools print them (`Vagrant 2.4.1`, `7.1.4r165100`), compared numerically.

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** `7.1` of 7.1.4: the part VirtualBox releases and Vagrant's driver map are keyed by. */
export function minorOf(v: Version): string {
  return `${v.major}.${v.minor}`;
}
