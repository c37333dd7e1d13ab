/**
 * The three ways to run N services (docs/lab-isolation.md):
 *   - vm:        each service in its own VM under CP, with its own copy of the lab kernel;
 *   - container: the services as tasks of one shared lab kernel in one VM (namespaces, quotas,
 *                CPU shares: programs/lab/kernel.s);
 *   - libos:     each service in its own VM, linked with the library OS (programs/lab/libos.s).
 * A Deployment says which VMs run what, and maps each service back to its console lines: in the
 * container model the kernel tags each task's lines with `t<id>| `, its console namespace.
 */
import { buildGuest, DEFAULT_PARAMS, type GuestParams, type TaskSpec } from './build.ts';
import { LabMachine, type LabVm, type Line } from './machine.ts';

export type Model = 'vm' | 'container' | 'libos';
export const MODELS: readonly Model[] = ['vm', 'container', 'libos'];

/** Storage of a one-service VM: kernel or library, the service pages and its private area. */
export const SMALL_VM = 512 << 10;
const PAGE = 4096;

/** Where service i runs: its VM and, under a kernel, its task id. */
export interface Placement { vm: string; task: number | null }

export interface Deployment {
  model: Model;
  tasks: readonly TaskSpec[];
  params: GuestParams;
  vms: LabVm[];
  where: Placement[];
}

/** Lay out `tasks` in `model`. */
export function deploy(model: Model, tasks: readonly TaskSpec[], params: Partial<GuestParams> = {}): Deployment {
  const p = { ...DEFAULT_PARAMS, ...params };
  if (model === 'container') {
    const image = buildGuest('kernel', tasks, p);
    // The shared kernel's VM: its tables and frames, rounded up to 64K (CP's storage sizes).
    const need = 0x60000 + tasks.length * p.quota * PAGE;
    const storage = Math.max(1 << 20, Math.ceil(need / 0x10000) * 0x10000);
    return { model, tasks, params: p, vms: [{ name: 'SHARED', image, storage, share: 1 }], where: tasks.map((_, i) => ({ vm: 'SHARED', task: i + 1 })) };
  }
  const vms = tasks.map((t, i) => ({
    name: `S${i + 1}`, image: buildGuest(model === 'vm' ? 'kernel' : 'libos', [{ service: t.service, share: 1 }], p), storage: SMALL_VM, share: t.share,
  }));
  return { model, tasks, params: p, vms, where: vms.map((v) => ({ vm: v.name, task: model === 'vm' ? 1 : null })) };
}

/** Boot a deployment on a fresh time-sharing system. Close it when done. */
export function boot(d: Deployment, quantum?: number): LabMachine { return new LabMachine(d.vms, quantum); }

/** Service i's own console lines (kernel lines and task tags stripped). */
export function serviceLines(d: Deployment, m: LabMachine, i: number): Line[] {
  const w = d.where[i];
  const all = m.lines.get(w.vm) ?? [];
  if (w.task === null) return all;
  const tag = `t${w.task}| `;
  return all.filter((l) => l.text.startsWith(tag)).map((l) => ({ ...l, text: l.text.slice(tag.length) }));
}

/** Run the services to the end and return each one's output lines. */
export function runToEnd(model: Model, tasks: readonly TaskSpec[], params: Partial<GuestParams> = {}, max = 50_000_000): string[][] {
  const d = deploy(model, tasks, params);
  const m = boot(d);
  try {
    m.run(max);
    return d.tasks.map((_, i) => serviceLines(d, m, i).map((l) => l.text));
  } finally { m.close(); }
}
