import type { TracedToolStep } from '../../../shared/contract/tools.ts';
import { fmt } from '../format.ts';
import { prettyArguments } from './ToolConsentDialog.tsx';

const ran = (s: TracedToolStep) =>
  s.consent === 'allowed once' ||
  s.consent === 'allowed for this conversation' ||
  s.consent === 'remembered for this conversation' ||
  s.consent === 'not needed';

function headline(s: TracedToolStep): string {
  if (!ran(s)) return `Tool ${s.tool} not run (${s.consent})`;
  return s.error ? `Tool ${s.tool} failed` : `Used tool ${s.tool}`;
}

/**
 * Under an answer: one compact line per tool call that opens to its arguments and result. Both are shown
 * as plain text (React escapes them): whatever a tool returns never renders as Markdown or HTML.
 */
export function ToolSteps({ steps }: { steps: TracedToolStep[] }) {
  return (
    <div className="tool-steps" data-testid="tool-steps">
      {steps.map((s, i) => (
        <details key={i} className="tool-step" data-testid="tool-step" data-consent={s.consent}>
          <summary>
            {headline(s)}{' '}
            <span className="muted">({s.server === 'built-in' ? 'built-in' : `MCP server ${s.server}`})</span>
          </summary>
          <p className="muted">Arguments</p>
          <pre className="consent-text">{prettyArguments(s.arguments)}</pre>
          <p className="muted">
            {/* a call that did not run has no result: the model was told why instead */}
            {ran(s) ? 'Result' : 'What the model was told instead'} ({s.resultBytes} bytes{s.truncated ? ', cut' : ''},{' '}
            {fmt(s.ms)} ms)
          </p>
          <pre className="consent-text" data-testid="tool-result">
            {s.result}
          </pre>
        </details>
      ))}
    </div>
  );
}

/** The trace's part: each call with its server, arguments, consent, result size, time and error. */
export function ToolsTrace({ steps }: { steps: TracedToolStep[] }) {
  return (
    <table className="tools-trace" data-testid="tools-trace">
      <caption>Tool calls</caption>
      <thead>
        <tr>
          <th scope="col">Tool</th>
          <th scope="col">Server</th>
          <th scope="col">Arguments</th>
          <th scope="col">Consent</th>
          <th scope="col">Result</th>
          <th scope="col">Time</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s, i) => (
          <tr key={i}>
            <td>{s.tool}</td>
            <td>{s.server}</td>
            <td>
              <code>{s.arguments}</code>
            </td>
            <td>{s.consent}</td>
            <td>
              {s.resultBytes} bytes{s.truncated ? ' (cut)' : ''}
            </td>
            <td>{fmt(s.ms)} ms</td>
            <td>{s.error ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
