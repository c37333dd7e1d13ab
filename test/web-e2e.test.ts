/**
 * The playground end to end, in real Chromium (Debian's /usr/bin/chromium, headless, driven by
 * playwright-core): open the built page (dist/web, served by `tinycp web`'s server), load the
 * system-call example, run to its first traps, see them in the trap timeline with their
 * narration, step back, run hello to "Hello, world", pause a guest that spins masked, break the
 * assembler with a typo. One browser for the whole file. Screenshots go to test-artifacts/web/
 * (gitignored). Skips, saying why, when there is no Chromium (`.ci/run` installs it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, serveSite, siteIsStale, SITE_DIR } from '../src/cli/web.ts';

const CHROMIUM = process.env.TINYCP_CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const ARTIFACTS = new URL('../test-artifacts/web/', import.meta.url).pathname;
if (!haveBrowser) console.warn(`web e2e: SKIPPED: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, as .ci/run does)`);

describe.skipIf(!haveBrowser)('the playground in Chromium', () => {
  let browser: Browser, server: Server, url = '';

  beforeAll(async () => {
    if (siteIsStale()) {
      const err = buildSite(() => {});
      if (err) throw new Error(err);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, url } = await serveSite(SITE_DIR));
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  async function open(hash = '', width = 1400): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url + hash);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(errors).toEqual([]);
    return page;
  }
  const status = (p: Page) => p.locator('#status').textContent();

  it('opens ready to use, every control reachable by its name; reports time to interactive', async () => {
    const page = await open();
    for (const name of ['Run', 'Pause', 'Step', 'Step over', 'Back', 'Back to previous trap', 'Reverse continue', 'Run to next trap']) {
      await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
    }
    await expect(page.getByRole('checkbox', { name: 'Run under CP' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('combobox', { name: 'Examples' }).count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Trap timeline' }).count()).resolves.toBe(1);
    const tti = await page.evaluate(() => performance.getEntriesByName('tinycp:interactive')[0]?.startTime ?? -1);
    expect(tti).toBeGreaterThan(0);
    console.log(`web e2e: time to interactive ${tti.toFixed(0)} ms (page load to the first machine view)`);
    await page.close();
  }, 60_000);

  it('shows the system-call flow as a picture: LPSW emulated, SVC reflected, and steps back across it', async () => {
    const page = await open();
    await page.getByRole('combobox', { name: 'Examples' }).selectOption('syscall');
    const timeline = page.getByRole('region', { name: 'Trap timeline' });
    const events = timeline.getByRole('listitem');
    // Step, Step, Step: L and LHI run directly (R2 changes, marked), then LPSW traps to CP.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => page.locator('.reg.changed').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toContain('instruction 2');
    expect(await events.count()).toBe(0);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => events.count(), { timeout: 10_000 }).toBe(1);
    for (let n = 2; n <= 3; n++) {
      await page.getByRole('button', { name: 'Run to next trap' }).click();
      await expect.poll(() => events.count(), { timeout: 20_000 }).toBe(n);
    }
    const svc = timeline.getByRole('button', { name: /SVC 1 at .*reflected/ });
    await expect(svc.count()).resolves.toBe(1);
    await expect(timeline.getByRole('button', { name: /LPSW.*emulated/ }).count()).resolves.toBe(2);
    await svc.click();
    await expect.poll(() => page.locator('#event-text').textContent(), { timeout: 10_000 }).toMatch(/reflects it to the guest's SVC new PSW/);
    await expect(page.locator('.cm-activeLine').textContent()).resolves.toMatch(/^uloop:\s+SVC\s+1/);
    await page.screenshot({ path: join(ARTIFACTS, 'syscall-timeline.png'), fullPage: false });
    // Travel to that trap: the machine just after it (L, LHI, LPSW, SVC: instruction 4).
    await page.getByRole('button', { name: 'Go to this trap' }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toContain('stopped at instruction 4');
    const at = Number(/instruction (\d+)/.exec((await status(page)) ?? '')?.[1]);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toContain(`instruction ${at - 1}`);
    await page.getByRole('button', { name: 'Back to previous trap' }).click();
    // Back before the last LPSW's emulation: that event is now in the future, drawn dimmed.
    await expect.poll(() => page.locator('ol.events li.future').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'syscall-back.png'), fullPage: true });
    await page.close();
  }, 90_000);

  it("shows the TLB-miss flow: CP fills its shadow table from the guest's page table", async () => {
    const page = await open('#example=tlbmiss');
    const timeline = page.getByRole('region', { name: 'Trap timeline' });
    const fill = timeline.getByRole('button', { name: /shadow-table miss at .*: shadow-fill/ });
    // Trap by trap: the load misses, the guest's page fault is reflected, the guest maps the page, the retry fills the shadow.
    for (let n = 0; n < 20 && (await fill.count()) === 0; n++) {
      const before = await timeline.getByRole('listitem').count();
      await page.getByRole('button', { name: 'Run to next trap' }).click();
      await expect.poll(() => timeline.getByRole('listitem').count(), { timeout: 20_000 }).toBeGreaterThan(before);
    }
    await expect(timeline.getByRole('button', { name: /shadow-table miss.*: reflected/ }).count()).resolves.toBe(1);
    await expect(fill.count()).resolves.toBe(1);
    // The filled page is in the guest's table and in CP's shadow table, highlighted in both.
    await expect.poll(() => page.locator('#tables tr.filled').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await fill.click();
    await expect.poll(() => page.locator('#event-text').textContent(), { timeout: 10_000 }).toMatch(/shadow table/);
    await page.getByRole('region', { name: 'Translation tables' }).screenshot({ path: join(ARTIFACTS, 'tlbmiss-tables.png') });
    await page.close();
  }, 90_000);

  it('runs hello to "Hello, world" (bare and under CP) and shows the CP counters', async () => {
    const page = await open('#example=hello');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('#guest-out').textContent(), { timeout: 20_000 }).toBe('Hello, world');
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/ended: disabled wait, code 0/);
    await expect(page.locator('#counters').textContent()).resolves.toMatch(/handled by CP \d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'hello.png'), fullPage: true });
    await page.getByRole('checkbox', { name: 'Run under CP' }).uncheck();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toMatch(/bare machine .*ended: disabled wait, code 0/);
    await page.close();
  }, 60_000);

  it('runs the CMS session and answers a line typed at the guest console', async () => {
    const page = await open('#example=cms');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/waiting for console input/);
    await expect(page.locator('#guest-out').textContent()).resolves.toContain('Hello from CMS');
    await page.getByRole('textbox', { name: 'Console input' }).fill('LISTFILE');
    await page.getByRole('textbox', { name: 'Console input' }).press('Enter');
    await expect.poll(async () => ((await page.locator('#guest-out').textContent()) ?? '').split('FILENAME').length, { timeout: 20_000 }).toBe(3);
    await page.close();
  }, 60_000);

  it('stops at a breakpoint set by clicking the gutter', async () => {
    const page = await open('#example=hello');
    const line = page.locator('.cm-line', { hasText: 'iodone:' });
    const lb = (await line.boundingBox())!, gb = (await page.locator('.cm-breakpoint-gutter').boundingBox())!;
    await page.mouse.click(gb.x + gb.width / 2, lb.y + lb.height / 2);
    await expect.poll(() => page.locator('.bp-dot').count(), { timeout: 5_000 }).toBe(1);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('table.disasm tr.current.bp').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('.cm-current-insn').textContent()).toContain('iodone:');
    await page.close();
  }, 60_000);

  it('pauses a guest that spins with every interruption masked; the page stays responsive', async () => {
    const spin = '        .org 0\n        .psw 0, spin\n        .org 0x200\nspin:   J spin\n';
    const page = await open(`#file=spin.s&code=${Buffer.from(spin).toString('base64url')}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/running/);
    // The page answers while the worker spins: the editor takes typing.
    await page.locator('.cm-content').click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/stopped at instruction [1-9]\d*/);
    await page.close();
  }, 60_000);

  it('marks an assembler error inline as you type', async () => {
    const page = await open('#example=hello');
    const line = page.locator('.cm-line', { hasText: 'LA    R1,ccw' });
    await line.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await page.keyboard.type('X');
    await expect.poll(() => page.locator('.cm-lintRange-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.locator('.cm-lint-marker-error').first().hover();
    await expect.poll(() => page.locator('.cm-tooltip-lint').textContent(), { timeout: 10_000 }).toMatch(/ccwX/i);
    await page.screenshot({ path: join(ARTIFACTS, 'diagnostic.png') });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/assembly failed/);
    await page.close();
  }, 60_000);

  it('runs the time-sharing demo: a console per user, the note through the spool, a crashing guest stopped alone', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Start time-sharing' }).click();
    const consoleOf = (user: string) => page.getByRole('region', { name: `Console of ${user}` }).locator('pre.transcript');
    await expect.poll(() => consoleOf('HELLO').textContent(), { timeout: 30_000 }).toContain('Hello, world');
    await expect.poll(() => consoleOf('MTOS').textContent(), { timeout: 30_000 }).toContain('MTOS: all tasks ended');
    await expect.poll(() => consoleOf('WILD').textContent(), { timeout: 30_000 }).toMatch(/WILD STOPPED/);
    await expect.poll(() => consoleOf('CMSB').textContent(), { timeout: 30_000 }).toContain('THIS NOTE WAS PUNCHED BY CMSA AND TRAVELLED THROUGH');
    const vms = page.getByRole('table', { name: 'Virtual machines' });
    await expect.poll(() => vms.getByRole('row').filter({ hasText: 'WILD' }).textContent(), { timeout: 10_000 }).toContain('stopped');
    // Type at HELLO's console: #CP IPL starts that VM alone over.
    await page.getByRole('region', { name: 'Console of HELLO' }).locator('.xterm').click();
    await page.keyboard.type('#CP IPL');
    await page.keyboard.press('Enter');
    await expect.poll(async () => ((await consoleOf('HELLO').textContent()) ?? '').split('Hello, world').length, { timeout: 20_000 }).toBe(3);
    await page.getByRole('region', { name: 'Time-sharing' }).screenshot({ path: join(ARTIFACTS, 'timesharing.png') });
    await page.close();
  }, 90_000);

  it('fits a narrow window: every control on screen', async () => {
    const page = await open('', 420);
    for (const name of ['Run', 'Pause', 'Step', 'Step over', 'Back', 'Back to previous trap', 'Reverse continue', 'Run to next trap']) {
      const box = await page.getByRole('button', { name, exact: true }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 420, name).toBe(true);
    }
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(420);
    await page.screenshot({ path: join(ARTIFACTS, 'narrow.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
