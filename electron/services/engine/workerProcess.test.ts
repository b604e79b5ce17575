import { describe, expect, it } from 'vitest';
import { workerEnv } from './workerProcess.ts';

describe('the engine worker environment', () => {
  it("sizes libuv's pool at one thread and keeps the rest of the app's environment", () => {
    const env = workerEnv({ PATH: '/usr/bin', UV_THREADPOOL_SIZE: '8', EDGEWISE_DATA_DIR: '/data' });
    expect(env.UV_THREADPOOL_SIZE).toBe('1');
    expect(env.PATH).toBe('/usr/bin');
    expect(env.EDGEWISE_DATA_DIR).toBe('/data');
  });

  it('takes another pool size from EDGEWISE_WORKER_UV_THREADS (the bench measures both)', () => {
    expect(workerEnv({ EDGEWISE_WORKER_UV_THREADS: '4' }).UV_THREADPOOL_SIZE).toBe('4');
    expect(workerEnv({ EDGEWISE_WORKER_UV_THREADS: '' }).UV_THREADPOOL_SIZE).toBe('1');
  });
});
