// End-to-end test of the copydesk VS Code extension in a real VS Code
// (code-server, headless Chromium driven by playwright-core).
//
//   node test/e2e.mjs --vsix copydesk-linux-x64.vsix [--site DIR] [--code-server BIN]
//
// Installs the .vsix into a fresh code-server profile, opens a scratch copy of
// the site, and checks through the UI: Problems panel (a post that is not open,
// through workspace diagnostics; codes, UTF-16 columns on
// a CJK line, each problem once), a quick fix picked from the Problems panel
// (VS Code offers there only the fixes whose `diagnostics` name that problem),
// fix-all on save (editor.codeActionsOnSave), the "Fix all in file" and "Remove all
// leftover markup in file" commands, a copydesk.toml key set as a VS Code setting
// (copydesk.markup) and completion inside `categories:`. Screenshots go to images/.
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
const siteSource = path.resolve(args.site ?? path.join(extensionDir, '../../examples/hexo-site'));
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
// An ordinary sentence of wechat-reprint.md, declared boilerplate through the copydesk.markup setting.
const extraBoilerplate = '建议先沿着河边的绿道熟悉路况';
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
  // A copydesk.toml key as a setting: the site's copydesk.toml extends the built-in lists, this extends them further.
  'copydesk.markup': { boilerplate: [extraBoilerplate] },
}, null, 2));
const configFile = path.join(scratch, 'config.yaml');
const reprintText = fs.readFileSync(path.join(site, 'source/_posts', 'wechat-reprint.md'), 'utf8').split('\n');
const extraBoilerplateLine = reprintText.findIndex((line) => line.includes(extraBoilerplate));
fs.writeFileSync(configFile, 'auth: none\n');
const commonFlags = ['--config', configFile, '--user-data-dir', userData, '--extensions-dir', extensions];

const post = (name) => path.join(site, 'source/_posts', name);
const postName = 'imported-market-news.md';
const marketText = fs.readFileSync(post(postName), 'utf8');
const marketLines = marketText.split('\n');
const comment = '<!-- 正文下iframe -->';
const commentLine = marketLines.findIndex((line) => line.includes(comment));
// The tracking attribute sits inside a CMS keyword link, after CJK text.
const attribute = 'data-sudaclick="content_marketkeywords_p"';
const attributeLine = marketLines.findIndex((line) => line.includes(attribute));
// JavaScript string indices are UTF-16 code units, like VS Code's columns.
const attributeColumn = marketLines[attributeLine].indexOf(attribute) + 1;

