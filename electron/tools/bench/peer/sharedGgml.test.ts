import { describe, expect, it } from 'vitest';
import { loadedBackendFromLog, prebuiltBinsDir, prebuiltLibraries, sharedLinkArgs } from './sharedGgml.ts';

// The link command CMake wrote for llama-bench in the static peer build (build/tools/llama-bench/…/link.txt).
const LINK_TXT =
  '/usr/bin/c++ -O3 -DNDEBUG "CMakeFiles/llama-bench.dir/main.cpp.o" -o ../../bin/llama-bench  libllama-bench-impl.a ../../common/libllama-common.a ../../common/libllama-common-base.a ../../vendor/cpp-httplib/libcpp-httplib.a /usr/lib/x86_64-linux-gnu/libssl.so ../../src/libllama.a ../../ggml/src/libggml.a -ldl ../../ggml/src/libggml-cpu.a ../../ggml/src/libggml-base.a -lm /usr/lib/gcc/x86_64-linux-gnu/12/libgomp.so\n';
const LIBS = { llama: '/o/libllama.v0.5.0.so', ggml: '/o/libggml.v0.5.0.so', ggmlBase: '/o/libggml-base.so' };

describe("linking the peer against node-llama-cpp's own ggml", () => {
  it('swaps the static llama and ggml libraries for the shared ones, keeps the tool code, and finds them beside itself', () => {
    const { compiler, args } = sharedLinkArgs(LINK_TXT, LIBS, '/o/llama-bench');
    expect(compiler).toBe('/usr/bin/c++');
    expect(args[args.indexOf('-o') + 1]).toBe('/o/llama-bench');
    expect(args).toContain('CMakeFiles/llama-bench.dir/main.cpp.o'); // quotes taken off
    expect(args).toContain('../../common/libllama-common.a');
    expect(args).toEqual(expect.arrayContaining([LIBS.llama, LIBS.ggml, LIBS.ggmlBase, '-Wl,-rpath,$ORIGIN']));
    // No static kernel left: ggml must load its CPU variant from the shared libraries.
    expect(args.filter((a) => /libggml(-cpu|-base)?\.a$|libllama\.a$/.test(a))).toEqual([]);
    expect(() => sharedLinkArgs('/usr/bin/c++ main.o -o x', LIBS, '/o/x')).toThrow(/libllama\.a/);
    expect(() => sharedLinkArgs('', LIBS, '/o/x')).toThrow(/Not a link command/);
  });

  it("names node-llama-cpp's libraries by role, whatever their version suffix", () => {
    expect(
      prebuiltLibraries(['libggml-base.so', 'libggml-cpu-haswell.so', 'libggml.v0.5.0.so', 'libllama.v0.5.0.so']),
    ).toEqual({ llama: 'libllama.v0.5.0.so', ggml: 'libggml.v0.5.0.so', ggmlBase: 'libggml-base.so' });
    expect(() => prebuiltLibraries(['libggml-base.so'])).toThrow(/no llama library/);
    // This install has them (the test machine is linux-x64).
    if (process.platform === 'linux' && process.arch === 'x64') expect(prebuiltBinsDir()).toMatch(/linux-x64$/);
  });

  it("reads which CPU variant ggml loaded from llama.cpp's log", () => {
    expect(loadedBackendFromLog('x\nload_backend: loaded CPU backend from /c/libggml-cpu-sapphirerapids.so\n')).toBe(
      'sapphirerapids',
    );
    expect(loadedBackendFromLog('nothing here')).toBeNull();
  });
});
