// Drives VS Code (code-server) in headless Chromium through the iamlens
// extension: for each step, open the file, wait for the squiggle and the
// Problems entry, hover the function, apply the quick fix, wait for the
// problem to clear. Takes screenshots and writes one JSON outcome per step
// (same shape as the Neovim and Emacs scenarios); assertions are in Go.
//
// Environment:
//   IAMLENS_VSCODE_RUN   JSON file: { url, playwright, screenshots, steps: [...] }
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const run = JSON.parse(fs.readFileSync(process.env.IAMLENS_VSCODE_RUN, 'utf8'));
const require = createRequire(path.join(run.playwright, 'package.json'));
const { chromium } = require('playwright-core');

const log = (...args) => console.log(`[run.mjs ${new Date().toISOString().slice(11, 23)}]`, ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';

async function shot(page, name) {
  const file = path.join(run.screenshots, name);
  await page.screenshot({ path: file });
  log('screenshot', file);
}

/**
 * The Problems panel entries for one file, as LSP-like diagnostics. A file row
 * reads "name\ncount"; a marker row "message\nsource\ncode\n[Ln L, Col C]".
 */
async function problems(page, file) {
  const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) =>
    els.map((el) => ({ text: el.innerText, label: el.getAttribute('aria-label') ?? '' })),
  );
  const out = [];
  let current = '';
  for (const row of rows) {
    const lines = row.text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const at = /^\[Ln (\d+), Col (\d+)\]$/.exec(lines[lines.length - 1] ?? '');
    if (!at) {
      current = lines[0] ?? '';
      continue;
    }
    if (file !== undefined && current !== path.basename(file)) continue;
    const start = { line: Number(at[1]) - 1, character: Number(at[2]) - 1 };
    const hasCode = lines.length >= 4;
    out.push({
      range: { start, end: start },
      code: hasCode ? lines[lines.length - 2] : '',
      source: hasCode ? lines[lines.length - 3] : lines[lines.length - 2] ?? '',
      message: lines.slice(0, hasCode ? -3 : -2).join('\n'),
      severity: /error/i.test(row.label) ? 1 : /warning/i.test(row.label) ? 2 : 3,
    });
  }
  return out;
}

async function openProblems(page) {
  if (!(await page.$('.markers-panel'))) {
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel', { timeout: 10000 });
  }
}

async function focusEditor(page) {
  await page.keyboard.press('Control+1'); // View: Focus First Editor Group
  await waitFor(
    () => page.evaluate(() => Boolean(document.activeElement?.closest('.monaco-editor'))),
    5000,
    'the editor to take focus',
  );
}

async function gotoPosition(page, pos) {
  await focusEditor(page);
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < pos.line; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < pos.character; i++) await page.keyboard.press('ArrowRight');
}

