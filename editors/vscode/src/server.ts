// Starts, restarts and configures the iamlens language server.
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { findServerBinary, isExecutableFile, notFoundMessage, type LookupInput, type LookupResult } from './binary';
import {
  didChangeConfigurationParams,
  initializationOptions,
  needsRestart,
  readSettings,
  serverSettings,
  type Settings,
} from './config';

/** JSON and YAML documents, and CloudFormation's `*.template` files whatever their language. */
export const DOCUMENT_SELECTOR = [
  { language: 'json' },
  { language: 'yaml' },
  { pattern: '**/*.template' },
];

const OPEN_SETTINGS = 'Open Settings';
const SHOW_OUTPUT = 'Show Output';

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private settings: Settings;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.OutputChannel,
    private readonly traceOutput: vscode.OutputChannel,
  ) {
    this.settings = this.readSettings();
  }

  /** Reads `iamlens.*` and logs (and shows) values that were ignored. */
  private readSettings(): Settings {
    const { settings, problems } = readSettings(vscode.workspace.getConfiguration('iamlens'));
    if (problems.length > 0) {
      for (const problem of problems) {
        this.output.appendLine(`[settings] ${problem}`);
      }
      void vscode.window.showWarningMessage(`iamlens: ${problems[0]}`, OPEN_SETTINGS).then((pick) => {
        if (pick === OPEN_SETTINGS) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'iamlens');
        }
      });
    }
    return settings;
  }

  lookupInput(): LookupInput {
    return {
      configuredPath: this.settings.serverPath,
      pathEnv: process.env['PATH'] ?? '',
      platform: process.platform,
      extensionPath: this.context.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      homeDir: os.homedir(),
    };
  }

  /** Finds the binary; on failure shows the error (naming every path tried) and returns undefined. */
  resolveBinary(): string | undefined {
    const input = this.lookupInput();
    const result: LookupResult = findServerBinary(input, isExecutableFile);
    if (result.found !== undefined) {
      return result.found;
    }
    const message = notFoundMessage(input, result.tried);
    this.output.appendLine(message);
    void vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_OUTPUT).then((pick) => {
      if (pick === OPEN_SETTINGS) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'iamlens.server.path');
      } else if (pick === SHOW_OUTPUT) {
        this.output.show(true);
      }
    });
    return undefined;
  }

  async start(): Promise<void> {
    const command = this.resolveBinary();
    if (command === undefined) {
      return;
    }
    const args = [...this.settings.serverArgs];
    this.output.appendLine(`Starting ${command} ${args.join(' ')}`);
    // An Executable without `transport` talks over stdio (setting it would add `--stdio`).
    const serverOptions: ServerOptions = { command, args };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      initializationOptions: initializationOptions(this.settings),
      middleware: {
        workspace: {
          // Answer `workspace/configuration` for "iamlens" with the checked settings.
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, i) =>
              item.section === 'iamlens' ? serverSettings(this.settings) : answer[i],
            );
          },
        },
      },
    };
    const client = new LanguageClient('iamlens', 'iamlens', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.output.appendLine(`The server did not start: ${text}`);
      void vscode.window
        .showErrorMessage(`iamlens: the language server (${command}) did not start: ${text}`, SHOW_OUTPUT)
        .then((pick) => pick === SHOW_OUTPUT && this.output.show(true));
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && client.needsStop()) {
      await client.stop();
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    this.settings = this.readSettings();
    await this.start();
  }

  /** Called when any `iamlens.*` setting changed. */
  async onConfigurationChanged(): Promise<void> {
    const before = this.settings;
    const after = this.readSettings();
    if (needsRestart(before, after) || this.client === undefined) {
      await this.restart();
      return;
    }
    this.settings = after;
    if (this.client.isRunning()) {
      await this.client.sendNotification(
        DidChangeConfigurationNotification.type,
        didChangeConfigurationParams(after),
      );
    }
  }

  dispose(): void {
    void this.stop();
  }
}
