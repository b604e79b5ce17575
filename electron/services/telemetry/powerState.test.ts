import { describe, expect, it } from 'vitest';
import { describePowerState, thermalStateSupported } from './powerState.ts';
import { describeSources, powerSources } from './powerSources.ts';

describe('power state and thermal state', () => {
  it('reads the thermal state where Electron has one (macOS) and nowhere else', () => {
    expect(thermalStateSupported('darwin')).toBe(true);
    expect(thermalStateSupported('win32')).toBe(false);
    expect(thermalStateSupported('linux')).toBe(false);
  });

  it('shows the thermal state read at start on macOS', () => {
    expect(describePowerState({ onBattery: true, thermalState: 'nominal' }, 'darwin')).toEqual({
      available: true,
      detail: 'on battery, thermal state nominal',
    });
  });

  it('labels the thermal state unavailable, with the reason, on Windows and Linux', () => {
    expect(describePowerState({ onBattery: false, thermalState: null }, 'win32')).toEqual({
      available: true,
      detail: 'on AC power; thermal state unavailable: Windows gives apps none (Electron reads it on macOS only)',
    });
    expect(describePowerState({ onBattery: false, thermalState: null }, 'linux').detail).toMatch(
      /thermal state unavailable: Linux gives apps none/,
    );
  });

  it('says why there is no power state in the headless shell', async () => {
    expect(describePowerState(undefined, 'darwin')).toEqual({
      available: false,
      detail: "Electron's powerMonitor runs only in the desktop app, not in the headless shell",
    });
    // What the telemetry panel receives: the same wording through describeSources.
    const sources = await describeSources(powerSources('linux', '/nonexistent'), null, () => ({
      onBattery: false,
      thermalState: null,
    }));
    expect(sources.powerState.detail).toMatch(/^on AC power; thermal state unavailable: Linux/);
  });
});
