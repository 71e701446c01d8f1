// Browser test of the dashboard: starts `rackforge serve` on a free port with
// a temporary store, drives Debian's Chromium through playwright-core (never
// downloads a browser), runs a plan, a risk analysis, a simulation and a
// what-if from the page, compares two runs, checks that every chart draws
// (a canvas with painted pixels) and that the console stays free of errors,
// and saves a screenshot of each page.
//
// usage: node dashboard.mjs RACKFORGE_BIN SOURCE_DIR OUT_DIR
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const [binary, sourceDir, outDir] = process.argv.slice(2);
if (!binary || !sourceDir || !outDir) {
  console.error('usage: node dashboard.mjs RACKFORGE_BIN SOURCE_DIR OUT_DIR');
  process.exit(2);
}
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const deadline = setTimeout(() => { console.error('browser test: timed out after 170 s'); cleanup(1); }, 170_000);
const work = mkdtempSync(path.join(tmpdir(), 'rf-browser-'));
mkdirSync(outDir, { recursive: true });
let server = null;
let context = null;
let passed = 0;

function cleanup(code) {
  clearTimeout(deadline);
  const close = context ? context.close().catch(() => {}) : Promise.resolve();
  close.finally(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  });
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', path.join(sourceDir, 'tests', 'scenarios', 'tiny'), '--port', '0',
      '--db', path.join(work, 'runs.db'), '--web-dir', path.join(sourceDir, 'web', 'dist')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const match = log.match(/on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) resolve(Number(match[1]));
    });
    server.on('exit', (code) => reject(new Error(`rackforge serve exited with ${code}: ${log}`)));
  });
}

async function step(name, fn) {
  const started = Date.now();
  await fn();
  passed += 1;
  console.log(`ok ${passed} - ${name} (${Date.now() - started} ms)`);
}

/// True when the chart under data-testid has a canvas with painted pixels.
async function chartDrawn(page, testId) {
  const locator = page.locator(`[data-testid="${testId}"] canvas`).first();
  await locator.waitFor({ state: 'attached', timeout: 20_000 });
  // ECharts animates; wait until the canvas has painted pixels.
  await page.waitForFunction((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"] canvas`);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) painted += 1;
    return painted > 50;
  }, testId, { timeout: 20_000 });
}

