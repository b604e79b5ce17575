// The fit view's state. The matrix is computed here from the shared estimator, so changing a control
// recolors it at once, with no round trip; only the facts and the device list come from the back end.
// No events: the facts change only through this store's own calls.
import { create } from 'zustand';
import type { AppContract } from '../../../shared/contract.ts';
import type { CallResult } from '../../../shared/rpc.ts';
import type { Device } from '../../../shared/fit/devices.ts';
import type { FitControls } from '../../../shared/fit/matrix.ts';
import { rpc } from '../rpc/client.ts';
import { guarded } from './appStore.ts';

type Facts = CallResult<AppContract, 'fit.facts'>;

interface FitState {
  facts: Facts | null;
  controls: FitControls;
  selected: { tier: string; device: string } | null;
  measuring: boolean;
}

export const useFitStore = create<FitState>(() => ({
  facts: null,
  controls: { quant: 'Q4_K_M', ctx: 8192, kvType: 'f16', readingSpeed: 10 },
  selected: null,
  measuring: false,
}));

export const fitActions = {
  async load() {
    const facts = await guarded(() => rpc().call('fit.facts', {}));
    if (facts) useFitStore.setState((s) => ({ facts, controls: { ...s.controls, readingSpeed: facts.readingSpeed } }));
  },
  /** The reading speed shades cells at once and is kept in the back end's settings. */
  async setReadingSpeed(tokensPerSec: number) {
    if (!(tokensPerSec >= 0.1 && tokensPerSec <= 10_000)) return;
    fitActions.setControls({ readingSpeed: tokensPerSec });
    await guarded(() => rpc().call('fit.setReadingSpeed', { tokensPerSec }));
  },
  async measure() {
    useFitStore.setState({ measuring: true });
    try {
      if (await guarded(() => rpc().call('fit.measure', {}))) await fitActions.load();
    } finally {
      useFitStore.setState({ measuring: false });
    }
  },
  setControls(change: Partial<FitControls>) {
    useFitStore.setState((s) => ({ controls: { ...s.controls, ...change } }));
  },
  select(tier: string, device: string) {
    useFitStore.setState({ selected: { tier, device } });
  },
  async addDevice(
    name: string,
    memoryType: Device['memoryType'],
    memoryGb: number,
    vramGb: number | null,
    speed: { bandwidthGBs: number | null; computeTflops: number | null; chipId: string | null },
  ) {
    const added = await guarded(() =>
      rpc().call('fit.addDevice', {
        name,
        memoryType,
        memoryBytes: memoryGb * 1024 ** 3,
        vramBytes: vramGb ? vramGb * 1024 ** 3 : null,
        bandwidthBytesPerSec: speed.bandwidthGBs ? speed.bandwidthGBs * 1e9 : null,
        computeFlops: speed.computeTflops ? speed.computeTflops * 1e12 : null,
        chipId: speed.chipId,
      }),
    );
    if (added) await fitActions.load();
  },
  async removeDevice(id: string) {
    if (await guarded(() => rpc().call('fit.removeDevice', { id }))) await fitActions.load();
  },
};
