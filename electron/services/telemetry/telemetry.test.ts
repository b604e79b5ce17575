import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLinuxBattery, readRapl, raplJoules } from './linuxPower.ts';
import { parseIoreg } from './macPower.ts';
import { parseCim } from './windowsPower.ts';
import { describeSources, powerSources } from './powerSources.ts';
import { TelemetryService, type Sample } from './telemetryService.ts';
import { tempDir } from '../../../tests/fixtures.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function sysTree(files: Record<string, string>): string {
  const root = tempDir('edgewise-sys-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('power and battery sources', () => {
  it('reads a Linux battery from power_now, or from current_now × voltage_now', () => {
    const a = sysTree({
      'power_supply/AC/type': 'Mains\n',
      'power_supply/BAT0/type': 'Battery\n',
      'power_supply/BAT0/capacity': '76\n',
      'power_supply/BAT0/status': 'Discharging\n',
      'power_supply/BAT0/power_now': '11250000\n',
    });
    expect(readLinuxBattery(join(a, 'power_supply'))).toEqual({
      ok: true,
      source: 'sysfs BAT0',
      value: { percent: 76, charging: false, powerW: 11.25 },
    });
    const b = sysTree({
      'power_supply/BAT1/type': 'Battery\n',
      'power_supply/BAT1/capacity': '40\n',
      'power_supply/BAT1/status': 'Charging\n',
      'power_supply/BAT1/current_now': '1500000\n',
      'power_supply/BAT1/voltage_now': '12000000\n',
    });
    expect(readLinuxBattery(join(b, 'power_supply'))).toMatchObject({
      ok: true,
      value: { percent: 40, charging: true, powerW: 18 },
    });
    const desktop = sysTree({ 'power_supply/AC/type': 'Mains\n' });
    expect(readLinuxBattery(join(desktop, 'power_supply'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/no battery/),
    });
    expect(readLinuxBattery(join(desktop, 'missing'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/no \/sys\/class\/power_supply/),
    });
  });

  it('reads the RAPL package counter and counts joules across a wrap-around', () => {
    const root = sysTree({
      'powercap/intel-rapl:0/name': 'package-0\n',
      'powercap/intel-rapl:0/energy_uj': '262143000000\n',
      'powercap/intel-rapl:0/max_energy_range_uj': '262143328850\n',
      'powercap/intel-rapl:0:0/name': 'core\n',
    });
    const first = readRapl(join(root, 'powercap'));
    expect(first).toMatchObject({ ok: true, value: { domain: 'package-0', energyUj: 262143000000 } });
    writeFileSync(join(root, 'powercap/intel-rapl:0/energy_uj'), '671150\n'); // wrapped
    const second = readRapl(join(root, 'powercap'));
    if (!first.ok || !second.ok) throw new Error('unreadable');
    expect(raplJoules(first.value, second.value)).toBeCloseTo((262143328850 - 262143000000 + 671150) / 1e6, 6);
    expect(readRapl(join(root, 'nothing'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no RAPL/) });
  });

  it('parses real ioreg and CIM output', () => {
    const mac = parseIoreg(fixture('ioreg-macbook-air-m2.txt'));
    expect(mac).toMatchObject({ ok: true, value: { percent: 87, charging: false } });
    if (mac.ok) expect(mac.value.powerW).toBeCloseTo(12.498 * 1.0, 3); // 12498 mV × |−1000 mA|
    expect(parseIoreg('+-o Root  <class IORegistryEntry>')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/desktop Mac/),
    });
    expect(parseCim(fixture('cim-battery-discharging.json'))).toMatchObject({
      ok: true,
      value: { percent: 64, charging: false, powerW: 9.35 },
    });
    expect(parseCim(fixture('cim-desktop.json'))).toMatchObject({ ok: false });
  });

  it('on this CI machine every power figure says it is unavailable, and why', async () => {
    const sources = powerSources('linux', sysTree({ 'power_supply/AC/type': 'Mains\n' }));
    expect(await sources.battery()).toMatchObject({ ok: false, reason: expect.stringMatching(/no battery/) });
    expect(sources.energy()).toMatchObject({ ok: false, reason: expect.stringMatching(/no RAPL/) });
    expect(powerSources('darwin').energy()).toMatchObject({ ok: false, reason: expect.stringMatching(/powermetrics/) });
  });
});

