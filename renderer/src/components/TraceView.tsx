import type { RouteTrace } from '../../../shared/router/schemas.ts';
import { chatActions } from '../state/chatStore.ts';
import { downloadText } from '../download.ts';
import { DocumentsTrace } from './documents/DocumentsTrace.tsx';
import { ToolsTrace } from './ToolSteps.tsx';

const tierName = { device: 'on device', private: 'private server', partner: 'partner cloud' } as const;

function exportTrace(trace: RouteTrace, messageId: string) {
  downloadText(`route-trace-${messageId}.json`, 'application/json', JSON.stringify(trace, null, 2));
}

/** The routing trace beside an answer: signals, the deciding rule, consent, and the timeline. */
export function TraceView({ trace, messageId, last }: { trace: RouteTrace; messageId: string; last: boolean }) {
  const by = trace.answeredBy;
  const s = trace.signals;
  return (
    <>
      {last && trace.offerEscalation && (
        <p className="escalate" data-testid="escalate">
          The model was unsure of this answer (mean token confidence {trace.confidence?.toFixed(2)}).{' '}
          <button onClick={() => void chatActions.escalate()}>Ask the {tierName[trace.offerEscalation]}</button>
        </p>
      )}
      <details className="trace" data-testid="trace" data-tier={by?.tier ?? trace.tier}>
        <summary>
          Route: <strong>{by ? tierName[by.tier] : tierName[trace.tier]}</strong>
          {by && by.tier !== trace.tier && ` (proposed: ${tierName[trace.tier]})`}
          {trace.latencyMs !== null && ` · ${trace.latencyMs} ms`}
          {trace.estimatedCostUsd !== null && ` · $${trace.estimatedCostUsd.toFixed(4)}`} · consent: {trace.consent}
        </summary>
        <ul className="trace-reasons">
          {trace.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        <p className="trace-signals">
          complexity {s.complexity} ({s.complexityLevel}: {s.complexityReasons.join('; ')}) · personal data:{' '}
          {s.privacy.detected.join(', ') || 'none'} · battery:{' '}
          {s.battery.percent === null
            ? 'unavailable (no battery found)'
            : `${s.battery.percent}%${s.battery.charging ? ', charging' : ''}`}{' '}
          · {s.connectivity.online ? 'online' : 'offline'}; reachable: {s.connectivity.reachable.join(', ')} · rule:{' '}
          {trace.rule}
        </p>
        {trace.documents && <DocumentsTrace documents={trace.documents} />}
        {trace.tools && trace.tools.length > 0 && <ToolsTrace steps={trace.tools} />}
        <ol className="timeline">
          {trace.events.map((e, i) => (
            <li key={i}>
              <span className="at">{e.atMs} ms</span> {e.kind}: {e.detail}
            </li>
          ))}
        </ol>
        <p className="trace-foot">
          {by && `Answered by ${by.name} (${by.model})`}
          {trace.outputTokens !== null && ` · ${trace.outputTokens} tokens`} · energy:{' '}
          {trace.energyJoules === null ? 'not measured on this machine' : `${trace.energyJoules.toFixed(2)} J`}{' '}
          <button type="button" onClick={() => exportTrace(trace, messageId)}>
            Export JSON
          </button>
        </p>
      </details>
    </>
  );
}
