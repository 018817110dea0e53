// Entry point: wires the commands and settings to the language server.
import * as vscode from 'vscode';
import { explainActiveFile } from './explain';
import { ServerController } from './server';

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('iamlens');
  const trace = vscode.window.createOutputChannel('iamlens Trace');
  const explainChannel = vscode.window.createOutputChannel('iamlens: Explain');
  const server = new ServerController(context, output, trace);
  controller = server;

  context.subscriptions.push(
    output,
    trace,
    explainChannel,
    vscode.commands.registerCommand('iamlens.restartServer', () => server.restart()),
    vscode.commands.registerCommand('iamlens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('iamlens.explain', () => explainActiveFile(server, explainChannel)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('iamlens')) {
        void server.onConfigurationChanged();
      }
    }),
  );

  await server.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