let server;
let context;
let page;
async function main() {
  const installStart = Date.now();
  execFileSync(codeServer, [...commonFlags, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'inherit'] });
  const installed = fs.readdirSync(extensions).find((dir) => dir.startsWith('copydesk.copydesk-'));
  check(installed, `code-server --install-extension installs the .vsix (${Date.now() - installStart} ms)`, fs.readdirSync(extensions).join(', '));
  const manifest = installed && JSON.parse(fs.readFileSync(path.join(extensions, installed, 'package.json'), 'utf8'));
  check(manifest?.icon && fs.existsSync(path.join(extensions, installed, manifest.icon)), 'the .vsix ships its icon');
  const tomlSchema = manifest?.contributes?.tomlValidation?.[0];
  check(tomlSchema?.fileMatch === 'copydesk.toml' && fs.existsSync(path.join(extensions, installed, tomlSchema.url)),
    'the .vsix ships the copydesk.toml schema its tomlValidation names', JSON.stringify(tomlSchema));
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
    viewport: { width: 1440, height: 1200 },
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
  // The server answers workspace/diagnostic, so the panel lists every post of the site;
  // a file name in the panel's filter keeps only that file's problems.
  const filterProblems = async (name) => {
    const input = page.locator('.part.panel .viewpane-filter input').first();
    await input.fill(name);
    await sleep(500);
  };
  const runCommand = async (title) => {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15000 });
    await page.keyboard.press('Enter');
  };

  // 1. Diagnostics in the Problems panel: first a post that is not open (workspace
  // diagnostics), then the open one's, each problem once.
  await quickOpen(postName);
  await page.keyboard.press(`${mod}+Shift+M`);
  await filterProblems('taxonomy-typos.md');
  const unopened = await until('problems of a post that is not open', async () => {
    const all = await problemRows();
    return all.some((row) => row.includes('FM013') && row.includes('科枝')) ? all : null;
  }, 60000);
  check(unopened, 'the Problems panel lists FM013 (科枝 → 科技) for a saved post that is not open', JSON.stringify(await problemRows()));
  await filterProblems(postName);
  const rows = await until('copydesk problems', async () => {
    const all = await problemRows();
    return ['MK001', 'MK004', 'MK007'].every((code) => all.some((row) => row.includes(code))) ? all : null;
  }, 60000);
  check(rows, 'Problems panel lists MK001, MK004 and MK007 for the post', JSON.stringify(await problemRows()));
  await sleep(2000); // a pushed copy of the same problems would show up by now
  const settled = (await problemRows()).filter((row) => row.includes('copydesk'));
  console.error(`      problems: ${JSON.stringify(settled)}`);
  check(new Set(settled).size === settled.length, 'no problem is listed twice', JSON.stringify(settled));
  // The Problems panel does not list hints.
  const expected = cliProblems(postName).filter((problem) => problem.severity !== 'hint');
  check(settled.length === expected.length, `the panel lists as many problems as \`copydesk check\` finds above hint level (${expected.length})`,
    `${settled.length} rows`);
  const mk004Rows = settled.filter((row) => row.includes('MK004'));
  check(mk004Rows.length === 1 && mk004Rows[0].includes(`[Ln ${attributeLine + 1}, Col ${attributeColumn}]`),
    `MK004 once, at Ln ${attributeLine + 1}, Col ${attributeColumn} (UTF-16 column on a CJK line)`, JSON.stringify(mk004Rows));
  check(settled.some((row) => row.includes('MK001') && row.includes(`[Ln ${commentLine + 1}, Col 1]`)),
    `MK001 at Ln ${commentLine + 1}, Col 1`);
  const mk004Icon = await page.locator('.markers-panel .monaco-list-row', { hasText: 'MK004' }).first()
    .locator('.codicon-error').count();
  check(mk004Icon === 1, 'copydesk.rules {MK004: error} reaches the server (MK004 shown as an error)');
  fs.mkdirSync(imagesDir, { recursive: true });
  await page.screenshot({ path: path.join(imagesDir, 'diagnostics.png') });

  // 2. Quick fix from the Problems panel on nested spans. VS Code offers there every quick fix
  // whose range overlaps the problem (MK007's unwrap encloses MK004), so the user picks MK004's own.
  const mk004Row = page.locator('.markers-panel .monaco-list-row', { hasText: 'MK004' }).first();
  await mk004Row.click();
  await mk004Row.hover();
  await mk004Row.focus();
  await sleep(1000);
  await page.keyboard.press(`${mod}+.`);
  const menuItems = await until('the quick fix menu', async () => {
    const items = await page.$$eval('.context-view .monaco-menu .action-item .action-label',
      (labels) => labels.map((label) => label.textContent.trim()).filter(Boolean));
    return items.length ? items : null;
  }, 15000);
  console.error(`      quick fixes for MK004: ${JSON.stringify(menuItems)}`);
  check(menuItems?.filter((item) => /MK004/.test(item)).length === 1, 'the MK004 row offers one fix for MK004', JSON.stringify(menuItems));
  check(menuItems?.filter((item) => /MK007/.test(item)).length === 1, 'and the enclosing MK007 keeps its own, separate fix', JSON.stringify(menuItems));
  await page.screenshot({ path: path.join(imagesDir, 'quickfix.png') });
  if (menuItems?.length) {
    await page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: 'MK004' }).first().click();
  }
  // Long lines are only partly in the DOM: read the fix back from disk, saved without save participants.
  const attributeAt = marketLines[attributeLine].indexOf(attribute);
  const fixedLine = marketLines[attributeLine].slice(0, attributeAt - 1) + marketLines[attributeLine].slice(attributeAt + attribute.length);
  await page.waitForSelector('.context-view .monaco-menu', { state: 'detached', timeout: 5000 }).catch(() => {});
  await sleep(500);
  await runCommand('File: Save without Formatting');
  const afterFix = await until('the quick fix to reach the disk', () => {
    const lines = fs.readFileSync(post(postName), 'utf8').split('\n');
    // The editor may be mid-write: a short read is not an answer yet.
    const line = lines[attributeLine];
    return line !== undefined && !line.includes(attribute) ? lines : null;
  }, 15000);
  check(afterFix?.[attributeLine] === fixedLine, 'the quick fix removed only the attribute (the keyword link stays)',
    JSON.stringify(fs.readFileSync(post(postName), 'utf8').split('\n')[attributeLine]));
  const remaining = await until('MK004 to disappear', async () => {
    const all = await problemRows();
    return !all.some((row) => row.includes('MK004')) && all.some((row) => row.includes('MK007')) ? all : null;
  }, 15000);
  check(remaining, 'MK004 leaves the Problems panel, MK007 stays');

  // 3. Save: editor.codeActionsOnSave runs source.fixAll.copydesk (safe fixes only).
  // Type first so that this save is ours (VS Code may save files a quick fix touched).
  await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.type('Saved by the test.');
  await page.keyboard.press('Escape');
  await page.keyboard.press(`${mod}+S`);
  const saved = await until('the saved post to be fixed', () => {
    const text = fs.readFileSync(post(postName), 'utf8');
    return !text.includes(comment) && !text.includes('<script') ? text : null;
  }, 15000);
  const onDisk = fs.readFileSync(post(postName), 'utf8');
  check(saved, 'saving applies source.fixAll.copydesk (codeActionsOnSave)',
    `on disk: comment ${onDisk.includes(comment)}, script ${onDisk.includes('<script')}`);
  check(saved?.includes('appendQr_wrap'), 'fix-all on save leaves unsafe fixes (the ad block) alone');
  check(saved?.includes('多家新能源车企') && saved?.includes('动力电池'), 'fix-all on save kept the article text');

  // 4. Completion inside `categories:`, hierarchy-aware: under `- 金融` come 金融's sub-categories.
  const categoryItem = marketLines.findIndex((line) => line.startsWith('categories:')) + 2;
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
    return labels.some((label) => label.includes('基金')) ? labels : null;
  }, 20000);
  console.error(`      suggestions: ${JSON.stringify(suggestions)}`);
  for (const category of ['基金', '固定收益']) {
    check(suggestions?.some((label) => label.includes(category)), `completion under \`- 金融\` offers ${category}`);
  }
  check(!suggestions?.some((label) => /人工智能|编程语言|新能源/.test(label)), 'and neither 科技\'s sub-categories nor tags');
  await page.screenshot({ path: path.join(imagesDir, 'completion.png') });
  // Accepting after typing a character replaces it: the list sends its edit range once
  // (itemDefaults.editRange, which VS Code's client declares), not in each item.
  await page.keyboard.type('固');
  await until('the typed character to put 固定收益 first', async () => {
    const first = await page.$eval('.suggest-widget.visible .monaco-list-row', (row) => row.getAttribute('aria-label') ?? '')
      .catch(() => '');
    return first.includes('固定收益') ? first : null;
  }, 10000);
  await page.keyboard.press('Enter');
  const accepted = await until('the accepted suggestion in the text', async () => {
    const lines = await editorLines();
    return lines.some((line) => line.trimEnd() === '  - 固定收益') ? lines : null;
  }, 10000);
  check(accepted, 'accepting 固定收益 after typing 固 writes `  - 固定收益`', JSON.stringify(await editorLines()));

  // 5. "copydesk: Fix all in file" on another post.
  await quickOpen('wechat-reprint.md');
  await filterProblems('wechat-reprint.md');
  await page.click('.editor-group-container.active .monaco-editor .view-lines');
  await until('diagnostics on the second post', async () => (await problemRows()).some((row) => row.includes('MK003')), 30000);
  const boilerplateRows = await until('MK008 from the copydesk.markup setting', async () => {
    const found = (await problemRows()).filter((row) => row.includes('MK008') && row.includes(`[Ln ${extraBoilerplateLine + 1},`));
    return found.length ? found : null;
  }, 15000);
  check(boilerplateRows?.length === 1, `the copydesk.markup setting reaches the server (MK008 at Ln ${extraBoilerplateLine + 1})`,
    JSON.stringify(await problemRows()));
  await runCommand('copydesk: Fix all in file');
  const reprintFixed = await until('Fix all in file to apply', async () => {
    const lines = await editorLines();
    return lines.length && !lines.some((line) => line.includes('<style')) ? lines : null;
  }, 15000);
  check(reprintFixed, '"copydesk: Fix all in file" removes the embedded <style>', JSON.stringify(await editorLines()));
  check(reprintFixed?.some((line) => line.includes('周末骑行')), '"copydesk: Fix all in file" keeps the article text');

  // 5b. "copydesk: Remove all leftover markup in file" also applies the unsafe fixes: the promo
  // block fix-all left, and the sentence the copydesk.markup setting declared boilerplate.
  check((await editorLines()).some((line) => line.includes('promo-box')), 'fix-all left the promo block (an unsafe fix)');
  await runCommand('copydesk: Remove all leftover markup in file');
  const markupRemoved = await until('Remove all leftover markup to apply', async () => {
    const lines = await editorLines();
    return lines.length && !lines.some((line) => line.includes('promo-box')) ? lines : null;
  }, 15000);
  check(markupRemoved, '"copydesk: Remove all leftover markup in file" removes the promo block', JSON.stringify(await editorLines()));
  check(markupRemoved && !markupRemoved.some((line) => line.includes(extraBoilerplate)),
    'and the boilerplate of the copydesk.markup setting', JSON.stringify(markupRemoved));
  check(markupRemoved?.some((line) => line.includes('想了解更多装备建议')) && markupRemoved?.some((line) => line.startsWith('title:')),
    'and keeps the rest of the article and the front matter', JSON.stringify(markupRemoved));

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
  fs.mkdirSync(path.join(site, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(site, '.vscode', 'settings.json'), JSON.stringify({ 'copydesk.path': '/nonexistent/copydesk' }));
  const notice = await until('the missing-server notification', async () => {
    const texts = await page.$$eval('.notifications-toasts .notification-toast', (items) => items.map((item) => item.textContent));
    return texts.find((text) => text.includes('/nonexistent/copydesk')) ?? null;
  }, 20000);
  console.error(`      notification: ${notice?.slice(0, 200)}`);
  check(notice?.includes('copydesk.path'), 'a wrong copydesk.path is reported with the setting to fix');
  check(notice?.includes('pip install copydesk') && notice?.includes('cargo install --path .'),
    'and with install commands (a package manager\'s, and one that works from the repository)', notice);
  check(await until('the server to stop', () => serverProcesses().length === 0, 10000), 'no server runs with a wrong copydesk.path');
  await page.screenshot({ path: path.join(imagesDir, 'server-not-found.png') });
}

// What `copydesk check` reports for a post, run from the site root with the bundled binary.
function cliProblems(name) {
  const binary = path.join(extensions, fs.readdirSync(extensions).find((dir) => dir.startsWith('copydesk.copydesk-')), 'server/copydesk');
  let out;
  try {
    out = execFileSync(binary, ['check', '--format', 'json', path.join('source/_posts', name)], { cwd: site, encoding: 'utf8' });
  } catch (error) {
    out = error.stdout; // exit 1: error-severity findings
  }
  return JSON.parse(out).diagnostics;
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
