// Driver layer of the cross-engine tests (engines.test.mjs): starts the
// site in Firefox ESR and in WebKitGTK (Safari's engine) and hides how each
// is driven behind one small interface, so the tests read the same for both:
//
//   const b = await engine.start();
//   await b.open(url);  await b.eval(fn, arg);  await b.click(sel);
//   await b.fill(sel, text);  await b.select(sel, value);
//   await b.waitFor(fn, { arg, timeout, message, describe });
//   await b.resize(w, h);  await b.screenshot(file, { width, height });
//   await b.errors();  await b.close();
//
// Firefox: Debian's firefox-esr, headless, under npm puppeteer-core over
// WebDriver BiDi (no browser download). WebKit: Debian's WebKitWebDriver
// starting WebKitGTK's MiniBrowser, under npm selenium-webdriver; the driver
// runs inside its own Xvfb (xvfb-run), as MiniBrowser needs a display.
// JavaScriptCore exposes SharedArrayBuffer only with JSC_useSharedArrayBuffer=1
// in the driver's environment (Safari exposes it on isolated pages), so
// WebKit is offered twice: with it and without it.
//
// Cleanup is this file's job too: every engine gets a private temporary
// root (HOME, TMPDIR, XDG_* and the Firefox profile point into it) and a
// marker variable in its environment. close() — and, as a last resort,
// process exit — stops the browser, kills the process group it was started
// in and any process still carrying the marker (by pid), then deletes the
// root, so no Xvfb, driver, browser or profile directory outlives a test file.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** `promise`, or a rejection saying `what` took longer than `ms`. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`), { timedOut: true })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The absolute path of `cmd` on PATH, or null. */
export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return null;
}

/** Throws the reason an engine cannot start when a program it needs is missing. */
function need(cmd, pkg) {
  const p = which(cmd);
  if (!p) throw new Error(`${cmd} not found on PATH: install Debian's ${pkg} (scripts/setup.sh --test does)`);
  return p;
}

/** WebKitGTK's MiniBrowser: it lives in the library's folder, not on PATH. */
function miniBrowser() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  try {
    const listed = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' })
      .split('\n').find((l) => l.endsWith('/MiniBrowser'));
    if (listed && fs.existsSync(listed)) return listed;
  } catch { /* not a Debian package here; try the usual place */ }
  const guess = `/usr/lib/${os.machine()}-linux-gnu/webkit2gtk-4.1/MiniBrowser`;
  if (fs.existsSync(guess)) return guess;
  throw new Error('WebKitGTK MiniBrowser not found (dpkg -L libwebkit2gtk-4.1-0): install Debian\'s webkit2gtk-driver (scripts/setup.sh --test does)');
}

/** A TCP port free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// ---------------------------------------------------------------------------
// Processes and temporary files of one engine.

/** Every sandbox still alive, so a dying test process can clean up after it. */
const LIVE = new Set();

/**
 * A private temporary root and an environment pointing into it, with a
 * marker that every process started from it inherits (browsers pass their
 * environment on to their content processes).
 */
class Sandbox {
  constructor(id) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `lab-${id}-`));
    this.marker = `${id}-${randomUUID()}`;
    this.groups = new Set();
    const dir = (name, mode = 0o755) => {
      const p = path.join(this.root, name);
      fs.mkdirSync(p, { recursive: true, mode });
      return p;
    };
    this.env = {
      ...process.env,
      HOME: dir('home'),
      TMPDIR: dir('tmp'),
      XDG_CACHE_HOME: dir('cache'),
      XDG_CONFIG_HOME: dir('config'),
      XDG_DATA_HOME: dir('data'),
      XDG_RUNTIME_DIR: dir('run', 0o700),
      LAB_ENGINE_MARKER: this.marker,
    };
    this.profile = dir('profile');
    LIVE.add(this);
  }

  /** Pids of live processes whose environment carries this sandbox's marker. */
  marked() {
    const needle = `LAB_ENGINE_MARKER=${this.marker}\0`;
    const pids = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (fs.readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) pids.push(Number(name));
      } catch { /* gone, or not ours to read */ }
    }
    return pids;
  }

  /** Signals every process group started here, then every marked process. */
  signal(sig) {
    for (const pgid of this.groups) {
      try { process.kill(-pgid, sig); } catch { /* group already gone */ }
    }
    for (const pid of this.marked()) {
      try { process.kill(pid, sig); } catch { /* already gone */ }
    }
  }

  /** Stops everything started here (politely, then not) and deletes the root. */
  async dispose() {
    this.signal('SIGTERM');
    for (let i = 0; i < 30 && this.marked().length; i++) await sleep(100);
    this.signal('SIGKILL');
    for (let i = 0; i < 20 && this.marked().length; i++) await sleep(100);
    const left = this.marked();
    fs.rmSync(this.root, { recursive: true, force: true });
    LIVE.delete(this);
    if (left.length) throw new Error(`processes still alive after SIGKILL: ${left.join(', ')}`);
  }

  /** The synchronous last resort, for process exit. */
  disposeNow() {
    this.signal('SIGKILL');
    fs.rmSync(this.root, { recursive: true, force: true });
    LIVE.delete(this);
  }
}

