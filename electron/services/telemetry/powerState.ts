// The desktop app's power state from Electron's powerMonitor: on battery or not (every platform), and
// the thermal state, which Electron reads on macOS only (getCurrentThermalState, thermal-state-change).
// Elsewhere the thermal state is labelled unavailable with the reason rather than shown as "unknown".

export interface PowerState {
  onBattery: boolean;
  /** null where the platform offers none. */
  thermalState: string | null;
}

export interface SourceStatus {
  available: boolean;
  detail: string;
}

/** Whether Electron can read a thermal state on this platform. */
export function thermalStateSupported(platform: NodeJS.Platform): boolean {
  return platform === 'darwin';
}

const platformNames: Partial<Record<NodeJS.Platform, string>> = { win32: 'Windows', linux: 'Linux' };

export function describePowerState(state: PowerState | undefined, platform: NodeJS.Platform): SourceStatus {
  if (!state)
    return {
      available: false,
      detail: "Electron's powerMonitor runs only in the desktop app, not in the headless shell",
    };
  const power = state.onBattery ? 'on battery' : 'on AC power';
  if (state.thermalState !== null) return { available: true, detail: `${power}, thermal state ${state.thermalState}` };
  const where = platformNames[platform] ?? platform;
  return {
    available: true,
    detail: `${power}; thermal state unavailable: ${where} gives apps none (Electron reads it on macOS only)`,
  };
}
