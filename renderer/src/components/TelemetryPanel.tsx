import { lazy, Suspense, useEffect } from 'react';
import { useChatStore } from '../state/chatStore.ts';
import { useEngineStore } from '../state/engineStore.ts';
import { telemetryActions, useTelemetryStore } from '../state/telemetryStore.ts';
import { fmt, gb } from '../format.ts';
import { describeThreadChoice } from '../../../shared/format.ts';

// uPlot is its own chunk: the chart draws after the first answer, so start-up need not parse it.
const SpeedChart = lazy(() => import('./SpeedChart.tsx').then((m) => ({ default: m.SpeedChart })));

const mb = (n: number) => `${fmt(n / 1024 ** 2)} MB`;

function Figure({ label, value, why, testId }: { label: string; value: string | null; why?: string; testId?: string }) {
  return (
    <div className="figure" data-testid={testId} data-available={value !== null}>
      <span className="label">{label}</span>
      {value !== null ? (
        <strong>{value}</strong>
      ) : (
        <span className="na" title={why}>
          unavailable{why ? `: ${why}` : ''}
        </span>
      )}
    </div>
  );
}

/** Live figures of the answer being written (or the last one), and medians per model. */
export function TelemetryPanel() {
  const messages = useChatStore((s) => s.messages);
  const target = messages.findLast((m) => m.role === 'assistant');
  const samples = useTelemetryStore((s) => (target ? s.samples[target.id] : undefined)) ?? [];
  const screenTtft = useChatStore((s) => (target ? s.screenTtft[target.id] : undefined));
  const live = useChatStore((s) => (target ? s.live[target.id] : undefined));
  const sources = useTelemetryStore((s) => s.sources);
  const summary = useTelemetryStore((s) => s.summary);
  const threadChoice = useEngineStore((s) => s.status?.threadChoice ?? null);
  useEffect(() => {
    void telemetryActions.load();
  }, []);
  if (!target) return null;
  const latest = samples.at(-1);
  const stats = target.stats;
  const streaming = target.status === 'streaming';
  // While streaming: decode speed since the first token, updated with every batch of tokens.
  const tps = streaming ? (live?.tokensPerSec ?? null) : (stats?.decodeTokensPerSec ?? null);
  const energy = streaming ? (latest?.energyPerTokenMj ?? null) : (stats?.energyPerTokenMj ?? null);
  const powerWhy = stats?.powerUnavailable ?? sources?.power.detail;
  return (
    <aside className="telemetry" aria-label="Telemetry" data-testid="telemetry" data-streaming={streaming}>
      <div className="figures">
        <Figure
          label="Decode"
          testId="tm-tps"
          value={tps !== null ? `${fmt(tps, 1)} tok/s` : null}
          why="waiting for tokens"
        />
        <Figure
          label="TTFT on screen"
          value={screenTtft !== undefined ? `${fmt(screenTtft)} ms` : null}
          why="measured from Send to the first painted token, in this window"
        />
        <Figure label="TTFT in engine" value={stats ? `${fmt(stats.ttftMs)} ms` : null} why="after the answer" />
        <Figure
          label="Prefill"
          value={stats && stats.prefillTokensPerSec > 0 ? `${fmt(stats.prefillTokensPerSec)} tok/s` : null}
          why={stats ? 'prompt reused from cache' : 'after the answer'}
        />
        <Figure
          label="Tokens"
          testId="tm-tokens"
          value={streaming ? (live ? String(live.outputTokens) : null) : stats ? String(stats.outputTokens) : null}
          why="waiting for tokens"
        />
        <Figure
          label="Context"
          value={
            latest?.contextTokens != null && latest.contextSize
              ? `${latest.contextTokens} / ${latest.contextSize}`
              : null
          }
          why="sampled while generating"
        />
        <Figure
          label="Worker memory"
          value={
            latest?.rssBytes != null
              ? mb(latest.rssBytes)
              : stats?.peakRssBytes != null
                ? `${mb(stats.peakRssBytes)} peak`
                : null
          }
          why="sampled while generating"
        />
        <Figure
          label="VRAM"
          testId="tm-vram"
          value={
            latest?.vramUsedBytes != null
              ? `${mb(latest.vramUsedBytes)}${latest.vramTotalBytes != null ? ` of ${gb(latest.vramTotalBytes)}` : ''}`
              : stats?.peakVramBytes != null
                ? `${mb(stats.peakVramBytes)} peak`
                : null
          }
          why={sources?.vram.available === false ? sources.vram.detail : 'sampled while generating'}
        />
        <Figure
          label="Speculation"
          testId="tm-speculation"
          value={
            streaming
              ? latest?.draftAcceptanceRate != null
                ? `${fmt(latest.draftAcceptanceRate * 100)}% of guesses kept`
                : null
              : stats?.speculation && stats.acceptanceRate != null
                ? `${stats.speculation === 'prompt' ? 'prompt lookup' : 'draft model'}: ${fmt(stats.acceptanceRate * 100)}% kept (${stats.draftAcceptedTokens} of ${(stats.draftAcceptedTokens ?? 0) + (stats.draftRejectedTokens ?? 0)})`
                : null
          }
          why={stats?.speculation ? 'no guesses were checked' : 'off for this answer'}
        />
        <Figure
          label="Threads"
          testId="tm-threads"
          value={threadChoice ? describeThreadChoice(threadChoice) : null}
          why="chosen when a model loads"
        />
        <Figure
          label="CPU"
          value={
            latest?.cpuPercent != null
              ? `${fmt(latest.cpuPercent)}%`
              : stats?.meanCpuPercent != null
                ? `${fmt(stats.meanCpuPercent)}% mean`
                : null
          }
          why="sampled while generating"
        />
        <Figure
          label="Battery"
          testId="tm-battery"
          value={
            latest?.batteryPercent != null ? `${latest.batteryPercent}%${latest.charging ? ', charging' : ''}` : null
          }
          why={sources?.battery.detail}
        />
        <Figure
          label="Power state"
          value={sources?.powerState.available ? sources.powerState.detail : null}
          why={sources?.powerState.detail}
        />
        <Figure
          label="Power"
          testId="tm-power"
          value={latest?.powerW != null ? `${fmt(latest.powerW, 1)} W` : null}
          why={powerWhy}
        />
        <Figure label="Energy / token" value={energy !== null ? `${fmt(energy, 1)} mJ` : null} why={powerWhy} />
      </div>
      <Suspense fallback={<div className="speed-chart" />}>
        <SpeedChart samples={samples} />
      </Suspense>
      {summary.length > 0 && (
        <table className="summary" data-testid="tm-summary">
          <thead>
            <tr>
              <th>Model</th>
              <th>Quant</th>
              <th>Answers</th>
              <th>Median tok/s</th>
              <th>Median mJ/token</th>
            </tr>
          </thead>
          <tbody>
            {summary.map((s) => (
              <tr key={`${s.modelFile}${s.quantization}${s.backend}`}>
                <td>
                  {s.modelFile} ({s.backend})
                </td>
                <td>{s.quantization}</td>
                <td>{s.answers}</td>
                <td>{fmt(s.medianDecodeTokensPerSec, 1)}</td>
                <td>{s.medianEnergyPerTokenMj === null ? 'unavailable' : fmt(s.medianEnergyPerTokenMj, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
