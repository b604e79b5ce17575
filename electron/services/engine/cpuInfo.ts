// Physical cores: llama.cpp decodes fastest with one thread per physical core; node-llama-cpp's
// default of max(cores, 4) oversubscribes small machines (250x slower on a 2-core box).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export function parseProcCpuinfo(text: string): number | null {
  const cores = new Set<string>();
  let physical = '0';
  for (const line of text.split('\n')) {
    const [key, value] = line.split(':').map((s) => s.trim());
    if (key === 'physical id') physical = value ?? '0';
    if (key === 'core id') cores.add(`${physical}/${value}`);
  }
  return cores.size > 0 ? cores.size : null;
}

export function physicalCores(): number {
  const logical = availableParallelism();
  try {
    if (process.platform === 'linux')
      return Math.min(logical, parseProcCpuinfo(readFileSync('/proc/cpuinfo', 'utf8')) ?? logical);
    if (process.platform === 'darwin')
      return (
        Number(execFileSync('sysctl', ['-n', 'hw.physicalcpu'], { encoding: 'utf8', windowsHide: true }).trim()) ||
        logical
      );
  } catch {
    // fall through to the logical count
  }
  return logical;
}
