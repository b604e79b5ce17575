import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { EngineHost } from '../electron/services/engine/engineHost.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { candidateThreads } from '../electron/services/engine/threadCalibration.ts';
import { physicalCores } from '../electron/services/engine/cpuInfo.ts';
import { openDatabase } from '../electron/services/store/database.ts';
import { ThreadCalibrationStore } from '../electron/services/store/threadCalibrationStore.ts';
import { defaultSampling } from '../shared/schemas.ts';
import { demoModel, tempDir } from './fixtures.ts';

describe('threads measured on the real engine, remembered per model and machine', () => {
  let host: EngineHost | null = null;
  afterEach(async () => {
    await host?.dispose();
    host = null;
  });

  async function loadWith(
    options: ConstructorParameters<typeof EngineHost>[0]['threads'],
    memory: ThreadCalibrationStore,
    path: string,
  ) {
    await host?.dispose();
    host = new EngineHost({
      spawn: forkWorker,
      onStatus: () => {},
      gpu: 'cpu',
      threads: options,
      threadMemory: memory,
    });
    return host.load({ id: 'm', name: 'TinyStories', path });
  }

  it('measures on the first load, keeps the fastest measured, reuses it, measures a changed file again, and an override wins', async () => {
    const dir = tempDir('edgewise-threads-');
    const path = join(dir, 'model.gguf');
    copyFileSync(demoModel, path);
    const db = openDatabase(join(dir, 'edgewise.db'));
    const memory = new ThreadCalibrationStore(db);

    const first = await loadWith(null, memory, path);
    const measured = first.threadChoice!;
    expect(measured.source).toBe('measured');
    expect(measured.measurements.map((m) => m.threads)).toEqual(candidateThreads(physicalCores()));
    for (const m of measured.measurements) expect(m.tokensPerSec).toBeGreaterThan(0);
    const fastest = measured.measurements.reduce((a, b) => (b.tokensPerSec > a.tokensPerSec ? b : a));
    expect(measured.threads).toBe(fastest.threads);
    expect(first.threads).toBe(fastest.threads);
    // Under a second on a quiet machine; on a loaded 2-core one a collapsed count costs one step of about
    // a second (it is dropped after its warm-up step), so the bound leaves room for that.
    expect(measured.calibrationMs).toBeLessThan(5000);
    // It answers at the chosen count.
    const answer = await host!.generate(
      {
        requestId: 'r1',
        mode: 'raw',
        systemPrompt: '',
        history: [{ role: 'user', text: 'Once upon a time' }],
        sampling: { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: 12 },
        contextSize: 512,
      },
      () => {},
    );
    expect(answer.text.startsWith(', a little girl named Lily')).toBe(true);

    // A second load (a fresh worker, the same database) uses the measurement instead of measuring.
    const second = await loadWith(null, new ThreadCalibrationStore(db), path);
    expect(second.threadChoice).toEqual({ ...measured, source: 'remembered' });
    expect(second.threads).toBe(measured.threads);

    // An explicit count always wins, and leaves the measurement alone.
    const other = measured.threads === 1 ? 2 : 1;
    const forced = await loadWith(() => other, memory, path);
    expect(forced.threads).toBe(other);
    expect(forced.threadChoice).toMatchObject({ threads: other, source: 'override', measurements: [] });
    expect(memory.recall(path, 'cpu')).toEqual(measured);

    // The file changed (another modification time): it is another model, measured again.
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    expect(memory.recall(path, 'cpu')).toBeNull();
    const third = await loadWith(null, memory, path);
    expect(third.threadChoice!.source).toBe('measured');
    expect(third.threadChoice!.measuredAt).toBeGreaterThan(measured.measuredAt!);

    // Another machine (a different CPU or core count) does not reuse this one's measurement.
    expect(new ThreadCalibrationStore(db, () => 'another cpu|64p128l').recall(path, 'cpu')).toBeNull();
    db.close();
  }, 120_000);
});