describe('telemetry service', () => {
  it('integrates battery power above the idle baseline into energy per token', async () => {
    const root = sysTree({
      'power_supply/BAT0/type': 'Battery\n',
      'power_supply/BAT0/capacity': '50\n',
      'power_supply/BAT0/status': 'Discharging\n',
      'power_supply/BAT0/power_now': '5000000\n',
    });
    // Waits on the sampler itself (it asks for usage at every sample), not on the clock, and checks the
    // energy against the samples' own times, so a slow or busy machine changes the span, not the verdict.
    let samplesStarted = 0;
    let fourTaken = () => {};
    const taken = new Promise<void>((resolve) => (fourTaken = resolve));
    const emitted: Sample[] = [];
    const service = new TelemetryService({
      sources: powerSources('linux', root),
      usage: async () => {
        if (++samplesStarted === 5) fourTaken(); // a sample starts only when the one before has ended
        return null;
      },
      emit: (batch) => emitted.push(...batch),
    });
    const run = await service.start('m1');
    expect(run.baselineW).toBe(5);
    writeFileSync(join(root, 'power_supply/BAT0/power_now'), '15000000\n'); // 10 W above idle while "generating"
    run.setTokens(100);
    await taken;
    const summary = run.finish(100);
    expect(summary.powerSource).toBe('battery discharge rate');
    // 10 W over the span between the first and last sample
    const points = emitted.filter((s) => s.powerW !== null);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.every((s) => s.powerW === 15)).toBe(true);
    const span = (points.at(-1)!.atMs - points[0]!.atMs) / 1000;
    expect(span).toBeGreaterThan(0);
    expect(summary.energyJoules!).toBeCloseTo(10 * span, 6);
    expect(summary.energyPerTokenMj).toBeCloseTo((summary.energyJoules! / 100) * 1000, 6);
    expect(summary.powerMethod).toMatch(/idle baseline 5\.00 W/);
  });

  it('subtracts the idle baseline from a RAPL energy counter', async () => {
    const root = sysTree({
      'powercap/intel-rapl:0/name': 'package-0\n',
      'powercap/intel-rapl:0/energy_uj': '1000000\n',
      'powercap/intel-rapl:0/max_energy_range_uj': '262143328850\n',
    });
    const service = new TelemetryService({
      sources: powerSources('linux', root),
      usage: async () => null,
      emit: () => {},
    });
    const run = await service.start('m2'); // baseline: the counter does not move → 0 W
    expect(run.baselineW).toBe(0);
    writeFileSync(join(root, 'powercap/intel-rapl:0/energy_uj'), '4000000\n'); // +3 J
    const summary = run.finish(30);
    expect(summary.energyJoules).toBeCloseTo(3, 6);
    expect(summary.energyPerTokenMj).toBeCloseTo(100, 6);
    expect(summary.powerSource).toMatch(/RAPL intel-rapl:0/);
  });

  it('takes the RAPL baseline from the idle time before an answer, without making the answer wait', async () => {
    const root = sysTree({
      'powercap/intel-rapl:0/name': 'package-0\n',
      'powercap/intel-rapl:0/energy_uj': '1000000\n',
      'powercap/intel-rapl:0/max_energy_range_uj': '262143328850\n',
    });
    const counter = (uj: number) => writeFileSync(join(root, 'powercap/intel-rapl:0/energy_uj'), `${uj}\n`);
    let clock = 0;
    const waits: number[] = [];
    const service = new TelemetryService({
      sources: powerSources('linux', root),
      usage: async () => null,
      emit: () => {},
      now: () => clock,
      wait: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    // Idle for 2 s at 1.5 W since the service read the counter.
    clock = 2000;
    counter(4_000_000);
    const first = await service.start('m1');
    expect(waits).toEqual([]);
    expect(first.baselineW).toBeCloseTo(1.5, 6);
    clock = 3000;
    counter(9_000_000); // +5 J over the answer's 1 s: 3.5 J above the 1.5 W baseline
    expect(first.finish(35).energyJoules).toBeCloseTo(3.5, 6);
    // The next answer 50 ms later: too short a window to measure, so the last baseline stands in.
    clock = 3050;
    counter(9_100_000);
    const second = await service.start('m2');
    expect(waits).toEqual([]);
    expect(second.baselineW).toBeCloseTo(1.5, 6);
    second.finish(1);
    // Two minutes later with no reading since (no tick in this test's clock) and no recent baseline:
    // measured for 200 ms before the answer, as the first answer after start is.
    clock = 123_050;
    const third = await service.start('m3');
    expect(waits).toEqual([200]);
    expect(third.baselineW).toBe(0); // the counter did not move during the wait
    third.finish(1);
  });

  it('VRAM: the figure where the backend measures it, otherwise why there is none', async () => {
    const linux = powerSources('linux', tempDir());
    expect((await describeSources(linux, 'cpu')).vram).toEqual({
      available: false,
      detail: 'the model runs on the CPU backend, which uses no VRAM',
    });
    expect((await describeSources(linux, 'cuda', undefined, 3 * 1024 ** 3)).vram).toMatchObject({
      available: true,
      detail: expect.stringMatching(/as llama\.cpp's cuda backend reports it/),
    });
    expect((await describeSources(linux, 'vulkan', undefined, null)).vram).toMatchObject({
      available: false,
      detail: expect.stringMatching(/vulkan device reports no memory in use.*memory-budget/),
    });
  });
});
