import { useEffect, useMemo } from 'react';
import { bestFit } from '../../../shared/fit/matrix.ts';
import { appActions } from '../state/appStore.ts';
import { fitActions, useFitStore } from '../state/fitStore.ts';
import { useModelsStore } from '../state/modelsStore.ts';
import { gb } from '../format.ts';

/** When only the bundled demo model is here: the best catalog model for this machine, from the fit estimates. */
export function FirstRunCard() {
  const models = useModelsStore((s) => s.models);
  const onlyDemo = models.length > 0 && models.every((m) => m.source === 'bundled');
  const facts = useFitStore((s) => s.facts);
  useEffect(() => {
    if (onlyDemo) void fitActions.load();
  }, [onlyDemo]);
  const best = useMemo(() => {
    const machine = facts?.devices.find((d) => d.id === 'this-machine');
    return facts && machine ? bestFit(facts.catalog, machine, 8192, 'f16', facts.readingSpeed) : null;
  }, [facts]);
  if (!onlyDemo || !best) return null;
  return (
    <div className="first-run" data-testid="first-run">
      <strong>Only the tiny demo model is installed.</strong> The best fit for this machine is{' '}
      <strong>{best.name}</strong> at {best.quantization}: about {gb(best.weightsBytes)} to download,{' '}
      {gb(best.totalBytes)} in memory with an 8K context.{' '}
      <button onClick={() => appActions.show('fit')}>See what fits</button>
    </div>
  );
}
