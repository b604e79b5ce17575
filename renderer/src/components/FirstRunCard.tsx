import { useEffect, useState } from 'react';
import { bestFit, type CellModel } from '../../../shared/fit/matrix.ts';
import { guarded, rpc, useApp, actions } from '../store.ts';
import { gb } from '../format.ts';

/** When only the bundled demo model is here: the best catalog model for this machine, from the fit estimates. */
export function FirstRunCard() {
  const models = useApp((s) => s.models);
  const onlyDemo = models.length > 0 && models.every((m) => m.source === 'bundled');
  const [best, setBest] = useState<CellModel | null>(null);
  useEffect(() => {
    if (!onlyDemo) return;
    void guarded(() => rpc().call('fit.facts', {})).then((facts) => {
      const machine = facts?.devices.find((d) => d.id === 'this-machine');
      if (facts && machine) setBest(bestFit(facts.catalog, machine, 8192, 'f16'));
    });
  }, [onlyDemo]);
  if (!onlyDemo || !best) return null;
  return (
    <div className="first-run" data-testid="first-run">
      <strong>Only the tiny demo model is installed.</strong> The best fit for this machine is{' '}
      <strong>{best.name}</strong> at {best.quantization}: about {gb(best.weightsBytes)} to download,{' '}
      {gb(best.totalBytes)} in memory with an 8K context.{' '}
      <button onClick={() => actions.show('fit')}>See what fits</button>
    </div>
  );
}
