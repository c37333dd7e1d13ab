/**
 * The driver domain (VM model only): a service VM owns the minidisk and writes blocks for three
 * client VMs, which reach it through a virtual channel-to-channel adapter (ctc.ts), as VM/370's
 * service machines served their users. Mid-run the lab kills the driver VM (CP stops it, as
 * when a service machine fails); CP notices at its next look and re-IPLs it; the clients' READs
 * time out and they resend. Measured: the outage (from the kill to the next acknowledgement any
 * client gets), retries, and whether every acknowledged write is on the minidisk afterwards
 * (read from the image file, not from the driver).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSource } from '../host/build.ts';
import type { ObjectImage } from '../guest/object.ts';
import { LAB_DIR } from './build.ts';
import { CTC_ADDR, CtcHub } from './ctc.ts';
import { LabMachine } from './machine.ts';

export const CLIENTS = 3;
export const NREQ = 40;
/** CP looks at its VMs this often (real instructions). */
const CHECK = 1_000;
const DISK = 0x191;

export interface DriverResult {
  clients: number;
  requests: number;
  /** Real instructions the run takes with no kill, and with one. */
  run_without_kill: number;
  run_with_kill: number;
  killed_at: number;
  restarted_at: number;
  /** Real instructions from the kill to the first acknowledgement after it. */
  outage: number;
  acknowledged: number;
  retries: number;
  /** Acknowledged writes not found on the minidisk afterwards (must be 0). */
  lost_acknowledged: number;
  completed: boolean;
}

function build(file: string, text: string): ObjectImage {
  const b = buildSource(text, join(LAB_DIR, file));
  if (!b.ok) throw new Error(`lab guest does not assemble:\n${b.errors.join('\n')}`);
  return b.image;
}

/** The experiment: a run with no kill (its length), then one where the driver is killed half-way. */
export function driverOutage(): DriverResult {
  const base = driverRun(-1);
  if (!base.completed || base.lost_acknowledged !== 0) throw new Error('the driver domain fails with no fault at all');
  const r = driverRun(Math.floor(base.run_with_kill / 2));
  return { ...r, run_without_kill: base.run_with_kill };
}

/** One run; the driver is killed at real time `killAt` (< 0: never). */
export function driverRun(killAt: number): DriverResult {
  const driver = build('generated-driver.s', `NCLIENTS = ${CLIENTS}\n        .include "driver.s"\n`);
  const vms = [{ name: 'DRIVER', image: driver, storage: 64 << 10, share: 1, mdisks: [{ vaddr: DISK, image: 'driver.img', blocks: CLIENTS * NREQ + 1 }] },
    ...Array.from({ length: CLIENTS }, (_, i) => ({
      name: `C${i + 1}`, image: build('generated-client.s', `CLIENT = ${i + 1}\nNREQ = ${NREQ}\n        .include "client.s"\n`), storage: 64 << 10, share: 1,
    }))];
  const m = new LabMachine(vms, 2_000);
  try {
    const names = vms.map((v) => v.name);
    const hub = new CtcHub(CLIENTS, (end) => {
      const u = m.user(names[end]);
      u.channel.inputArrived(CTC_ADDR, u.vm.now, u.vm.mem);
      m.sys.cp.wake(u.vm);
    });
    m.user('DRIVER').channel.attach(CTC_ADDR, hub.driver);
    hub.clients.forEach((c, i) => m.user(`C${i + 1}`).channel.attach(CTC_ADDR, c));
    let killed = -1, restarted = -1;
    const clientsDone = () => names.slice(1).every((n) => m.user(n).vm.state === 'stopped');
    while (!clientsDone() && m.realTime < 20_000_000) {
      const before = m.realTime;
      m.sys.run(CHECK);
      const dvm = m.user('DRIVER').vm;
      if (killAt >= 0 && killed < 0 && m.realTime >= killAt) {
        m.sys.cp.stopVm(dvm, 'operator', 0, 'killed by the lab');
        killed = m.realTime;
      } else if (dvm.state === 'stopped' && restarted < 0 && killed >= 0) {
        hub.driver.queue.length = 0; // the adapter's buffer for the dead VM goes with it
        m.ipl('DRIVER');
        restarted = m.realTime;
      }
      if (m.realTime === before && !clientsDone() && m.sys.cp.vms.every((v) => v.state !== 'ready')) break; // nothing can move
    }
    // Every acknowledged request must be on the minidisk: block (c-1)*NREQ + n = (n, c*1000 + n).
    const img = readFileSync(join(m.work, 'driver.img'));
    const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
    let acked = 0, lost = 0, retries = 0, firstAfter = Infinity;
    for (let c = 1; c <= CLIENTS; c++) {
      for (const l of m.lines.get(`C${c}`) ?? []) {
        const a = /^ack (\d+)$/.exec(l.text);
        if (l.text.startsWith('retry ')) retries++;
        if (!a) continue;
        acked++;
        if (killed >= 0 && l.real > killed) firstAfter = Math.min(firstAfter, l.real);
        const n = Number(a[1]), off = ((c - 1) * NREQ + n) * 512;
        if (off + 8 > img.length || dv.getInt32(off) !== n || dv.getInt32(off + 4) !== c * 1000 + n) lost++;
      }
    }
    return {
      clients: CLIENTS, requests: CLIENTS * NREQ, run_without_kill: -1, run_with_kill: m.realTime, killed_at: killed, restarted_at: restarted,
      outage: killed < 0 ? 0 : (firstAfter === Infinity ? -1 : firstAfter - killed), acknowledged: acked, retries, lost_acknowledged: lost,
      completed: names.slice(1).every((n) => (m.lines.get(n) ?? []).some((l) => l.text === 'client done')),
    };
  } finally { m.close(); }
}
