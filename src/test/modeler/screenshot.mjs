// Renders a task component in a Camunda 7 modeler (bpmn-js, its properties panel and the element
// templates provider, bundled with esbuild) in Debian's Chromium driven by playwright-core, selects
// the process and saves the template form as the README's screenshot.
//
// node screenshot.mjs [COMPONENT.bpmn] [OUT.png]
//   defaults: task-components/render-report.bpmn, docs/images/modeler-element-template.png
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const diagram = resolve(process.argv[2] || join(ROOT, 'task-components/render-report.bpmn'));
const out = resolve(process.argv[3] || join(ROOT, 'docs/images/modeler-element-template.png'));
const browser = process.env.CHROMIUM || '/usr/bin/chromium';

const templatesDir = join(ROOT, 'task-components/element-templates');
const templates = readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort()
  .flatMap((f) => [].concat(JSON.parse(readFileSync(join(templatesDir, f), 'utf-8'))));

const bundle = await build({
  entryPoints: [join(HERE, 'screenshot/app.js')],
  bundle: true,
  format: 'iife',
  write: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' }
});

const TYPES = { '.css': 'text/css', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml', '.eot': 'application/vnd.ms-fontobject' };
const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const send = (type, body) => {
    response.writeHead(200, { 'Content-Type': type });
    response.end(body);
  };
  if (path === '/') {
    send('text/html', readFileSync(join(HERE, 'screenshot/index.html')));
  } else if (path === '/app.js') {
    send('text/javascript', bundle.outputFiles[0].contents);
  } else if (path === '/diagram.bpmn') {
    send('application/xml', readFileSync(diagram));
  } else if (path === '/element-templates.json') {
    send('application/json', JSON.stringify(templates));
  } else if (path.startsWith('/node_modules/') && !path.includes('..') && TYPES[extname(path)]) {
    try {
      send(TYPES[extname(path)], readFileSync(join(HERE, path)));
    } catch {
      response.writeHead(404).end();
    }
  } else {
    response.writeHead(404).end();
  }
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${server.address().port}/`;

const chrome = await chromium.launch({
  executablePath: browser,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
});
let failed = false;
try {
  const page = await chrome.newPage({ viewport: { width: 1440, height: 1320 }, deviceScaleFactor: 1 });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico')
    && pageErrors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready], body[data-error]', { timeout: 30000 });
  const error = await page.getAttribute('body', 'data-error');
  if (error) {
    throw new Error(`the modeler did not open ${diagram}: ${error}`);
  }
  const state = await page.evaluate(() => window.flowcast && { warnings: window.flowcast.warnings,
    errors: window.flowcast.errors });
  if (state.warnings.length || state.errors.length) {
    throw new Error(`import warnings ${JSON.stringify(state.warnings)}, template errors ${JSON.stringify(state.errors)}`);
  }
  // the template's groups, opened; the panel's own groups (general, documentation, ...) stay as they are
  const headers = page.locator('.bio-properties-panel-group-header', { hasText: 'Flowcast:' });
  for (let i = 0; i < await headers.count(); i++) {
    const header = headers.nth(i);
    if (!(await header.getAttribute('class')).includes('open')) {
      await header.click();
    }
  }
  const panel = await page.locator('#properties').innerText();
  for (const expected of ['Flowcast task component', 'Capability', 'Expected duration', 'Pool', 'Restartable']) {
    if (!panel.toLowerCase().includes(expected.toLowerCase())) {
      throw new Error(`the properties panel does not show '${expected}':\n${panel}`);
    }
  }
  await page.evaluate(() => {
    const canvas = window.flowcast.modeler.get('canvas');
    canvas.zoom('fit-viewport', 'auto');
    canvas.zoom(1.6, 'auto');
    document.querySelector('#properties .bio-properties-panel-scroll-container')?.scrollTo(0, 0);
  });
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`${out}: ${diagram} with the template form of its process (${templates.length} templates loaded)`);
  if (pageErrors.length) {
    throw new Error(`the page failed: ${pageErrors.join('; ')}`);
  }
} catch (e) {
  console.error(e.message);
  failed = true;
} finally {
  await chrome.close();
  server.close();
}
process.exit(failed ? 1 : 0);
