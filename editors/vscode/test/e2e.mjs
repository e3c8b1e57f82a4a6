// End-to-end test of the copydesk VS Code extension in a real VS Code
// (code-server, headless Chromium driven by playwright-core).
//
//   node test/e2e.mjs --vsix copydesk-linux-x64.vsix [--site DIR] [--code-server BIN]
//
// Installs the .vsix into a fresh code-server profile, opens a scratch copy of
// the site, and checks through the UI: Problems panel (codes, UTF-16 columns on
// a CJK line, each problem once), a quick fix picked from the Problems panel
// (VS Code offers there only the fixes whose `diagnostics` name that problem),
// fix-all on save (editor.codeActionsOnSave), the "Fix all in file" command and
// completion inside `categories:`. Screenshots go to images/.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.dirname(here);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const vsix = path.resolve(args.vsix ?? path.join(extensionDir, 'copydesk-linux-x64.vsix'));
const siteSource = path.resolve(args.site ?? path.join(extensionDir, '../test-fixtures/hexo-site'));
const codeServer = args['code-server'] ?? process.env.CODE_SERVER
  ?? path.join(os.homedir(), '.cache/copydesk-editors/cs/node_modules/.bin/code-server');
const imagesDir = path.join(extensionDir, 'images');
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

let passed = 0;
let failed = 0;
function check(condition, what, detail) {
  if (condition) {
    passed += 1;
    console.error(`ok    ${what}`);
  } else {
    failed += 1;
    console.error(`FAIL  ${what}${detail === undefined ? '' : `\n      ${detail}`}`);
  }
  return condition;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, probe, timeoutMs = 30000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(intervalMs);
  }
  console.error(`      (gave up waiting for ${what})`);
  return last;
}

// A scratch profile and a scratch copy of the site: the test edits and saves posts.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-vscode-'));
const site = path.join(scratch, 'site');
fs.cpSync(siteSource, site, { recursive: true });
const userData = path.join(scratch, 'user-data');
const extensions = path.join(scratch, 'extensions');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'files.autoSave': 'off',
  'editor.codeActionsOnSave': { 'source.fixAll.copydesk': 'explicit' },
  'copydesk.trace.server': 'messages',
  'copydesk.rules': { MK004: 'error' },
}, null, 2));
const configFile = path.join(scratch, 'config.yaml');
fs.writeFileSync(configFile, 'auth: none\n');
const commonFlags = ['--config', configFile, '--user-data-dir', userData, '--extensions-dir', extensions];

const post = (name) => path.join(site, 'source/_posts', name);
const marketText = fs.readFileSync(post('market-notes.md'), 'utf8');
const marketLines = marketText.split('\n');
const comment = '<!-- 正文下iframe -->';
const cjkLine = marketLines.findIndex((line) => line.includes(comment));
const attribute = 'data-sudaclick="news_p1"';
const attributeLine = marketLines.findIndex((line) => line.includes(attribute));
// JavaScript string indices are UTF-16 code units, like VS Code's columns.
const commentColumn = marketLines[cjkLine].indexOf(comment) + 1;
const attributeColumn = marketLines[attributeLine].indexOf(attribute) + 1;

