import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  didChangeConfigurationParams,
  explainArgs,
  initializationOptions,
  needsRestart,
  readSettings,
  type ConfigSource,
} from '../config';

function source(values: Record<string, unknown>): ConfigSource {
  return { get: (key) => values[key] };
}

test('defaults when nothing is set', () => {
  const { settings, problems } = readSettings(source({}));
  assert.equal(settings.serverPath, '');
  assert.deepEqual(settings.serverArgs, ['serve']);
  assert.deepEqual(settings.rules, {});
  assert.deepEqual(problems, []);
});

test('reads path, args and rules', () => {
  const { settings, problems } = readSettings(
    source({
      'server.path': '  /opt/iamlens/bin/iamlens ',
      'server.args': ['serve', '--log-level=debug'],
      rules: { 'action-resource-mismatch': 'warning', 'no-route-to-s3': 'off' },
    }),
  );
  assert.equal(settings.serverPath, '/opt/iamlens/bin/iamlens');
  assert.deepEqual(settings.serverArgs, ['serve', '--log-level=debug']);
  assert.deepEqual(settings.rules, { 'action-resource-mismatch': 'warning', 'no-route-to-s3': 'off' });
  assert.deepEqual(problems, []);
});

test('drops invalid severities and names them', () => {
  const { settings, problems } = readSettings(
    source({ rules: { good: 'hint', bad: 'fatal', worse: 3 } }),
  );
  assert.deepEqual(settings.rules, { good: 'hint' });
  assert.equal(problems.length, 2);
  assert.match(problems[0] ?? '', /"bad".*"fatal".*off, error, warning, information, hint/);
});

test('falls back on wrongly typed values', () => {
  const { settings, problems } = readSettings(
    source({ 'server.path': 42, 'server.args': 'serve', rules: ['x'] }),
  );
  assert.equal(settings.serverPath, '');
  assert.deepEqual(settings.serverArgs, ['serve']);
  assert.deepEqual(settings.rules, {});
  assert.equal(problems.length, 3);
});

test('initializationOptions and didChangeConfiguration carry the rules under "iamlens"', () => {
  const { settings } = readSettings(source({ rules: { 'action-resource-mismatch': 'error' } }));
  assert.deepEqual(initializationOptions(settings), {
    iamlens: { rules: { 'action-resource-mismatch': 'error' } },
  });
  assert.deepEqual(didChangeConfigurationParams(settings), {
    settings: { iamlens: { rules: { 'action-resource-mismatch': 'error' } } },
  });
});

test('only path and args changes need a restart', () => {
  const base = readSettings(source({})).settings;
  assert.equal(needsRestart(base, readSettings(source({ rules: { a: 'off' } })).settings), false);
  assert.equal(needsRestart(base, readSettings(source({ 'server.path': '/x/iamlens' })).settings), true);
  assert.equal(needsRestart(base, readSettings(source({ 'server.args': ['serve', '-v'] })).settings), true);
  assert.equal(needsRestart(base, readSettings(source({ 'server.args': ['lsp'] })).settings), true);
});

test('explain runs the text report on the file', () => {
  assert.deepEqual(explainArgs('/w/template.yaml'), ['explain', '--format', 'text', '/w/template.yaml']);
});
