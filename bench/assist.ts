/**
 * The hook for the Virtual Machine Assist (issue 11, section 1, built separately on top of the
 * privileged-instruction redesign). The bench reports CP figures with the assist on and off once a
 * session can turn it on and off; until then every assist figure is null and the report says so.
 *
 * What the hook expects of the assist (src/cpu/assist.ts):
 * - a session option `assist: boolean` (`new Session(image, { mode: 'vm', assist })`), reflected
 *   on the VM as a boolean property `vm.assist`;
 * - per-VM counters `vm.assistCounters` (per instruction: completed by the assist, or passed to
 *   CP) with `hitRatio`, the fraction of the instructions that left the guest's direct execution
 *   that the assist completed (Hercules's ECPS:VM statistics).
 */
import type { ObjectImage } from '../src/guest/object.ts';
import { Session, type SessionOptions } from '../src/session/session.ts';

export interface AssistHook {
  /** True when sessions have an assist switch. */
  readonly supported: boolean;
  /** Why not, when not. */
  readonly note: string;
  /** Session options turning the assist on or off ({} when unsupported). */
  options(on: boolean): Partial<SessionOptions>;
  /** Fraction of would-be CP entries the assist completed, or null. */
  hitRatio(s: Session): number | null;
}

interface AssistVm { assist?: unknown; assistCounters?: { hitRatio?: unknown } }

function detect(): AssistHook {
  // A disabled-wait PSW at 0: a valid machine that stops at once.
  const tiny: Pick<ObjectImage, 'segments' | 'entry'> = { segments: [{ address: 0, bytes: new Uint8Array([0, 2, 0, 0, 0, 0, 0, 0]) }], entry: 0 };
  let supported = false;
  try {
    const probe = new Session(tiny, { mode: 'vm', assist: false } as SessionOptions);
    const vm = probe.vm as unknown as AssistVm;
    supported = vm.assist === false && typeof vm.assistCounters?.hitRatio === 'number';
  } catch { supported = false; }
  if (!supported) {
    return {
      supported, note: 'no Virtual Machine Assist in this build (issue 11, section 1): CP figures are without it; assist figures are null',
      options: () => ({}), hitRatio: () => null,
    };
  }
  return {
    supported, note: 'CP figures with the assist on (default) and off (--no-assist)',
    options: (on) => ({ assist: on } as Partial<SessionOptions>),
    hitRatio: (s) => {
      const v = s.vm as unknown as AssistVm | null;
      return v && v.assist === true ? (v.assistCounters!.hitRatio as number) : null;
    },
  };
}

export const assist: AssistHook = detect();
