import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FileLabMemory, memoryFileName, memoryPath } from '../../../src/lab/memory.ts';

const dir = mkdtempSync(join(tmpdir(), 'labkit-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab memory', () => {
  test('file names keep safe characters only and stay distinct for distinct targets', () => {
    const a = memoryFileName('service', '/x/inv.yaml#c1');
    const b = memoryFileName('service', '/x/inv.yaml#c1/');
    expect(a).toMatch(/^service-_x_inv\.yaml_c1-[0-9a-f]{8}\.json$/);
    expect(a).not.toBe(b);
    expect(memoryFileName('service', '../../etc/passwd')).not.toContain('/');
    expect(memoryPath('/state', 'service', '$(id)')).toMatch(
      /^\/state\/memory\/service-_id_-[0-9a-f]{8}\.json$/,
    );
  });

  test('values persist across opens; clear forgets them; a corrupt file is a usage error naming it', () => {
    const file = join(dir, 'memory', 'm.json');
    const memory = FileLabMemory.open(file);
    memory.set('deletedPod', "pod-'x'");
    expect(FileLabMemory.open(file).get('deletedPod')).toBe("pod-'x'");
    memory.clear();
    expect(FileLabMemory.open(file).get('deletedPod')).toBeUndefined();
    writeFileSync(file, '{"a": 1}');
    expect(() => FileLabMemory.open(file)).toThrow(
      `${file}: lab memory is not a JSON object of strings; delete it (or run \`lab reset\`) and run the steps again`,
    );
  });
});