process.on('exit', () => { for (const s of LIVE) s.disposeNow(); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const s of LIVE) s.disposeNow();
    process.exit(128 + os.constants.signals[sig]);
  });
}

// ---------------------------------------------------------------------------
// The interface, with what both engines share.

/** Tallest page screenshot WebKit takes, in CSS px (the window grows to the page's height). */
const MAX_SHOT_HEIGHT = 16_000;

/** How long one script in the page may take before the page counts as stuck. */
const EVAL_TIMEOUT = 30_000;

/** Polling interval of waits: often enough to be quick, rarely enough not to load 2 cores. */
export const POLL_MS = 150;

/** Collects uncaught errors and console.error of the page, from the moment it runs. */
function hookErrors() {
  if (window.__engineErrors) return;
  const errors = (window.__engineErrors = []);
  addEventListener('error', (e) => errors.push(`error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${e.reason}`));
  const original = console.error.bind(console);
  console.error = (...args) => { errors.push(`console.error: ${args.map(String).join(' ')}`); original(...args); };
}

class Browser {
  constructor(id, sandbox) {
    this.id = id;
    this.sandbox = sandbox;
    this.version = '';
    this.closed = false;
  }

  /** Opens `url` and waits for its load event. */
  async open(url) {
    await this.navigate(url);
    await this.eval(hookErrors);
  }

  /**
   * Runs `fn(arg)` in the page (a function, serialised: it sees only its
   * argument) and returns its JSON-able result, awaited if a promise. A
   * page whose main thread is stuck makes this fail after `timeout` ms
   * rather than hang the test.
   */
  eval(fn, arg, timeout = EVAL_TIMEOUT) {
    return within(this.evalRaw(fn, arg), timeout, 'the page');
  }

  /** Errors the page reported since it was opened (uncaught, console.error; not its workers'). */
  async errors() {
    return (await this.eval(() => window.__engineErrors ?? [])) ?? [];
  }

  /**
   * Polls `fn(arg)` in the page every POLL_MS until it returns something
   * truthy, and returns that. After `timeout` ms it throws `message`, with
   * what `describe()` (run in the page) says about the state it was stuck in.
   */
  async waitFor(fn, { arg, timeout = 30_000, message = 'condition', describe } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0) break;
      try {
        last = await this.eval(fn, arg, left);
      } catch (e) {
        if (e.timedOut) break;
        throw e;
      }
      if (last) return last;
      await sleep(Math.min(POLL_MS, end - Date.now()));
    }
    let state = '';
    if (describe) {
      state = await this.eval(describe, arg, 5000)
        .then((s) => JSON.stringify(s), (e) => `(${e.message})`);
    }
    throw new Error(`${message}: not reached within ${(timeout / 1000).toFixed(0)} s${state ? ` — ${state}` : ''}`);
  }

  /** Waits until `sel` is in the page (and returns true). */
  present(sel, timeout = 10_000) {
    return this.waitFor((s) => !!document.querySelector(s), { arg: sel, timeout, message: `${sel} in the page` });
  }

  /** Sets a <select> as a reader's pick would: value, then input and change events. */
  async select(sel, value) {
    await this.present(sel);
    const ok = await this.eval(([s, v]) => {
      const el = document.querySelector(s);
      if (![...el.options].some((o) => o.value === v)) return false;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    }, [sel, value]);
    if (!ok) throw new Error(`${sel} has no option "${value}"`);
  }

  /**
   * Replaces the text of an input by typing `text` (real key events, so the
   * page's input handlers see what a reader's typing gives): the old text is
   * selected first, and typing replaces it.
   */
  async fill(sel, text) {
    await this.present(sel);
    await this.eval((s) => { const el = document.querySelector(s); el.focus(); el.select(); }, sel);
    await this.typeOver(sel, String(text));
    const got = await this.eval((s) => document.querySelector(s).value, sel);
    if (got !== String(text)) throw new Error(`typing "${text}" into ${sel} left "${got}"`);
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      await within(this.quit(), 15_000, `closing ${this.id}`).catch(() => { /* killed below */ });
    } finally {
      await this.sandbox.dispose();
    }
  }
}

