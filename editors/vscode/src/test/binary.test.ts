import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  candidatePaths,
  findServerBinary,
  isExecutableFile,
  notFoundMessage,
  type LookupInput,
} from '../binary';

const base: LookupInput = {
  configuredPath: '',
  pathEnv: '/usr/local/bin:/usr/bin',
  platform: 'linux',
  extensionPath: '/ext/iamlens',
  workspaceFolder: '/work/project',
  homeDir: '/home/me',
};

test('default order: PATH entries, then the bundled bin/', () => {
  assert.deepEqual(candidatePaths(base), [
    '/usr/local/bin/iamlens',
    '/usr/bin/iamlens',
    '/ext/iamlens/bin/iamlens',
  ]);
});

test('empty PATH entries are skipped', () => {
  assert.deepEqual(candidatePaths({ ...base, pathEnv: ':/a::' }), ['/a/iamlens', '/ext/iamlens/bin/iamlens']);
});

test('first executable candidate wins', () => {
  const exists = new Set(['/usr/bin/iamlens', '/ext/iamlens/bin/iamlens']);
  const result = findServerBinary(base, (p) => exists.has(p));
  assert.equal(result.found, '/usr/bin/iamlens');
  assert.deepEqual(result.tried, ['/usr/local/bin/iamlens', '/usr/bin/iamlens']);
});

test('bundled binary is the fallback', () => {
  const result = findServerBinary(base, (p) => p === '/ext/iamlens/bin/iamlens');
  assert.equal(result.found, '/ext/iamlens/bin/iamlens');
  assert.equal(result.tried.length, 3);
});

test('a configured absolute path is the only candidate', () => {
  const input = { ...base, configuredPath: '/opt/iamlens' };
  assert.deepEqual(candidatePaths(input), ['/opt/iamlens']);
  const result = findServerBinary(input, () => false);
  assert.equal(result.found, undefined);
  assert.deepEqual(result.tried, ['/opt/iamlens']);
});

test('configured paths expand ~ and ${workspaceFolder}, relative ones resolve in the workspace', () => {
  assert.deepEqual(candidatePaths({ ...base, configuredPath: '~/go/bin/iamlens' }), ['/home/me/go/bin/iamlens']);
  assert.deepEqual(candidatePaths({ ...base, configuredPath: '${workspaceFolder}/bin/iamlens' }), [
    '/work/project/bin/iamlens',
  ]);
  assert.deepEqual(candidatePaths({ ...base, configuredPath: './bin/iamlens' }), ['/work/project/bin/iamlens']);
});

test('a configured bare name is looked up on PATH only', () => {
  assert.deepEqual(candidatePaths({ ...base, configuredPath: 'iamlens-dev' }), [
    '/usr/local/bin/iamlens-dev',
    '/usr/bin/iamlens-dev',
  ]);
});

test('windows: PATH uses ";" and names get .exe', () => {
  const input: LookupInput = {
    ...base,
    platform: 'win32',
    pathEnv: 'C:\\tools;C:\\go\\bin',
    extensionPath: 'C:\\ext',
    workspaceFolder: 'C:\\w',
    homeDir: 'C:\\Users\\me',
  };
  assert.deepEqual(candidatePaths(input), ['C:\\tools\\iamlens.exe', 'C:\\go\\bin\\iamlens.exe', 'C:\\ext\\bin\\iamlens.exe']);
});

test('the not-found message names every path tried and what to do', () => {
  const tried = ['/usr/local/bin/iamlens', '/usr/bin/iamlens', '/ext/iamlens/bin/iamlens'];
  const message = notFoundMessage(base, tried);
  for (const p of tried) {
    assert.ok(message.includes(p), `missing ${p} in: ${message}`);
  }
  assert.match(message, /iamlens\.server\.path/);
  assert.match(notFoundMessage({ ...base, configuredPath: '/nope' }, ['/nope']), /now "\/nope"/);
});

test('isExecutableFile: only executable regular files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iamlens-bin-'));
  try {
    const exe = path.join(dir, 'iamlens');
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(plain, 'x', { mode: 0o644 });
    assert.equal(isExecutableFile(exe), true);
    assert.equal(isExecutableFile(dir), false);
    assert.equal(isExecutableFile(path.join(dir, 'missing')), false);
    assert.equal(isExecutableFile(plain), false); // root too: X_OK needs an execute bit
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
