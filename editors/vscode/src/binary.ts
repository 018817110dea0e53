// Finding the iamlens binary. No `vscode` import here, so the unit tests run in
// plain Node with a fake file system.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BINARY_NAME = 'iamlens';

export interface LookupInput {
  /** `iamlens.server.path`, trimmed; empty means "use the default order". */
  readonly configuredPath: string;
  /** The PATH environment variable. */
  readonly pathEnv: string;
  readonly platform: NodeJS.Platform;
  /** The extension's install folder: its `bin/` may hold a bundled binary. */
  readonly extensionPath: string;
  /** First workspace folder, for `${workspaceFolder}` and relative paths. */
  readonly workspaceFolder?: string | undefined;
  readonly homeDir: string;
}

export interface LookupResult {
  /** The first executable candidate, if any. */
  readonly found?: string;
  /** Every path looked at, in order. */
  readonly tried: readonly string[];
}

export type IsExecutable = (file: string) => boolean;

function pathApi(platform: NodeJS.Platform): typeof path.posix {
  return platform === 'win32' ? path.win32 : path.posix;
}

function exeName(name: string, platform: NodeJS.Platform): string {
  return platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? `${name}.exe` : name;
}

function expand(value: string, input: LookupInput): string {
  let out = value;
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = input.homeDir + out.slice(1);
  }
  if (input.workspaceFolder !== undefined) {
    out = out.split('${workspaceFolder}').join(input.workspaceFolder);
  }
  return out;
}

function onPath(name: string, input: LookupInput): string[] {
  const p = pathApi(input.platform);
  const sep = input.platform === 'win32' ? ';' : ':';
  return input.pathEnv
    .split(sep)
    .filter((dir) => dir.length > 0)
    .map((dir) => p.join(dir, exeName(name, input.platform)));
}

/**
 * The paths to try, in order.
 *
 * - `iamlens.server.path` set to a path (it contains a slash): that file only;
 *   relative paths are resolved against the workspace folder.
 * - `iamlens.server.path` set to a bare name: that name on PATH.
 * - not set: `iamlens` on PATH, then `<extension>/bin/iamlens`.
 */
export function candidatePaths(input: LookupInput): string[] {
  const p = pathApi(input.platform);
  if (input.configuredPath !== '') {
    const value = expand(input.configuredPath, input);
    const hasSeparator = value.includes('/') || (input.platform === 'win32' && value.includes('\\'));
    if (!hasSeparator) {
      return onPath(value, input);
    }
    if (p.isAbsolute(value)) {
      return [value];
    }
    const base = input.workspaceFolder ?? input.homeDir;
    return [p.resolve(base, value)];
  }
  return [
    ...onPath(BINARY_NAME, input),
    p.join(input.extensionPath, 'bin', exeName(BINARY_NAME, input.platform)),
  ];
}

export function findServerBinary(input: LookupInput, isExecutable: IsExecutable): LookupResult {
  const tried: string[] = [];
  for (const candidate of candidatePaths(input)) {
    if (tried.includes(candidate)) {
      continue;
    }
    tried.push(candidate);
    if (isExecutable(candidate)) {
      return { found: candidate, tried };
    }
  }
  return { tried };
}

/** A regular file we may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error text shown when no binary was found. */
export function notFoundMessage(input: LookupInput, tried: readonly string[]): string {
  const where = tried.length > 0 ? tried.join(', ') : '(nothing: PATH is empty)';
  const how =
    input.configuredPath !== ''
      ? `Fix "iamlens.server.path" (now "${input.configuredPath}") or clear it to use the default lookup.`
      : 'Install it (go install github.com/iamlens/iamlens/cmd/iamlens@latest) and make sure it is on ' +
        'PATH, or set "iamlens.server.path" to the binary.';
  return `iamlens: the language server binary was not found. Tried: ${where}. ${how}`;
}
