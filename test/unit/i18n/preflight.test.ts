// Preflight problems and their fixes in Korean: a Korean user name in the Windows profile path is the case
// this course's students meet first.
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../../src/i18n/index.ts';
import { checkWindowsPaths } from '../../../src/preflight/windows.ts';
import { formatPreflight } from '../../../src/up/preflight-phase.ts';
import { fakeHost } from '../../helpers/host-probe.ts';

afterEach(() => setLanguage('en'));

function findings() {
  return checkWindowsPaths({
    host: fakeHost({ platform: 'win32', env: { USERPROFILE: 'C:\\Users\\김민준' } }),
    projectDir: 'C:\\Users\\김민준\\labkit',
  });
}

describe('preflight in Korean', () => {
  test('a non-ASCII profile path: the problem and its fix in Korean, ids and commands unchanged', () => {
    setLanguage('ko');
    const text = formatPreflight(findings());
    expect(text).toContain('실패 vagrant-home: Vagrant 홈 폴더 C:\\Users\\김민준\\.vagrant.d');
    expect(text).toContain('Windows용 Vagrant가 처리하지 못하는 문자가 있습니다');
    expect(text).toContain('     해결: Vagrant에 ASCII 문자로만 된 경로의 폴더를 지정한 뒤');
    expect(text).toContain('`setx VAGRANT_HOME C:\\vagrant.d`');
    expect(text).toContain('실패 project-path: 프로젝트 폴더 C:\\Users\\김민준\\labkit');
  });

  test('in English as before', () => {
    const text = formatPreflight(findings());
    expect(text).toContain("FAIL vagrant-home: Vagrant's home C:\\Users\\김민준\\.vagrant.d");
    expect(text).toContain('     fix: Give Vagrant a folder with an ASCII-only path');
  });
});