async function step(page, s) {
  const result = { actions: [] };
  const write = () => fs.writeFileSync(s.result, JSON.stringify(result));
  try {
    // 1. Open the file and wait for the problem.
    const t0 = Date.now();
    await page.getByRole('treeitem', { name: path.basename(s.file) }).first().click();
    await page.waitForSelector(`.monaco-editor[data-uri$="${path.basename(s.file)}"], .monaco-editor`, { timeout: 15000 });
    await openProblems(page);
    const first = await waitFor(
      async () => (await problems(page, s.file)).find((d) => d.code === s.rule),
      s.timeoutMs,
      `a ${s.rule} entry in the Problems panel`,
    );
    result.firstDiagnosticMs = Date.now() - t0;
    result.diagnostics = await problems(page, s.file);
    log(`${s.name}: ${s.rule} after ${result.firstDiagnosticMs} ms:`, JSON.stringify(first));
    // Reveal the problem (the file may be longer than the viewport).
    await gotoPosition(page, first.range.start);
    await waitFor(() => page.$(SQUIGGLE), 5000, 'the squiggle');
    await shot(page, `${s.name}-1-squiggle.png`);

    // 2. Hover the function's logical id.
    if (s.hoverToken) {
      if (s.hover) await gotoPosition(page, s.hover);
      const token = page.locator('.monaco-editor .view-line span', { hasText: s.hoverToken }).last();
      const box = await token.boundingBox();
      if (!box) throw new Error(`cannot see ${s.hoverToken} in the editor`);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = await waitFor(
        async () => {
          const text = await page
            .$$eval('.monaco-hover .hover-contents', (els) => els.map((el) => el.innerText).join('\n'))
            .catch(() => '');
          return text.trim() !== '' ? text : null;
        },
        10000,
        'the hover',
      );
      result.hover = hover;
      log(`${s.name}: hover:`, hover.replace(/\s+/g, ' ').slice(0, 200));
      await sleep(500); // the hover fades in
      await shot(page, `${s.name}-2-hover.png`);
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    }

    // 3. Quick fix at the problem.
    const at = first.range.start;
    await gotoPosition(page, { line: at.line, character: at.character + 2 });
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget .monaco-list-row', { timeout: 10000 });
    const rows = await page.$$eval('.action-widget .monaco-list-row', (els) =>
      els.map((el) => ({ text: el.innerText.trim(), header: el.classList.contains('group-header') })),
    );
    const actions = rows.filter((r) => !r.header).map((r) => r.text);
    result.actions = actions;
    log(`${s.name}: quick fixes:`, actions);
    const index = actions.findIndex((title) => s.fixPrefixes.some((p) => title.startsWith(p)));
    if (index < 0) throw new Error(`no quick fix starting with ${s.fixPrefixes.join(' or ')}`);
    await shot(page, `${s.name}-3-quickfix-menu.png`);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    result.applied = actions[index];

    const t1 = Date.now();
    const cleared = await waitFor(
      async () => !(await problems(page, s.file)).some((d) => d.code === s.rule),
      s.timeoutMs,
      `the ${s.rule} problem to clear`,
    ).catch((err) => {
      result.error = String(err.message ?? err);
      return false;
    });
    result.clearedMs = Date.now() - t1;
    // Save, so that the fixed text can be read from disk.
    await waitFor(
      async () => {
        if (fs.readFileSync(s.file, 'utf8') !== s.original) return true;
        await focusEditor(page);
        await page.keyboard.press('Control+S');
        await sleep(500);
        return false;
      },
      15000,
      'the fixed file to be saved',
    );
    result.cleared = Boolean(cleared);
    result.textAfter = fs.readFileSync(s.file, 'utf8');
    result.diagnosticsAfter = await problems(page, s.file);
    // Show the fix: put the cursor on the first changed line.
    const before = s.original.split('\n');
    const changed = result.textAfter.split('\n').findIndex((line, i) => line !== before[i]);
    if (changed >= 0) await gotoPosition(page, { line: changed, character: 0 });
    await sleep(300); // let the squiggle repaint
    await shot(page, `${s.name}-4-fix-applied.png`);
    // The "iamlens: Explain Access" command on the (saved) file.
    if (s.explain) {
      await focusEditor(page);
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
      await page.keyboard.type('iamlens: Explain Access');
      await page.waitForSelector('.quick-input-widget .monaco-list-row', { timeout: 10000 });
      await page.keyboard.press('Enter');
      result.explain = await waitFor(
        async () => {
          const text = await page
            .$$eval('.part.panel .monaco-editor .view-lines', (els) => els.map((el) => el.innerText).join('\n'))
            .catch(() => '');
          return text.includes(s.explain) ? text.replace(/\u00a0/g, ' ') : null;
        },
        20000,
        `"${s.explain}" in the "iamlens: Explain" output`,
      );
      log(`${s.name}: explain output:`, result.explain.slice(0, 300));
      await shot(page, `${s.name}-5-explain.png`);
    }
  } catch (err) {
    result.error = String(err?.stack ?? err);
    log(`${s.name}: FAILED:`, result.error);
    const rows = await page
      .$$eval('.markers-panel .monaco-list-row', (els) => els.map((el) => el.innerText))
      .catch((e) => [String(e)]);
    log(`${s.name}: Problems panel rows:`, JSON.stringify(rows));
    await shot(page, `${s.name}-failure.png`).catch(() => {});
  }
  write();
}

async function main() {
  const profile = fs.mkdtempSync(path.join(run.tmp, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: run.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => log('page error:', err.message));
    const t0 = Date.now();
    await page.goto(run.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.getByRole('treeitem').first().waitFor({ timeout: 60000 });
    log(`workbench ready after ${Date.now() - t0} ms`);
    for (const s of run.steps) {
      s.original = fs.readFileSync(s.file, 'utf8');
      await step(page, s);
    }
  } finally {
    await context.close();
  }
}

main().catch((err) => {
  console.error('run.mjs failed:', err);
  process.exit(1);
});