// ---------------------------------------------------------------------------
// Firefox ESR: puppeteer-core over WebDriver BiDi.

class FirefoxBrowser extends Browser {
  static async start() {
    const executablePath = process.env.FIREFOX ?? need('firefox-esr', 'firefox-esr');
    const { default: puppeteer } = await import('puppeteer-core');
    const sandbox = new Sandbox('firefox');
    const b = new FirefoxBrowser('firefox', sandbox);
    try {
      b.browser = await within(puppeteer.launch({
        browser: 'firefox',
        protocol: 'webDriverBiDi',
        executablePath,
        headless: true,
        // Our own profile folder inside the sandbox: puppeteer's default one
        // in /tmp would be left behind if this process died.
        userDataDir: sandbox.profile,
        env: sandbox.env,
        defaultViewport: { width: 1280, height: 800 },
        // The sandbox's exit handlers do this for every engine.
        handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      }), 60_000, 'starting Firefox');
      const pid = b.browser.process()?.pid;
      // puppeteer starts Firefox detached: its own process group.
      if (pid) sandbox.groups.add(pid);
      b.version = await b.browser.version();
      b.page = (await b.browser.pages())[0] ?? (await b.browser.newPage());
      b.pageErrors = [];
      b.page.on('pageerror', (e) => b.pageErrors.push(`pageerror: ${e.message ?? e}`));
      b.page.on('console', (m) => { if (m.type() === 'error') b.pageErrors.push(`console: ${m.text()}`); });
      return b;
    } catch (e) {
      await b.close().catch(() => {});
      throw new Error(`Firefox (${executablePath}) did not start: ${e.message}`);
    }
  }

  async navigate(url) { await this.page.goto(url, { waitUntil: 'load', timeout: 60_000 }); }
  evalRaw(fn, arg) { return this.page.evaluate(fn, arg); }

  async errors() {
    // Puppeteer hears them from the first byte; the in-page hook (what
    // WebKit has) only after the load event.
    return [...this.pageErrors];
  }

  async click(sel) {
    await this.present(sel);
    await this.page.click(sel);
  }

  async typeOver(sel, text) {
    if (text === '') await this.page.keyboard.press('Backspace');
    else await this.page.keyboard.type(text);
  }

  async resize(width, height) {
    await this.page.setViewport({ width, height });
    return this.eval(() => innerWidth);
  }

  async screenshot(file, { width, height = 900 }) {
    const got = await this.resize(width, height);
    await this.eval(() => window.scrollTo(0, 0));
    await this.page.screenshot({ path: file, fullPage: true });
    return got;
  }

  async quit() { await this.browser?.close(); }
}

// ---------------------------------------------------------------------------
// WebKitGTK: selenium-webdriver → WebKitWebDriver (under xvfb-run) → MiniBrowser.