/// Waits until the store lists a finished run of that kind.
async function waitForRun(base, kind) {
  for (let i = 0; i < 600; i += 1) {
    const runs = await (await fetch(`${base}api/runs`)).json();
    const run = runs.find((r) => r.kind === kind && r.status !== 'running' && r.status !== 'queued');
    if (run) {
      assert.equal(run.status, 'done', `${kind} run ${run.id} failed`);
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${kind} run finished`);
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));  // the sticky nav bar stays on top
  await page.waitForTimeout(300);  // let the charts' first frame render (animation is off: reduced motion)
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
}

async function main() {
  const port = await startServer();
  const base = `http://127.0.0.1:${port}/`;
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    reducedMotion: 'reduce',  // charts draw their final frame at once: screenshots show the real values
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) problems.push(`request leaves the server: ${request.url()}`);
  });

  await step('overview opens with no run and runs a plan from the page', async () => {
    await page.goto(`${base}#/overview`);
    await page.getByText('No plan has been run for this scenario yet').waitFor();
    await page.fill('#plan-domestic', '0');
    await page.click('[data-testid="run-plan"]');
    for (const id of ['chart-output', 'chart-plants', 'chart-cost', 'chart-domestic']) await chartDrawn(page, id);
    assert.match(await page.locator('[data-testid="kpi-objective"]').innerText(), /\$/);
    await shot(page, 'overview');
  });

  await step('designs page shows the check table and margins', async () => {
    await page.click('nav a[data-route="designs"]');
    await page.locator('[data-testid="rollup-table"] tbody tr').first().waitFor();
    const rows = await page.locator('[data-testid="rollup-table"] tbody tr').count();
    const scenarios = await page.evaluate(() => fetch('/api/scenarios').then((r) => r.json()));
    assert.equal(rows, scenarios[0].designs.length);
    assert.ok((await page.locator('.badge.pass, .badge.fail').count()) > 0);
    assert.equal(await page.locator('[data-testid="rollup-table"] thead th[scope="col"]').count(), 12);
    await chartDrawn(page, 'chart-margins');
    await shot(page, 'designs');
  });

  await step('supply page draws the US map and spend', async () => {
    await page.click('nav a[data-route="supply"]');
    await chartDrawn(page, 'chart-map');
    const runs = await (await fetch(`${base}api/runs`)).json();
    const plan = await (await fetch(`${base}api/runs/${runs.find((r) => r.kind === 'plan').id}`)).json();
    const spend = Object.values(plan.result.spend_usd_by_supplier).reduce((a, b) => a + b, 0);
    if (spend > 0) await chartDrawn(page, 'chart-spend');
    else await page.getByText('This plan buys no components').waitFor();
    await page.locator('[data-testid="state-table"] tbody tr').first().waitFor();
    await shot(page, 'supply');
  });

  await step('bottlenecks page lists the engine text', async () => {
    await page.click('nav a[data-route="bottlenecks"]');
    await page.locator('[data-testid="bottleneck-table"]').waitFor();
    await page.locator('[data-testid="late-table"]').waitFor();
    await shot(page, 'bottlenecks');
  });

  await step('risk page runs a risk analysis and a simulation', async () => {
    await page.click('nav a[data-route="risk"]');
    await page.click('[data-testid="run-risk"]');
    await chartDrawn(page, 'chart-quadrant');
    await chartDrawn(page, 'chart-impact');
    assert.ok((await page.locator('[data-testid="risk-table"] tbody tr').count()) > 0);
    await page.fill('#sim-runs', '64');
    await page.click('[data-testid="run-simulate"]');
    await waitForRun(base, 'simulate');
    await page.locator('body[data-busy="0"]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('[data-testid="chart-quadrant"] canvas').waitFor({ state: 'attached' });
  });

  await step('what-if: one outage planned and compared with the baseline', async () => {
    await page.locator('#whatif-node').waitFor();
    const firstNode = await page.locator('#whatif-node option').first().getAttribute('value');
    await page.selectOption('#whatif-node', firstNode);
    await page.fill('#whatif-weeks', '4');
    await page.click('[data-testid="run-whatif"]');
    await page.locator('[data-testid="whatif-compare"] tbody tr').first().waitFor({ timeout: 60_000 });
    await chartDrawn(page, 'chart-whatif');
    await shot(page, 'risk');
  });

  await step('overview shows the simulation band', async () => {
    await page.click('nav a[data-route="overview"]');
    await chartDrawn(page, 'chart-output');
    assert.equal(await page.locator('[data-testid="chart-output"]').getAttribute('data-band'), 'p5-p95');
  });

  await step('runs page compares two runs with the diff endpoint', async () => {
    await page.click('nav a[data-route="runs"]');
    const boxes = page.locator('[data-testid="runs-table"] input[type="checkbox"]');
    await boxes.first().waitFor();
    assert.ok((await boxes.count()) >= 4, 'plan, risk, simulate and what-if runs are listed');
    // Keyboard: rows are focusable and Space ticks a box.
    // Pick the what-if and the baseline: the two plan runs.
    const planBoxes = page.locator('[data-testid="runs-table"] tbody tr', { hasText: 'plan' }).locator('input[type="checkbox"]');
    await planBoxes.nth(0).focus();
    await page.keyboard.press('Space');
    await planBoxes.nth(1).check();
    await page.click('[data-testid="compare"]');
    await page.locator('[data-testid="compare-table"] tbody tr').first().waitFor();
    await page.locator('[data-testid="diff-table"] tbody tr').first().waitFor();
    const diffText = await page.locator('[data-testid="diff-table"]').innerText();
    assert.match(diffText, /inputs\.options\.domestic\t–\t0/, diffText);
    await shot(page, 'runs');
  });

  await step('no console errors and no request leaves the server', async () => {
    assert.deepEqual(problems, []);
  });
  console.log(`${passed} passed, 0 failed`);
}

main().then(() => cleanup(0), (error) => {
  console.error(`not ok - ${error.stack ?? error}`);
  console.log(`${passed} passed, 1 failed`);
  cleanup(1);
});
