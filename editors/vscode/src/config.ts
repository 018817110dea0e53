// Reading the extension's settings and turning them into what the server
// expects. No `vscode` import here, so the unit tests run in plain Node.

export const RULE_SEVERITIES = ['off', 'error', 'warning', 'information', 'hint'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

export const DEFAULT_SERVER_ARGS: readonly string[] = ['serve'];

export interface Settings {
  /** `iamlens.server.path` as written by the user; empty means "look it up". */
  readonly serverPath: string;
  readonly serverArgs: readonly string[];
  readonly rules: Readonly<Record<string, RuleSeverity>>;
}

/** The part of a `WorkspaceConfiguration` (section "iamlens") that we use. */
export interface ConfigSource {
  get(key: string): unknown;
}

export interface ReadResult {
  readonly settings: Settings;
  /** Human-readable notes about values that were ignored. */
  readonly problems: readonly string[];
}

function isSeverity(value: unknown): value is RuleSeverity {
  return typeof value === 'string' && (RULE_SEVERITIES as readonly string[]).includes(value);
}

export function readSettings(source: ConfigSource): ReadResult {
  const problems: string[] = [];

  const rawPath = source.get('server.path');
  let serverPath = '';
  if (typeof rawPath === 'string') {
    serverPath = rawPath.trim();
  } else if (rawPath !== undefined && rawPath !== null) {
    problems.push('"iamlens.server.path" must be a string; using the default lookup.');
  }

  const rawArgs = source.get('server.args');
  let serverArgs: readonly string[] = DEFAULT_SERVER_ARGS;
  if (Array.isArray(rawArgs) && rawArgs.every((a) => typeof a === 'string')) {
    serverArgs = rawArgs as string[];
  } else if (rawArgs !== undefined && rawArgs !== null) {
    problems.push('"iamlens.server.args" must be a list of strings; using ["serve"].');
  }

  const rules: Record<string, RuleSeverity> = {};
  const rawRules = source.get('rules');
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== 'object' || Array.isArray(rawRules)) {
      problems.push('"iamlens.rules" must be an object of rule id to severity; ignored.');
    } else {
      for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
        if (isSeverity(value)) {
          rules[id] = value;
        } else {
          problems.push(
            `"iamlens.rules": rule "${id}" has severity ${JSON.stringify(value)}; ` +
              `expected one of ${RULE_SEVERITIES.join(', ')}. The rule keeps its default.`,
          );
        }
      }
    }
  }

  return { settings: { serverPath, serverArgs, rules }, problems };
}

/** The settings the server reads, under the "iamlens" key. */
export interface ServerSettings {
  readonly rules: Readonly<Record<string, RuleSeverity>>;
}

export function serverSettings(settings: Settings): ServerSettings {
  return { rules: { ...settings.rules } };
}

/** `initialize` params `initializationOptions`. */
export function initializationOptions(settings: Settings): { iamlens: ServerSettings } {
  return { iamlens: serverSettings(settings) };
}

/** `workspace/didChangeConfiguration` params. */
export function didChangeConfigurationParams(settings: Settings): {
  settings: { iamlens: ServerSettings };
} {
  return { settings: { iamlens: serverSettings(settings) } };
}

/** Whether a settings change needs a new server process (vs. a notification). */
export function needsRestart(before: Settings, after: Settings): boolean {
  return (
    before.serverPath !== after.serverPath ||
    before.serverArgs.length !== after.serverArgs.length ||
    before.serverArgs.some((arg, i) => arg !== after.serverArgs[i])
  );
}

/** Arguments of `iamlens explain` for one file. */
export function explainArgs(file: string): string[] {
  return ['explain', '--format', 'text', file];
}