class WebKitBrowser extends Browser {
  static async start({ sab }) {
    const xvfbRun = need('xvfb-run', 'xvfb');
    const driverBin = need('WebKitWebDriver', 'webkit2gtk-driver');
    const binary = miniBrowser();
    const { Builder, By, Key } = await import('selenium-webdriver');
    const id = sab ? 'webkit' : 'webkit-nosab';
    const sandbox = new Sandbox(id);
    const b = new WebKitBrowser(id, sandbox);
    b.By = By;
    b.Key = Key;
    try {
      const port = await freePort();
      const env = { ...sandbox.env };
      // Read by JavaScriptCore in the web process, which inherits the
      // driver's environment through MiniBrowser.
      if (sab) env.JSC_useSharedArrayBuffer = '1';
      else delete env.JSC_useSharedArrayBuffer;
      // A 24-bit screen big enough for the widest window we ask for
      // (xvfb-run's default is 640×480 at 8 bits a pixel).
      const proc = spawn(xvfbRun, ['-a', '-s', '-screen 0 1600x1200x24 -nolisten tcp', driverBin, `--port=${port}`], {
        env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      });
      sandbox.groups.add(proc.pid);
      let log = '';
      const keep = (d) => { log = (log + d).slice(-4000); };
      proc.stdout.on('data', keep);
      proc.stderr.on('data', keep);
      let exited = null;
      proc.on('exit', (code, sig) => { exited = sig ?? code; });
      b.driverLog = () => log;
      // The driver answers /status once it listens.
      const url = `http://127.0.0.1:${port}`;
      const end = Date.now() + 20_000;
      for (;;) {
        if (exited !== null) throw new Error(`xvfb-run WebKitWebDriver exited (${exited}): ${log.trim()}`);
        const ok = await fetch(`${url}/status`).then((r) => r.ok, () => false);
        if (ok) break;
        if (Date.now() > end) throw new Error(`WebKitWebDriver did not listen on ${port} within 20 s: ${log.trim()}`);
        await sleep(100);
      }
      b.driver = await within(new Builder().usingServer(url).withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary, args: ['--automation'] },
      }).build(), 60_000, 'starting MiniBrowser');
      const caps = await b.driver.getCapabilities();
      b.version = `WebKitGTK ${caps.get('browserVersion')}`;
      // Scripts may await promises (the W3C execute-script semantics); allow long ones.
      await b.driver.manage().setTimeouts({ script: EVAL_TIMEOUT + 5000, pageLoad: 60_000 });
      await b.resize(1280, 800);
      return b;
    } catch (e) {
      const log = b.driverLog?.().trim();
      await b.close().catch(() => {});
      throw new Error(`WebKit (${driverBin}, ${binary}) did not start: ${e.message}${log ? `\ndriver output: ${log}` : ''}`);
    }
  }

  async navigate(url) { await this.driver.get(url); }
  evalRaw(fn, arg) { return this.driver.executeScript(fn, arg); }

  async click(sel) {
    await this.present(sel);
    await this.driver.findElement(this.By.css(sel)).click();
  }

  async typeOver(sel, text) {
    const el = await this.driver.findElement(this.By.css(sel));
    await el.sendKeys(text === '' ? this.Key.BACK_SPACE : text);
  }

  /**
   * Sizes the window so the page is `width` CSS px wide: the window also
   * holds MiniBrowser's toolbar, and it cannot be narrower than that
   * toolbar; returns the page width reached.
   */
  async resize(width, height) {
    const win = this.driver.manage().window();
    await win.setRect({ width, height });
    const [inner, outer] = await this.eval(() => [innerWidth, outerWidth]);
    if (inner !== width) await win.setRect({ width: width + (outer - inner), height });
    return this.eval(() => innerWidth);
  }

  /**
   * A screenshot of the whole page. WebDriver only shoots the viewport (an
   * element screenshot of <html> comes out shifted, black on top, once the
   * viewport is taller than the page), so the window is made as tall as the
   * page for the shot, then put back.
   */
  async screenshot(file, { width, height = 900 }) {
    const got = await this.resize(width, height);
    const win = this.driver.manage().window();
    const { width: outerWidth } = await win.getRect();
    const [page, inner, outer] = await this.eval(() => [document.documentElement.scrollHeight, innerHeight, outerHeight]);
    await win.setRect({ width: outerWidth, height: Math.min(page, MAX_SHOT_HEIGHT) + (outer - inner) });
    await this.eval(() => window.scrollTo(0, 0));
    const png = await this.driver.takeScreenshot();
    fs.writeFileSync(file, Buffer.from(png, 'base64'));
    await this.resize(width, height);
    return got;
  }

  async quit() { await this.driver?.quit(); }
}

// ---------------------------------------------------------------------------

/**
 * The engines the cross-engine tests run on. `sab`: whether the page is
 * expected to have SharedArrayBuffer (it is served cross-origin isolated).
 */
export const ENGINES = [
  { id: 'firefox', label: 'Firefox ESR', sab: true, start: () => FirefoxBrowser.start() },
  { id: 'webkit', label: 'WebKitGTK with SharedArrayBuffer', sab: true, start: () => WebKitBrowser.start({ sab: true }) },
  { id: 'webkit-nosab', label: 'WebKitGTK without SharedArrayBuffer', sab: false, start: () => WebKitBrowser.start({ sab: false }) },
];
