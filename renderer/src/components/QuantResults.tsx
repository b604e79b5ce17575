// The comparison being run (its columns fill as each variant is measured, answers streaming) or a saved
// one: the figures side by side, the quality-against-size chart, and JSON and CSV export.
import { comparisonCsv, comparisonJson, type Comparison } from '../../../shared/quant.ts';
import { quantActions, useQuantStore, type Column } from '../state/quantStore.ts';
import { useModelsStore } from '../state/modelsStore.ts';
import { QualityChart } from './QualityChart.tsx';
import { fileName, fmt } from '../format.ts';
import { downloadText } from '../download.ts';

function Figures({ c }: { c: Comparison }) {
  const rows: [string, (v: Comparison['variants'][number]) => string][] = [
    ['quantization', (v) => v.quantization],
    ['file size', (v) => `${fmt(v.sizeBytes / 1e6, 2)} MB`],
    ['bits per weight', (v) => fmt(v.bitsPerWeight, 2)],
    ['load time', (v) => `${fmt(v.loadMs)} ms`],
    ['peak memory', (v) => `${fmt(v.peakMemoryBytes / 1e6, 1)} MB`],
    ['prefill', (v) => `${fmt(v.prefillTokensPerSec)} tok/s`],
    ['decode', (v) => `${fmt(v.decodeTokensPerSec)} tok/s`],
    ['time to first token', (v) => `${fmt(v.ttftMs, 1)} ms`],
    ['perplexity', (v) => fmt(v.perplexity, 4)],
    ['KL divergence, mean', (v) => (v.isBase ? 'base' : fmt(v.kldMean, 5))],
    ['KL divergence, 99th pct', (v) => (v.isBase ? 'base' : fmt(v.kldP99, 4))],
    ['same top token', (v) => (v.isBase ? 'base' : `${fmt(v.top1Agreement * 100, 1)}%`)],
  ];
  return (
    <table className="quant-table" data-testid="quant-comparison">
      <thead>
        <tr>
          <th>
            <span className="sr-only">figure</span>
          </th>
          {c.variants.map((v, i) => (
            <th key={i} title={v.file}>
              {v.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, cell]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {c.variants.map((v, i) => (
              <td key={i}>{cell(v)}</td>
            ))}
          </tr>
        ))}
        <tr className="quant-answers">
          <th scope="row">answer</th>
          {c.variants.map((v, i) => (
            <td key={i}>{v.answer}</td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function LiveColumns({ columns }: { columns: Column[] }) {
  const models = useModelsStore((s) => s.models);
  const picked = useQuantStore((s) => s.picked);
  return (
    <div className="quant-columns" data-testid="quant-columns">
      {columns.map((col, i) => (
        <div key={i} className="quant-column" data-stage={col.stage}>
          <h3>{fileName(models.find((m) => m.id === picked[i])?.path ?? `variant ${i + 1}`)}</h3>
          <progress max={1} value={col.fraction} aria-label={`variant ${i + 1} ${col.stage}`} />{' '}
          <span className="muted">{col.stage}</span>
          {col.result && (
            <p className="muted">
              {fmt(col.result.decodeTokensPerSec)} tok/s · TTFT {fmt(col.result.ttftMs, 1)} ms · perplexity{' '}
              {fmt(col.result.perplexity, 3)}
            </p>
          )}
          <p className="quant-answer">{col.answer}</p>
        </div>
      ))}
    </div>
  );
}

export function QuantResults() {
  const { columns, saved, openedId } = useQuantStore();
  const opened = saved.find((c) => c.id === openedId) ?? null;
  const stamp = opened ? new Date(opened.createdAt).toISOString().replace(/[:.]/g, '-') : '';
  return (
    <section className="quant-results" aria-label="Comparison results">
      {columns.length > 0 && <LiveColumns columns={columns} />}
      {opened && (
        <>
          <h2>Results</h2>
          <p className="muted">
            {opened.settings.textName}: {fmt(opened.settings.textTokens)} tokens, {opened.settings.chunks} chunks of{' '}
            {opened.settings.ctx}, {fmt(opened.settings.scoredPositions)} positions scored; {opened.settings.threads}{' '}
            thread(s); prompt “{opened.settings.prompt}”, greedy. Variants ran one after another, never at once, so each
            had the machine to itself.
          </p>
          <Figures c={opened} />
          <QualityChart variants={opened.variants} />
          <div className="quant-actions">
            <button
              onClick={() =>
                downloadText(
                  `comparison-${stamp}.json`,
                  'application/json',
                  JSON.stringify({ settings: opened.settings, variants: comparisonJson(opened.variants) }, null, 2),
                )
              }
            >
              Export JSON
            </button>
            <button onClick={() => downloadText(`comparison-${stamp}.csv`, 'text/csv', comparisonCsv(opened.variants))}>
              Export CSV
            </button>
          </div>
        </>
      )}
      {saved.length > 0 && (
        <div className="quant-saved">
          <h3>Saved comparisons</h3>
          <ul>
            {saved.map((c) => (
              <li key={c.id}>
                <button className="link" onClick={() => quantActions.open(c.id)} aria-current={c.id === openedId}>
                  {new Date(c.createdAt).toLocaleString()}: {c.variants.map((v) => v.quantization).join(', ')}
                </button>
                <button className="link" onClick={() => void quantActions.remove(c.id)} aria-label="Delete comparison">
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
