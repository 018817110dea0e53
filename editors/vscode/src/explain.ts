// "iamlens: Explain Access": runs `iamlens explain --format text <file>` on the
// active editor's file and shows the report in the "iamlens: Explain" output.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainArgs } from './config';
import type { ServerController } from './server';

const TIMEOUT_MS = 60_000;

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { cwd, timeout: TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : null;
        const reason = error.killed ? `timed out after ${TIMEOUT_MS / 1000} s` : error.message;
        resolve({ code, stdout, stderr, error: reason });
      },
    );
  });
}

export async function explainActiveFile(
  controller: ServerController,
  channel: vscode.OutputChannel,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage(
      'iamlens: open a template or policy file, then run "iamlens: Explain Access" again.',
    );
    return;
  }
  const doc = editor.document;
  if (doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(
      'iamlens: "Explain Access" reads the file from disk. Save this document to a file first.',
    );
    return;
  }
  if (doc.isDirty && !(await doc.save())) {
    void vscode.window.showWarningMessage('iamlens: could not save the file, so there is nothing to explain yet.');
    return;
  }
  const binary = controller.resolveBinary();
  if (binary === undefined) {
    return;
  }
  const file = doc.uri.fsPath;
  const args = explainArgs(file);
  const cwd = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? path.dirname(file);

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `iamlens: explaining ${path.basename(file)}` },
    () => run(binary, args, cwd),
  );

  channel.clear();
  channel.appendLine(`$ ${binary} ${args.join(' ')}`);
  channel.appendLine('');
  channel.append(result.stdout);
  if (result.stderr.trim() !== '') {
    channel.appendLine('');
    channel.appendLine('--- stderr ---');
    channel.append(result.stderr);
  }
  channel.show(true);

  if (result.error !== undefined && result.stdout.trim() === '') {
    const first = result.stderr.trim().split('\n')[0] ?? '';
    void vscode.window.showErrorMessage(
      `iamlens explain failed (${result.code === null ? result.error : `exit code ${result.code}`})` +
        (first !== '' ? `: ${first}` : '.') +
        ' The full output is in "iamlens: Explain".',
    );
  }
}
