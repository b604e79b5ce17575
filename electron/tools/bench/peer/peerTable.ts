// The peer run as a Markdown table, printed by `edgewise bench --peer` and pasted into the README as is,
// so that a later run on a quieter machine replaces it in one step.
import type { PeerResult } from './peerBench.ts';
import type { RatioSummary } from './peerStats.ts';

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const ratio = (r: RatioSummary) => `${fixed(r.median, 2)} (${fixed(r.min, 2)}–${fixed(r.max, 2)})`;

export function peerMarkdown(r: PeerResult, machine: { cpu: string; cores: number; load: string }): string {
  const m = r.medians;
  const tt = r.multiTurn;
  const rows: [string, string, string, string][] = [
    [
      'Decode tok/s: engine worker vs llama-bench tg',
      fixed(m.engineDecode.edgewise, 1),
      fixed(m.engineDecode.peer, 1),
      ratio(r.engine.decode),
    ],
    [
      `Prefill tok/s: engine worker, ${r.prefillPromptTokens ?? '?'} fresh prompt tokens to first token, vs llama-bench pp${r.prefillPromptTokens ?? 64}`,
      fixed(m.enginePrefill.edgewise, 0),
      fixed(m.enginePrefill.peer, 0),
      ratio(r.engine.prefill),
    ],
    ['/v1 streaming decode tok/s', fixed(m.apiDecode.edgewise, 1), fixed(m.apiDecode.peer, 1), ratio(r.api.decode)],
    ['/v1 TTFT ms', fixed(m.apiTtft.edgewise, 0), fixed(m.apiTtft.peer, 0), ratio(r.api.ttft)],
    ['Multi-turn TTFT ms, turn 1', fixed(tt.edgewise.turn1Ms, 0), fixed(tt.peer.turn1Ms, 0), ''],
    ['Multi-turn TTFT ms, turn 5', fixed(tt.edgewise.turn5Ms, 0), fixed(tt.peer.turn5Ms, 0), ''],
    ['Multi-turn TTFT ms, turn 10', fixed(tt.edgewise.turn10Ms, 0), fixed(tt.peer.turn10Ms, 0), ''],
    ['TTFT ms after another conversation and back', fixed(tt.edgewise.backMs, 0), fixed(tt.peer.backMs, 0), ''],
  ];
  const lines = [
    `${r.modelFile}, ${r.threads} thread(s), flash attention ${r.flashAttention === 'auto' ? 'as each side defaults (auto)' : `${r.flashAttention} on both sides`}, ${r.tokens} tokens, greedy, ${r.repetitions} alternating repetitions (medians; ratio = Edgewise ÷ llama.cpp, median and min–max). llama.cpp ${r.commit.slice(0, 10)}, ${r.peerLibraries === 'shared' ? "linked against node-llama-cpp's own ggml libraries" : 'static build'}; CPU variant: Edgewise ${r.cpuVariants.edgewise}, llama-bench ${r.cpuVariants.llamaBench}, llama-server ${r.cpuVariants.llamaServer}, Edgewise /v1 ${r.cpuVariants.edgewiseServe}. Machine: ${machine.cpu}, ${machine.cores} core(s), load ${machine.load}.`,
    '',
    '| Measure | Edgewise | llama.cpp | Ratio |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    ...(r.multiTurnPeerError ? ['', `llama-server's multi-turn figures: not measured (${r.multiTurnPeerError}).`] : []),
    '',
    '| Target | Result | Median | Cause |',
    '| --- | --- | ---: | --- |',
    ...r.targets.map((t) => `| ${t.name} | ${t.pass ? 'PASS' : 'FAIL'} | ${t.value} | ${t.cause ?? ''} |`),
  ];
  return lines.join('\n');
}