let server;
let context;
let page;
async function main() {
  const installStart = Date.now();
  execFileSync(codeServer, [...commonFlags, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'inherit'] });
  const installed = fs.readdirSync(extensions).find((dir) => dir.startsWith('copydesk.copydesk-'));
  check(installed, `code-server --install-extension installs the .vsix (${Date.now() - installStart} ms)`, fs.readdirSync(extensions).join(', '));
  const bundled = installed && path.join(extensions, installed, 'server/copydesk');
  if (bundled && fs.existsSync(bundled)) {
    console.error(`      bundled server mode ${(fs.statSync(bundled).mode & 0o777).toString(8)}`);
  }

  server = spawn(codeServer, [
    ...commonFlags, '--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', site,
  ], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let serverLog = '';
  server.stdout.on('data', (data) => { serverLog += data; });
  server.stderr.on('data', (data) => { serverLog += data; });
  const url = await until('code-server to listen', () => serverLog.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1], 60000);
  if (!check(url, 'code-server listens on 127.0.0.1', serverLog)) return;

  const profile = path.join(scratch, 'chromium');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => console.error(`      page error: ${error.message}`));
  await page.goto(`${url}/?folder=${encodeURIComponent(site)}`);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });

  const quickOpen = async (name) => {
    await page.keyboard.press(`${mod}+P`);
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
    await page.keyboard.type(name);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`, { timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 15000 });
    await page.click('.editor-group-container.active .monaco-editor .view-lines');
  };
  const editorLines = () => page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line',
    (lines) => lines
      .map((line) => ({ top: parseFloat(line.style.top), text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text));
  const problemRows = () => page.$$eval('.markers-panel .monaco-list-row',
    (rows) => rows.map((row) => row.textContent.replace(/\u00a0/g, ' ')));
  const runCommand = async (title) => {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15000 });
    await page.keyboard.press('Enter');
  };

  // 1. Diagnostics in the Problems panel.
  await quickOpen('market-notes.md');
  await page.keyboard.press(`${mod}+Shift+M`);
  const rows = await until('copydesk problems', async () => {
    const all = await problemRows();
    return all.some((row) => row.includes('MK001')) && all.some((row) => row.includes('MK004')) ? all : null;
  }, 60000);
  check(rows, 'Problems panel lists MK001 and MK004 for the post', JSON.stringify(await problemRows()));
  await sleep(2000); // a pushed copy of the same problems would show up by now
  const settled = await problemRows();
  console.error(`      problems: ${JSON.stringify(settled)}`);
  const mk001Rows = settled.filter((row) => row.includes('MK001'));
  const mk004Rows = settled.filter((row) => row.includes('MK004'));
  check(mk001Rows.length === 1, 'MK001 is shown once', JSON.stringify(mk001Rows));
  check(mk004Rows.length === 1, 'MK004 is shown once', JSON.stringify(mk004Rows));
  const copydeskRows = settled.filter((row) => /copydesk/.test(row));
  check(new Set(copydeskRows).size === copydeskRows.length, 'no problem is listed twice', JSON.stringify(copydeskRows));
  check(mk001Rows[0]?.includes(`[Ln ${cjkLine + 1}, Col ${commentColumn}]`),
    `MK001 at Ln ${cjkLine + 1}, Col ${commentColumn} (UTF-16 column on the CJK line)`, mk001Rows[0]);
  check(mk004Rows[0]?.includes(`[Ln ${attributeLine + 1}, Col ${attributeColumn}]`),
    `MK004 at Ln ${attributeLine + 1}, Col ${attributeColumn}`, mk004Rows[0]);
  const mk004Icon = await page.locator('.markers-panel .monaco-list-row', { hasText: 'MK004' }).first()
    .locator('.codicon-error').count();
  check(mk004Icon === 1, 'copydesk.rules {MK004: error} reaches the server (MK004 shown as an error)');
  fs.mkdirSync(imagesDir, { recursive: true });
  await page.screenshot({ path: path.join(imagesDir, 'diagnostics.png') });

  // 2. Quick fix from the Problems panel: VS Code lists only actions whose `diagnostics` name this problem.
  const mk001Row = page.locator('.markers-panel .monaco-list-row', { hasText: 'MK001' }).first();
  await mk001Row.click();
  await mk001Row.hover();
  await mk001Row.focus();
  await sleep(1000);
  await page.keyboard.press(`${mod}+.`);
  const menuItems = await until('the quick fix menu', async () => {
    const items = await page.$$eval('.context-view .monaco-menu .action-item .action-label',
      (labels) => labels.map((label) => label.textContent.trim()).filter(Boolean));
    return items.length ? items : null;
  }, 15000);
  console.error(`      quick fixes for MK001: ${JSON.stringify(menuItems)}`);
  check(menuItems?.length === 1, 'exactly one quick fix is linked to MK001 in the Problems panel', JSON.stringify(menuItems));
  await page.screenshot({ path: path.join(imagesDir, 'quickfix.png') });
  if (menuItems?.length) {
    await page.locator('.context-view .monaco-menu .action-item .action-label').first().click();
  }
  const fixedLine = marketLines[cjkLine].replace(comment, '');
  const afterFix = await until('the quick fix to apply', async () => {
    const lines = await editorLines();
    return lines.includes(fixedLine) ? lines : null;
  }, 15000);
  check(afterFix, 'quick fix removed the comment and kept the text', JSON.stringify((await editorLines())[cjkLine]));
  const remaining = await until('MK001 to disappear', async () => {
    const all = await problemRows();
    return all.some((row) => row.includes('MK001')) ? null : all;
  }, 15000);
  check(remaining, 'MK001 leaves the Problems panel after the fix');

  // 3. Save: editor.codeActionsOnSave runs source.fixAll.copydesk.
  // VS Code may save a file a quick fix touched by itself (files.refactoring.autoSave): type so that this save is ours.
  await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.type('Saved by the test.');
  await page.keyboard.press('Escape');
  await page.keyboard.press(`${mod}+S`);
  const saved = await until('the saved post to be fixed', () => {
    const text = fs.readFileSync(post('market-notes.md'), 'utf8');
    return !text.includes(comment) && !text.includes(attribute) ? text : null;
  }, 15000);
  const onDisk = fs.readFileSync(post('market-notes.md'), 'utf8');
  check(saved, 'saving applies source.fixAll.copydesk (codeActionsOnSave)',
    `on disk: comment ${onDisk.includes(comment)}, attribute ${onDisk.includes(attribute)}, saved ${onDisk !== marketText}`);
  check(saved?.includes('<a href="https://example.com/report">full report</a>'), 'fix-all on save kept the link text');

  // 4. Completion inside `categories:` offers the site's categories.
  const categoryItem = marketLines.findIndex((line) => line.startsWith('categories:')) + 1;
  await page.keyboard.press(`${mod}+G`);
  await page.keyboard.type(String(categoryItem + 1));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('- ');
  await sleep(500);
  if (!(await page.$('.suggest-widget.visible'))) {
    await page.keyboard.press('Control+Space');
  }
  const suggestions = await until('category suggestions', async () => {
    const labels = await page.$$eval('.suggest-widget.visible .monaco-list-row',
      (items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
    return labels.some((label) => label.includes('科技')) ? labels : null;
  }, 20000);
  console.error(`      suggestions: ${JSON.stringify(suggestions)}`);
  for (const category of ['财经', '科技', '生活']) {
    check(suggestions?.some((label) => label.includes(category)), `completion in categories: offers ${category}`);
  }
  check(!suggestions?.some((label) => label.includes('股票')), 'completion in categories: does not offer tags');
  await page.screenshot({ path: path.join(imagesDir, 'completion.png') });
  await page.keyboard.press('Escape');

  // 5. "copydesk: Fix all in file" on another post.
  await quickOpen('weekend-walk.md');
  await until('diagnostics on the second post', async () => (await problemRows()).some((row) => row.includes('MK001')), 30000);
  await runCommand('copydesk: Fix all in file');
  const walkFixed = await until('Fix all in file to apply', async () => {
    const lines = await editorLines();
    return lines.includes('河边的风很舒服，适合散步。') ? lines : null;
  }, 15000);
  check(walkFixed, '"copydesk: Fix all in file" removes the comment', JSON.stringify(await editorLines()));

  // 6. "Show output" brings up the copydesk channel; "Restart server" replaces the server process.
  await runCommand('copydesk: Show output');
  const channel = await until('the copydesk output channel', async () => {
    const shown = await page.$$eval('.part.panel select.monaco-select-box', (selects) => selects.map((select) => select.value));
    const lines = await page.$$eval('.part.panel .monaco-editor .view-line', (lines) => lines.map((line) => line.textContent));
    return shown.some((value) => /copydesk/.test(value)) && lines.some((line) => /textDocument|Starting/.test(line)) ? shown : null;
  }, 15000);
  check(channel, '"copydesk: Show output" shows the copydesk channel with the server log');
  const serversBefore = serverProcesses();
  check(serversBefore.length === 1, 'one copydesk server process runs', JSON.stringify(serversBefore));
  await runCommand('copydesk: Restart server');
  const serversAfter = await until('a new server process', () => {
    const now = serverProcesses();
    return now.length === 1 && !serversBefore.includes(now[0]) ? now : null;
  }, 20000);
  check(serversAfter, '"copydesk: Restart server" starts a new server process', JSON.stringify(serverProcesses()));
  const toasts = await page.$$eval('.notifications-toasts .notification-toast', (items) => items.map((item) => item.textContent));
  check(!toasts.some((text) => /copydesk/i.test(text)), 'no copydesk error notification', JSON.stringify(toasts));

  // 7. A wrong copydesk.path: the server stops and a notification says how to fix it.
  const settingsFile = path.join(userData, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'copydesk.path': '/nonexistent/copydesk' }, null, 2));
  const notice = await until('the missing-server notification', async () => {
    const texts = await page.$$eval('.notifications-toasts .notification-toast', (items) => items.map((item) => item.textContent));
    return texts.find((text) => text.includes('/nonexistent/copydesk')) ?? null;
  }, 20000);
  console.error(`      notification: ${notice}`);
  check(notice?.includes('copydesk.path'), 'a wrong copydesk.path is reported with the setting to fix');
  check(await until('the server to stop', () => serverProcesses().length === 0, 10000), 'no server runs with a wrong copydesk.path');
  await page.screenshot({ path: path.join(imagesDir, 'server-not-found.png') });
}

// PIDs of language servers started from this test's extension folder.
function serverProcesses() {
  const pids = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.startsWith(extensions) && arg.endsWith('/server/copydesk')) && cmdline.includes('lsp')) {
        pids.push(pid);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

let status = 0;
try {
  await main();
} catch (error) {
  console.error(`ERROR ${error.stack ?? error}`);
  if (process.env.COPYDESK_TEST_FAILURE_SCREENSHOT) {
    await page?.screenshot({ path: process.env.COPYDESK_TEST_FAILURE_SCREENSHOT }).catch(() => {});
  }
  status = 2;
} finally {
  await context?.close().catch(() => {});
  if (server) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  if (!process.env.COPYDESK_TEST_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
}
console.error(`vscode: ${passed} passed, ${failed} failed`);
process.exit(status || (failed ? 1 : 0));
