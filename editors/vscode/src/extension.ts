// VS Code client for the copydesk language server: finds the binary, starts
// `copydesk lsp --stdio` for Markdown/MDX files and adds a few commands.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions, ServerOptions,
} from 'vscode-languageclient/node';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('copydesk');
const REMOVE_MARKUP_KIND = vscode.CodeActionKind.Source.append('removeLeftoverMarkup').append('copydesk');
/** The extension's own settings; every other `copydesk.*` setting is a copydesk.toml key for the server. */
const OWN_SETTINGS = new Set(['path', 'trace']);
const BINARY = process.platform === 'win32' ? 'copydesk.exe' : 'copydesk';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

interface ServerBinary {
  path: string;
  /** Where it was found, for the log: the setting, the extension, or PATH. */
  origin: 'copydesk.path' | 'bundled' | 'PATH';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

/** `copydesk.path`, else the binary bundled in a platform-specific .vsix, else `copydesk` on PATH. */
function findServer(context: vscode.ExtensionContext): ServerBinary | string {
  let configured = vscode.workspace.getConfiguration('copydesk').get<string>('path')?.trim();
  if (configured) {
    if (configured.startsWith('~/')) {
      configured = path.join(process.env.HOME ?? '', configured.slice(2));
    } else if (!path.isAbsolute(configured) && vscode.workspace.workspaceFolders?.length) {
      configured = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, configured);
    }
    return isExecutable(configured)
      ? { path: configured, origin: 'copydesk.path' }
      : `The setting copydesk.path points to "${configured}", which is not an executable file.`;
  }
  const bundled = context.asAbsolutePath(path.join('server', BINARY));
  if (process.platform !== 'win32' && fs.existsSync(bundled) && !isExecutable(bundled)) {
    // Some installers drop the executable bit when unpacking the .vsix.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch (error) {
      output.appendLine(`Could not make ${bundled} executable: ${error}`);
    }
  }
  if (isExecutable(bundled)) {
    return { path: bundled, origin: 'bundled' };
  }
  const found = onPath(BINARY);
  if (found) {
    return { path: found, origin: 'PATH' };
  }
  return 'The copydesk language server was not found: this extension has no bundled binary and `copydesk` is not on PATH.';
}

async function reportMissingServer(problem: string): Promise<void> {
  output.appendLine(problem);
  const openSettings = 'Set copydesk.path';
  const showOutput = 'Show output';
  const choice = await vscode.window.showErrorMessage(
    `${problem} Install it (pip install copydesk, npm install -g copydesk or cargo install copydesk; ` +
      'from a clone of the repository: cargo install --path .) or set "copydesk.path" to the binary, ' +
      'then run "copydesk: Restart server".',
    openSettings,
    showOutput,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'copydesk.path');
  } else if (choice === showOutput) {
    output.show(true);
  }
}

/** The `copydesk.*` settings that are copydesk.toml keys, from the manifest (generated from the schema). */
function serverSettingKeys(context: vscode.ExtensionContext): string[] {
  const properties: Record<string, unknown> = context.extension.packageJSON.contributes.configuration.properties;
  return Object.keys(properties)
    .map((name) => name.slice('copydesk.'.length))
    .filter((key) => !OWN_SETTINGS.has(key.split('.')[0]));
}

/**
 * What the server reads from the client: the copydesk.toml keys the user set (it
 * rejects the extension's own settings such as `path`, and an unset key must not
 * override what the site implies); the site's copydesk.toml wins over them.
 */
function serverSettings(context: vscode.ExtensionContext): Record<string, unknown> {
  const configuration = vscode.workspace.getConfiguration('copydesk');
  const settings: Record<string, unknown> = {};
  for (const key of serverSettingKeys(context)) {
    const set = configuration.inspect(key);
    const value = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
    if (value !== undefined) {
      settings[key] = value;
    }
  }
  return settings;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const server = findServer(context);
  if (typeof server === 'string') {
    await reportMissingServer(server);
    return;
  }
  output.appendLine(`Starting ${server.path} (from ${server.origin})`);
  const run = { command: server.path, args: ['lsp', '--stdio'] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'mdx' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    initializationOptions: serverSettings(context),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{md,markdown,mdx}'),
        vscode.workspace.createFileSystemWatcher('**/{copydesk.toml,_config.yml,hugo.toml,config.toml}'),
      ],
    },
    outputChannel: output,
  };
  client = new LanguageClient('copydesk', 'copydesk', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The server failed to start: ${error}`);
    void vscode.window.showErrorMessage(`copydesk: the language server failed to start (${server.path}).`, 'Show output')
      .then((choice) => choice && output.show(true));
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch((error) => output.appendLine(`Stopping the server: ${error}`));
  }
}

/** Applies the server's source action of `kind` (fix-all, remove leftover markup) to the active document. */
async function applySourceAction(kind: vscode.CodeActionKind): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', document.uri, whole, kind.value, 1,
  );
  const action = actions?.find((candidate) => candidate.kind && kind.contains(candidate.kind));
  if (!action) {
    vscode.window.setStatusBarMessage('copydesk: nothing to fix', 3000);
    return;
  }
  if (action.edit) {
    await vscode.workspace.applyEdit(action.edit);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('copydesk');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('copydesk.fixAll', () => applySourceAction(FIX_ALL_KIND)),
    vscode.commands.registerCommand('copydesk.removeLeftoverMarkup', () => applySourceAction(REMOVE_MARKUP_KIND)),
    vscode.commands.registerCommand('copydesk.restart', async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand('copydesk.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('copydesk.path')) {
        await stopClient();
        await startClient(context);
      } else if (serverSettingKeys(context).some((key) => event.affectsConfiguration(`copydesk.${key}`)) && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings(context) });
      }
    }),
    { dispose: () => void stopClient() },
  );
  await startClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
