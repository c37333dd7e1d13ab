/**
 * The bench's clock: CPU time of this process (user + system, ms), not wall time. This machine is
 * shared (load averages above 10 on 2 cores are common): wall time measures the other processes
 * as much as ours, while CPU time stays close to what the work costs. Ratios are taken between
 * figures measured with this one clock in one run. Startup is the exception (bench/startup.ts):
 * it is wall time by definition.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
